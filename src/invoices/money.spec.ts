import fc from 'fast-check';
import { negateDecimal } from './decimal-text';
import { computeTotals, formatMoney, negate, parseDecimal, type TotalsLine } from './money';

const MONEY = /^-?\d+\.\d{2}$/;

function line(quantity: string, unitPrice: string, taxRate = '21', taxCategory = 'S'): TotalsLine {
  return { quantity, unitPrice, taxRate, taxCategory };
}

describe('parseDecimal', () => {
  it.each([
    ['1.5', 2, 150n],
    ['-3.1', 2, -310n],
    ['0', 6, 0n],
    ['-0.00', 2, 0n],
    ['007.25', 2, 725n],
    ['1.500', 2, 150n],
    ['33.333', 6, 33_333_000n],
    ['12345678901234567890.123456', 6, 12345678901234567890123456n],
  ])('reads %p at scale %p as %p', (value, scale, expected) => {
    expect(parseDecimal(value, scale)).toBe(expected);
  });

  it.each([
    [0.1, 2, 10n],
    [-2.5, 1, -25n],
    [-0, 2, 0n],
    [1234, 0, 1234n],
  ])('reads the number %p through its shortest string form', (value, scale, expected) => {
    expect(parseDecimal(value, scale)).toBe(expected);
  });

  it('rejects a float sum that is not the decimal it looks like', () => {
    expect(() => parseDecimal(0.1 + 0.2, 6)).toThrow(/more than 6 decimals/);
  });

  it.each([
    ['1.0000001', 6, /more than 6 decimals/],
    ['0.001', 2, /more than 2 decimals/],
    ['1e3', 6, /not a plain decimal/],
    ['abc', 6, /not a plain decimal/],
    ['', 6, /not a plain decimal/],
    [' 1', 6, /not a plain decimal/],
    ['1.', 6, /not a plain decimal/],
    ['.5', 6, /not a plain decimal/],
    ['+1', 6, /not a plain decimal/],
    ['--1', 6, /not a plain decimal/],
    ['1,5', 6, /not a plain decimal/],
    ['0x10', 6, /not a plain decimal/],
    ['١٢', 6, /not a plain decimal/],
    [Number.NaN, 6, /not a finite number/],
    [Number.POSITIVE_INFINITY, 6, /not a finite number/],
    [1e21, 6, /pass it as a decimal string/],
    [1e-7, 6, /pass it as a decimal string/],
  ])('rejects %p at scale %p', (value, scale, message) => {
    expect(() => parseDecimal(value, scale)).toThrow(message);
  });

  it('names the value in its message', () => {
    expect(() => parseDecimal('x', 2, 'discount')).toThrow('discount "x" is not a plain decimal');
  });

  it('refuses a scale that is not a non-negative integer', () => {
    expect(() => parseDecimal('1', -1)).toThrow(RangeError);
    expect(() => parseDecimal('1', 1.5)).toThrow(RangeError);
  });

  it('reads back every decimal it is given, whatever its number of decimals', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.nat(6), fc.nat(4), (units, scale, extra) => {
        expect(parseDecimal(decimalString(units, scale), scale + extra)).toBe(
          units * 10n ** BigInt(extra),
        );
      }),
    );
  });

  it('reads every safe integer number exactly', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseDecimal(n, 2)).toBe(BigInt(n) * 100n);
      }),
    );
  });
});

describe('formatMoney', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [-310n, '-3.10'],
    [12100n, '121.00'],
    [123456789012345678901234n, '1234567890123456789012.34'],
  ])('formats %p cents as %p', (cents, expected) => {
    expect(formatMoney(cents)).toBe(expected);
  });

  it('always writes two decimals that read back to the same cents', () => {
    fc.assert(
      fc.property(fc.bigInt(), (cents) => {
        const text = formatMoney(cents);
        expect(text).toMatch(MONEY);
        expect(parseDecimal(text, 2)).toBe(cents);
      }),
    );
  });
});

describe('negate', () => {
  it.each([
    ['121.00', '-121.00'],
    ['-3.10', '3.10'],
    ['0.00', '0.00'],
    ['-0.00', '0.00'],
    ['121', '-121.00'],
    ['0.5', '-0.50'],
  ])('negates %p to %p', (amount, expected) => {
    expect(negate(amount)).toBe(expected);
  });

  it('refuses what is not an amount of cents', () => {
    expect(() => negate('1.005')).toThrow('amount "1.005" has more than 2 decimals');
    expect(() => negate('ten')).toThrow(/not a plain decimal/);
  });

  it('is its own inverse and never yields a negative zero', () => {
    fc.assert(
      fc.property(fc.bigInt(), (cents) => {
        const amount = formatMoney(cents);
        expect(negate(negate(amount))).toBe(amount);
        expect(negate(amount)).toBe(formatMoney(-cents));
        expect(negate(amount)).not.toBe('-0.00');
      }),
    );
  });
});

