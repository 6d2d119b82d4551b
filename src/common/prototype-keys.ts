/**
 * Keys that reach an object's prototype. JSON.parse keeps them as own keys, but class-transformer
 * assigns them to the new DTO, which swaps its prototype (or shadows `constructor`), so
 * class-validator's whitelist never sees them and may not even know the DTO's class any more.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface PrototypeKeySplit {
  /** Dotted paths of every prototype key, at any depth (`lines.0.__proto__`). */
  fields: string[];
  /** The value without them, safe to hand to class-transformer. */
  rest: unknown;
}

/**
 * Finds the prototype keys of a parsed JSON value and gives back a copy without them. Recursive:
 * only for values whose depth inspectInput (request-input.ts) has bounded.
 */
export function splitPrototypeKeys(value: unknown, parent = ''): PrototypeKeySplit {
  const path = (key: string) => (parent ? `${parent}.${key}` : key);
  if (Array.isArray(value)) {
    const items = value.map((item, index) => splitPrototypeKeys(item, path(String(index))));
    return { fields: items.flatMap((i) => i.fields), rest: items.map((i) => i.rest) };
  }
  if (value === null || typeof value !== 'object') return { fields: [], rest: value };
  const fields: string[] = [];
  const rest: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (PROTOTYPE_KEYS.has(key)) {
      fields.push(path(key));
      continue;
    }
    const inner = splitPrototypeKeys(item, path(key));
    fields.push(...inner.fields);
    rest[key] = inner.rest;
  }
  return { fields, rest };
}
