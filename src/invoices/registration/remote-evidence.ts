import type {
  B2bRouterInvoice,
  B2bRouterInvoiceInput,
  B2bRouterInvoiceLine,
} from '../../b2brouter/b2brouter.types';
import { normalizeVat } from '../../contacts/vat';
import type { TotalsDrift } from '../invoice.entity';
import { computeTotals, formatMoney, parseDecimal } from '../money';
import { payloadTotals } from './b2brouter-invoice.mapper';

export interface Verdict {
  /** Every piece of evidence present agrees, and enough of it is present. */
  ours: boolean;
  /** Why it is not ours, in words an operator reads. */
  differences: string[];
  /** Amounts that differ only by the account's rounding. */
  drift: TotalsDrift | null;
}

export interface OurAttempt {
  payload: B2bRouterInvoiceInput;
  createAttemptedAt: Date | null;
  sendAttemptedAt: Date | null;
}

/** Clocks of two systems disagree a little; more than this is another invoice's history. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Whether a remote invoice carrying our number is the one an earlier attempt of ours created.
 * It takes positive evidence (number, date, tax id, lines, amounts, age), never the absence of a
 * difference: a field B2B Router did not show proves nothing. Totals may differ by the account's
 * rounding (one cent per line and per tax at most): that is drift, not a different invoice.
 */
export function judgeRemoteInvoice(remote: B2bRouterInvoice, ours: OurAttempt): Verdict {
  const { payload } = ours;
  const differences: string[] = [];
  if (remote.number !== payload.number) differences.push(`number ${remote.number}`);
  if (!remote.date) differences.push('no date shown');
  else if (remote.date.slice(0, 10) !== payload.date) differences.push(`date ${remote.date}`);
  differences.push(...taxIdDifferences(remote, payload));
  differences.push(...lineDifferences(remote, payload));
  const amounts = amountEvidence(remote, payload);
  differences.push(...amounts.differences);
  differences.push(...historyDifferences(remote, ours));
  return { ours: differences.length === 0, differences, drift: amounts.drift };
}

/** Our totals against those of an invoice B2B Router made from our body. */
export function totalsDrift(remote: B2bRouterInvoice, payload: B2bRouterInvoiceInput) {
  return amountEvidence(remote, payload).drift;
}

function taxIdDifferences(remote: B2bRouterInvoice, payload: B2bRouterInvoiceInput): string[] {
  const theirs = remote.contact?.tin_value;
  const ours = payload.contact.tin_value;
  if (!ours) return [];
  if (!theirs) return ['no contact tax id shown'];
  return normalizeVat(theirs) === normalizeVat(ours) ? [] : [`contact tax id ${theirs}`];
}

function lineDifferences(remote: B2bRouterInvoice, payload: B2bRouterInvoiceInput): string[] {
  const lines = remote.invoice_lines ?? remote.lines;
  if (!Array.isArray(lines)) return [];
  const ourLines = payload.invoice_lines_attributes;
  if (lines.length !== ourLines.length) {
    return [`${lines.length} lines instead of ${ourLines.length}`];
  }
  const theirBases = lines.map(lineBase);
  const ourBases = ourLines.map((l) => lineBase({ quantity: l.quantity, price: l.price }));
  if (theirBases.includes(null)) return ['lines without quantity or price'];
  const unmatched = [...(theirBases as bigint[])];
  for (const base of ourBases as bigint[]) {
    // A line's base may round a cent otherwise under the account's rounding method.
    const at = unmatched.findIndex((b) => abs(b - base) <= 1n);
    if (at < 0) return ['line amounts'];
    unmatched.splice(at, 1);
  }
  return [];
}

function amountEvidence(remote: B2bRouterInvoice, payload: B2bRouterInvoiceInput) {
  const expected = payloadTotals(payload);
  // Each line's net and each tax group's amount is rounded once: a cent each at most.
  const tolerance = BigInt(payload.invoice_lines_attributes.length + expected.taxes.length);
  const differences: string[] = [];
  const drift: TotalsDrift = {};
  let seen = 0;
  for (const field of ['subtotal', 'total'] as const) {
    const theirs = cents(remote[field]);
    if (theirs === null) continue;
    seen++;
    const ours = parseDecimal(expected[field], 2);
    if (abs(theirs - ours) > tolerance) {
      differences.push(`${field} ${formatMoney(theirs)}`);
    } else if (theirs !== ours) {
      drift[field] = { ours: expected[field], b2brouter: formatMoney(theirs) };
    }
  }
  const lines = remote.invoice_lines ?? remote.lines;
  if (seen === 0 && !Array.isArray(lines)) differences.push('no amounts shown');
  return { differences, drift: Object.keys(drift).length > 0 ? drift : null };
}

function historyDifferences(remote: B2bRouterInvoice, ours: OurAttempt): string[] {
  const differences: string[] = [];
  const created = remote.created_at ? Date.parse(remote.created_at) : NaN;
  if (ours.createAttemptedAt && created < ours.createAttemptedAt.getTime() - CLOCK_SKEW_MS) {
    differences.push(`created ${remote.created_at}, before this service first tried`);
  }
  // Our sends are marked before they go out: a sent invoice we never tried to send is not ours.
  if (remote.state !== 'new' && !ours.sendAttemptedAt) {
    differences.push(`state ${remote.state}, though this service never sent it`);
  }
  return differences;
}

function lineBase(line: B2bRouterInvoiceLine): bigint | null {
  if (line.quantity === undefined || line.price === undefined) return null;
  try {
    const [net] = computeTotals([
      { quantity: line.quantity, unitPrice: line.price, taxRate: 0, taxCategory: 'S' },
    ]).lines;
    return parseDecimal(net.net, 2);
  } catch {
    return null;
  }
}

function cents(value: string | number | undefined): bigint | null {
  if (value === undefined || value === null) return null;
  try {
    return parseDecimal(String(value), 2);
  } catch {
    return null;
  }
}

const abs = (n: bigint) => (n < 0n ? -n : n);
