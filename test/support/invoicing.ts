import nock from 'nock';
import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';
import { deviceBody, STAGING } from './fixtures';

export const ACCOUNT = '4711';
export const CREATE = `/accounts/${ACCOUNT}/invoices`;

/** How the service looks an invoice number up at B2B Router. */
export const lookupUrl = (number: string) =>
  `${CREATE}?number=${encodeURIComponent(number)}&limit=500`;

/** B2B Router's answer to a list or lookup. */
export const found = (...invoices: object[]) => ({
  invoices,
  meta: { total_count: invoices.length, offset: 0, limit: 500 },
});

export async function createDevice(t: TestApp, overrides: Record<string, unknown> = {}) {
  return (await t.as('admin').post('/devices').send(deviceBody(overrides)).expect(201)).body;
}

export async function createContact(t: TestApp, overrides: Record<string, unknown> = {}) {
  const body = {
    name: 'Traducciones Norte SL',
    email: 'billing@norte.example',
    vatNumber: 'ESB12345674',
    country: 'ES',
    address: 'Calle Mayor 1',
    city: 'Bilbao',
    postalCode: '48001',
    province: 'Bizkaia',
    language: 'es',
    ...overrides,
  };
  return (await t.as('booking').post('/contacts').send(body).expect(201)).body;
}

let numbers = 0;
export const nextNumber = () => `INV-${Date.now()}-${++numbers}`;

export async function createInvoice(
  t: TestApp,
  contactId: string,
  overrides: Record<string, unknown> = {},
) {
  const body = {
    number: nextNumber(),
    contactId,
    projectId: 'PRJ-7',
    issueDate: '2026-11-20',
    dueDate: '2026-12-20',
    lines: [
      { description: 'Court rental', quantity: '2', unitPrice: '40.00', taxRate: '21' },
      { description: 'Racket hire', quantity: 1, unitPrice: '20', taxRate: '21' },
    ],
    ...overrides,
  };
  return (await t.as('booking').post('/invoices').send(body).expect(201)).body;
}

export async function confirmedInvoice(
  t: TestApp,
  contactId: string,
  overrides: Record<string, unknown> = {},
) {
  const invoice = await createInvoice(t, contactId, overrides);
  await t.as('booking').post(`/invoices/${invoice.id}/confirm`).expect(200);
  return invoice;
}

/** The B2B Router invoice an answer to create, get or list carries. */
export function remoteInvoice(id: number, number: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    number,
    state: 'new',
    date: '2026-11-20',
    total: '121.00',
    contact: { tin_value: 'ESB12345674' },
    ...overrides,
  };
}

/** Records every request B2B Router receives, so tests assert exactly what was called. */
export function b2brouter(base = STAGING) {
  const calls: Array<{ method: string; path: string; body: unknown }> = [];
  const scope = nock(base);
  scope.on('request', (req, _interceptor, body) => {
    calls.push({ method: req.method, path: req.path, body: body ? JSON.parse(body) : undefined });
  });
  return {
    scope,
    calls,
    count: (method: string, pathPrefix: string) =>
      calls.filter((c) => c.method === method && c.path.startsWith(pathPrefix)).length,
  };
}

/**
 * B2B Router lists `invoice` under its number and shows it whole, as a lookup after a lost
 * answer reads it before adopting it.
 */
export function listsAndShows(scope: nock.Scope, invoice: { id: number; number: string }) {
  return scope
    .get(lookupUrl(invoice.number))
    .reply(200, found(invoice))
    .get(`/invoices/${invoice.id}`)
    .reply(200, { invoice });
}

/**
 * Time passes: every lease, hold after an unknown outcome and background retry time runs out,
 * as it would once the calls it waits for can no longer be running.
 */
export function timePasses(t: TestApp) {
  return t.app.get(DataSource).query(
    `UPDATE invoices SET lease_until = CASE WHEN lease_until IS NOT NULL THEN now() - interval '1 second' END,
                         retry_at = CASE WHEN retry_at IS NOT NULL THEN now() - interval '1 second' END`,
  );
}
