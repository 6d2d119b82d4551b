import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** What the fuzzer knows of a field: a small JSON-Schema-like description. */
export type Schema =
  | StringSchema
  | { type: 'boolean' }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number }
  | ObjectSchema
  /** A rule the fuzzer does not know: it still gets every kind of hostile value. */
  | { type: 'any' };

export interface StringSchema {
  type: 'string';
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  format?: 'email' | 'uuid' | 'country' | 'currency';
  enum?: readonly string[];
}

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, Schema>;
  required: string[];
}

type DtoClass = abstract new (...args: never[]) => unknown;

/**
 * Reads a DTO's class-validator (and class-transformer @Type) metadata into a schema. The
 * OpenAPI document the test app serves has no property schemas: the Swagger CLI plugin that
 * writes them runs in `nest build`, not under jest.
 */
export function schemaOf(dto: DtoClass): ObjectSchema {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
  }
  const schema: ObjectSchema = { type: 'object', properties: {}, required: [] };
  for (const [property, rules] of byProperty) {
    schema.properties[property] = fieldSchema(dto, property, rules);
    // IsOptional, ValidateIf and PartialType all register a condition.
    if (!rules.some((r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION)) {
      schema.required.push(property);
    }
  }
  return schema;
}

function fieldSchema(dto: DtoClass, property: string, rules: ValidationMetadata[]): Schema {
  const named = new Map(rules.map((r) => [r.name, r.constraints as unknown[]]));
  const [min, max] = (named.get('codePointLength') ?? []) as number[];
  if (rules.some((r) => r.type === ValidationTypes.NESTED_VALIDATION)) {
    const itemType = nestedType(dto, property);
    return {
      type: 'array',
      items: itemType ? schemaOf(itemType) : { type: 'any' },
      minItems: named.get('arrayMinSize')?.[0] as number | undefined,
      maxItems: named.get('arrayMaxSize')?.[0] as number | undefined,
    };
  }
  if (named.has('isBoolean')) return { type: 'boolean' };
  if (named.has('isInt')) {
    const minimum = named.get('min')?.[0] as number | undefined;
    return { type: 'integer', minimum, maximum: named.get('max')?.[0] as number | undefined };
  }
  const string: StringSchema = {
    type: 'string',
    minLength: min,
    maxLength: max,
    pattern: named.get('matches')?.[0] as RegExp | undefined,
    enum: named.get('isIn')?.[0] as string[] | undefined,
    format: FORMATS.find(([name]) => named.has(name))?.[1],
  };
  const isString = ['isString', 'matches', 'isIn', 'codePointLength', ...FORMATS.map(([n]) => n)];
  return isString.some((name) => named.has(name)) ? string : { type: 'any' };
}

const FORMATS: Array<[string, StringSchema['format']]> = [
  ['isEmail', 'email'],
  ['isUuid', 'uuid'],
  ['isISO31661Alpha2', 'country'],
  ['isISO4217CurrencyCode', 'currency'],
];

/** class-transformer keeps @Type() metadata to itself; transforming a probe shows the class. */
function nestedType(dto: DtoClass, property: string): DtoClass | undefined {
  const probe = plainToInstance(dto as new () => unknown, { [property]: [{}] });
  const item = (probe as Record<string, unknown[] | undefined>)[property]?.[0];
  const type = (item as object | undefined)?.constructor as DtoClass | undefined;
  return type === Object ? undefined : type;
}
