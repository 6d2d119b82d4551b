import fc from 'fast-check';
import { checkVAT, spain } from 'jsvat';
import { checkSpanishTaxId } from './spanish-tax-id';

const DIGITS = '0123456789'.split('');
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

describe('checkSpanishTaxId', () => {
  it.each([
    ['12345678Z', 'DNI'],
    ['00000001R', 'DNI'],
    ['X1234567L', 'NIE'],
    ['Y1234567X', 'NIE'],
    ['Z1234567R', 'NIE'],
    ['K1234567L', 'NIF of a Spaniard without DNI'],
    ['M1234567L', 'NIF of a foreigner without NIE'],
    ['B12345674', 'limited company'],
    ['A58818501', 'public limited company'],
    ['A08017535', 'public limited company'],
    ['Q2826000H', 'public body'],
    ['S2826046A', 'state body'],
    ['R0881583I', 'religious institution'],
    ['N0060092D', 'foreign entity'],
    ['W7815395D', 'permanent establishment'],
    ['G63971451', 'association, digit'],
    ['G2877009G', 'association, letter'],
    ['J60443975', 'civil society, digit'],
    ['J6464507J', 'civil society, letter'],
    ['U78153210', 'joint venture, digit'],
    ['V9523289H', 'other entity, letter'],
    ['A0011012B', 'non-resident registered before 2008'],
  ])('accepts %p (%s)', (id) => {
    expect(checkSpanishTaxId(id)).toBe('valid');
  });

  it.each([
    ['12345678A', 'DNI with the wrong letter'],
    ['X1234567A', 'NIE with the wrong letter'],
    ['K1234567A', 'K/L/M NIF with the wrong letter'],
    ['B12345675', 'company with the wrong digit'],
    ['A5881850A', 'company ending in the letter for its digit'],
    ['Q28260008', 'public body ending in the digit for its letter'],
    ['N0060092A', 'foreign entity with the wrong letter'],
    ['J6464507A', 'civil society with the wrong letter'],
  ])('refuses the check character of %p (%s)', (id) => {
    expect(checkSpanishTaxId(id)).toBe('bad-check-character');
  });

  it.each([
    [''],
    ['1234567Z'],
    ['123456789'],
    ['B1234567'],
    ['B123456789'],
    ['X12345678'],
    ['O3683588B'],
    ['I1234567A'],
    ['B1234567K'],
    ['b12345674'],
    ['ESB12345674'],
  ])('refuses the format of %p', (id) => {
    expect(checkSpanishTaxId(id)).toBe('bad-format');
  });

  describe('properties', () => {
    const body7 = fc.stringMatching(/^\d{7}$/);
    const anyId = fc.oneof(
      fc.stringMatching(/^\d{8}$/),
      fc.tuple(fc.constantFrom('X', 'Y', 'Z', 'K', 'L', 'M'), body7).map(([k, b]) => k + b),
      fc.tuple(fc.constantFrom(...'ABCDEFGHJNPQRSUVW'), body7).map(([k, b]) => k + b),
      fc
        .tuple(fc.constantFrom(...'ABCDEFGHJNPQRSUVW'), fc.stringMatching(/^00\d{5}$/))
        .map(([k, b]) => k + b),
    );
    const validControls = (stem: string) =>
      [...DIGITS, ...LETTERS].filter((c) => checkSpanishTaxId(stem + c) === 'valid');

    it('allows exactly one check character of each kind the entity type takes', () => {
      fc.assert(
        fc.property(anyId, (stem) => {
          const controls = validControls(stem);
          const digits = controls.filter((c) => DIGITS.includes(c)).length;
          const letters = controls.length - digits;
          const key = stem[0];
          if (/\d|[XYZKLM]/.test(key)) expect([digits, letters]).toEqual([0, 1]);
          else if ('NPQRSW'.includes(key)) expect([digits, letters]).toEqual([0, 1]);
          else if ('ABEH'.includes(key) && !stem.startsWith('00', 1)) {
            expect([digits, letters]).toEqual([1, 0]);
          } else expect([digits, letters]).toEqual([1, 1]);
        }),
      );
    });

    it('catches any single wrong digit', () => {
      const validWithTypo = anyId.chain((stem) => {
        const id = stem + validControls(stem)[0];
        const digitAt = [...id.slice(0, -1)].flatMap((c, i) => (/\d/.test(c) ? [i] : []));
        return fc.tuple(
          fc.constant(id),
          fc.constantFrom(...digitAt),
          fc.integer({ min: 1, max: 9 }),
        );
      });
      fc.assert(
        fc.property(validWithTypo, ([id, at, shift]) => {
          const typo = String((Number(id[at]) + shift) % 10);
          expect(checkSpanishTaxId(id.slice(0, at) + typo + id.slice(at + 1))).not.toBe('valid');
        }),
      );
    });

    it('agrees with jsvat wherever both follow the same entity-type rules', () => {
      // jsvat differs only on which entity types end in a letter or a digit (see the module).
      const sameRules = fc.oneof(
        fc.stringMatching(/^\d{8}[A-Z]$/),
        fc.stringMatching(/^[XYZKLM]\d{7}[A-Z]$/),
        fc.stringMatching(/^[ABEH][1-9]\d{7}$/),
        fc.stringMatching(/^[NPQRSW]\d{7}[A-Z]$/),
      );
      fc.assert(
        fc.property(sameRules, (id) => {
          expect(checkSpanishTaxId(id) === 'valid').toBe(checkVAT(`ES${id}`, [spain]).isValid);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
