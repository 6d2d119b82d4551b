import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './errors/domain-error';
import { splitPrototypeKeys } from './prototype-keys';

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

function validationFailed(problems: FieldProblem[]): DomainError {
  return new DomainError(
    'VALIDATION_FAILED',
    `${problems.length} field(s) are not valid: ${[...new Set(problems.map((p) => p.field))].join(', ')}.`,
    { errors: problems },
  );
}

/**
 * Refuses prototype keys (`__proto__`, `constructor`, `prototype`) as unknown fields, which the
 * whitelist cannot do (see prototype-keys.ts): they are taken out before class-transformer runs,
 * and the rest of the value is still validated so that one answer names every bad field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Bodies and query strings are the client's parsed objects; other arguments can be anything.
    if (metadata.type !== 'body' && metadata.type !== 'query') {
      return super.transform(value, metadata);
    }
    const { fields, rest } = splitPrototypeKeys(value);
    if (fields.length === 0) return super.transform(value, metadata);
    const hostile = fields.map((field) => ({ field, message: 'should not exist' }));
    let others: FieldProblem[] = [];
    try {
      await super.transform(rest, metadata);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      others = error.options.errors ?? [];
    }
    throw validationFailed([...hostile, ...others]);
  }
}

export const validationPipe = new RequestValidationPipe({
  // Unknown fields are rejected, not dropped: a typo must not pass silently.
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
});
