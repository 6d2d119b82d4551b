import fc from 'fast-check';
import type { StringSchema } from './dto-schema';

/** Strings that broke, or could break, the way text reaches PostgreSQL or a log line. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  // What PostgreSQL refuses (NUL) or the driver mangles (lone surrogates): the likeliest 500s.
  { weight: 3, arbitrary: fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00y', '\ud83d') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '\ud83d\ude00',
      '❤️',
      'e\u0301',
      '\u202eevil',
      '\ufeff',
      '',
      ' ',
      '%00',
      '\\u0000',
      "'; DROP TABLE contacts; --",
      '${jndi:ldap://x}',
      '__proto__',
      '../../etc/passwd',
    ),
  },
  // Any UTF-16 code unit, NUL and half surrogate pairs included.
  {
    weight: 2,
    arbitrary: fc.string({
      unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    }),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)) },
);

/** `levels` arrays or objects one inside the other, built without recursion. */
export function nested(levels: number, kind: 'array' | 'object'): unknown {
  let value: unknown = kind === 'array' ? [] : {};
  for (let i = 1; i < levels; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

export const deepValue = fc
  .tuple(fc.integer({ min: 2, max: 2_500 }), fc.constantFrom('array' as const, 'object' as const))
  .map(([levels, kind]) => nested(levels, kind));

/** Values of the wrong type for any field. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  deepValue,
);

/**
 * Strings at and just past a length limit, in characters that count differently as UTF-16 code
 * units, code points ("😀" is one, "❤️" two) and graphemes.
 */
export function boundaryString({
  minLength = 0,
  maxLength = 300,
}: StringSchema): fc.Arbitrary<string> {
  const at = (n: number) =>
    fc.constantFrom('x', '😀', 'é', 'e\u0301', '❤️', '中').map((c) => c.repeat(Math.max(0, n)));
  return fc.oneof(
    at(maxLength),
    at(maxLength + 1),
    at(Math.ceil(maxLength / 2)),
    at(minLength - 1),
    at(minLength),
  );
}
