import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './errors/domain-error';

/**
 * Flattens class-validator's tree into one `{field, message}` per bad field, with dotted paths;
 * a field that breaks several rules gets them all in its one message.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {}).map((m) =>
      m.replace(/^property (\S+) /, ''),
    );
    const own = messages.length > 0 ? [{ field, message: messages.join('; ') }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Unknown fields are rejected, not dropped: a typo must not pass silently. */
export const validationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => {
    const problems = fieldProblems(errors);
    return new DomainError(
      'VALIDATION_FAILED',
      `${problems.length} field(s) are not valid: ${[...new Set(problems.map((p) => p.field))].join(', ')}.`,
      { errors: problems },
    );
  },
});
