import fc from 'fast-check';
import {
  computeTotals,
  type CalculationSettings,
  ROUNDING_METHODS,
  type TotalsLine,
} from './money';

/**
 * A second, independent reading of B2B Router's rules, for the property tests only: exact
 * fractions (numerator / denominator) instead of fixed-point units, and rounding decided by
 * comparing the remainder with one half written out as a fraction.
 */
interface Fraction {
  n: bigint;
  d: bigint;
}

const fraction = (text: string): Fraction => {
  const negative = text.startsWith('-');
  const [whole, decimals = ''] = text.replace('-', '').split('.');
  const n = BigInt(whole + decimals) * (negative ? -1n : 1n);
  return { n, d: 10n ** BigInt(decimals.length) };
};
const times = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.n, d: a.d * b.d });

/** To whole cents, by the account's method, symmetric around zero. */
function toCents(value: Fraction, method: CalculationSettings['roundingMethod']): bigint {
  const sign = value.n < 0n ? -1n : 1n;
  const scaled = { n: (value.n < 0n ? -value.n : value.n) * 100n, d: value.d };
  const floor = scaled.n / scaled.d;
  const rest = scaled.n - floor * scaled.d; // the dropped part is rest / d
  const half = 2n * rest - scaled.d; // > 0: more than one half; 0: exactly one half
  let cents = floor;
  if (method === 'half_up' && half >= 0n) cents += 1n;
  if (method === 'bankers' && (half > 0n || (half === 0n && floor % 2n === 1n))) cents += 1n;
  return sign * cents;
}

const money = (cents: bigint) => {
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
};

function referenceTotal(lines: TotalsLine[], settings: CalculationSettings) {
  const nets = lines.map((l) =>
    toCents(
      times(fraction(String(l.quantity)), fraction(String(l.unitPrice))),
      settings.roundingMethod,
    ),
  );
  const rateOf = (l: TotalsLine) => times(fraction(String(l.taxRate)), { n: 1n, d: 100n });
  const groups = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const rate = fraction(String(l.taxRate));
    const key = `${l.taxCategory}|${(rate.n * 10_000n) / rate.d}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  let tax = 0n;
  for (const members of groups.values()) {
    const rate = rateOf(lines[members[0]]);
    if (settings.roundBeforeSum) {
      for (const i of members) {
        tax += toCents(times({ n: nets[i], d: 100n }, rate), settings.roundingMethod);
      }
    } else {
      const base = members.reduce((s, i) => s + nets[i], 0n);
      tax += toCents(times({ n: base, d: 100n }, rate), settings.roundingMethod);
    }
  }
  const subtotal = nets.reduce((s, n) => s + n, 0n);
  return { subtotal: money(subtotal), taxTotal: money(tax), total: money(subtotal + tax) };
}

const decimal = (maxWhole: number, scale: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 10 ** scale - 1 }))
    .map(([whole, part]) => `${whole}.${String(part).padStart(scale, '0')}`);

const lineArb = fc.record({
  quantity: fc.oneof(decimal(50, 3), fc.constantFrom('1', '2', '0.5', '1.125')),
  unitPrice: fc.oneof(decimal(999, 4), decimal(9, 2)),
  taxRate: fc.constantFrom('21', '10', '4', '0', '5.5', '7', '20', '8.5'),
  taxCategory: fc.constantFrom('S', 'AA', 'E', 'Z'),
});
/** A Spanish rectifying invoice sends every quantity negated. */
const negated = (l: TotalsLine): TotalsLine => ({ ...l, quantity: `-${String(l.quantity)}` });
const invoiceArb = fc
  .tuple(fc.array(lineArb, { minLength: 1, maxLength: 12 }), fc.boolean())
  .map(([lines, rectifying]) => (rectifying ? lines.map(negated) : lines));

const SETTINGS: CalculationSettings[] = ROUNDING_METHODS.flatMap((roundingMethod) =>
  [false, true].map((roundBeforeSum) => ({ roundingMethod, roundBeforeSum })),
);

describe('totals under every calculation setting', () => {
  it.each(SETTINGS.map((s) => [s.roundingMethod, s.roundBeforeSum, s] as const))(
    '%s, round_before_sum %s: equal to the independent reading on 3,000 random invoices',
    (_method, _before, settings) => {
      fc.assert(
        fc.property(invoiceArb, (lines) => {
          const ours = computeTotals(lines, settings);
          const theirs = referenceTotal(lines, settings);
          expect({ subtotal: ours.subtotal, taxTotal: ours.taxTotal, total: ours.total }).toEqual(
            theirs,
          );
        }),
        { numRuns: 3_000, seed: 20261205 },
      );
    },
  );

  it.each([
    ['half_up', false, '0.13'],
    ['half_up', true, '0.12'],
    ['bankers', false, '0.13'],
    ['bankers', true, '0.12'],
    ['truncate', false, '0.12'],
  ] as const)(
    'tells the settings apart on three lines of 0.20 at 21 %%: %s, round_before_sum %s gives tax %s',
    (roundingMethod, roundBeforeSum, tax) => {
      const lines = Array.from({ length: 3 }, () => ({
        quantity: '1',
        unitPrice: '0.20',
        taxRate: '21',
        taxCategory: 'S',
      }));
      // Each line's tax is 0.042; their sum 0.126.
      expect(computeTotals(lines, { roundingMethod, roundBeforeSum }).taxTotal).toBe(tax);
    },
  );

  it('rounds a tie to even under bankers, away from zero under half_up, down under truncate', () => {
    const tie = [{ quantity: '1', unitPrice: '0.125', taxRate: '0', taxCategory: 'Z' }];
    const net = (roundingMethod: CalculationSettings['roundingMethod']) =>
      computeTotals(tie, { roundingMethod, roundBeforeSum: false }).subtotal;
    expect([net('half_up'), net('bankers'), net('truncate')]).toEqual(['0.13', '0.12', '0.12']);
    const negative = [{ ...tie[0], quantity: '-1' }];
    expect(
      computeTotals(negative, { roundingMethod: 'bankers', roundBeforeSum: false }).total,
    ).toBe('-0.12');
  });
});
