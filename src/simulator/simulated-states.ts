import type { SimulatedInvoice } from './simulated-invoice.entity';

const MINUTE = 60_000;
const after = (ms: number) => new Date(Date.now() + ms);

/** What the send does: `sent` at once, or `sending` for a while when the scenario is SLOW. */
export function nextAfterSend(
  scenario: string | null,
): Pick<SimulatedInvoice, 'state' | 'nextStateAt'> {
  return scenario === 'SLOW'
    ? { state: 'sending', nextStateAt: after(2 * MINUTE) }
    : { state: 'sent', nextStateAt: after(MINUTE) };
}

/**
 * Where a delivered invoice goes next, a minute apart: `sending` → `sent` → `accepted` →
 * `paid`, or `sent` → `refused` when its scenario is REFUSED. Null: it has arrived.
 */
export function nextState(
  invoice: Pick<SimulatedInvoice, 'state' | 'scenario'>,
): Pick<SimulatedInvoice, 'state' | 'nextStateAt' | 'notes'> | null {
  switch (invoice.state) {
    case 'sending':
      return { state: 'sent', nextStateAt: after(MINUTE), notes: null };
    case 'sent':
      return invoice.scenario === 'REFUSED'
        ? {
            state: 'refused',
            nextStateAt: null,
            notes: 'The customer refused it: the purchase order number is missing',
          }
        : { state: 'accepted', nextStateAt: after(MINUTE), notes: null };
    case 'accepted':
      return { state: 'paid', nextStateAt: null, notes: null };
    default:
      return null;
  }
}

/** The invoice in B2B Router's shape (`GET /invoices/{id}`). */
export function showInvoice(invoice: Pick<SimulatedInvoice, 'id' | 'state' | 'notes' | 'body' | 'createdAt'>) {
  return {
    ...invoice.body,
    id: Number(invoice.id),
    state: invoice.state,
    ...(invoice.notes && { notes: invoice.notes }),
    created_at: invoice.createdAt.toISOString(),
  };
}
