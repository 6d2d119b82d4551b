import { validateSync } from 'class-validator';
import { Length, MaxLength } from './text-length';

class Sample {
  @Length(1, 4)
  name: string;

  @MaxLength(3)
  code?: string;
}

const problems = (name: unknown, code?: unknown) =>
  validateSync(Object.assign(new Sample(), { name, code }), { skipUndefinedProperties: true }).map(
    (e) => `${e.property}: ${Object.values(e.constraints ?? {}).join()}`,
  );

describe('Length and MaxLength count Unicode code points, as varchar(N) does', () => {
  it('counts an astral character once and a character with a variation selector twice', () => {
    expect(problems('😀😀😀😀')).toEqual([]);
    expect(problems('❤️❤️')).toEqual([]);
    expect(problems('❤️❤️❤️')).toEqual([
      'name: name must have 1 to 4 characters (Unicode code points); it has 6',
    ]);
  });

  it('refuses too short, too long and what is not a string, saying the limit', () => {
    expect(problems('')).toEqual([
      'name: name must have 1 to 4 characters (Unicode code points); it has 0',
    ]);
    expect(problems('ok', 'abcd')).toEqual([
      'code: code must have at most 3 characters (Unicode code points); it has 4',
    ]);
    expect(problems(42)).toEqual(['name: name must have 1 to 4 characters (Unicode code points)']);
  });
});
