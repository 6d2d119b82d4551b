import { DataSource } from 'typeorm';
import { STAGING } from './support/fixtures';
import {
  ACCOUNT,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  createInvoice,
  remoteInvoice,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

describe('POST /invoices/:id/register', () => {
  const t = useTestApp();
  let contact: { id: string };
  beforeEach(async () => {
    contact = await createContact(t);
  });

  const register = (id: string, workstation?: string) => {
    const req = t.as('booking').post(`/invoices/${id}/register`);
    return workstation ? req.set('X-Workstation-Id', workstation) : req;
  };
  const timeline = async (id: string) =>
    (await t.as('booking').get(`/invoices/${id}/events`).expect(200)).body;

  /** A B2B Router that accepts one create and one send of `number`. */
  function acceptingB2bRouter(number: string, id = 9001, account = ACCOUNT, base = STAGING) {
    const mock = b2brouter(base);
    mock.scope
      .post(`/accounts/${account}/invoices`)
      .reply(201, { invoice: remoteInvoice(id, number) })
      .post(`/invoices/send_invoice/${id}`)
      .reply(204);
    return mock;
  }

  describe('success', () => {
    beforeEach(() => createDevice(t));

    it('lists a registered invoice as GET /invoices/:id shows it: lines in order, Xref, registration', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const other = await confirmedInvoice(t, contact.id);
      acceptingB2bRouter(invoice.number);
      await register(invoice.id).expect(200);

      const shown = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
      expect(shown.lines.map((l: { description: string }) => l.description)).toEqual([
        'Court rental',
        'Racket hire',
      ]);
      expect(shown.projectXref).toMatchObject({ externalId: '9001', projectId: 'PRJ-7' });
      const page = (await t.as('booking').get('/invoices?limit=200').expect(200)).body;
      const listed = (id: string) => page.items.find((i: { id: string }) => i.id === id);
      expect(listed(invoice.id)).toEqual(shown);
      expect(listed(other.id)).toMatchObject({ projectXref: null, lines: shown.lines });
      const registered = await t.as('booking').get('/invoices?registration=registered').expect(200);
      expect(registered.body.items).toEqual([shown]);
    });

    it('creates and sends the invoice, then saves reference and project Xref', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const mock = acceptingB2bRouter(invoice.number);

      const res = await register(invoice.id).expect(200);

      expect(res.body).toMatchObject({
        invoiceId: invoice.id,
        state: 'registered',
        reference: '9001',
        b2brouterInvoiceId: 9001,
        remoteState: 'new',
        sentTo: 'billing@norte.example',
        url: 'https://app-staging.b2brouter.net/invoices/9001',
        projectXref: { projectId: 'PRJ-7', system: 'b2brouter', externalId: '9001' },
      });
      expect(res.body.registeredAt).toEqual(expect.any(String));
      expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        `POST /accounts/${ACCOUNT}/invoices`,
        'POST /invoices/send_invoice/9001',
      ]);
      expect(mock.calls[0].body).toEqual({
        send_after_import: false,
        invoice: {
          type: 'IssuedInvoice',
          number: invoice.number,
          date: '2026-11-20',
          due_date: '2026-12-20',
          currency: 'EUR',
          language: 'es',
          extra_info: 'Project PRJ-7',
          contact: {
            name: 'Traducciones Norte SL',
            email: 'billing@norte.example',
            tin_value: 'ESB12345674',
            tin_scheme: '9920',
            country: 'es',
            address: 'Calle Mayor 1',
            city: 'Bilbao',
            postalcode: '48001',
            province: 'Bizkaia',
          },
          invoice_lines_attributes: [
            {
              description: 'Court rental',
              quantity: '2',
              price: '40.00',
              taxes_attributes: [{ name: 'IVA', category: 'S', percent: '21' }],
            },
            {
              description: 'Racket hire',
              quantity: '1',
              price: '20.00',
              taxes_attributes: [{ name: 'IVA', category: 'S', percent: '21' }],
            },
          ],
        },
      });
      const saved = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
      expect(saved).toMatchObject({
        reference: '9001',
        projectXref: { externalId: '9001', projectId: 'PRJ-7' },
        registration: { state: 'registered', b2brouterInvoiceId: 9001, lastError: null },
      });
      expect((await timeline(invoice.id)).map((e: { type: string }) => e.type)).toEqual([
        'created',
        'confirmed',
        'registration.started',
        'registration.succeeded',
      ]);
    });

    it('answers a repeated call with the same registration, calling B2B Router no more', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      acceptingB2bRouter(invoice.number);
      const first = await register(invoice.id).expect(200);
      // Any call now would hit no interceptor and fail the request.
      const again = await register(invoice.id).expect(200);
      expect(again.body).toEqual(first.body);
    });

    it('refuses to cancel or edit a registered invoice', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      acceptingB2bRouter(invoice.number);
      await register(invoice.id).expect(200);
      const cancel = await t.as('booking').post(`/invoices/${invoice.id}/cancel`).expect(409);
      expect(cancel.body.code).toBe('ALREADY_REGISTERED');
      await t.as('booking').patch(`/invoices/${invoice.id}`).send({ projectId: 'x' }).expect(409);
    });

    it("uses the workstation's own device, and the default one for other workstations", async () => {
      await createDevice(t, {
        workstationId: 'desk-2',
        accountId: '5000',
        apiKey: 'desk_two_key_0002',
      });
      const mine = await confirmedInvoice(t, contact.id);
      const other = await confirmedInvoice(t, contact.id);
      const desk2 = acceptingB2bRouter(mine.number, 1, '5000');
      await register(mine.id, 'desk-2').expect(200);
      expect(desk2.calls[0].path).toBe('/accounts/5000/invoices');
      const fallback = acceptingB2bRouter(other.number, 2, ACCOUNT);
      await register(other.id, 'desk-9').expect(200);
      expect(fallback.calls[0].path).toBe(`/accounts/${ACCOUNT}/invoices`);
    });
  });

  describe('checks, in the contract order, with nothing sent', () => {
    it('answers 404 INVOICE_NOT_FOUND', async () => {
      const res = await register('7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60').expect(404);
      expect(res.body.code).toBe('INVOICE_NOT_FOUND');
    });

    it('refuses a draft or a cancelled invoice with 409 INVOICE_NOT_CONFIRMED, before looking for a device', async () => {
      const draft = await createInvoice(t, contact.id);
      const res = await register(draft.id).expect(409);
      expect(res.body).toMatchObject({
        code: 'INVOICE_NOT_CONFIRMED',
        detail: expect.stringContaining('draft'),
      });
      const cancelled = await confirmedInvoice(t, contact.id);
      await t.as('booking').post(`/invoices/${cancelled.id}/cancel`).expect(200);
      expect((await register(cancelled.id).expect(409)).body.code).toBe('INVOICE_NOT_CONFIRMED');
    });

    it('answers 422 NO_ACTIVE_DEVICE without an enabled device', async () => {
      await createDevice(t, { enabled: false });
      const invoice = await confirmedInvoice(t, contact.id);
      expect((await register(invoice.id).expect(422)).body.code).toBe('NO_ACTIVE_DEVICE');
    });

    it('never moves a workstation whose device is disabled to the default device', async () => {
      await createDevice(t);
      await createDevice(t, { workstationId: 'desk-2', enabled: false });
      const invoice = await confirmedInvoice(t, contact.id);
      const res = await register(invoice.id, 'desk-2').expect(422);
      expect(res.body).toMatchObject({
        code: 'NO_ACTIVE_DEVICE',
        detail: expect.stringContaining('desk-2'),
      });
    });

    it.each([
      ['a wrong check digit', 'ESB12345675'],
      ['a prefix of another country', 'FRB12345674'],
      ['no VAT number', null],
    ])('answers 422 INVALID_CONTACT_VAT for %s', async (_, vatNumber) => {
      await createDevice(t);
      const bad = await createContact(t, { vatNumber });
      const invoice = await confirmedInvoice(t, bad.id);
      const res = await register(invoice.id).expect(422);
      expect(res.body).toMatchObject({
        code: 'INVALID_CONTACT_VAT',
        errors: [{ field: 'contact.vatNumber' }],
      });
    });

    it('answers 422 CONTACT_EMAIL_MISSING', async () => {
      await createDevice(t);
      const invoice = await confirmedInvoice(t, contact.id);
      // Booking systems hold dirty data: a contact can lose its address after the fact.
      await t.app
        .get(DataSource)
        .query('UPDATE contacts SET email = NULL WHERE id = $1', [contact.id]);
      expect((await register(invoice.id).expect(422)).body.code).toBe('CONTACT_EMAIL_MISSING');
    });

    it('records each refusal on the timeline and as the last error', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      await register(invoice.id).expect(422);
      const events = await timeline(invoice.id);
      expect(events.at(-1)).toMatchObject({
        type: 'registration.failed',
        code: 'NO_ACTIVE_DEVICE',
        message: expect.stringContaining('no enabled device'),
        details: { step: 'checks', retryable: false },
      });
      const saved = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
      expect(saved).toMatchObject({
        reference: null,
        projectXref: null,
        registration: { state: 'failed', lastError: { code: 'NO_ACTIVE_DEVICE' } },
      });
    });
  });

  describe('credit notes', () => {
    beforeEach(() => createDevice(t));

    it('refuses one whose original is not registered with 409, then sends it amending the original', async () => {
      const original = await confirmedInvoice(t, contact.id);
      const note = await confirmedInvoice(t, contact.id, {
        type: 'credit_note',
        originalInvoiceId: original.id,
        lines: [{ description: 'Refund', quantity: '1', unitPrice: '20.00', taxRate: '21' }],
      });
      expect((await register(note.id).expect(409)).body.code).toBe(
        'ORIGINAL_INVOICE_NOT_REGISTERED',
      );

      acceptingB2bRouter(original.number, 100);
      await register(original.id).expect(200);
      const mock = acceptingB2bRouter(note.number, 101);
      await register(note.id).expect(200);
      // Spain: a rectifying invoice with negative amounts, pointing at the original's number and date.
      expect(mock.calls[0].body).toMatchObject({
        invoice: {
          number: note.number,
          amended_number: original.number,
          amended_date: '2026-11-20',
          amend_reason: 'R1',
          invoice_lines_attributes: [{ quantity: '-1', price: '20.00' }],
        },
      });
      expect((mock.calls[0].body as { invoice: object }).invoice).not.toHaveProperty(
        'is_credit_note',
      );
    });

    it('sends a credit note outside Spain with is_credit_note and positive amounts', async () => {
      const french = await createContact(t, {
        vatNumber: 'FR40303265045',
        country: 'FR',
        language: 'fr',
      });
      const original = await confirmedInvoice(t, french.id);
      acceptingB2bRouter(original.number, 200);
      await register(original.id).expect(200);
      const note = await confirmedInvoice(t, french.id, {
        type: 'credit_note',
        originalInvoiceId: original.id,
        lines: [{ description: 'Refund', quantity: '1', unitPrice: '20.00', taxRate: '20' }],
      });
      const mock = acceptingB2bRouter(note.number, 201);
      await register(note.id).expect(200);
      expect(mock.calls[0].body).toMatchObject({
        invoice: {
          is_credit_note: true,
          amended_number: original.number,
          contact: { tin_scheme: '9957', country: 'fr' },
          invoice_lines_attributes: [
            { quantity: '1', taxes_attributes: [{ name: 'VAT', percent: '20' }] },
          ],
        },
      });
    });
  });

  describe('POST /invoices/:id/validate (dry run)', () => {
    it('lists every problem registration would refuse, with its code, and sends nothing', async () => {
      const bad = await createContact(t, { vatNumber: 'ESB12345675' });
      const draft = await createInvoice(t, bad.id);
      const res = await t.as('booking').post(`/invoices/${draft.id}/validate`).expect(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.problems.map((p: { code: string }) => p.code)).toEqual([
        'INVOICE_NOT_CONFIRMED',
        'NO_ACTIVE_DEVICE',
        'INVALID_CONTACT_VAT',
      ]);
      expect(res.body.problems[2]).toMatchObject({
        field: 'contact.vatNumber',
        message: expect.any(String),
      });
    });

    it('is ok for an invoice ready to register', async () => {
      await createDevice(t);
      const invoice = await confirmedInvoice(t, contact.id);
      const res = await t.as('booking').post(`/invoices/${invoice.id}/validate`).expect(200);
      expect(res.body).toEqual({ ok: true, problems: [] });
    });
  });
});
