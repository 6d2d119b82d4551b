import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import nock from 'nock';
import { DataSource } from 'typeorm';
import { RegistrationStore } from '../src/invoices/registration/registration-store';
import { BULK_REGISTRATION_QUEUE } from '../src/registrations/bulk-registration.job';
import { ACCOUNTS, B2bRouterModel, type Fault, type Operation } from './support/b2brouter-model';
import { deviceBody } from './support/fixtures';
import { confirmedInvoice, createContact, createInvoice } from './support/invoicing';
import { createTestApp, type TestApp, useTestApp } from './support/test-app';

const METRICS_TOKEN = 'metrics-token-bulk-0123456789';
const TIMEOUT_MS = 500; // B2BROUTER_TIMEOUT_MS of the tests (test/support/setup-env.ts)
const SLOW_MS = TIMEOUT_MS + 300;
const STAGING_4711 = ACCOUNTS['staging/4711'];

interface Batch {
  id: string;
  status: 'queued' | 'running' | 'done';
  total: number;
  succeeded: number;
  failed: number;
  pending: number;
  items: Array<{ invoiceId: string; state: string; code?: string }>;
}

const db = (t: TestApp) => t.app.get(DataSource);

/** The queue's jobs of earlier tests go with their rows (reset does not empty pg-boss's schema). */
const clearQueue = (t: TestApp) =>
  db(t).query(`DELETE FROM pgboss.job WHERE name = $1`, [BULK_REGISTRATION_QUEUE]);

async function createModelDevice(t: TestApp) {
  const body = deviceBody({ apiKey: STAGING_4711.apiKey, accountId: STAGING_4711.id });
  await t.as('admin').post('/devices').send(body).expect(201);
}

const submit = (t: TestApp, invoiceIds: string[]) =>
  t.as('booking').post('/registrations').send({ invoiceIds });

async function follow(t: TestApp, id: string): Promise<Batch> {
  return (await t.as('booking').get(`/registrations/${id}`).expect(200)).body as Batch;
}

/**
 * Time passes as it would in production, only faster: a hold after an unknown outcome, or the
 * lease of an attempt that died, ends once it is older than any slow answer can be (the real
 * hold is 32 s here), and the jobs waiting for it (Retry-After) come due.
 */
async function timePasses(t: TestApp, model?: B2bRouterModel) {
  await model?.settle();
  await db(t).query(
    `UPDATE invoices SET lease_until = now() - interval '1 second'
      WHERE lease_until > now() AND lease_until <= now() + make_interval(secs => $1)`,
    [t.app.get(RegistrationStore).leaseSeconds - 3],
  );
  await db(t).query(
    `UPDATE pgboss.job SET start_after = now()
      WHERE name = $1 AND state IN ('created', 'retry') AND start_after > now()`,
    [BULK_REGISTRATION_QUEUE],
  );
}

/** Follows the batch until it is done, letting time pass in between. */
async function untilDone(
  t: TestApp,
  id: string,
  { model, everyTick }: { model?: B2bRouterModel; everyTick?: (batch: Batch) => void } = {},
  seen: Array<Batch['status']> = [],
): Promise<Batch> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const batch = await follow(t, id);
    seen.push(batch.status);
    expect(batch.succeeded + batch.failed + batch.pending).toBe(batch.total);
    if (batch.status === 'done') return batch;
    if (Date.now() > deadline) {
      throw new Error(`Not done: ${JSON.stringify({ ...batch, items: [] })}`);
    }
    everyTick?.(batch);
    await sleep(250);
    await timePasses(t, model);
  }
}

/** Each of our invoices reached B2B Router exactly once: one create, one send. */
function expectOnceEach(model: B2bRouterModel, numbers: string[]) {
  const wrong = numbers
    .map((number) => ({ number, remote: model.ourInvoicesNumbered(number) }))
    .filter(({ remote }) => remote.length !== 1 || remote[0].sends !== 1)
    .map(
      ({ number, remote }) =>
        `${number}: ${remote.length} created, ${remote.map((r) => r.sends).join('+')} sent`,
    );
  expect(wrong).toEqual([]);
}

