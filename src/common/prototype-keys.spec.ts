import { splitPrototypeKeys } from './prototype-keys';

describe('splitPrototypeKeys', () => {
  it('names every prototype key at any depth and leaves them out of the copy', () => {
    const parsed: unknown = JSON.parse(
      '{"__proto__": {"a": 1}, "name": "x", "lines": [{"q": 1}, {"constructor": 2, "deep": {"prototype": 3}}]}',
    );
    const { fields, rest } = splitPrototypeKeys(parsed);
    expect(fields).toEqual(['__proto__', 'lines.1.constructor', 'lines.1.deep.prototype']);
    expect(rest).toEqual({ name: 'x', lines: [{ q: 1 }, { deep: {} }] });
    expect(Object.getPrototypeOf(rest)).toBe(Object.prototype);
  });

  it('passes a clean value through unchanged', () => {
    const body = { name: 'x', tags: ['a', null], nested: { n: 1, flag: true } };
    expect(splitPrototypeKeys(body)).toEqual({ fields: [], rest: body });
    expect(splitPrototypeKeys('text')).toEqual({ fields: [], rest: 'text' });
  });
});
