import type { FieldProblem } from './errors/domain-error';
import { textProblem } from './text';

/**
 * Deeper than any payload of this API (an invoice line's field sits at depth 3). Bodies beyond it
 * are refused before class-transformer, class-validator or splitPrototypeKeys walk them: those
 * recurse, and 2,000 nested arrays (4 KB of JSON) overflowed the call stack.
 */
export const MAX_DEPTH = 8;

export interface InputInspection {
  /** The first container nested deeper than MAX_DEPTH; when set, nothing else was looked at. */
  tooDeep?: FieldProblem;
  /** Every string that cannot be stored as sent (see textProblem). */
  text: FieldProblem[];
}

/**
 * Walks a parsed body or query string once, without recursion, so no depth can overflow it.
 * Paths are dotted as in validation errors (`lines.0.description`).
 */
export function inspectInput(value: unknown): InputInspection {
  const text: FieldProblem[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value, path: '', depth: 0 },
  ];
  // Breadth first, so problems come in the order of the fields at each level.
  for (let next = 0; next < pending.length; next++) {
    const { value: current, path, depth } = pending[next];
    if (typeof current === 'string') {
      const message = textProblem(current);
      if (message) text.push({ field: path, message });
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_DEPTH) {
      return {
        tooDeep: { field: path, message: `is nested more than ${MAX_DEPTH} levels deep` },
        text,
      };
    }
    for (const [key, inner] of Object.entries(current)) {
      pending.push({ value: inner, path: path ? `${path}.${key}` : key, depth: depth + 1 });
    }
  }
  return { text };
}
