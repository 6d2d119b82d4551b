import { DataSource } from 'typeorm';
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

/** One line of `net` at 21 %: its total is net × 1.21. */
const lineOf = (net: string) => [
  { description: 'Refund', quantity: '1', unitPrice: net, taxRate: '21' },
];

describe('Credit notes that make sense, and safe test registrations', () => {
  const t = useTestApp();
  let contact: { id: string };
  beforeEach(async () => {
    contact = await createContact(t);
  });

  const register = (id: string) => t.as('booking').post(`/invoices/${id}/register`);
  const validate = async (id: string) =>
    (await t.as('booking').post(`/invoices/${id}/validate`).expect(200)).body;
  const timeline = async (id: string) =>
    (await t.as('booking').get(`/invoices/${id}/events`).expect(200)).body;

  /** A B2B Router that accepts one create and one send of `number`. */
  function accepting(number: string, id: number, total = '121.00') {
    const mock = b2brouter();
    mock.scope
      .post(`/accounts/${ACCOUNT}/invoices`)
      .reply(201, { invoice: remoteInvoice(id, number, { total }) })
      .post(`/invoices/send_invoice/${id}`)
      .reply(204);
    return mock;
  }

  describe('the amount a credit note may credit', () => {
    let original: { id: string; number: string; total: string };
    beforeEach(async () => {
      await createDevice(t);
      original = await confirmedInvoice(t, contact.id); // 121.00
      accepting(original.number, 100);
      await register(original.id).expect(200);
    });

    const creditNote = (net: string) =>
      confirmedInvoice(t, contact.id, {
        type: 'credit_note',
        originalInvoiceId: original.id,
        lines: lineOf(net),
      });

    it('refuses a credit note over the original with 422 naming both amounts, sending nothing', async () => {
      const note = await creditNote('110.00'); // 133.10
      const mock = b2brouter();

      const dryRun = await validate(note.id);
      expect(dryRun.ok).toBe(false);
      expect(dryRun.problems).toEqual([
        {
          code: 'INVALID_CREDIT_NOTE',
          field: 'total',
          message: expect.stringMatching(/credits 133\.10, but only 121\.00 is left/),
        },
      ]);

      const res = await register(note.id).expect(422);
      expect(res.body).toMatchObject({
        code: 'INVALID_CREDIT_NOTE',
        errors: [
          {
            field: 'total',
            message: `credits 133.10; 121.00 is left of invoice ${original.number}`,
          },
        ],
      });
      expect(res.body.detail).toContain('133.10');
      expect(res.body.detail).toContain('121.00');
      expect(mock.calls).toEqual([]);
      const [row] = await t.app
        .get(DataSource)
        .query('SELECT create_attempted_at, b2brouter_invoice_id FROM invoices WHERE id = $1', [
          note.id,
        ]);
      expect(row).toEqual({ create_attempted_at: null, b2brouter_invoice_id: null });
      expect((await timeline(note.id)).at(-1)).toMatchObject({
        type: 'registration.failed',
        code: 'INVALID_CREDIT_NOTE',
      });
    });

    it('registers a credit note of the whole original', async () => {
      const note = await creditNote('100.00'); // 121.00
      expect(await validate(note.id)).toEqual({ ok: true, problems: [] });
      accepting(note.number, 101, '-121.00');
      await register(note.id).expect(200);
    });

    it('refuses the second of two credit notes that together exceed the original, once the first is registered', async () => {
      const first = await creditNote('60.00'); // 72.60
      const second = await creditNote('50.00'); // 60.50
      // Neither is at B2B Router yet: each fits on its own.
      expect((await validate(second.id)).ok).toBe(true);

      accepting(first.number, 102, '-72.60');
      await register(first.id).expect(200);

      const mock = b2brouter();
      const dryRun = await validate(second.id);
      expect(dryRun.problems).toEqual([
        expect.objectContaining({ code: 'INVALID_CREDIT_NOTE', field: 'total' }),
      ]);
      const res = await register(second.id).expect(422);
      expect(res.body.code).toBe('INVALID_CREDIT_NOTE');
      expect(res.body.detail).toContain('credits 60.50, but only 48.40 is left');
      expect(res.body.detail).toContain('72.60 credited by 1 other credit note(s)');
      expect(mock.calls).toEqual([]);

      // What is left can still be credited.
      const rest = await creditNote('40.00'); // 48.40
      accepting(rest.number, 103, '-48.40');
      await register(rest.id).expect(200);
    });

    it('never sends two credit notes registered at once that together exceed the original', async () => {
      const first = await creditNote('60.00'); // 72.60
      const second = await creditNote('50.00'); // 60.50
      const mock = b2brouter();
      for (const [note, id, total] of [
        [first, 104, '-72.60'],
        [second, 105, '-60.50'],
      ] as const) {
        mock.scope
          .post(
            `/accounts/${ACCOUNT}/invoices`,
            (body: { invoice: { number: string } }) => body.invoice.number === note.number,
          )
          .optionally()
          .reply(201, { invoice: remoteInvoice(id, note.number, { total }) })
          .post(`/invoices/send_invoice/${id}`)
          .optionally()
          .reply(204);
      }

      const answers = await Promise.all([register(first.id), register(second.id)]);

      // Each saw the other being registered: at most one went through, most often neither.
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(1);
      for (const a of answers.filter((a) => a.status !== 200)) {
        expect(a.body.code).toBe('INVALID_CREDIT_NOTE');
      }
      // Asked again one by one, the one that fits is registered; the other stays refused.
      if (!statuses.includes(200)) await register(first.id).expect(200);
      const registered = statuses[1] === 200 ? second : first;
      const other = registered === first ? second : first;
      await register(other.id).expect(422);
      expect(mock.count('POST', `/accounts/${ACCOUNT}/invoices`)).toBe(1);
      expect(mock.calls[0].body).toMatchObject({ invoice: { number: registered.number } });
    });

    it('counts a credit note whose registration is running, or may have created it', async () => {
      const first = await creditNote('60.00');
      const second = await creditNote('50.00');
      const db = t.app.get(DataSource);
      // Another instance holds the first one's lease: it may be creating it right now.
      await db.query(
        `UPDATE invoices SET registration_state = 'in_progress', lease_token = gen_random_uuid(),
                             lease_until = now() + interval '1 minute' WHERE id = $1`,
        [first.id],
      );
      expect((await validate(second.id)).problems).toEqual([
        expect.objectContaining({ code: 'INVALID_CREDIT_NOTE' }),
      ]);
      // It died after marking its create: the first one may exist at B2B Router.
      await db.query(
        `UPDATE invoices SET registration_state = 'failed', lease_token = NULL, lease_until = NULL,
                             create_attempted_at = now() WHERE id = $1`,
        [first.id],
      );
      expect((await validate(second.id)).problems).toEqual([
        expect.objectContaining({ code: 'INVALID_CREDIT_NOTE' }),
      ]);
      // A failure that definitely created nothing frees the amount again.
      await db.query(`UPDATE invoices SET create_attempted_at = NULL WHERE id = $1`, [first.id]);
      expect(await validate(second.id)).toEqual({ ok: true, problems: [] });
    });

    it('refuses a credit note without originalInvoiceId with 400 naming the field', async () => {
      const res = await t
        .as('booking')
        .post('/invoices')
        .send({
          number: 'CN-NO-ORIGINAL',
          type: 'credit_note',
          contactId: contact.id,
          issueDate: '2026-11-21',
          lines: lineOf('10.00'),
        })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [
          {
            field: 'originalInvoiceId',
            message: 'originalInvoiceId is required: a credit note needs the invoice it corrects',
          },
        ],
      });
      expect(res.body.errors).toHaveLength(1);

      // Turning a draft into a credit note without naming its original says the same.
      const draft = await createInvoice(t, contact.id);
      const edit = await t
        .as('booking')
        .patch(`/invoices/${draft.id}`)
        .send({ type: 'credit_note' })
        .expect(400);
      expect(edit.body.errors).toEqual([
        {
          field: 'originalInvoiceId',
          message: 'is required: a credit note needs the invoice it corrects',
        },
      ]);
    });
  });

  describe('a device’s test recipient', () => {
    const TEST_INBOX = 'qa-inbox@venue.example';

    it('delivers to the test recipient: create body, sentTo and timeline say so', async () => {
      const device = await createDevice(t, { testRecipientEmail: TEST_INBOX });
      expect(device.testRecipientEmail).toBe(TEST_INBOX);
      const invoice = await confirmedInvoice(t, contact.id);
      const mock = accepting(invoice.number, 7001);

      const res = await register(invoice.id).expect(200);

      expect(mock.calls[0].body).toMatchObject({
        invoice: { contact: { name: 'Traducciones Norte SL', email: TEST_INBOX } },
      });
      expect(res.body).toMatchObject({
        sentTo: TEST_INBOX,
        testRedirection: true,
        testRedirectedFrom: 'billing@norte.example',
      });
      const succeeded = (await timeline(invoice.id)).find(
        (e: { type: string }) => e.type === 'registration.succeeded',
      );
      expect(succeeded).toMatchObject({
        details: {
          sentTo: TEST_INBOX,
          testRedirection: true,
          testRedirectedFrom: 'billing@norte.example',
        },
      });
      expect(succeeded.message).toContain(`sent to ${TEST_INBOX} (a test redirection`);
      // Asking again answers the same, without calling B2B Router.
      expect((await register(invoice.id).expect(200)).body).toMatchObject({
        sentTo: TEST_INBOX,
        testRedirection: true,
      });
      expect(mock.calls).toHaveLength(2);
    });

    it('delivers to the contact again once it is removed', async () => {
      const device = await createDevice(t, { testRecipientEmail: TEST_INBOX });
      const patched = await t
        .as('admin')
        .patch(`/devices/${device.id}`)
        .send({ testRecipientEmail: null })
        .expect(200);
      expect(patched.body.testRecipientEmail).toBeNull();
      const invoice = await confirmedInvoice(t, contact.id);
      const mock = accepting(invoice.number, 7002);

      const res = await register(invoice.id).expect(200);

      expect(mock.calls[0].body).toMatchObject({
        invoice: { contact: { email: 'billing@norte.example' } },
      });
      expect(res.body).toMatchObject({
        sentTo: 'billing@norte.example',
        testRedirection: false,
        testRedirectedFrom: null,
      });
      const succeeded = (await timeline(invoice.id)).find(
        (e: { type: string }) => e.type === 'registration.succeeded',
      );
      expect(succeeded.details).not.toHaveProperty('testRedirection');
      expect(succeeded.message).not.toContain('test redirection');
    });

    it('is refused on a production device with 422, on create and on PATCH', async () => {
      const created = await t
        .as('admin')
        .post('/devices')
        .send({
          name: 'Live',
          environment: 'production',
          apiKey: 'live_key_0123456789',
          accountId: '4711',
          testRecipientEmail: TEST_INBOX,
        })
        .expect(422);
      expect(created.body).toMatchObject({
        code: 'TEST_RECIPIENT_NOT_ALLOWED',
        errors: [{ field: 'testRecipientEmail' }],
      });
      expect(await t.app.get(DataSource).query('SELECT id FROM devices')).toEqual([]);

      // The field added to a production device.
      const live = await createDevice(t, { environment: 'production' });
      const added = await t
        .as('admin')
        .patch(`/devices/${live.id}`)
        .send({ testRecipientEmail: TEST_INBOX })
        .expect(422);
      expect(added.body.code).toBe('TEST_RECIPIENT_NOT_ALLOWED');
      await t
        .as('admin')
        .patch(`/devices/${live.id}`)
        .send({ testRecipientEmail: null })
        .expect(200);

      // A staging device that carries one moved to production.
      const staging = await createDevice(t, {
        workstationId: 'desk-1',
        testRecipientEmail: TEST_INBOX,
      });
      const moved = await t
        .as('admin')
        .patch(`/devices/${staging.id}`)
        .send({ environment: 'production' })
        .expect(422);
      expect(moved.body.code).toBe('TEST_RECIPIENT_NOT_ALLOWED');
      const unchanged = await t.as('admin').get(`/devices/${staging.id}`).expect(200);
      expect(unchanged.body).toMatchObject({
        environment: 'staging',
        testRecipientEmail: TEST_INBOX,
      });
      // Moving it and dropping the test recipient together is fine.
      await t
        .as('admin')
        .patch(`/devices/${staging.id}`)
        .send({ environment: 'production', testRecipientEmail: null })
        .expect(200);
    });

    it('refuses an address that is not an e-mail with 400', async () => {
      const res = await t
        .as('admin')
        .post('/devices')
        .send({
          name: 'Front desk',
          environment: 'staging',
          apiKey: 'stg_key_0123456789',
          accountId: '4711',
          testRecipientEmail: 'not-an-address',
        })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'testRecipientEmail' }],
      });
    });
  });
});
