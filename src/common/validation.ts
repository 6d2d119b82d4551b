import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type FieldProblem } from './errors/domain-error';
import { splitPrototypeKeys } from './prototype-keys';
import { inspectInput } from './request-input';
import { wellFormedText } from './text';

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

/** One `errors` entry per field, as the contract says, however many checks found it bad. */
function validationFailed(problems: FieldProblem[]): DomainError {
  const byField = new Map<string, string[]>();
  for (const { field, message } of problems) {
    byField.set(field, [...(byField.get(field) ?? []), message]);
  }
  const errors = [...byField].map(([field, messages]) => ({ field, message: messages.join('; ') }));
  return new DomainError(
    'VALIDATION_FAILED',
    `${errors.length} field(s) are not valid: ${[...byField.keys()].join(', ')}.`,
    { errors },
  );
}

/**
 * A copy whose strings are well-formed text, for class-validator: some of its validators choke
 * on the rest (validator.js's isEmail throws URIError on a lone surrogate). The depth is bounded
 * by then, so stringify cannot overflow.
 */
const withWellFormedText = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_, item: unknown) =>
      typeof item === 'string' ? wellFormedText(item) : item,
    ),
  );

/**
 * Checks what class-validator cannot see, on every body and query string before it runs:
 * - nesting deeper than any payload, refused alone and first (see MAX_DEPTH);
 * - prototype keys (`__proto__`, `constructor`, `prototype`), refused as unknown fields, which the
 *   whitelist cannot do (see prototype-keys.ts): they are taken out before class-transformer runs;
 * - text PostgreSQL cannot store as sent (NUL, lone surrogates), in any string of any field.
 * The rest of the value is still validated, so that one answer names every bad field.
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Bodies and query strings are the client's parsed objects; other arguments can be anything.
    if (metadata.type !== 'body' && metadata.type !== 'query') {
      return super.transform(value, metadata);
    }
    const { tooDeep, text } = inspectInput(value);
    if (tooDeep) throw validationFailed([tooDeep]);
    const { fields, rest } = splitPrototypeKeys(value);
    const found = [...fields.map((field) => ({ field, message: 'should not exist' })), ...text];
    if (found.length === 0) return super.transform(value, metadata);
    let others: FieldProblem[] = [];
    try {
      await super.transform(withWellFormedText(rest), metadata);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      others = error.options.errors ?? [];
    }
    throw validationFailed([...found, ...others]);
  }
}

export const validationPipe = new RequestValidationPipe({
  // Unknown fields are rejected, not dropped: a typo must not pass silently.
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
});
