import fc from 'fast-check';
import { checkVat, normalizeVat, tinScheme } from './vat';

// Public numbers that pass their country's check digits, and the same with one digit changed.
const EU_EXAMPLES: Array<[country: string, valid: string, badCheckDigit: string]> = [
  ['AT', 'ATU13585627', 'ATU13585628'],
  ['BE', 'BE0411905847', 'BE0411905848'],
  ['BG', 'BG175074752', 'BG175074753'],
  ['CY', 'CY10259033P', 'CY10259033A'],
  ['CZ', 'CZ25123891', 'CZ25123892'],
  ['DE', 'DE136695976', 'DE136695977'],
  ['DK', 'DK13585628', 'DK13585629'],
  ['EE', 'EE100931558', 'EE100931559'],
  ['ES', 'ESA58818501', 'ESA58818502'],
  ['FI', 'FI20774740', 'FI20774741'],
  ['FR', 'FR40303265045', 'FR40303265046'],
  ['GR', 'EL094014201', 'EL094014202'],
  ['HR', 'HR33392005961', 'HR33392005962'],
  ['HU', 'HU12892312', 'HU12892313'],
  ['IE', 'IE6388047V', 'IE6388047A'],
  ['IT', 'IT00743110157', 'IT00743110158'],
  ['LT', 'LT119511515', 'LT119511516'],
  ['LU', 'LU26375245', 'LU26375246'],
  ['LV', 'LV40003521600', 'LV40003521601'],
  ['MT', 'MT11679112', 'MT11679113'],
  ['NL', 'NL004495445B01', 'NL004495446B01'],
  ['PL', 'PL5260250274', 'PL5260250275'],
  ['PT', 'PT501964843', 'PT501964844'],
  ['RO', 'RO18547290', 'RO18547291'],
  ['SE', 'SE556188840401', 'SE556188840501'],
  ['SI', 'SI50223054', 'SI50223055'],
  ['SK', 'SK2022749619', 'SK2022749610'],
];

const SEPARATORS = [' ', '-', '.', '\t', '\u00a0', '\u2013'];

describe('normalizeVat', () => {
  it('drops spaces, dots and dashes and upper-cases', () => {
    expect(normalizeVat(' es b-12.345.674 ')).toBe('ESB12345674');
    expect(normalizeVat('CHE-116.281.710 mwst')).toBe('CHE116281710MWST');
    expect(normalizeVat('el\u00a0094\u2013014\u2013201')).toBe('EL094014201');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(normalizeVat(normalizeVat(text))).toBe(normalizeVat(text));
      }),
    );
  });
});