/** Invoices made fast: created and confirmed a few at a time. */
async function confirmedInvoices(t: TestApp, contactId: string, n: number) {
  const made: Array<{ id: string; number: string }> = [];
  for (let i = 0; i < n; i += 10) {
    const chunk = Array.from({ length: Math.min(10, n - i) }, () => confirmedInvoice(t, contactId));
    made.push(...(await Promise.all(chunk)));
  }
  return made;
}

describe('Bulk registration (POST /registrations, GET /registrations/:id)', () => {
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  const t = useTestApp();
  let contact: { id: string };
  beforeEach(async () => {
    await clearQueue(t);
    contact = await createContact(t);
  });

  describe('requests', () => {
    it.each([
      ['an empty list', [], 'invoiceIds'],
      ['more than 10,000 ids', Array.from({ length: 10_001 }, () => randomUUID()), 'invoiceIds'],
      ['an id that is not a UUID', [randomUUID(), 'INV-1'], 'invoiceIds'],
      [
        'an id named twice',
        ['3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50', '3f6c2a4e-8d1b-4c55-9e0a-7b1d2c3e4f50'],
        'invoiceIds',
      ],
      ['no list', undefined, 'invoiceIds'],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, invoiceIds, field) => {
      const res = await submit(t, invoiceIds as string[]).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
      expect(await db(t).query('SELECT 1 FROM registration_batches')).toEqual([]);
    });

    it('refuses unknown fields', async () => {
      const invoice = await confirmedInvoice(t, contact.id);
      const res = await t
        .as('booking')
        .post('/registrations')
        .send({ invoiceIds: [invoice.id], priority: 'high' })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'priority', message: 'should not exist' }]);
    });

    it('answers 404 INVOICE_NOT_FOUND naming every unknown id, and queues nothing', async () => {
      const known = await confirmedInvoice(t, contact.id);
      const unknown = [randomUUID(), randomUUID()];
      const res = await submit(t, [unknown[0], known.id, unknown[1]]).expect(404);
      expect(res.body).toMatchObject({
        code: 'INVOICE_NOT_FOUND',
        errors: [
          { field: 'invoiceIds[0]', message: `no invoice ${unknown[0]}` },
          { field: 'invoiceIds[2]', message: `no invoice ${unknown[1]}` },
        ],
      });
      expect(await db(t).query('SELECT 1 FROM registration_batches')).toEqual([]);
      const [{ jobs }] = await db(t).query(
        `SELECT COUNT(*)::int AS jobs FROM pgboss.job WHERE name = $1`,
        [BULK_REGISTRATION_QUEUE],
      );
      expect(jobs).toBe(0);
    });

    it('answers 404 REGISTRATION_NOT_FOUND for an unknown batch, 400 for a bad id', async () => {
      const res = await t.as('booking').get(`/registrations/${randomUUID()}`).expect(404);
      expect(res.body.code).toBe('REGISTRATION_NOT_FOUND');
      await t.as('booking').get('/registrations/42').expect(400);
    });

    it('is for admin and booking tokens only', async () => {
      const invoice = await createInvoice(t, contact.id); // a draft: fails without B2B Router
      const scraper = `Bearer ${METRICS_TOKEN}`;
      const body = { invoiceIds: [invoice.id] };
      await t.anonymous().post('/registrations').send(body).expect(401);
      const forbidden = await t
        .anonymous()
        .post('/registrations')
        .set('Authorization', scraper)
        .send(body)
        .expect(403);
      expect(forbidden.body.code).toBe('FORBIDDEN');
      const accepted = await t.as('admin').post('/registrations').send(body).expect(202);
      await t
        .anonymous()
        .get(`/registrations/${accepted.body.id}`)
        .set('Authorization', scraper)
        .expect(403);
      const done = await untilDone(t, accepted.body.id);
      expect(done.items).toEqual([
        { invoiceId: invoice.id, state: 'failed', code: 'INVOICE_NOT_CONFIRMED' },
      ]);
    });
  });

  describe('registering', () => {
    let model: B2bRouterModel;
    beforeEach(async () => {
      model = new B2bRouterModel(SLOW_MS);
      model.install();
      await createModelDevice(t);
    });
    afterEach(async () => {
      await model.settle();
      nock.cleanAll();
    });

    it('registers each invoice as /register does, with progress counts', async () => {
      const invoices = await confirmedInvoices(t, contact.id, 6);
      const res = await submit(
        t,
        invoices.map((i) => i.id),
      ).expect(202);
      expect(res.body).toEqual({ id: expect.any(String), status: 'queued', total: 6 });
      expect(res.headers.location).toBe(`/registrations/${res.body.id}`);

      const seen: Array<Batch['status']> = [];
      const done = await untilDone(t, res.body.id, {}, seen);
      expect(done).toMatchObject({ status: 'done', total: 6, succeeded: 6, failed: 0, pending: 0 });
      expect(done.items).toEqual(invoices.map((i) => ({ invoiceId: i.id, state: 'succeeded' })));
      expect(seen.every((s) => ['queued', 'running', 'done'].includes(s))).toBe(true);
      expectOnceEach(
        model,
        invoices.map((i) => i.number),
      );
      // The very events /register records.
      const events = (await t.as('booking').get(`/invoices/${invoices[0].id}/events`).expect(200))
        .body as Array<{ type: string }>;
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(['registration.started', 'registration.succeeded']),
      );
      const invoice = (await t.as('booking').get(`/invoices/${invoices[0].id}`).expect(200)).body;
      expect(invoice.registration.state).toBe('registered');

      // A second batch of the same invoices succeeds without calling B2B Router again.
      const calls = model.all().length;
      const again = await submit(t, [invoices[0].id]).expect(202);
      expect((await untilDone(t, again.body.id)).succeeded).toBe(1);
      expect(model.all().length).toBe(calls);
      expectOnceEach(model, [invoices[0].number]);
    });

    it('records a failed invoice with its code and goes on with the others', async () => {
      const [first, taken, last] = await confirmedInvoices(t, contact.id, 3);
      const draft = await createInvoice(t, contact.id);
      // Another invoice holds this number at B2B Router: it answers the create with 422.
      model.seedForeign('staging/4711', taken.number, {
        total: '999.00',
        contact: { tin_value: 'ESB99999999' },
      });
      const res = await submit(t, [first.id, taken.id, draft.id, last.id]).expect(202);
      const done = await untilDone(t, res.body.id, { model });
      expect(done).toMatchObject({ status: 'done', total: 4, succeeded: 2, failed: 2, pending: 0 });
      expect(done.items).toEqual([
        { invoiceId: first.id, state: 'succeeded' },
        { invoiceId: taken.id, state: 'failed', code: 'INVOICE_NUMBER_TAKEN' },
        { invoiceId: draft.id, state: 'failed', code: 'INVOICE_NOT_CONFIRMED' },
        { invoiceId: last.id, state: 'succeeded' },
      ]);
      // The code is the one /register answers for the same invoice.
      const direct = await t.as('booking').post(`/invoices/${taken.id}/register`);
      expect(direct.body.code).toBe('INVOICE_NUMBER_TAKEN');
      expectOnceEach(model, [first.number, last.number]);
    });

    describe('credit notes', () => {
      const creditNoteOf = (originalInvoiceId: string) =>
        confirmedInvoice(t, contact.id, {
          type: 'credit_note',
          originalInvoiceId,
          lines: [{ description: 'Refund', quantity: '1', unitPrice: '10.00', taxRate: '21' }],
        });

      it('wait for their original in the same batch instead of failing', async () => {
        const original = await confirmedInvoice(t, contact.id);
        const note = await creditNoteOf(original.id);
        // Listed first, and B2B Router slow for the original: the note has to wait.
        model.injectFault('create', '5xx');
        const res = await submit(t, [note.id, original.id]).expect(202);
        const done = await untilDone(t, res.body.id, { model });
        expect(done.items).toEqual([
          { invoiceId: note.id, state: 'succeeded' },
          { invoiceId: original.id, state: 'succeeded' },
        ]);
        expectOnceEach(model, [original.number, note.number]);
        const [remoteOriginal] = model.ourInvoicesNumbered(original.number);
        const [remoteNote] = model.ourInvoicesNumbered(note.number);
        expect(remoteNote.id).toBeGreaterThan(remoteOriginal.id);
      });

      it('fail as /register would when their original fails', async () => {
        const original = await confirmedInvoice(t, contact.id);
        const note = await creditNoteOf(original.id);
        model.seedForeign('staging/4711', original.number, {
          total: '999.00',
          contact: { tin_value: 'ESB99999999' },
        });
        const res = await submit(t, [note.id, original.id]).expect(202);
        const done = await untilDone(t, res.body.id, { model });
        expect(done.items).toEqual([
          { invoiceId: note.id, state: 'failed', code: 'ORIGINAL_INVOICE_NOT_REGISTERED' },
          { invoiceId: original.id, state: 'failed', code: 'INVOICE_NUMBER_TAKEN' },
        ]);
        expect(model.ourInvoicesNumbered(note.number)).toEqual([]);
      });
    });

    it('registers 500 invoices once each through 5xx, lost answers, timeouts and 429s', async () => {
      const invoices = await confirmedInvoices(t, contact.id, 500);
      const faults: Array<[Operation, Fault]> = [
        ['create', '5xx'],
        ['create', 'lost'],
        ['create', 'slow'],
        ['send', '5xx'],
        ['send', 'lost'],
        ['send', 'slow'],
        ['create', '429'],
        ['lookup', '5xx'],
      ];
      let tick = 0;
      // A few faults at a time, along the run, so they hit retries as well as first tries.
      const injectSome = () => {
        for (const [operation, fault] of faults.slice(tick % 2, (tick % 2) + 4)) {
          model.injectFault(operation, fault);
        }
        tick++;
      };
      injectSome();
      const res = await submit(
        t,
        invoices.map((i) => i.id),
      ).expect(202);
      const done = await untilDone(t, res.body.id, {
        model,
        // Not at the tail, where every fault would land on the same few invoices.
        everyTick: (batch) => batch.pending > 100 && injectSome(),
      });
      expect(done.items.filter((i) => i.state !== 'succeeded')).toEqual([]);
      expect(done).toMatchObject({ total: 500, succeeded: 500, failed: 0, pending: 0 });
      await model.settle();
      expectOnceEach(
        model,
        invoices.map((i) => i.number),
      );
    }, 120_000);
  });
});

describe('Bulk registration across a restart', () => {
  let t: TestApp | undefined;
  let model: B2bRouterModel;
  afterEach(async () => {
    await model.settle();
    await t?.close();
    t = undefined;
  });

  it('resumes after the service stopped mid-way, each invoice sent once', async () => {
    t = await createTestApp();
    await clearQueue(t);
    model = new B2bRouterModel(SLOW_MS);
    model.install();
    await createModelDevice(t);
    const contact = await createContact(t);
    const invoices = await confirmedInvoices(t, contact.id, 60);
    const res = await submit(
      t,
      invoices.map((i) => i.id),
    ).expect(202);
    let batch = await follow(t, res.body.id);
    while (batch.succeeded < 5) batch = await follow(t, res.body.id);
    await t.close();

    // What the stopped service left: some registered, the rest pending with their jobs.
    model.install();
    t = await createTestApp({ keepData: true });
    const before = await follow(t, res.body.id);
    expect(before.pending).toBeGreaterThan(0);
    const done = await untilDone(t, res.body.id, { model });
    expect(done).toMatchObject({ total: 60, succeeded: 60, failed: 0, pending: 0 });
    expectOnceEach(
      model,
      invoices.map((i) => i.number),
    );
  }, 60_000);
});
