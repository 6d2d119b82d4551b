import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './errors/domain-error';

/** Flattens class-validator's tree into one `{field, message}` per bad field, with dotted paths. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.replace(/^property (\S+) /, ''),
    }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Unknown fields are rejected, not dropped: a typo must not pass silently. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  stopAtFirstError: true,
  exceptionFactory: (errors) => {
    const problems = fieldProblems(errors);
    return new DomainError(
      'VALIDATION_FAILED',
      `${problems.length} field(s) are not valid: ${[...new Set(problems.map((p) => p.field))].join(', ')}.`,
      { errors: problems },
    );
  },
});
