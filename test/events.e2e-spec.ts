import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { EventDeliveries } from '../src/events/event-deliveries.service';
import { EventPushWorker } from '../src/events/event-push.worker';
import { TEST_DB } from './support/databases';
import { EventReceiver } from './support/event-receiver';
import {
  ACCOUNT,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  createInvoice,
  remoteInvoice,
} from './support/invoicing';
import { type TestApp, useTestApp } from './support/test-app';

interface EventItem {
  id: string;
  type: string;
  occurredAt: string;
  invoiceId: string;
  data: Record<string, unknown>;
}
interface EventPage {
  items: EventItem[];
  nextCursor: string | null;
}

const SECRET = 'booking-system-shared-secret-0001';
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const readEvents = async (t: TestApp, query = ''): Promise<EventPage> =>
  (await t.as('booking').get(`/events${query}`).expect(200)).body;

/** Every event from `after` on, page after page of `limit`; answers them and the last cursor. */
async function readAll(t: TestApp, limit: number, after?: string) {
  const items: EventItem[] = [];
  let cursor = after;
  for (;;) {
    const page = await readEvents(t, `?limit=${limit}${cursor ? `&after=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    if (page.items.length < limit) return { items, cursor };
  }
}

/** A confirmed invoice registered at a mocked B2B Router: created, confirmed, started, succeeded. */
async function registeredInvoice(t: TestApp, contactId: string, remoteId: number) {
  const invoice = await confirmedInvoice(t, contactId);
  const mock = b2brouter();
  mock.scope
    .post(`/accounts/${ACCOUNT}/invoices`)
    .reply(201, { invoice: remoteInvoice(remoteId, invoice.number) })
    .post(`/invoices/send_invoice/${remoteId}`)
    .reply(204);
  await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(200);
  return invoice;
}

const timelineIds = async (t: TestApp, invoiceId: string): Promise<string[]> =>
  (await t.as('booking').get(`/invoices/${invoiceId}/events`).expect(200)).body.map(
    (e: { id: string }) => e.id,
  );

describe('GET /events', () => {
  const t = useTestApp();

  it('pages through the events of registrations with a cursor, oldest first, nothing twice', async () => {
    await createDevice(t);
    const contact = await createContact(t);
    const first = await registeredInvoice(t, contact.id, 9001);
    const second = await registeredInvoice(t, contact.id, 9002);

    const { items, cursor } = await readAll(t, 3);

    const ids = items.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      ...(await timelineIds(t, first.id)),
      ...(await timelineIds(t, second.id)),
    ]);
    expect(items.filter((e) => e.invoiceId === first.id).map((e) => e.type)).toEqual([
      'created',
      'confirmed',
      'registration.started',
      'registration.succeeded',
    ]);
    const succeeded = items.find((e) => e.type === 'registration.succeeded')!;
    expect(succeeded).toEqual({
      id: expect.any(String),
      type: 'registration.succeeded',
      occurredAt: expect.stringMatching(ISO_UTC),
      invoiceId: first.id,
      data: expect.objectContaining({
        b2brouterInvoiceId: 9001,
        sentTo: 'billing@norte.example',
        message: expect.stringContaining('Registered at B2B Router as 9001'),
      }),
    });
    // Polling on from the last cursor: nothing new yet, the cursor stays; then the next event.
    expect(await readEvents(t, `?after=${cursor}`)).toEqual({ items: [], nextCursor: cursor });
    const third = await createInvoice(t, contact.id);
    await t.as('booking').post(`/invoices/${third.id}/confirm`).expect(200);
    const next = await readEvents(t, `?after=${cursor}`);
    expect(next.items.map((e) => e.type)).toEqual(['created', 'confirmed']);
    expect(next.nextCursor).not.toBe(cursor);
  });

  it('carries code and message of a failure beside its details in data', async () => {
    const contact = await createContact(t);
    const invoice = await confirmedInvoice(t, contact.id);
    await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(422);

    const failed = (await readAll(t, 50)).items.find((e) => e.type === 'registration.failed')!;

    expect(failed.data).toMatchObject({
      code: 'NO_ACTIVE_DEVICE',
      message: expect.any(String),
      step: expect.any(String),
      retryable: false,
    });
  });

  it('answers 50 events by default and 200 at most', async () => {
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO invoice_events (invoice_id, type) SELECT gen_random_uuid(), 'created' FROM generate_series(1, 201)`,
      );

    expect((await readEvents(t)).items).toHaveLength(50);
    expect((await readEvents(t, '?limit=200')).items).toHaveLength(200);
    const rest = await readEvents(t, `?after=${(await readEvents(t, '?limit=200')).nextCursor}`);
    expect(rest.items).toHaveLength(1);
  });

  it.each([
    ['after=not-a-cursor', 'after'],
    [`after=${Buffer.from('e1:12:x').toString('base64url')}`, 'after'],
    [`after=${Buffer.from('e1:99999999999999999999:1').toString('base64url')}`, 'after'],
    [`after=${Buffer.from('seq:12').toString('base64url')}`, 'after'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (query, field) => {
    const res = await t.as('booking').get(`/events?${query}`).expect(400);

    expect(res.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [expect.objectContaining({ field })],
    });
  });

  it('is for admin and booking tokens; deliveries and replays are for admins', async () => {
    const contact = await createContact(t);
    await createInvoice(t, contact.id);
    const [event] = (await readEvents(t)).items;

    await t.anonymous().get('/events').expect(401);
    await t.as('admin').get('/events').expect(200);
    await t.as('booking').get(`/events/${event.id}/delivery`).expect(403);
    await t.as('booking').post(`/events/${event.id}/redeliver`).expect(403);
  });

  it('shows an event as unqueued, and refuses a replay, while push is off', async () => {
    const contact = await createContact(t);
    await createInvoice(t, contact.id);
    const [event] = (await readEvents(t)).items;

    expect((await t.as('admin').get(`/events/${event.id}/delivery`).expect(200)).body).toEqual({
      eventId: event.id,
      state: 'unqueued',
      attempts: 0,
      lastAttemptAt: null,
      lastStatus: null,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: null,
    });
    const res = await t.as('admin').post(`/events/${event.id}/redeliver`).expect(409);
    expect(res.body.code).toBe('PUSH_NOT_CONFIGURED');
    await t.as('admin').get('/events/5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/delivery').expect(404);
  });

  // The embedded database serves one connection: no transaction can be open beside another.
  (TEST_DB === 'postgres' ? it : it.skip)(
    'never skips an event whose transaction commits after a later-numbered one',
    async () => {
      const contact = await createContact(t);
      const early = await createInvoice(t, contact.id);
      const before = await readAll(t, 50);
      const slow = new Client({ connectionString: process.env.DATABASE_URL });
      await slow.connect();
      try {
        await slow.query('BEGIN');
        // Numbered first (lower seq, lower txid), committed last.
        const [held] = (
          await slow.query(
            `INSERT INTO invoice_events (invoice_id, type, message) VALUES ($1, 'updated', 'held') RETURNING id, seq`,
            [early.id],
          )
        ).rows;
        const later = await createInvoice(t, contact.id);
        const laterIds = await timelineIds(t, later.id);

        // The later event has committed, but the held one may still come before it: neither is served.
        const whileHeld = await readEvents(t, `?after=${before.cursor}`);
        expect(whileHeld).toEqual({ items: [], nextCursor: before.cursor });

        await slow.query('COMMIT');
        const after = await readAll(t, 50, before.cursor);
        expect(after.items.map((e) => e.id)).toEqual([held.id, ...laterIds]);
      } finally {
        await slow.end();
      }
    },
  );
});

/**
 * A receiver started, and the service configured to push to it, before the suite's app starts
 * (registered ahead of useTestApp); both undone after.
 */
function pushingTo(receiver: EventReceiver, env: Record<string, string>) {
  const vars = { NOTIFY_WEBHOOK_SECRET: SECRET, ...env };
  beforeAll(async () => {
    await receiver.start();
    Object.assign(process.env, { NOTIFY_WEBHOOK_URL: receiver.url, ...vars });
  });
  afterAll(async () => {
    for (const key of ['NOTIFY_WEBHOOK_URL', ...Object.keys(vars)]) delete process.env[key];
    await receiver.stop();
  });
}

describe('pushed events', () => {
  const receiver = new EventReceiver(SECRET);
  pushingTo(receiver, {
    // Tests sweep themselves; retries come back within 0.1–0.2 s.
    NOTIFY_PUSH_INTERVAL_MS: '0',
    NOTIFY_RETRY_BASE_MS: '100',
    NOTIFY_RETRY_MAX_MS: '200',
    NOTIFY_TIMEOUT_MS: '1000',
  });
  const t = useTestApp();
  beforeEach(() => {
    receiver.received.length = 0;
    receiver.answer = () => 200;
  });

  const sweep = () => t.app.get(EventPushWorker).sweep();
  const delivery = async (eventId: string) =>
    (await t.as('admin').get(`/events/${eventId}/delivery`).expect(200)).body;
  /** Sweeps until nothing is left to deliver or waits for a retry longer than the test allows. */
  async function sweepUntilDelivered(rounds = 20) {
    for (let i = 0; i < rounds; i++) {
      await sweep();
      const [{ n }] = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM event_deliveries WHERE delivered_at IS NULL`);
      if (n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    throw new Error('Events still undelivered');
  }

  it('posts each event as GET /events serves it, signed with the secret', async () => {
    const contact = await createContact(t);
    const invoice = await confirmedInvoice(t, contact.id);

    expect(await sweep()).toBe(2);

    const served = (await readEvents(t)).items;
    expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual(served);
    expect(served.map((e) => [e.invoiceId, e.type])).toEqual([
      [invoice.id, 'created'],
      [invoice.id, 'confirmed'],
    ]);
    for (const r of receiver.received) {
      expect(r.signatureValid).toBe(true);
      expect(r.headers['x-signature']).toMatch(/^t=\d+,s=[0-9a-f]{64}$/);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['x-event-id']).toBe(r.event.id);
    }
    expect(await delivery(served[0].id)).toMatchObject({
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: expect.stringMatching(ISO_UTC),
    });
    // Delivered events are not pushed again.
    expect(await sweep()).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });

  it('retries a refusing receiver with backoff, in order per invoice, without holding up other invoices', async () => {
    const contact = await createContact(t);
    const stuck = await confirmedInvoice(t, contact.id);
    const fine = await confirmedInvoice(t, contact.id);
    let refusals = 2;
    receiver.answer = (e) => (e.invoiceId === stuck.id && refusals-- > 0 ? 503 : 200);

    await sweep();

    // The other invoice went through; the stuck invoice's second event waits for its first.
    expect(receiver.acknowledged.map((e) => [e.invoiceId, e.type])).toEqual([
      [fine.id, 'created'],
      [fine.id, 'confirmed'],
    ]);
    const [created, confirmed] = (await readEvents(t)).items.filter(
      (e) => e.invoiceId === stuck.id,
    );
    expect(await delivery(created.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastStatus: 503,
      lastError: 'HTTP 503: down for maintenance',
      nextAttemptAt: expect.stringMatching(ISO_UTC),
      deliveredAt: null,
    });
    expect(await delivery(confirmed.id)).toMatchObject({ state: 'pending', attempts: 0 });

    await sweepUntilDelivered();

    const stuckOnes = receiver.received.filter((r) => r.event.invoiceId === stuck.id);
    expect(stuckOnes.map((r) => [r.event.type, r.status])).toEqual([
      ['created', 503],
      ['created', 503],
      ['created', 200],
      ['confirmed', 200],
    ]);
    expect(await delivery(created.id)).toMatchObject({
      state: 'delivered',
      attempts: 3,
      lastStatus: 200,
    });
  });

  it('retries through a receiver outage (connection refused) until it is back', async () => {
    const contact = await createContact(t);
    await receiver.stop();
    let invoice: { id: string } | undefined;
    try {
      invoice = await createInvoice(t, contact.id);
      await sweep();
      const [event] = (await readEvents(t)).items;
      expect(await delivery(event.id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastStatus: null,
        lastError: 'connection failed: ECONNREFUSED',
      });
      // The secret and the URL's token never show.
      expect(JSON.stringify(await delivery(event.id))).not.toMatch(
        /booking-system-shared|in-the-url/,
      );
    } finally {
      await receiver.start();
    }

    await sweepUntilDelivered();

    expect(receiver.acknowledged.map((e) => [e.invoiceId, e.type])).toEqual([
      [invoice!.id, 'created'],
    ]);
  });

  it('does not follow a redirect: the signed event goes only where it was told', async () => {
    const contact = await createContact(t);
    await createInvoice(t, contact.id);
    receiver.answer = () => 307;

    await sweep();

    const [event] = (await readEvents(t)).items;
    expect(receiver.received).toHaveLength(1);
    expect(await delivery(event.id)).toMatchObject({
      state: 'pending',
      lastStatus: 307,
      lastError: 'HTTP 307 (redirects are not followed)',
    });
  });

  it('replays a delivered event on an operator’s request, with the same id', async () => {
    const contact = await createContact(t);
    await createInvoice(t, contact.id);
    await sweep();
    const [event] = (await readEvents(t)).items;

    const res = await t.as('admin').post(`/events/${event.id}/redeliver`).expect(202);
    expect(res.body).toMatchObject({ eventId: event.id, state: 'pending', attempts: 1 });
    await sweep();

    expect(receiver.received.map((r) => r.event.id)).toEqual([event.id, event.id]);
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect(await delivery(event.id)).toMatchObject({ state: 'delivered', attempts: 2 });
    await t.as('admin').post('/events/5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/redeliver').expect(404);
  });

  it('leases each invoice’s next event to one worker at a time', async () => {
    const contact = await createContact(t);
    await createInvoice(t, contact.id);
    await createInvoice(t, contact.id);
    const deliveries = t.app.get(EventDeliveries);
    await deliveries.enqueue();

    const [a, b, c] = await Promise.all([
      deliveries.claim(1, 60_000),
      deliveries.claim(1, 60_000),
      deliveries.claim(1, 60_000),
    ]);

    // Two invoices, one event each: two heads to lease, never the same one twice.
    const claimed = [...a, ...b, ...c].map((d) => d.eventId);
    expect(claimed).toHaveLength(2);
    expect(new Set(claimed).size).toBe(2);
    expect(await deliveries.claim(10, 60_000)).toEqual([]);
  });
});

describe('pushed events, on the job queue', () => {
  const receiver = new EventReceiver(SECRET);
  pushingTo(receiver, { NOTIFY_PUSH_INTERVAL_MS: '1000' });
  const t = useTestApp();

  /** Waits until the receiver acknowledged `count` events, at most a few beats. */
  async function acknowledged(count: number) {
    const deadline = Date.now() + 15_000;
    while (receiver.acknowledged.length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return receiver.acknowledged.map((e) => e.type);
  }

  it('are pushed by the recurring sweep without anyone asking, beat after beat', async () => {
    const contact = await createContact(t);
    const invoice = await createInvoice(t, contact.id);
    expect(await acknowledged(1)).toEqual(['created']);

    // Later beats: each run of the sweep queued the next one.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await t.as('booking').post(`/invoices/${invoice.id}/confirm`).expect(200);

    expect(await acknowledged(2)).toEqual(['created', 'confirmed']);
  });
});