describe('checkVat', () => {
  it.each([[null], [undefined], [''], ['   '], [' - . ']])('calls %p missing', (vat) => {
    expect(checkVat(vat, 'ES')).toEqual({ valid: false, reason: 'missing' });
  });

  describe('Spain', () => {
    it.each([['ESB12345674'], ['ES12345678Z'], ['ESX1234567L'], ['ESA58818501'], ['ESJ6464507J']])(
      'accepts %p',
      (vat) => {
        expect(checkVat(vat, 'ES')).toEqual({ valid: true, normalized: vat });
      },
    );

    it('returns the number normalized', () => {
      expect(checkVat(' es b-12.345.674 ', 'es')).toEqual({
        valid: true,
        normalized: 'ESB12345674',
      });
    });

    it.each([['ESB12345675'], ['ES12345678A'], ['ESA5881850A'], ['ESX1234567A']])(
      'refuses the check digit of %p',
      (vat) => {
        expect(checkVat(vat, 'ES')).toEqual({
          valid: false,
          reason: `VAT number ${vat} fails the Spanish check digit`,
        });
      },
    );

    it('explains the Spanish formats when the number fits none', () => {
      const result = checkVat('ES1234', 'ES');
      expect(result).toEqual({
        valid: false,
        reason: expect.stringMatching(/^VAT number ES1234 /),
      });
      expect(result.valid || result.reason).toMatch(/is not a Spanish NIF.*DNI.*NIE.*company/);
    });

    it('refuses a number whose last character changed to another of its kind', () => {
      const validSpanish = fc
        .oneof(
          fc.stringMatching(/^ES\d{8}$/),
          fc.stringMatching(/^ES[XYZKLM]\d{7}$/),
          fc.stringMatching(/^ES[ABCDEFGHJNPQRSUVW]\d{7}$/),
        )
        .chain((stem) => {
          const controls = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'].filter(
            (c) => checkVat(stem + c, 'ES').valid,
          );
          return fc.constantFrom(...controls).map((control) => stem + control);
        });
      const withOtherLast = validSpanish.chain((vat) => {
        const kind = /\d$/.test(vat) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        const others = [...kind].filter((c) => c !== vat.slice(-1));
        return fc.constantFrom(...others).map((c) => [vat, vat.slice(0, -1) + c] as const);
      });
      fc.assert(
        fc.property(withOtherLast, ([vat, changed]) => {
          expect(checkVat(vat, 'ES').valid).toBe(true);
          expect(checkVat(changed, 'ES').valid).toBe(false);
        }),
      );
    });
  });

  describe('EU member states, through jsvat', () => {
    it.each(EU_EXAMPLES)('%s accepts %p', (country, vat) => {
      expect(checkVat(vat, country)).toEqual({ valid: true, normalized: vat });
    });

    it.each(EU_EXAMPLES.filter(([country]) => country !== 'ES'))(
      '%s refuses the check digit of %p',
      (country, _valid, vat) => {
        const result = checkVat(vat, country);
        expect(result.valid || result.reason).toMatch(
          new RegExp(`^VAT number ${vat} fails the check digit for [A-Z]`),
        );
      },
    );

    it.each([
      ['DE', 'DE12345678', 'does not have the format of a VAT number from Germany'],
      ['AT', 'AT13585627', 'does not have the format of a VAT number from Austria'],
      ['NL', 'NL004495445', 'does not have the format of a VAT number from Netherlands'],
    ])('%s refuses the format of %p', (country, vat, reason) => {
      expect(checkVat(vat, country)).toEqual({
        valid: false,
        reason: `VAT number ${vat} ${reason}`,
      });
    });

    it('checks Greek numbers under their EL prefix', () => {
      expect(checkVat('EL 094 014 201', 'gr')).toEqual({ valid: true, normalized: 'EL094014201' });
      expect(checkVat('GR094014201', 'GR')).toEqual({
        valid: false,
        reason:
          "VAT number prefix GR does not match the contact's country GR, " +
          'whose VAT numbers start with EL',
      });
    });
  });

  describe('outside the EU', () => {
    it.each([
      ['GB', 'GB980780684'],
      ['GB', 'XI980780684'],
      ['gb', 'xi 980 7806 84'],
      ['CH', 'CHE-116.281.710 MWST'],
      ['NO', 'NO 974 760 673 MVA'],
      ['US', 'US123456789'],
      ['LI', 'LI12345'],
      ['AD', 'ADU132950X'],
      ['AD', 'AD D-059888-N'],
    ])('%s accepts %p', (country, vat) => {
      expect(checkVat(vat, country)).toEqual({ valid: true, normalized: normalizeVat(vat) });
    });

    it.each([
      ['GB', 'GB980780685', 'fails the check digit for United Kingdom'],
      ['GB', 'XI980780685', 'fails the check digit for United Kingdom'],
      ['CH', 'CHE116281711', 'fails the check digit for Switzerland'],
      ['CH', 'CH116281710', 'does not have the format of a VAT number from Switzerland'],
      ['NO', 'NO974760674MVA', 'fails the check digit for Norway'],
      ['US', 'US1', 'needs 2 to 20 letters or digits after the prefix US'],
      ['US', 'US123456789012345678901', 'needs 2 to 20 letters or digits after the prefix US'],
    ])('%s refuses %p', (country, vat, reason) => {
      expect(checkVat(vat, country)).toEqual({
        valid: false,
        reason: `VAT number ${vat} ${reason}`,
      });
    });
  });

  describe('prefix and country', () => {
    it('refuses a prefix of another country', () => {
      expect(checkVat('FRB12345674', 'ES')).toEqual({
        valid: false,
        reason: "VAT number prefix FR does not match the contact's country ES",
      });
      expect(checkVat('ESB12345674', 'GB')).toEqual({
        valid: false,
        reason:
          "VAT number prefix ES does not match the contact's country GB, " +
          'whose VAT numbers start with GB or XI',
      });
    });

    it('refuses a number without a prefix', () => {
      expect(checkVat('B12345674', 'ES')).toEqual({
        valid: false,
        reason: 'VAT number B12345674 must start with the country prefix ES',
      });
      expect(checkVat('094014201', 'GR')).toEqual({
        valid: false,
        reason: 'VAT number 094014201 must start with the country prefix EL',
      });
    });

    it('does not let XI stand for any country but GB', () => {
      expect(checkVat('XI980780684', 'IE').valid).toBe(false);
    });

    it('refuses characters other than letters and digits', () => {
      expect(checkVat('DE136/695976', 'DE')).toEqual({
        valid: false,
        reason: 'VAT number DE136/695976 may only contain letters and digits',
      });
    });

    it.each([['ESP'], ['E'], [''], ['1A']])('refuses the country %p', (country) => {
      expect(checkVat('ESB12345674', country)).toEqual({
        valid: false,
        reason: `The contact's country "${country}" is not a two-letter ISO 3166-1 code`,
      });
    });
  });

  describe('properties', () => {
    const candidates = fc.oneof(
      fc.constantFrom(
        ...EU_EXAMPLES.flatMap(([country, valid, bad]) => [
          [country, valid],
          [country, bad],
        ]),
      ),
      fc.tuple(
        fc.constantFrom('ES', 'DE', 'GB', 'US', 'CH', 'GR'),
        fc.stringMatching(/^[A-Z]{2}[A-Z0-9]{0,14}$/),
      ),
    );
    const withSeparators = candidates.chain(([country, vat]) =>
      fc
        .array(fc.tuple(fc.nat(vat.length), fc.constantFrom(...SEPARATORS)), { maxLength: 6 })
        .map((inserts) => {
          let decorated = vat;
          for (const [at, separator] of inserts) {
            const cut = Math.min(at, decorated.length);
            decorated = decorated.slice(0, cut) + separator + decorated.slice(cut);
          }
          return [country, vat, decorated] as const;
        }),
    );

    it('gives the same verdict whatever spaces, dots or dashes are added', () => {
      fc.assert(
        fc.property(withSeparators, ([country, vat, decorated]) => {
          expect(checkVat(decorated, country)).toEqual(checkVat(vat, country));
          expect(checkVat(decorated.toLowerCase(), country)).toEqual(checkVat(vat, country));
        }),
      );
    });

    it('only ever returns a normalized number that is itself valid', () => {
      fc.assert(
        fc.property(withSeparators, ([country, , decorated]) => {
          const result = checkVat(decorated, country);
          if (result.valid) {
            expect(result.normalized).toMatch(/^[A-Z]{2}[A-Z0-9]+$/);
            expect(checkVat(result.normalized, country)).toEqual(result);
          }
        }),
      );
    });
  });
});

describe('tinScheme', () => {
  it.each([
    ['ES', '9920'],
    ['es', '9920'],
    [' GR ', '9933'],
    ['IT', '0211'],
    ['SE', '0007'],
    ['NO', '0192'],
    ['US', '9959'],
    ['FR', '9957'],
  ])('gives %p the scheme %p', (country, scheme) => {
    expect(tinScheme(country)).toBe(scheme);
  });

  it.each([['EL'], ['XI'], ['XX'], [''], ['constructor'], ['__proto__']])(
    'knows no scheme for %p',
    (country) => {
      expect(tinScheme(country)).toBeUndefined();
    },
  );

  it('has a four-digit scheme for every EU member state', () => {
    for (const [country] of EU_EXAMPLES) expect(tinScheme(country)).toMatch(/^\d{4}$/);
  });
});
