import fc from 'fast-check';
import { codePointLength } from '../../../src/common/text';
import { boundaryString, hostileString, wrongType } from './hostile-values';
import type { ObjectSchema, Schema, StringSchema } from './dto-schema';

/** Ids of records that exist, by resource (the path's first segment), filled as the run goes. */
export type IdPool = Map<string, string[]>;

/** An element of a list that may still be empty or grow while the run goes on. */
export const oneOfPool = (list: () => string[], otherwise: fc.Arbitrary<string>) =>
  fc.tuple(fc.nat(), otherwise).map(([i, other]) => {
    const ids = list();
    return ids.length > 0 ? ids[i % ids.length] : other;
  });

/** Existing ids for a uuid member: `contactId` takes contacts, `originalInvoiceId` invoices. */
function idsFor(member: string, ids: IdPool): () => string[] {
  const resource = [...ids.keys()].find((r) => member.toLowerCase().includes(r.slice(0, -1)));
  return () => (resource ? (ids.get(resource) ?? []) : [...ids.values()].flat());
}

function validString(schema: StringSchema, member: string, ids: IdPool): fc.Arbitrary<string> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.format === 'uuid') return oneOfPool(idsFor(member, ids), fc.uuid());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'country') return fc.constantFrom('ES', 'FR', 'PT', 'DE', 'es', 'gb');
  if (schema.format === 'currency') return fc.constantFrom('EUR', 'USD', 'GBP', 'eur');
  if (schema.pattern) {
    // fast-check cannot honour the i flag; the pattern's lower-case strings match either way.
    const pattern = new RegExp(schema.pattern.source, schema.pattern.flags.replace('i', ''));
    // Short ones mostly: twelve-digit quantities times twelve-digit prices overflow every total.
    return fc
      .oneof(
        { weight: 3, arbitrary: fc.stringMatching(pattern, { size: 'xsmall' }) },
        { weight: 1, arbitrary: fc.stringMatching(pattern, { maxLength: schema.maxLength }) },
      )
      .filter((text) => codePointLength(text) >= (schema.minLength ?? 0));
  }
  const length = { minLength: schema.minLength, maxLength: Math.min(schema.maxLength ?? 40, 40) };
  return fc.oneof(
    fc.string({ ...length, unit: 'grapheme-ascii' }),
    fc.string({ ...length, unit: 'binary' }),
  );
}

/**
 * `valid`: what the DTO accepts, so requests reach services and the database; `mixed`: each
 * value mostly valid, else at a boundary, hostile or of the wrong type.
 */
type Mode = 'valid' | 'mixed';

function validValue(
  schema: Schema,
  member: string,
  ids: IdPool,
  mode: Mode,
): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return validString(schema, member, ids);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: schema.minimum, max: schema.maximum });
    case 'array':
      return fc.array(valueFor(schema.items, member, ids, mode), {
        minLength: schema.minItems,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
      return membersOf(schema, ids, mode);
    case 'any':
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** A value the member's rules refuse, or one at their edge. */
function strayValue(schema: Schema, ids: IdPool): fc.Arbitrary<unknown> {
  const strays: Array<fc.Arbitrary<unknown>> = [hostileString, wrongType];
  if (schema.type === 'string') strays.push(boundaryString(schema));
  if (schema.type === 'array') {
    strays.push(fc.constant(Array<unknown>((schema.maxItems ?? 10) + 1).fill({})));
    // Nested objects valid but for one member reach the database with it (a line's description).
    if (schema.items.type === 'object') {
      strays.push(fc.array(oneStrayMember(schema.items, ids), { minLength: 1, maxLength: 2 }));
    }
  }
  return fc.oneof(...strays);
}

function valueFor(schema: Schema, member: string, ids: IdPool, mode: Mode): fc.Arbitrary<unknown> {
  const valid = validValue(schema, member, ids, mode);
  if (mode === 'valid') return valid;
  return fc.oneof(
    { weight: 5, arbitrary: valid },
    { weight: 2, arbitrary: strayValue(schema, ids) },
  );
}

/** Unknown members, prototype keys among them. */
const unknownMembers = fc.array(
  fc.tuple(
    fc.oneof(
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'role', 'createdAt', ''),
      hostileString,
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
  { maxLength: 3 },
);

/**
 * The members of an object: required ones (nearly) always there, optional ones now and then,
 * in mixed mode sometimes unknown ones. Members are defined, not assigned, so `__proto__` stays
 * a key.
 */
function membersOf(schema: ObjectSchema, ids: IdPool, mode: Mode): fc.Arbitrary<object> {
  const members = Object.entries(schema.properties).map(([name, field]) => {
    const value = valueFor(field, name, ids, mode);
    const required = schema.required.includes(name);
    const present =
      required && mode === 'valid'
        ? value
        : fc.option(value, { freq: required ? 20 : 2, nil: undefined });
    return present.map((v) => [name, v] as const);
  });
  const unknown =
    mode === 'valid'
      ? fc.constant([])
      : fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: unknownMembers },
        );
  return fc
    .tuple(fc.tuple(...members), unknown)
    .map(([known, extra]) => withMembers({}, [...known, ...extra]));
}

function withMembers(object: object, members: ReadonlyArray<readonly [string, unknown]>): object {
  for (const [name, value] of members) {
    if (value === undefined) continue;
    Object.defineProperty(object, name, { value, enumerable: true, writable: true });
  }
  return object;
}

/**
 * Valid but for one member: the surest way for a stray value to get past validation's other
 * checks to a service and the database.
 */
function oneStrayMember(schema: ObjectSchema, ids: IdPool): fc.Arbitrary<object> {
  const strays = Object.entries(schema.properties).map(([name, field]) =>
    strayValue(field, ids).map((value) => [name, value] as const),
  );
  // A body whose members nothing documents (the webhook's, read as B2B Router sends it).
  if (strays.length === 0) return membersOf(schema, ids, 'valid');
  return fc
    .tuple(membersOf(schema, ids, 'valid'), fc.oneof(...strays))
    .map(([object, stray]) => withMembers({ ...object }, [stray]));
}

/** A body or query of the schema: valid, valid but for one member, or anything (mixed). */
export const objectFor = (schema: ObjectSchema, ids: IdPool): fc.Arbitrary<object> =>
  fc.oneof(
    membersOf(schema, ids, 'valid'),
    oneStrayMember(schema, ids),
    membersOf(schema, ids, 'mixed'),
  );
