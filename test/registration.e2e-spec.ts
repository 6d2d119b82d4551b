import nock from 'nock';
import {
  ACCOUNT,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { createTestApp, type TestApp } from './support/test-app';

describe('POST /invoices/:id/register', () => {
  let t: TestApp;
  let contact: { id: string };
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    await createDevice(t);
    contact = await createContact(t);
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it('creates and sends the invoice, then saves reference and project Xref', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    mock.scope
      .post(`/accounts/${ACCOUNT}/invoices`)
      .reply(201, { invoice: remoteInvoice(9001, invoice.number) })
      .post('/invoices/send_invoice/9001')
      .reply(204);

    const res = await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(200);

    expect(res.body).toMatchObject({
      invoiceId: invoice.id,
      state: 'registered',
      reference: '9001',
      b2brouterInvoiceId: 9001,
      sentTo: 'billing@norte.example',
      url: 'https://app-staging.b2brouter.net/invoices/9001',
      projectXref: { projectId: 'PRJ-7', system: 'b2brouter', externalId: '9001' },
    });
    expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /accounts/${ACCOUNT}/invoices`,
      'POST /invoices/send_invoice/9001',
    ]);
    expect(mock.calls[0].body).toMatchObject({
      send_after_import: false,
      invoice: {
        type: 'IssuedInvoice',
        number: invoice.number,
        date: '2026-11-20',
        currency: 'EUR',
        contact: {
          tin_value: 'ESB12345674',
          tin_scheme: '9920',
          country: 'es',
          email: 'billing@norte.example',
        },
        invoice_lines_attributes: [
          {
            description: 'Court rental',
            quantity: '2',
            price: '40.00',
            taxes_attributes: [{ category: 'S', percent: '21' }],
          },
          { description: 'Racket hire', quantity: '1', price: '20.00' },
        ],
      },
    });
    const saved = await t.as('booking').get(`/invoices/${invoice.id}`).expect(200);
    expect(saved.body).toMatchObject({
      reference: '9001',
      registration: { state: 'registered', b2brouterInvoiceId: 9001 },
    });
    expect(saved.body.projectXref.externalId).toBe('9001');
  });
});
