import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { codePointLength } from './text';

/**
 * Length limits counted the way PostgreSQL's varchar(N) counts: in Unicode code points.
 * class-validator's Length and MaxLength leave variation selectors out of the count, so 200 "❤️"
 * (400 code points) passed a limit of 200 and then overflowed the varchar(200) column.
 * They keep class-validator's names on purpose: the Swagger plugin recognises validation
 * decorators by name and publishes minLength/maxLength from them (JSON Schema counts code points
 * too). ESLint refuses class-validator's own, so one rule holds everywhere.
 */
export function Length(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  const range = min > 0 ? `${min} to ${max}` : `at most ${max}`;
  return ValidateBy(
    {
      name: 'codePointLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = codePointLength(value);
          return length >= min && length <= max;
        },
        defaultMessage: buildMessage((each, args) => {
          const value: unknown = args?.value;
          const has = typeof value === 'string' ? `; it has ${codePointLength(value)}` : '';
          return `${each}$property must have ${range} characters (Unicode code points)${has}`;
        }, options),
      },
    },
    options,
  );
}

export const MaxLength = (max: number, options?: ValidationOptions) => Length(0, max, options);
