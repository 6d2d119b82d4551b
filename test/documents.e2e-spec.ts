import {
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n%%EOF\n', 'latin1');

describe('GET /invoices/:id/documents/:format', () => {
  const t = useTestApp();
  const booking = () => t.as('booking');
  let contact: { id: string };
  beforeEach(async () => {
    await createDevice(t);
    contact = await createContact(t);
  });

  /** An invoice linked to B2B Router invoice 801, as a registration would leave it. */
  async function linkedInvoice(number?: string) {
    const invoice = await confirmedInvoice(t, contact.id, number ? { number } : {});
    b2brouter()
      .scope.get('/invoices/801')
      .reply(200, { invoice: remoteInvoice(801, invoice.number, { total: invoice.total }) });
    await booking()
      .post(`/invoices/${invoice.id}/link`)
      .send({ b2brouterInvoiceId: 801 })
      .expect(200);
    return invoice;
  }

  it('streams the PDF from B2B Router as an attachment named after the number', async () => {
    const invoice = await linkedInvoice('2026/000123');
    const mock = b2brouter();
    mock.scope
      .get('/invoices/801/as/pdf.invoice')
      .reply(200, PDF, { 'Content-Type': 'application/pdf' });

    const res = await booking()
      .get(`/invoices/${invoice.id}/documents/pdf`)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);

    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('attachment; filename="2026-000123.pdf"');
    expect(Buffer.compare(res.body as Buffer, PDF)).toBe(0);
    expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /invoices/801/as/pdf.invoice',
    ]);
  });

  it.each([
    ['ubl', 'xml.ubl.invoice.bis3', '.ubl.xml'],
    ['facturae', 'xml.facturae.3.2.2', '.facturae.xml'],
  ])('serves %s as XML from B2B Router’s %s', async (format, type, suffix) => {
    const invoice = await linkedInvoice();
    b2brouter()
      .scope.get(`/invoices/801/as/${type}`)
      .reply(200, '<Invoice/>', { 'Content-Type': 'application/xml' });
    const res = await booking().get(`/invoices/${invoice.id}/documents/${format}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/xml/);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${invoice.number}${suffix}"`,
    );
    expect(res.text).toBe('<Invoice/>');
  });

  it('answers 503 DOCUMENT_NOT_READY with Retry-After while B2B Router renders it', async () => {
    const invoice = await linkedInvoice();
    b2brouter()
      .scope.get('/invoices/801/as/pdf.invoice')
      .reply(404, { error: { code: 'resource_missing' } });
    const res = await booking().get(`/invoices/${invoice.id}/documents/pdf`).expect(503);
    expect(res.body.code).toBe('DOCUMENT_NOT_READY');
    expect(res.headers['retry-after']).toBe('10');
  });

  it('answers 409 INVOICE_NOT_REGISTERED for an invoice B2B Router does not have, asking nobody', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    const res = await booking().get(`/invoices/${invoice.id}/documents/pdf`).expect(409);
    expect(res.body.code).toBe('INVOICE_NOT_REGISTERED');
    expect(mock.calls).toEqual([]);
  });

  it('refuses a format it does not know with 400 naming it', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    const res = await booking().get(`/invoices/${invoice.id}/documents/docx`).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'format' }] });
  });
});
