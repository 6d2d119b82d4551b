/**
 * What a JS string must be to reach PostgreSQL as text. PostgreSQL refuses NUL (U+0000) in text
 * and in jsonb; the driver replaces a lone surrogate (half of a UTF-16 pair) with U+FFFD, so the
 * text stored is not the text sent, and jsonb refuses its \ud800 escape outright.
 */
const LONE_SURROGATES = /\p{Surrogate}/gu;

/** Why `value` cannot be stored as sent, or undefined when it can. */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (value.search(LONE_SURROGATES) !== -1) {
    return 'must be valid Unicode: it contains a lone surrogate (half of a UTF-16 pair)';
  }
  return undefined;
}

/** `value` with each NUL and lone surrogate replaced by U+FFFD (the replacement character). */
export function wellFormedText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD').replace(LONE_SURROGATES, '\uFFFD');
}

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** Characters as varchar(N) counts them: Unicode code points ("😀" is 1, "❤️" is 2). */
export function codePointLength(value: string): number {
  return value.length - (value.match(SURROGATE_PAIR)?.length ?? 0);
}
