import type request from 'supertest';
import { createContact, nextNumber } from './support/invoicing';
import { type Role, useTestApp } from './support/test-app';

const UNKNOWN_ID = '7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Body = Record<string, unknown>;
interface Invoice {
  id: string;
  number: string;
  [field: string]: unknown;
}

const line = (overrides: Body = {}) => ({
  description: 'Court rental',
  quantity: '1',
  unitPrice: '10.00',
  taxRate: '21',
  ...overrides,
});
const at = (taxRate: string, unitPrice: string, quantity = '1') =>
  line({ quantity, unitPrice, taxRate });
const thrice = (...lines: Body[]) => [...lines, ...lines, ...lines];

/** Every test acts as a booking system: the role may do everything here. */
describe('Invoices', () => {
  const t = useTestApp();
  let contact: { id: string };
  beforeEach(async () => {
    contact = await createContact(t);
  });

  const api = () => t.as('booking');
  const post = (overrides: Body = {}, role: Role = 'booking') =>
    t
      .as(role)
      .post('/invoices')
      .send({
        number: nextNumber(),
        contactId: contact.id,
        issueDate: '2026-11-20',
        lines: [line()],
        ...overrides,
      });
  const create = async (overrides: Body = {}): Promise<Invoice> =>
    (await post(overrides).expect(201)).body;
  const patch = (id: string, body: Body) => api().patch(`/invoices/${id}`).send(body);
  const act = (id: string, action: 'confirm' | 'cancel') => api().post(`/invoices/${id}/${action}`);
  const list = async (query: Body = {}) =>
    (await api().get('/invoices').query(query).expect(200)).body;
  const numbersOf = (page: { items: Invoice[] }) => page.items.map((i) => i.number);
  const listed = async (query: Body = {}) => numbersOf(await list(query));

  /** Asserts a problem+json answer with `code` and, when given, exactly these `errors` fields. */
  async function expectProblem(req: request.Test, status: number, code: string, fields?: string[]) {
    const res = await req.expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code });
    if (fields) {
      const actual = (res.body.errors ?? []).map((e: { field: string }) => e.field);
      expect(actual.sort()).toEqual([...fields].sort());
    }
  }

  describe('POST /invoices', () => {
    it('creates a draft with computed totals, defaults and no registration', async () => {
      const lines = [
        line({ quantity: '2', unitPrice: '40', taxRate: '21' }),
        line({ description: 'Racket hire', quantity: 1.5, unitPrice: 20, taxRate: 10 }),
      ];
      const res = await post({ number: 'INV-1', projectId: 'PRJ-7', dueDate: '2026-12-20', lines });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(UUID),
        number: 'INV-1',
        type: 'invoice',
        originalInvoiceId: null,
        contactId: contact.id,
        projectId: 'PRJ-7',
        issueDate: '2026-11-20',
        dueDate: '2026-12-20',
        currency: 'EUR',
        status: 'draft',
        lines: [
          { ...lines[0], unitPrice: '40.00', taxCategory: 'S', net: '80.00' },
          {
            ...lines[1],
            quantity: '1.5',
            unitPrice: '20.00',
            taxRate: '10',
            taxCategory: 'S',
            net: '30.00',
          },
        ],
        subtotal: '110.00',
        taxTotal: '19.80',
        total: '129.80',
        reference: null,
        projectXref: null,
        registration: {
          state: 'not_registered',
          b2brouterInvoiceId: null,
          environment: null,
          remoteState: null,
          remoteNote: null,
          remoteStateAt: null,
          nextRemoteCheckAt: null,
          url: null,
          registeredAt: null,
          lastError: null,
          drift: null,
          nextAttemptAt: null,
        },
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await api().get(`/invoices/${res.body.id}`).expect(200);
      expect(read.body).toEqual(res.body);
    });

    // Tax is rounded once per rate group, on the sum of its nets, never line by line.
    // Mixed: 10 % of 0.45 = 0.045 → 0.05, 21 % of 0.30 = 0.063 → 0.06; line by line 0.06 + 0.06.
    const mixed = thrice(at('10', '0.15'), at('21', '0.10'));
    it.each([
      ['taxes 3 × 0.10 at 5 % as 0.02, not 0.03', thrice(at('5', '0.10')), '0.30', '0.02'],
      ['multiplies exactly: 3 × 33.333 → 100.00', [at('0', '33.333', '3')], '100.00', '0.00'],
      ['rounds 1.005 half up to 1.01, as no float would', [at('0', '1.005')], '1.01', '0.00'],
      ['rounds each tax rate group on its own', mixed, '0.75', '0.11'],
    ])('%s', async (_, lines, subtotal, taxTotal) => {
      const invoice = await create({ lines });
      expect(invoice).toMatchObject({ subtotal, taxTotal });
      expect(invoice.total).toBe((Number(subtotal) + Number(taxTotal)).toFixed(2));
    });

    it('takes the type and currency given', async () => {
      const invoice = await create({ type: 'invoice', currency: 'USD' });
      expect(invoice).toMatchObject({ type: 'invoice', currency: 'USD' });
    });
  });

  describe('validation', () => {
    it('names each missing required field once', async () => {
      const required = ['number', 'contactId', 'issueDate', 'lines'];
      await expectProblem(api().post('/invoices').send({}), 400, 'VALIDATION_FAILED', required);
    });

    it('names bad fields with dotted paths into the lines, and unknown fields', async () => {
      const lines = [line({ taxCategory: 'XX' }), line(), line({ quantity: '1.1234567' })];
      const res = post({ issueDate: '20-11-2026', currency: 'EURO', discount: 5, lines });
      await expectProblem(res, 400, 'VALIDATION_FAILED', [
        'issueDate',
        'currency',
        'discount',
        'lines.0.taxCategory',
        'lines.2.quantity',
      ]);
    });

    it('refuses an invoice without lines', async () => {
      await expectProblem(post({ lines: [] }), 400, 'VALIDATION_FAILED', ['lines']);
    });

    it('refuses a due date before the issue date', async () => {
      await expectProblem(post({ dueDate: '2026-11-19' }), 400, 'VALIDATION_FAILED', ['dueDate']);
    });

    it('answers 404 CONTACT_NOT_FOUND for an unknown contact', async () => {
      await expectProblem(post({ contactId: UNKNOWN_ID }), 404, 'CONTACT_NOT_FOUND', ['contactId']);
    });

    it('answers 409 INVOICE_NUMBER_TAKEN for a number used before', async () => {
      await create({ number: 'INV-7' });
      await expectProblem(post({ number: 'INV-7' }), 409, 'INVOICE_NUMBER_TAKEN', ['number']);
      // The refused statement left its connection usable (the embedded database has only one).
      await post({ number: 'INV-8' }).expect(201);
      await expectProblem(post({ number: 'INV-8' }), 409, 'INVOICE_NUMBER_TAKEN', ['number']);
    });
  });

  describe('credit notes', () => {
    const note = (originalInvoiceId: string | undefined, overrides: Body = {}) =>
      post({ type: 'credit_note', originalInvoiceId, ...overrides });

    it('corrects an invoice of the same contact and currency, with positive amounts', async () => {
      const original = await create();
      const res = await note(original.id).expect(201);
      expect(res.body).toMatchObject({
        type: 'credit_note',
        originalInvoiceId: original.id,
        subtotal: '10.00',
        taxTotal: '2.10',
        total: '12.10',
      });
    });

    it('needs the original invoice, which must exist', async () => {
      await expectProblem(note(undefined), 400, 'VALIDATION_FAILED', ['originalInvoiceId']);
      const unknown = note(UNKNOWN_ID);
      await expectProblem(unknown, 404, 'ORIGINAL_INVOICE_NOT_FOUND', ['originalInvoiceId']);
    });

    it('answers 422 INVALID_CREDIT_NOTE naming what does not match the original', async () => {
      const other = await createContact(t, { name: 'Other SL' });
      const original = await create();
      const res = note(original.id, { contactId: other.id });
      await expectProblem(res, 422, 'INVALID_CREDIT_NOTE', ['contactId']);
      const dollars = note(original.id, { currency: 'USD' });
      await expectProblem(dollars, 422, 'INVALID_CREDIT_NOTE', ['currency']);
      const credited = (await note(original.id).expect(201)).body;
      await expectProblem(note(credited.id), 422, 'INVALID_CREDIT_NOTE', ['originalInvoiceId']);
    });
  });

  describe('lifecycle', () => {
    it('edits a draft: fields change, lines are replaced, totals recomputed', async () => {
      const invoice = await create({ lines: [line(), line()] });
      const changes = {
        projectId: 'PRJ-9',
        dueDate: '2026-12-31',
        lines: [line({ description: 'Coaching', quantity: '3', taxRate: '10' })],
      };
      const res = await patch(invoice.id, changes).expect(200);
      const expected = {
        ...changes,
        lines: [{ ...changes.lines[0], taxCategory: 'S', net: '30.00' }],
        subtotal: '30.00',
        taxTotal: '3.00',
        total: '33.00',
      };
      expect(res.body).toMatchObject(expected);
      expect(res.body.lines).toHaveLength(1);
      expect((await api().get(`/invoices/${invoice.id}`).expect(200)).body).toMatchObject(expected);
    });

    it('confirms a draft once; a confirmed invoice is no longer editable', async () => {
      const invoice = await create();
      const confirmed = await act(invoice.id, 'confirm').expect(200);
      expect(confirmed.body.status).toBe('confirmed');
      const again = await act(invoice.id, 'confirm').expect(200);
      expect(again.body).toEqual(confirmed.body);
      const edit = patch(invoice.id, { projectId: 'PRJ-9' });
      await expectProblem(edit, 409, 'INVOICE_NOT_EDITABLE');
    });

    it.each([
      ['a draft', false],
      ['a confirmed invoice', true],
    ])('cancels %s, once; a cancelled invoice cannot be confirmed', async (_, confirm) => {
      const invoice = await create();
      if (confirm) await act(invoice.id, 'confirm').expect(200);
      const cancelled = await act(invoice.id, 'cancel').expect(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect((await act(invoice.id, 'cancel').expect(200)).body).toEqual(cancelled.body);
      await expectProblem(act(invoice.id, 'confirm'), 409, 'INVOICE_STATE_CONFLICT');
    });

    it('answers 404 INVOICE_NOT_FOUND for an unknown id and 400 for a malformed one', async () => {
      for (const path of ['', '/events', '/confirm', '/cancel']) {
        const call = (id: string) =>
          api()[path.startsWith('/c') ? 'post' : 'get'](`/invoices/${id}${path}`);
        await expectProblem(call(UNKNOWN_ID), 404, 'INVOICE_NOT_FOUND');
        await expectProblem(call('nope'), 400, 'VALIDATION_FAILED', ['id']);
      }
      await expectProblem(patch(UNKNOWN_ID, { projectId: 'x' }), 404, 'INVOICE_NOT_FOUND');
    });

    it('keeps a timeline of created, confirmed and cancelled, oldest first', async () => {
      const invoice = await create();
      await act(invoice.id, 'confirm').expect(200);
      await act(invoice.id, 'confirm').expect(200);
      await act(invoice.id, 'cancel').expect(200);
      const res = await api().get(`/invoices/${invoice.id}/events`).expect(200);
      const types = res.body.map((e: { type: string }) => e.type);
      expect(types).toEqual(['created', 'confirmed', 'cancelled']);
      for (const event of res.body) {
        expect(event).toMatchObject({ id: expect.stringMatching(UUID), at: expect.any(String) });
      }
      const times = res.body.map((e: { at: string }) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });
  });

  describe('GET /invoices', () => {
    it('lists newest first and filters by status, registration, contact and number', async () => {
      const other = await createContact(t, { name: 'Other SL' });
      const [draft, confirmed, cancelled, foreign] = [
        await create(),
        await create(),
        await create(),
        await create({ contactId: other.id }),
      ];
      await act(confirmed.id, 'confirm').expect(200);
      await act(cancelled.id, 'cancel').expect(200);
      // Registering a draft fails its checks, which marks the registration failed.
      const register = api().post(`/invoices/${draft.id}/register`);
      await expectProblem(register, 409, 'INVOICE_NOT_CONFIRMED');

      const newestFirst = [foreign, cancelled, confirmed, draft].map((i) => i.number);
      expect(await listed()).toEqual(newestFirst);
      expect(await listed({ status: 'confirmed' })).toEqual([confirmed.number]);
      expect(await listed({ status: 'cancelled' })).toEqual([cancelled.number]);
      expect(await listed({ registration: 'failed' })).toEqual([draft.number]);
      expect(await listed({ registration: 'registered' })).toEqual([]);
      expect(await listed({ contactId: other.id })).toEqual([foreign.number]);
      expect(await listed({ number: draft.number, status: 'draft' })).toEqual([draft.number]);
      expect(await listed({ number: draft.number, status: 'confirmed' })).toEqual([]);
    });

    it('walks all pages with the cursor, without duplicates or gaps', async () => {
      const created: string[] = [];
      for (let i = 0; i < 7; i++) created.push((await create()).number);
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const page = await list({ limit: 3, ...(cursor && { cursor }) });
        pages.push(numbersOf(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(pages.flat()).toEqual(created.reverse());
      expect((await list({ limit: 7 })).nextCursor).toBeNull();
    });

    it('refuses a limit over 200 and a cursor it did not give out', async () => {
      await expectProblem(api().get('/invoices?limit=201'), 400, 'VALIDATION_FAILED', ['limit']);
      const cursor = api().get('/invoices?cursor=garbage');
      await expectProblem(cursor, 400, 'VALIDATION_FAILED', ['cursor']);
    });
  });

  describe('answers 400, never 500, to input the database cannot hold', () => {
    const forged = Buffer.from('seq:9999999999999999999').toString('base64url');
    it.each([
      ['an impossible issue date', () => post({ issueDate: '2026-02-30' }), 'issueDate'],
      ['an impossible due date', () => post({ dueDate: '2026-11-31' }), 'dueDate'],
      ['a forged cursor', () => api().get(`/invoices?cursor=${forged}`), 'cursor'],
    ])('%s', async (_, send, field) => {
      await expectProblem(send(), 400, 'VALIDATION_FAILED', [field]);
    });

    it('an amount too large to store', async () => {
      const huge = line({ quantity: '999999999999', unitPrice: '999999999999' });
      await expectProblem(post({ lines: [huge] }), 400, 'VALIDATION_FAILED');
    });

    it.each(['number', 'contactId', 'issueDate', 'lines', 'currency', 'type'])(
      'PATCH with %s null',
      async (field) => {
        const invoice = await create();
        const res = patch(invoice.id, { [field]: null });
        await expectProblem(res, 400, 'VALIDATION_FAILED', [field]);
      },
    );
  });

  describe('roles', () => {
    it('lets admins work with invoices too', async () => {
      const { body } = await post({}, 'admin').expect(201);
      await t.as('admin').get(`/invoices/${body.id}`).expect(200);
      await t.as('admin').post(`/invoices/${body.id}/confirm`).expect(200);
    });

    it.each([
      ['post', '/invoices'],
      ['get', '/invoices'],
      ['get', `/invoices/${UNKNOWN_ID}`],
      ['patch', `/invoices/${UNKNOWN_ID}`],
      ['post', `/invoices/${UNKNOWN_ID}/confirm`],
      ['post', `/invoices/${UNKNOWN_ID}/cancel`],
      ['get', `/invoices/${UNKNOWN_ID}/events`],
    ] as const)('answers 401 to %s %s without a token', async (method, path) => {
      await expectProblem(t.anonymous()[method](path), 401, 'UNAUTHORIZED');
    });
  });
});