describe('computeTotals', () => {
  it('rounds the line net, not the unit price: 3 × 33.333 is 99.999, so 100.00', () => {
    const totals = computeTotals([line('3', '33.333')]);
    expect(totals.lines).toEqual([{ net: '100.00' }]);
    expect(totals.taxes).toEqual([{ category: 'S', rate: '21', base: '100.00', amount: '21.00' }]);
    expect(totals).toMatchObject({ subtotal: '100.00', taxTotal: '21.00', total: '121.00' });
  });

  it.each([
    ['1', '0.005', '0.01'],
    ['1', '-0.005', '-0.01'],
    ['-1', '0.005', '-0.01'],
    ['1', '0.004999', '0.00'],
    ['1', '1.005', '1.01'],
    ['2.5', '1.01', '2.53'],
    ['0.000001', '0.000001', '0.00'],
    ['1000000', '0.000005', '5.00'],
  ])('rounds %p × %p half away from zero to %p', (quantity, unitPrice, net) => {
    expect(computeTotals([line(quantity, unitPrice)]).lines[0].net).toBe(net);
  });

  it.each([
    ['0.05', '21', '0.01'],
    ['0.50', '21', '0.11'],
    ['0.05', '10', '0.01'],
    ['0.05', '-10', '-0.01'],
    ['-0.05', '10', '-0.01'],
    ['100.00', '5.5', '5.50'],
    ['19.99', '0.1234', '0.02'],
    ['10.00', '0', '0.00'],
  ])('rounds the tax on %p at %p%% half away from zero to %p', (base, rate, amount) => {
    expect(computeTotals([line('1', base, rate)]).taxes[0].amount).toBe(amount);
  });

  it('rounds the tax once per group, not once per line', () => {
    // Per line 0.005 would round to 0.01 three times; on the 0.30 base it is 0.015, so 0.02.
    const totals = computeTotals([
      line('1', '0.10', '5'),
      line('1', '0.10', '5'),
      line('1', '0.10', '5'),
    ]);
    expect(totals.taxes).toEqual([{ category: 'S', rate: '5', base: '0.30', amount: '0.02' }]);
    expect(totals.total).toBe('0.32');
  });

  it('groups by category and rate value, in order of first appearance', () => {
    const totals = computeTotals([
      line('1', '10', '10', 'S'),
      line('1', '100', '21', 'S'),
      line('1', '50', '0', 'E'),
      line('2', '5', '21.00', 'S'),
      line('1', '7', '0.0', 'Z'),
      line('1', '1', '10.000', 'S'),
    ]);
    expect(totals.taxes).toEqual([
      { category: 'S', rate: '10', base: '11.00', amount: '1.10' },
      { category: 'S', rate: '21', base: '110.00', amount: '23.10' },
      { category: 'E', rate: '0', base: '50.00', amount: '0.00' },
      { category: 'Z', rate: '0', base: '7.00', amount: '0.00' },
    ]);
    expect(totals).toMatchObject({ subtotal: '178.00', taxTotal: '24.20', total: '202.20' });
  });

  it('writes rates without trailing zeros', () => {
    const rates = computeTotals([line('1', '1', '5.5000'), line('1', '1', '0.1230')]).taxes;
    expect(rates.map((tax) => tax.rate)).toEqual(['5.5', '0.123']);
  });

  it('totals a credit note with negative quantities', () => {
    const totals = computeTotals([line('-2', '10.125'), line('-1', '0.5', '10')]);
    expect(totals.lines).toEqual([{ net: '-20.25' }, { net: '-0.50' }]);
    expect(totals.taxes.map((tax) => tax.amount)).toEqual(['-4.25', '-0.05']);
    expect(totals).toMatchObject({ subtotal: '-20.75', taxTotal: '-4.30', total: '-25.05' });
  });

  it('totals nothing as zero', () => {
    expect(computeTotals([])).toEqual({
      lines: [],
      taxes: [],
      subtotal: '0.00',
      taxTotal: '0.00',
      total: '0.00',
    });
  });

  it('accepts numbers for the decimal fields', () => {
    const totals = computeTotals([
      { quantity: 3, unitPrice: 33.333, taxRate: 21, taxCategory: 'S' },
    ]);
    expect(totals.total).toBe('121.00');
  });

  it.each([
    [line('1.0000001', '1'), 'line 1 quantity "1.0000001" has more than 6 decimals'],
    [line('1', '0.0000001'), 'line 1 unitPrice "0.0000001" has more than 6 decimals'],
    [line('1', '1', '21.00001'), 'line 1 taxRate "21.00001" has more than 4 decimals'],
    [line('1', '1', '21%'), 'line 1 taxRate "21%" is not a plain decimal number like "12.34"'],
    [line('1', '1e2'), 'line 1 unitPrice "1e2" is not a plain decimal number like "12.34"'],
  ])('says which line and field is wrong', (bad, message) => {
    expect(() => computeTotals([bad])).toThrow(message);
    expect(() => computeTotals([line('1', '1'), bad])).toThrow(message.replace('line 1', 'line 2'));
  });

  describe('properties', () => {
    it('always writes two decimals and adds up exactly', () => {
      fc.assert(
        fc.property(fc.array(anyLine, { maxLength: 12 }), (lines) => {
          const totals = computeTotals(lines);
          const moneys = [
            totals.subtotal,
            totals.taxTotal,
            totals.total,
            ...totals.lines.map((l) => l.net),
            ...totals.taxes.flatMap((tax) => [tax.base, tax.amount]),
          ];
          for (const money of moneys) expect(money).toMatch(MONEY);
          const cents = (money: string) => parseDecimal(money, 2);
          const sum = (moneys: string[]) => moneys.reduce((t, m) => t + cents(m), 0n);
          expect(cents(totals.total)).toBe(cents(totals.subtotal) + cents(totals.taxTotal));
          expect(cents(totals.subtotal)).toBe(sum(totals.lines.map((l) => l.net)));
          expect(cents(totals.subtotal)).toBe(sum(totals.taxes.map((tax) => tax.base)));
          expect(cents(totals.taxTotal)).toBe(sum(totals.taxes.map((tax) => tax.amount)));
        }),
      );
    });

    it('agrees with schoolbook arithmetic on digit strings', () => {
      fc.assert(
        fc.property(fc.array(nonNegativeLine, { maxLength: 8 }), (lines) => {
          expect(computeTotals(lines)).toEqual(referenceTotals(lines));
        }),
      );
    });

    it('negates every amount when every quantity is negated', () => {
      fc.assert(
        fc.property(fc.array(anyLine, { maxLength: 12 }), (lines) => {
          const totals = computeTotals(lines);
          const credit = computeTotals(
            lines.map((l) => ({ ...l, quantity: negateDecimal(String(l.quantity)) })),
          );
          expect(credit).toEqual({
            lines: totals.lines.map((l) => ({ net: negate(l.net) })),
            taxes: totals.taxes.map((tax) => ({
              ...tax,
              base: negate(tax.base),
              amount: negate(tax.amount),
            })),
            subtotal: negate(totals.subtotal),
            taxTotal: negate(totals.taxTotal),
            total: negate(totals.total),
          });
        }),
      );
    });

    it('does not depend on the order of the lines', () => {
      const linesAndShuffle = fc
        .array(anyLine, { maxLength: 12 })
        .chain((lines) =>
          fc.tuple(
            fc.constant(lines),
            fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }),
          ),
        );
      fc.assert(
        fc.property(linesAndShuffle, ([lines, shuffled]) => {
          const a = computeTotals(lines);
          const b = computeTotals(shuffled);
          expect([b.subtotal, b.taxTotal, b.total]).toEqual([a.subtotal, a.taxTotal, a.total]);
          expect(sortedTaxes(b.taxes)).toEqual(sortedTaxes(a.taxes));
          expect(b.lines.map((l) => l.net).sort()).toEqual(a.lines.map((l) => l.net).sort());
        }),
      );
    });
  });
});

