import { expectSuccess, type ApiCall } from './bench-http';
import type { NumberCounts } from './mock-b2brouter';

/** What the crash test reads back from the service, and how it reports it. */

/** The `registration` part of `GET /invoices/:id`, as far as the crash test looks at it. */
export interface Registration {
  state?: string;
  b2brouterInvoiceId?: number | null;
  lastError?: { code?: string; message?: string } | null;
}

export interface TimelineEvent {
  type: string;
  at: string;
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
}

/** Throws when the invoice cannot be read: after a restart, that means the database lost it. */
export async function readRegistration(call: ApiCall, invoiceId: string): Promise<Registration> {
  const invoice = expectSuccess(await call('GET', `/invoices/${invoiceId}`), 'GET /invoices/:id');
  return (invoice.registration as Registration | undefined) ?? {};
}

export async function timeline(call: ApiCall, invoiceId: string): Promise<TimelineEvent[]> {
  const answer = await call('GET', `/invoices/${invoiceId}/events`);
  expectSuccess(answer, 'GET /invoices/:id/events');
  return answer.body as TimelineEvent[];
}

export function describe(r: Registration): string {
  const error = r.lastError ? `, lastError ${r.lastError.code}: ${r.lastError.message}` : '';
  return `${r.state ?? '?'}, b2brouterInvoiceId ${r.b2brouterInvoiceId ?? null}${error}`;
}

/** Everything known about a failed scenario; each read may fail too, which is then reported. */
export async function evidence(
  counts: NumberCounts,
  call: ApiCall | undefined,
  invoiceId: string | undefined,
): Promise<string[]> {
  const lines = [`mock: ${JSON.stringify(counts)}`];
  if (!call || !invoiceId) return lines;
  try {
    lines.push(`invoice: ${describe(await readRegistration(call, invoiceId))}`);
    for (const e of await timeline(call, invoiceId)) {
      const what = [e.code, e.message, e.details && JSON.stringify(e.details)].filter(Boolean);
      lines.push(`  ${e.at} ${e.type} ${what.join(' ')}`.trimEnd());
    }
  } catch (err) {
    lines.push(`could not read the invoice: ${(err as Error).message}`);
  }
  return lines;
}
