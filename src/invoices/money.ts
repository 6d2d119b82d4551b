/**
 * Exact decimal arithmetic for invoice totals. Values are BigInt counts of 10^-scale units, so
 * nothing ever passes through a binary float: 1.005 stays 1.005 and rounds to 1.01.
 */

export interface TotalsLine {
  quantity: string | number;
  unitPrice: string | number;
  taxRate: string | number;
  taxCategory: string;
}

export interface TaxGroup {
  category: string;
  /** The rate as given, without trailing zeros: '21', '5.5', '0'. */
  rate: string;
  base: string;
  amount: string;
}

export interface Totals {
  lines: Array<{ net: string }>;
  taxes: TaxGroup[];
  subtotal: string;
  taxTotal: string;
  total: string;
}

const QUANTITY_SCALE = 6;
const PRICE_SCALE = 6;
const RATE_SCALE = 4;
const MONEY_SCALE = 2;

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses `value` into units of 10^-maxScale: parseDecimal('1.5', 2) is 150n. Throws when the
 * value is not a plain decimal or needs more than `maxScale` decimals to be exact.
 */
export function parseDecimal(value: string | number, maxScale: number, name = 'value'): bigint {
  if (!Number.isInteger(maxScale) || maxScale < 0) {
    throw new RangeError(`maxScale must be a non-negative integer, got ${maxScale}`);
  }
  const text = typeof value === 'number' ? numberToDecimal(value, name) : value;
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    throw new Error(`${name} ${JSON.stringify(text)} is not a plain decimal number like "12.34"`);
  }
  const [, sign, whole, fraction = ''] = match;
  // Zeros past the scale do not change the value, so '1.500' is fine at scale 2.
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > maxScale) {
    throw new Error(`${name} ${JSON.stringify(text)} has more than ${maxScale} decimals`);
  }
  const units = BigInt(whole + significant.padEnd(maxScale, '0'));
  return sign === '-' ? -units : units;
}

/** The shortest string that reads back as the same double is what the caller meant to write. */
function numberToDecimal(value: number, name: string): string {
  if (!Number.isFinite(value)) {
    throw new Error(`${name} ${value} is not a finite number`);
  }
  const text = String(value);
  if (/e/i.test(text)) {
    throw new Error(`${name} ${text} is too large or too small; pass it as a decimal string`);
  }
  return text;
}

/** Formats cents as a money string with exactly two decimals: -310n is '-3.10'. */
export function formatMoney(cents: bigint): string {
  return formatUnits(cents, MONEY_SCALE);
}

/** Negates a money string exactly, for credit notes that carry negative amounts. */
export function negate(amount: string): string {
  return formatMoney(-parseDecimal(amount, MONEY_SCALE, 'amount'));
}

/** How a B2B Router account rounds: its `rounding_method` and `round_before_sum`. */
export interface CalculationSettings {
  roundingMethod: RoundingMethod;
  /** True: each line's tax is rounded, then added up; false: tax is rounded once per rate. */
  roundBeforeSum: boolean;
}

export const ROUNDING_METHODS = ['half_up', 'bankers', 'truncate'] as const;
export type RoundingMethod = (typeof ROUNDING_METHODS)[number];

/** The settings this service computes with unless an account is known to use others. */
export const DEFAULT_CALCULATION: CalculationSettings = {
  roundingMethod: 'half_up',
  roundBeforeSum: false,
};

/**
 * Totals the way B2B Router computes them under `settings`: each line net is rounded to cents;
 * then either each tax group is rounded once on the sum of its nets (round_before_sum false),
 * or each line's tax is rounded and the group adds them up (true).
 */
export function computeTotals(
  lines: readonly TotalsLine[],
  settings: CalculationSettings = DEFAULT_CALCULATION,
): Totals {
  const round = ROUNDERS[settings.roundingMethod];
  const nets: bigint[] = [];
  // A Map keeps insertion order, which is the order of first appearance B2B Router shows.
  const groups = new Map<string, { category: string; rate: bigint; base: bigint; tax: bigint }>();
  lines.forEach((line, index) => {
    const field = (key: string) => `line ${index + 1} ${key}`;
    const quantity = parseDecimal(line.quantity, QUANTITY_SCALE, field('quantity'));
    const unitPrice = parseDecimal(line.unitPrice, PRICE_SCALE, field('unitPrice'));
    const rate = parseDecimal(line.taxRate, RATE_SCALE, field('taxRate'));
    const net = round(quantity * unitPrice, QUANTITY_SCALE + PRICE_SCALE - MONEY_SCALE);
    nets.push(net);
    const key = JSON.stringify([line.taxCategory, rate.toString()]);
    const group = groups.get(key) ?? { category: line.taxCategory, rate, base: 0n, tax: 0n };
    group.base += net;
    // net × rate / 100 has 2 + RATE_SCALE + 2 decimals, of which only the cents stay.
    if (settings.roundBeforeSum) group.tax += round(net * rate, RATE_SCALE + 2);
    groups.set(key, group);
  });

  const taxes = [...groups.values()].map((group) => ({
    ...group,
    amount: settings.roundBeforeSum ? group.tax : round(group.base * group.rate, RATE_SCALE + 2),
  }));
  const subtotal = sum(nets);
  const taxTotal = sum(taxes.map((tax) => tax.amount));
  return {
    lines: nets.map((net) => ({ net: formatMoney(net) })),
    taxes: taxes.map((tax) => ({
      category: tax.category,
      rate: formatUnits(tax.rate, RATE_SCALE).replace(/\.?0+$/, ''),
      base: formatMoney(tax.base),
      amount: formatMoney(tax.amount),
    })),
    subtotal: formatMoney(subtotal),
    taxTotal: formatMoney(taxTotal),
    total: formatMoney(subtotal + taxTotal),
  };
}

/**
 * Each drops `digits` decimals symmetrically around zero, so a credit note's negative amounts
 * round to the negation of the positive ones.
 */
const ROUNDERS: Record<RoundingMethod, (units: bigint, digits: number) => bigint> = {
  half_up: (units, digits) => roundWith(units, digits, (twice, divisor) => twice >= divisor),
  bankers: (units, digits) =>
    roundWith(
      units,
      digits,
      (twice, divisor, quotient) => twice > divisor || (twice === divisor && quotient % 2n !== 0n),
    ),
  truncate: (units, digits) => units / 10n ** BigInt(digits),
};

/** Away from zero when `up` says so of the dropped part (twice its magnitude vs the divisor). */
function roundWith(
  units: bigint,
  digits: number,
  up: (twiceDropped: bigint, divisor: bigint, quotient: bigint) => boolean,
): bigint {
  const divisor = 10n ** BigInt(digits);
  const quotient = units / divisor;
  const remainder = units % divisor;
  const magnitude = remainder < 0n ? -remainder : remainder;
  if (!up(2n * magnitude, divisor, quotient)) return quotient;
  return units < 0n ? quotient - 1n : quotient + 1n;
}

function formatUnits(units: bigint, scale: number): string {
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${units < 0n ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