// Generators. Small units and few decimals make half-way ties common, so rounding is exercised.

function decimalString(units: bigint, scale: number): string {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const point = digits.length - scale;
  const text = scale === 0 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return units < 0n ? `-${text}` : text;
}

const decimal = (maxScale: number, min: bigint, max: bigint) =>
  fc
    .tuple(fc.bigInt({ min, max }), fc.nat(maxScale))
    .map(([units, scale]) => decimalString(units, scale));

const rate = fc.oneof(
  fc.constantFrom('21', '10', '4', '0', '5.5', '21.0000', '7.25'),
  decimal(4, 0n, 300_000n),
);
const category = fc.constantFrom('S', 'E', 'Z', 'AE');

const nonNegativeLine = fc.record({
  quantity: decimal(6, 0n, 10n ** 9n),
  unitPrice: decimal(6, 0n, 10n ** 12n),
  taxRate: rate,
  taxCategory: category,
});

const anyLine = fc.record({
  quantity: decimal(6, -(10n ** 9n), 10n ** 9n),
  unitPrice: decimal(6, -(10n ** 12n), 10n ** 12n),
  taxRate: fc.oneof(rate, rate.map(negateDecimal)),
  taxCategory: category,
});

function sortedTaxes<T extends { category: string; rate: string }>(taxes: T[]): T[] {
  return [...taxes].sort((x, y) => (x.category + x.rate).localeCompare(y.category + y.rate));
}

