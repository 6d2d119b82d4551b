import type { B2bRouterInvoice } from '../../b2brouter/b2brouter.types';
import type { Contact } from '../../contacts/contact.entity';
import { normalizeVat } from '../../contacts/vat';
import type { Invoice } from '../invoice.entity';
import { formatMoney, parseDecimal } from '../money';
import { expectedRemoteTotal } from '../registration/b2brouter-invoice.mapper';

export type LinkField = 'number' | 'date' | 'total' | 'contactTaxId';

export interface LinkDifference {
  field: LinkField;
  ours: string | null;
  theirs: string | null;
}

/** How much each agreeing field says "this is the same invoice"; the sum is 100. */
const WEIGHTS: Record<LinkField, number> = { number: 40, total: 25, contactTaxId: 25, date: 10 };

/** The fields the contract makes a link refuse over (LINK_MISMATCH), unless forced. */
export const BLOCKING_FIELDS: readonly LinkField[] = ['number', 'total', 'contactTaxId'];

/** Every field in which a B2B Router invoice differs from ours, as both sides show it. */
export function differencesFrom(
  invoice: Invoice,
  contact: Contact,
  remote: B2bRouterInvoice,
): LinkDifference[] {
  const ours: Record<LinkField, string | null> = {
    number: invoice.number,
    date: invoice.issueDate,
    total: expectedRemoteTotal(invoice, contact),
    contactTaxId: contact.vatNumber ? normalizeVat(contact.vatNumber) : null,
  };
  const theirs: Record<LinkField, string | null> = {
    number: remote.number ?? null,
    date: remote.date ?? null,
    total: moneyOf(remote.total),
    contactTaxId: remote.contact?.tin_value ? normalizeVat(remote.contact.tin_value) : null,
  };
  return (Object.keys(WEIGHTS) as LinkField[])
    .filter((field) =>
      field === 'contactTaxId'
        ? !sameTaxId(ours.contactTaxId, theirs.contactTaxId)
        : ours[field] !== theirs[field],
    )
    .map((field) => ({ field, ours: ours[field], theirs: theirs[field] }));
}

/** 100 when every field agrees; a missing field at B2B Router counts as a difference. */
export function scoreOf(differences: readonly LinkDifference[]): number {
  return differences.reduce((score, d) => score - WEIGHTS[d.field], 100);
}

function moneyOf(value: string | number | undefined): string | null {
  if (value === undefined || value === null) return null;
  try {
    return formatMoney(parseDecimal(String(value), 2));
  } catch {
    return String(value);
  }
}

/** B2B Router may keep a tax id without its country prefix. */
function sameTaxId(ours: string | null, theirs: string | null): boolean {
  if (ours === null || theirs === null) return ours === theirs;
  return ours === theirs || ours.slice(2) === theirs || theirs.slice(2) === ours;
}
