import type { AddressInfo } from 'node:net';
import { createInvoicingClient } from '../client';
import { CONTACT_EXAMPLES } from '../src/contacts/dto/contact.examples';
import { DEVICE_EXAMPLES } from '../src/devices/dto/device.examples';
import { INVOICE_EXAMPLES } from '../src/invoices/dto/invoice.examples';
import { b2brouter, remoteInvoice } from './support/invoicing';
import { useTestApp } from './support/test-app';
import { TEST_TOKENS } from './support/tokens';

const exampleValue = (examples: object, name: string) =>
  (examples as Record<string, { value: Record<string, unknown> }>)[name].value;

/**
 * The committed openapi.json is checked against the build by `npm run openapi:check` (CI): jest
 * compiles with swc, without the Swagger plugin that documents the DTOs from their types.
 */
describe('The typed client generated from openapi.json', () => {
  const t = useTestApp();
  let baseUrl: string;
  beforeAll(async () => {
    const server = t.app.getHttpServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  it('registers an invoice made of the documented examples, through the typed client', async () => {
    const admin = createInvoicingClient(baseUrl, TEST_TOKENS.admin);
    const booking = createInvoicingClient(baseUrl, TEST_TOKENS.booking);
    const device = await admin.POST('/devices', {
      body: exampleValue(DEVICE_EXAMPLES, 'default') as never,
    });
    expect(device.response.status).toBe(201);
    const contact = await booking.POST('/contacts', {
      body: exampleValue(CONTACT_EXAMPLES, 'spanishCompany') as never,
    });
    expect(contact.data?.vatCheck).toMatchObject({ valid: true });
    const invoice = await booking.POST('/invoices', {
      body: { ...exampleValue(INVOICE_EXAMPLES, 'twoRates'), contactId: contact.data!.id } as never,
    });
    expect(invoice.data).toMatchObject({ subtotal: '68.30', taxTotal: '13.65', total: '81.95' });
    const id = invoice.data!.id;
    await booking.POST('/invoices/{id}/confirm', { params: { path: { id } } });

    const mock = b2brouter();
    mock.scope
      .post('/accounts/4711/invoices')
      .reply(201, { invoice: remoteInvoice(7001, '2026-000123', { total: '81.95' }) })
      .post('/invoices/send_invoice/7001')
      .reply(204);
    const registered = await booking.POST('/invoices/{id}/register', { params: { path: { id } } });

    expect(registered.data).toMatchObject({
      state: 'registered',
      reference: '7001',
      sentTo: 'facturas@padelclubbilbao.example',
    });
    expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /accounts/4711/invoices',
      'POST /invoices/send_invoice/7001',
    ]);
  });

  it('types the problem+json answers too', async () => {
    const booking = createInvoicingClient(baseUrl, TEST_TOKENS.booking);
    const missing = await booking.GET('/invoices/{id}', {
      params: { path: { id: '3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50' } },
    });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ code: 'INVOICE_NOT_FOUND', status: 404 });
  });
});
