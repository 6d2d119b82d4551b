import { inspectInput, MAX_DEPTH } from './request-input';

/** `levels` arrays, one inside the other, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('inspectInput', () => {
  it('names every string PostgreSQL cannot store as sent, at any depth', () => {
    const body = {
      name: 'ok ❤️ 😀',
      province: 'a\u0000b',
      lines: [{ description: 'fine' }, { description: 'half \ud83d of a pair' }],
      tail: '\udc00',
    };
    expect(inspectInput(body)).toEqual({
      text: [
        { field: 'province', message: expect.stringContaining('NUL') },
        { field: 'tail', message: expect.stringContaining('lone surrogate') },
        { field: 'lines.1.description', message: expect.stringContaining('lone surrogate') },
      ],
    });
  });

  it(`accepts ${MAX_DEPTH} levels of nesting and refuses one more, naming where`, () => {
    expect(inspectInput(nested(MAX_DEPTH))).toEqual({ text: [] });
    expect(inspectInput({ name: nested(MAX_DEPTH) }).tooDeep).toEqual({
      field: 'name.0.0.0.0.0.0.0',
      message: `is nested more than ${MAX_DEPTH} levels deep`,
    });
  });

  it('walks a million levels without overflowing the stack', () => {
    const parsed: unknown = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expect(inspectInput(parsed).tooDeep?.message).toMatch(/nested more than/);
  });
});
