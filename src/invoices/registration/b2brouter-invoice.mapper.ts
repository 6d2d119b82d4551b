import type { B2bRouterInvoiceInput } from '../../b2brouter/b2brouter.types';
import type { Contact } from '../../contacts/contact.entity';
import { normalizeVat, tinScheme } from '../../contacts/vat';
import type { Invoice } from '../invoice.entity';
import { negateDecimal, trimDecimal } from '../decimal-text';
import { type CalculationSettings, computeTotals, negate, type Totals } from '../money';

/**
 * Spain's credit note is a rectifying invoice with negative amounts; elsewhere B2B Router takes
 * `is_credit_note` with positive amounts (API-NOTES, "Credit notes"). The contact's country
 * decides, since our booking systems invoice customers of their own country.
 */
const usesSpanishRectification = (contact: Contact) => contact.country === 'ES';

/**
 * Our invoice as B2B Router's create call wants it, contact inline. `testRecipient` (a staging
 * device's `testRecipientEmail`) takes the place of the contact's e-mail, so B2B Router delivers
 * the invoice there.
 */
export function toB2bRouterInvoice(
  invoice: Invoice,
  contact: Contact,
  original: Invoice | null,
  testRecipient: string | null = null,
): B2bRouterInvoiceInput {
  const spanish = usesSpanishRectification(contact);
  const creditNote = invoice.type === 'credit_note';
  const negative = creditNote && spanish;
  const vat = contact.vatNumber ? normalizeVat(contact.vatNumber) : undefined;
  return {
    type: 'IssuedInvoice',
    number: invoice.number,
    date: invoice.issueDate,
    ...(invoice.dueDate && { due_date: invoice.dueDate }),
    currency: invoice.currency,
    ...(contact.language && { language: contact.language.slice(0, 2).toLowerCase() }),
    ...(invoice.projectId && { extra_info: `Project ${invoice.projectId}` }),
    ...(creditNote &&
      original && {
        amended_number: original.number,
        amended_date: original.issueDate,
        ...(spanish ? { amend_reason: 'R1' } : { is_credit_note: true }),
      }),
    contact: {
      name: contact.name,
      // Registration checks refuse a contact without e-mail before this is built.
      email: testRecipient ?? contact.email ?? '',
      ...(vat && { tin_value: vat, tin_scheme: tinScheme(contact.country) }),
      country: contact.country.toLowerCase(),
      ...(contact.address && { address: contact.address }),
      ...(contact.city && { city: contact.city }),
      ...(contact.postalCode && { postalcode: contact.postalCode }),
      ...(contact.province && { province: contact.province }),
    },
    invoice_lines_attributes: [...invoice.lines]
      .sort((a, b) => a.position - b.position)
      .map((line) => ({
        description: line.description,
        quantity: trimDecimal(negative ? negateDecimal(line.quantity) : line.quantity, 0),
        price: trimDecimal(line.unitPrice, 2),
        taxes_attributes: [
          {
            name: spanish ? 'IVA' : 'VAT',
            category: line.taxCategory,
            percent: trimDecimal(line.taxRate, 0),
          },
        ],
      })),
  };
}

/**
 * The totals B2B Router computes from a create body (negative for a Spanish rectification),
 * with the account's rounding when it is known.
 */
export function payloadTotals(
  payload: B2bRouterInvoiceInput,
  settings?: CalculationSettings,
): Totals {
  return computeTotals(
    payload.invoice_lines_attributes.map((line) => ({
      quantity: line.quantity,
      unitPrice: line.price,
      taxRate: line.taxes_attributes[0].percent,
      taxCategory: line.taxes_attributes[0].category,
    })),
    settings,
  );
}

/** What our totals become in the create body: negated for a Spanish rectification. */
export function expectedRemoteTotal(invoice: Invoice, contact: Contact): string {
  return invoice.type === 'credit_note' && usesSpanishRectification(contact)
    ? negate(invoice.total)
    : invoice.total;
}
