import { RegistrationRecovery } from '../src/invoices/registration/registration-recovery.service';
import {
  ACCOUNT,
  b2brouter,
  confirmedInvoice,
  CREATE,
  createContact,
  createDevice,
  found,
  lookupUrl,
  remoteInvoice,
  timePasses,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

/** The default invoice of test/support/invoicing.ts: 2 × 40 + 20 at 21 %. */
const TOTAL = '121.00';

describe('Linking an invoice that already exists in B2B Router', () => {
  const t = useTestApp();
  const booking = () => t.as('booking');
  let contact: { id: string };
  beforeEach(async () => {
    await createDevice(t);
    contact = await createContact(t);
  });

  const show = (id: number, invoice: object) =>
    b2brouter().scope.get(`/invoices/${id}`).reply(200, { invoice });
  const link = (id: string, body: object) => booking().post(`/invoices/${id}/link`).send(body);
  const get = async (id: string) => (await booking().get(`/invoices/${id}`).expect(200)).body;
  const events = async (id: string) =>
    (await booking().get(`/invoices/${id}/events`).expect(200)).body as Array<{
      type: string;
      details: Record<string, unknown>;
    }>;

  describe('GET /invoices/:id/link-candidates', () => {
    it('ranks the invoice with our number first, then the contact’s nearby ones, each with what differs', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const exact = remoteInvoice(801, invoice.number, { total: TOTAL });
      const sameContact = remoteInvoice(802, 'OLD-7', { date: '2026-11-25', total: '60.50' });
      const otherContact = remoteInvoice(803, 'X-1', { contact: { tin_value: 'ESA58818501' } });
      const mock = b2brouter();
      mock.scope
        .get(lookupUrl(invoice.number))
        .reply(200, found(exact))
        .get(CREATE)
        .query({ date_from: '2026-10-20', date_to: '2026-12-21', offset: 0, limit: 500 })
        // `meta.total` rather than `total_count`: tolerated.
        .reply(200, { invoices: [exact, sameContact, otherContact], meta: { total: 3 } });

      const res = await booking().get(`/invoices/${invoice.id}/link-candidates`).expect(200);

      expect(res.body).toEqual([
        {
          b2brouterInvoiceId: 801,
          number: invoice.number,
          date: '2026-11-20',
          total: TOTAL,
          contactTaxId: 'ESB12345674',
          remoteState: 'new',
          score: 100,
          differences: [],
        },
        expect.objectContaining({
          b2brouterInvoiceId: 802,
          score: 25,
          differences: ['number', 'total', 'date'],
        }),
      ]);
      expect(mock.calls.map((c) => c.method)).toEqual(['GET', 'GET']);
    });

    it('leaves out a remote invoice already linked to another invoice of ours', async () => {
      const first = await confirmedInvoice(t, contact.id);
      show(901, remoteInvoice(901, first.number, { total: TOTAL }));
      await link(first.id, { b2brouterInvoiceId: 901 }).expect(200);
      const second = await confirmedInvoice(t, contact.id);
      b2brouter()
        .scope.get(lookupUrl(second.number))
        .reply(200, found())
        .get(CREATE)
        .query(true)
        .reply(200, found(remoteInvoice(901, first.number, { total: TOTAL })));

      const res = await booking().get(`/invoices/${second.id}/link-candidates`).expect(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('POST /invoices/:id/link', () => {
    it('links to a matching invoice: reference and Xref saved, nothing created or sent', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const mock = b2brouter();
      mock.scope.get('/invoices/801').reply(200, {
        invoice: remoteInvoice(801, invoice.number, { total: TOTAL, state: 'sent' }),
      });

      const res = await link(invoice.id, { b2brouterInvoiceId: 801 }).expect(200);

      expect(res.body).toMatchObject({
        reference: '801',
        projectXref: { projectId: 'PRJ-7', system: 'b2brouter', externalId: '801' },
        registration: {
          state: 'linked',
          b2brouterInvoiceId: 801,
          remoteState: 'sent',
          url: 'https://app-staging.b2brouter.net/invoices/801',
        },
      });
      expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /invoices/801']);
      expect((await events(invoice.id)).at(-1)).toMatchObject({
        type: 'linked',
        details: { b2brouterInvoiceId: 801, forced: false, differences: [] },
      });
      // Registering it now answers the link, and calls nobody.
      const again = await booking().post(`/invoices/${invoice.id}/register`).expect(200);
      expect(again.body).toMatchObject({ state: 'linked', reference: '801' });
    });

    it('refuses one that differs with 409 LINK_MISMATCH naming each difference, unless forced', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const other = remoteInvoice(802, 'OLD-7', { total: '121.01' });
      show(802, other);
      const refused = await link(invoice.id, { b2brouterInvoiceId: 802 }).expect(409);
      expect(refused.body).toMatchObject({
        code: 'LINK_MISMATCH',
        errors: [
          { field: 'number', message: `${invoice.number} here, OLD-7 at B2B Router` },
          { field: 'total', message: '121.00 here, 121.01 at B2B Router' },
        ],
      });
      expect(await get(invoice.id)).toMatchObject({ reference: null, projectXref: null });

      show(802, other);
      await link(invoice.id, { b2brouterInvoiceId: 802, force: true }).expect(200);
      expect((await events(invoice.id)).at(-1)).toMatchObject({
        type: 'linked',
        details: {
          forced: true,
          differences: [
            { field: 'number', ours: invoice.number, theirs: 'OLD-7' },
            { field: 'total', ours: TOTAL, theirs: '121.01' },
          ],
        },
      });
    });

    it('answers 404 REMOTE_INVOICE_NOT_FOUND for an id B2B Router does not have', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      b2brouter()
        .scope.get('/invoices/999')
        .reply(404, { error: { code: 'resource_missing', message: 'Not found' } });
      const res = await link(invoice.id, { b2brouterInvoiceId: 999 }).expect(404);
      expect(res.body.code).toBe('REMOTE_INVOICE_NOT_FOUND');
    });

    it('answers 409 ALREADY_REGISTERED for a linked invoice, or a remote one linked to another of ours', async () => {
      const first = await confirmedInvoice(t, contact.id);
      show(801, remoteInvoice(801, first.number, { total: TOTAL }));
      await link(first.id, { b2brouterInvoiceId: 801 }).expect(200);

      const again = await link(first.id, { b2brouterInvoiceId: 801 }).expect(409);
      expect(again.body.code).toBe('ALREADY_REGISTERED');

      const second = await confirmedInvoice(t, contact.id);
      show(801, remoteInvoice(801, first.number, { total: TOTAL }));
      const taken = await link(second.id, { b2brouterInvoiceId: 801, force: true }).expect(409);
      expect(taken.body).toMatchObject({ code: 'ALREADY_REGISTERED' });
      expect(taken.body.detail).toContain('already linked to another invoice');
      expect(await get(second.id)).toMatchObject({ reference: null, projectXref: null });
    });

    it('settles a registration whose create answer was lost: held meanwhile, then linked, never created again', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const mock = b2brouter();
      mock.scope.post(`/accounts/${ACCOUNT}/invoices`).reply(500, { error: { code: 'oops' } });
      await booking().post(`/invoices/${invoice.id}/register`).expect(502);

      // While the create may still be running at B2B Router, nobody acts on it.
      const held = await link(invoice.id, { b2brouterInvoiceId: 7001 }).expect(409);
      expect(held.body.code).toBe('REGISTRATION_IN_PROGRESS');
      expect(held.headers['retry-after']).toMatch(/^\d+$/);

      await timePasses(t);
      show(7001, remoteInvoice(7001, invoice.number, { total: TOTAL }));
      await link(invoice.id, { b2brouterInvoiceId: 7001 }).expect(200);

      await timePasses(t);
      expect(await t.app.get(RegistrationRecovery).sweep()).toBe(0);
      expect(mock.count('POST', CREATE)).toBe(1);
      expect(mock.count('POST', '/invoices/send_invoice')).toBe(0);
      expect((await get(invoice.id)).registration.state).toBe('linked');
    });
  });

  it('links an invoice its own registration created but could not send only to that very invoice', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    mock.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(7002, invoice.number, { total: TOTAL }) })
      .post('/invoices/send_invoice/7002')
      .reply(422, { error: { code: 'parameter_blank', message: 'Contact has no transport' } });
    await booking().post(`/invoices/${invoice.id}/register`).expect(422);

    show(7003, remoteInvoice(7003, invoice.number, { total: TOTAL }));
    const other = await link(invoice.id, { b2brouterInvoiceId: 7003, force: true }).expect(409);
    expect(other.body.code).toBe('INVOICE_STATE_CONFLICT');
    expect(other.body.detail).toContain('created B2B Router invoice 7002');

    show(7002, remoteInvoice(7002, invoice.number, { total: TOTAL }));
    await link(invoice.id, { b2brouterInvoiceId: 7002 }).expect(200);
    await timePasses(t);
    expect(await t.app.get(RegistrationRecovery).sweep()).toBe(0);
    expect(mock.count('POST', '/invoices/send_invoice')).toBe(1);
  });

  describe('DELETE /invoices/:id/link', () => {
    it('unlinks, records who and when, and a registration afterwards offers the existing invoice instead of creating it', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const remote = remoteInvoice(801, invoice.number, { total: TOTAL });
      show(801, remote);
      await link(invoice.id, { b2brouterInvoiceId: 801 }).expect(200);

      const res = await t.as('admin').delete(`/invoices/${invoice.id}/link`).expect(200);
      expect(res.body).toMatchObject({
        reference: null,
        projectXref: null,
        registration: { state: 'not_registered', b2brouterInvoiceId: null },
      });
      expect((await events(invoice.id)).at(-1)).toMatchObject({
        type: 'unlinked',
        details: { b2brouterInvoiceId: 801, by: 'admin', accountId: ACCOUNT },
      });

      const mock = b2brouter();
      mock.scope.get(lookupUrl(invoice.number)).reply(200, found(remote));
      const refused = await booking().post(`/invoices/${invoice.id}/register`).expect(409);
      expect(refused.body.code).toBe('INVOICE_NUMBER_TAKEN');
      expect(refused.body.detail).toContain('link-candidates');
      expect(mock.calls.map((c) => c.method)).toEqual(['GET']);

      show(801, remote);
      await link(invoice.id, { b2brouterInvoiceId: 801 }).expect(200);
    });

    it('answers 409 INVOICE_NOT_REGISTERED for an invoice that is not linked or registered', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const res = await booking().delete(`/invoices/${invoice.id}/link`).expect(409);
      expect(res.body.code).toBe('INVOICE_NOT_REGISTERED');
    });
  });
});
