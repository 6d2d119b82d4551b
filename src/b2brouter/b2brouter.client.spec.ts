import { isDeepStrictEqual } from 'node:util';
import nock from 'nock';
import {
  BASE,
  KEY,
  conn,
  failure,
  invoiceInput,
  makeClient,
  remoteInvoice,
  useNock,
} from './b2brouter.testing';

describe('B2bRouterClient calls', () => {
  useNock();
  const client = makeClient();

  it('sends the key, version and Accept headers and unwraps the account', async () => {
    const account = { id: 7, name: 'Hotel Sol', country: 'es', round_before_sum: true };
    nock(BASE, {
      reqheaders: {
        'x-b2b-api-key': KEY,
        'x-b2b-api-version': '2026-03-02',
        accept: 'application/json',
      },
      badheaders: ['content-type'],
    })
      .get('/accounts/7')
      .reply(200, { account });
    await expect(client.getAccount(conn, '7')).resolves.toEqual(account);
  });

  it('tolerates a trailing slash on the address and encodes path segments', async () => {
    nock(BASE)
      .get('/accounts/a%2Fb%3F')
      .reply(200, { account: { id: 1, name: 'x' } });
    const trailing = { ...conn, baseUrl: `${BASE}//` };
    await expect(client.getAccount(trailing, 'a/b?')).resolves.toEqual({ id: 1, name: 'x' });
  });

  it.each([200, 201])(
    'creates an invoice answered with %i, send flag outside the invoice',
    async (status) => {
      nock(BASE, { reqheaders: { 'content-type': 'application/json' } })
        .post('/accounts/7/invoices', (body: unknown) =>
          isDeepStrictEqual(body, { invoice: invoiceInput, send_after_import: false }),
        )
        .reply(status, { invoice: remoteInvoice() });
      await expect(client.createInvoice(conn, '7', invoiceInput)).resolves.toEqual(remoteInvoice());
    },
  );

  it.each([
    [204, undefined],
    [200, { invoice: remoteInvoice({ state: 'sending' }) }],
    [202, 'queued'],
  ])('sends an invoice answered with %i', async (status, body) => {
    nock(BASE).post('/invoices/send_invoice/4242').reply(status, body);
    await expect(client.sendInvoice(conn, 4242)).resolves.toBeUndefined();
  });

  it('gets an invoice', async () => {
    nock(BASE)
      .get('/invoices/4242')
      .reply(200, { invoice: remoteInvoice({ state: 'sent' }) });
    await expect(client.getInvoice(conn, 4242)).resolves.toMatchObject({ state: 'sent' });
  });

  it('finds invoices by number, keeping exact matches only', async () => {
    nock(BASE)
      .get('/accounts/7/invoices')
      .query({ number: 'F-1', limit: '500' })
      .reply(200, {
        invoices: [remoteInvoice({ number: 'F-1' }), remoteInvoice({ id: 2, number: 'F-10' })],
        meta: { total_count: 2, offset: 0, limit: 500 },
      });
    const found = await client.findInvoicesByNumber(conn, '7', 'F-1');
    expect(found).toEqual([remoteInvoice({ number: 'F-1' })]);
  });

  it('refuses to answer "not found" when B2B Router ignored the number filter', async () => {
    nock(BASE)
      .get('/accounts/7/invoices')
      .query(true)
      .reply(200, { invoices: [remoteInvoice({ number: 'OTHER' })], meta: { total_count: 900 } });
    const err = await failure(client.findInvoicesByNumber(conn, '7', 'F-1'));
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    // Retryable, as the contract says of every B2BROUTER_UNAVAILABLE: the background asks again.
    expect(err.options.retryable).toBe(true);
  });

  it('lists invoices with a limit lowered to 500 and reads the total count', async () => {
    nock(BASE)
      .get('/accounts/7/invoices')
      .query({ offset: '500', limit: '500', date_from: '2026-01-01' })
      .reply(200, { invoices: [remoteInvoice()], meta: { total_count: 501 } });
    const page = await client.listInvoices(conn, '7', {
      offset: 500,
      limit: 2000,
      date_from: '2026-01-01',
    });
    expect(page).toEqual({ invoices: [remoteInvoice()], totalCount: 501 });
  });

  it.each([204, 404])('deletes an invoice, %i counting as success', async (status) => {
    nock(BASE).delete('/invoices/4242').reply(status);
    await expect(client.deleteInvoice(conn, 4242)).resolves.toBeUndefined();
  });

  it('downloads a document, asking for its own media type', async () => {
    const pdf = Buffer.from('%PDF-1.7 fake');
    nock(BASE, { reqheaders: { accept: 'application/pdf' } })
      .get('/invoices/4242/as/pdf.invoice')
      .reply(200, pdf, { 'Content-Type': 'application/pdf' });
    const doc = await client.getDocument(conn, 4242, 'pdf.invoice');
    expect(doc?.contentType).toBe('application/pdf');
    expect(doc?.body.equals(pdf)).toBe(true);
  });

  it('answers null for a document not rendered yet (404), without retrying', async () => {
    nock(BASE)
      .get('/invoices/4242/as/xml.ubl.invoice.bis3')
      .reply(404, { error: { code: 'resource_missing' } });
    await expect(client.getDocument(conn, 4242, 'xml.ubl.invoice.bis3')).resolves.toBeNull();
  });

  it('treats a 2xx without the expected envelope as an unexpected answer', async () => {
    nock(BASE).get('/invoices/1').reply(200, '<html>maintenance</html>', {
      'X-B2B-API-Request-Id': 'req-1',
    });
    nock(BASE)
      .get('/invoices/2')
      .reply(200, { invoice: { id: '2' } });
    for (const id of [1, 2]) {
      const err = await failure(client.getInvoice(conn, id));
      expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
      expect(err.detail).toContain('unexpected answer');
    }
  });

  it('rejects an unsupported API version before calling out', async () => {
    const err = await failure(client.getAccount({ ...conn, apiVersion: '2025-01-01' }, '7'));
    expect(err.code).toBe('UNSUPPORTED_API_VERSION');
  });
});