// Reference model: non-negative decimals as digit strings, multiplied and added digit by
// digit, rounded half-up by looking at the first dropped digit. It shares no code with money.ts.

interface Digits {
  digits: string;
  scale: number;
}

function toDigits(value: string): Digits {
  const [whole, fraction = ''] = value.split('.');
  return { digits: whole + fraction, scale: fraction.length };
}

function addDigitStrings(a: string, b: string): string {
  let result = '';
  let carry = 0;
  for (let i = 1; i <= Math.max(a.length, b.length); i++) {
    const sum = Number(a[a.length - i] ?? '0') + Number(b[b.length - i] ?? '0') + carry;
    result = String(sum % 10) + result;
    carry = sum >= 10 ? 1 : 0;
  }
  return (carry ? '1' : '') + result;
}

function multiplyDigitStrings(a: string, b: string): string {
  const product = new Array<number>(a.length + b.length).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const at = i + j + 1;
      const value = product[at] + Number(a[i]) * Number(b[j]);
      product[at] = value % 10;
      product[at - 1] += Math.floor(value / 10);
    }
  }
  return product.join('');
}

/** Rounds a non-negative decimal to cents, as a money string. */
function roundToCents({ digits, scale }: Digits): string {
  // Two more zeros turn the value into cents, still with `scale` decimals.
  const cents = digits.padStart(scale + 1, '0') + '00';
  const cut = cents.length - scale;
  const whole = cents.slice(0, cut);
  return moneyFromCents((cents[cut] ?? '0') >= '5' ? addDigitStrings(whole, '1') : whole);
}

function moneyFromCents(cents: string): string {
  const trimmed = cents.replace(/^0+/, '').padStart(3, '0');
  return `${trimmed.slice(0, -2)}.${trimmed.slice(-2)}`;
}

function centsOf(money: string): string {
  return money.replace('.', '');
}

function referenceTotals(lines: TotalsLine[]) {
  const nets = lines.map((l) => {
    const q = toDigits(String(l.quantity));
    const p = toDigits(String(l.unitPrice));
    return roundToCents({
      digits: multiplyDigitStrings(q.digits, p.digits),
      scale: q.scale + p.scale,
    });
  });
  const groups: Array<{ category: string; rate: string; base: string }> = [];
  lines.forEach((l, i) => {
    const rate = canonicalRate(String(l.taxRate));
    const group = groups.find((g) => g.category === l.taxCategory && g.rate === rate);
    if (group) group.base = moneyFromCents(addDigitStrings(centsOf(group.base), centsOf(nets[i])));
    else groups.push({ category: l.taxCategory, rate, base: nets[i] });
  });
  const taxes = groups.map((g) => {
    const r = toDigits(g.rate);
    const product = multiplyDigitStrings(centsOf(g.base), r.digits);
    return { ...g, amount: roundToCents({ digits: product, scale: 2 + r.scale + 2 }) };
  });
  const add = (moneys: string[]) =>
    moneyFromCents(moneys.map(centsOf).reduce((t, c) => addDigitStrings(t, c), '0'));
  const subtotal = add(nets);
  const taxTotal = add(taxes.map((t) => t.amount));
  return {
    lines: nets.map((net) => ({ net })),
    taxes,
    subtotal,
    taxTotal,
    total: add([subtotal, taxTotal]),
  };
}

function canonicalRate(rate: string): string {
  const [whole, fraction = ''] = rate.split('.');
  const kept = fraction.replace(/0+$/, '');
  return (whole.replace(/^0+(?=\d)/, '') || '0') + (kept ? `.${kept}` : '');
}
