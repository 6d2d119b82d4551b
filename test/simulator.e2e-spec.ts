import { DataSource } from 'typeorm';
import { SIMULATOR_ADDRESS } from '../src/b2brouter/b2brouter.types';
import { RemoteStatePoller } from '../src/invoices/remote-state/remote-state-poller.service';
import { SimulatorProgress } from '../src/simulator/simulator-progress.service';
import { confirmedInvoice, createContact, nextNumber, timePasses } from './support/invoicing';
import { createTestApp, type TestApp, useTestApp } from './support/test-app';

interface Simulated {
  id: string;
  state: string;
  number: string;
  sends: number;
}

/** A registered-or-not invoice of a simulator device, and what the simulator holds for it. */
function simulatorWorld(t: TestApp) {
  const db = () => t.app.get(DataSource);
  return {
    device: async () =>
      (
        await t
          .as('admin')
          .post('/devices')
          .send({ name: 'Try-out', environment: 'simulator' })
          .expect(201)
      ).body,
    invoice: async (scenario?: string) => {
      const contact = await createContact(t);
      const number = scenario ? `${nextNumber()}-SIM-${scenario}` : nextNumber();
      return confirmedInvoice(t, contact.id, { number });
    },
    register: (id: string) => t.as('booking').post(`/invoices/${id}/register`),
    read: async (id: string) => (await t.as('booking').get(`/invoices/${id}`).expect(200)).body,
    /** Every invoice the simulator holds under this number: the count of creates that took. */
    held: (number: string): Promise<Simulated[]> =>
      db().query(`SELECT id, state, number, send_attempts AS sends FROM simulator_invoices WHERE number = $1`, [number]),
    /** The simulator's next move, and our next look at B2B Router, are due now. */
    due: () =>
      Promise.all([
        db().query(`UPDATE simulator_invoices SET next_state_at = now() WHERE next_state_at IS NOT NULL`),
        db().query(`UPDATE invoices SET remote_poll_at = now() WHERE remote_poll_at IS NOT NULL`),
      ]),
    progress: () => t.app.get(SimulatorProgress).sweep(),
    poll: () => t.app.get(RemoteStatePoller).sweep(),
  };
}

describe('The built-in B2B Router (simulator devices)', () => {
  const t = useTestApp();
  const w = simulatorWorld(t);

  it('needs no key, account or address, and labels itself', async () => {
    const device = await w.device();
    expect(device).toMatchObject({
      environment: 'simulator',
      apiAddress: SIMULATOR_ADDRESS,
      accountId: '1000',
      hasWebhookSecret: true,
    });
    const test = await t.as('admin').post(`/devices/${device.id}/test`).expect(200);
    expect(test.body).toMatchObject({ ok: true });
    const elsewhere = await t
      .as('admin')
      .post('/devices')
      .send({
        name: 'Elsewhere',
        environment: 'simulator',
        apiAddress: 'https://api.b2brouter.net',
        workstationId: 'w9',
      })
      .expect(422);
    expect(elsewhere.body.code).toBe('API_ADDRESS_NOT_ALLOWED');
    // Its placeholder key must not go to a real B2B Router: leaving needs a real one.
    const leaving = await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ environment: 'staging' })
      .expect(400);
    expect(leaving.body.errors).toEqual([
      { field: 'apiKey', message: 'is required when leaving the simulator' },
    ]);
  });

  it('registers an invoice end to end: one create, one send, documents, its own view', async () => {
    await w.device();
    const invoice = await w.invoice();
    const results = await Promise.all([1, 2, 3].map(() => w.register(invoice.id)));
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    const done = (await w.register(invoice.id).expect(200)).body;
    const [held] = await w.held(invoice.number);
    expect(await w.held(invoice.number)).toHaveLength(1);
    expect(held).toMatchObject({ state: 'sent', sends: 1 });
    expect(done).toMatchObject({
      b2brouterInvoiceId: Number(held.id),
      url: `/simulator/invoices/${held.id}`,
    });
    expect((await w.read(invoice.id)).registration.environment).toBe('simulator');

    const view = await t.as('booking').get(`/simulator/invoices/${held.id}`).expect(200);
    expect(view.body).toMatchObject({
      simulated: true,
      invoice: { id: Number(held.id), number: invoice.number, state: 'sent', total: invoice.total },
    });
    const pdf = await t.as('booking').get(`/invoices/${invoice.id}/documents/pdf`).expect(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(Buffer.from(pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const ubl = await t.as('booking').get(`/invoices/${invoice.id}/documents/ubl`).expect(200);
    expect(ubl.text).toContain(`<ID>${invoice.number}</ID>`);
  });

  it.each([
    ['VAT', 'INVALID_CONTACT_VAT', 'parameter_invalid'],
    ['INVALID', 'B2BROUTER_REJECTED', 'parameter_blank'],
  ])('refuses the create when the number ends in -SIM-%s', async (scenario, code, remoteCode) => {
    await w.device();
    const invoice = await w.invoice(scenario);
    const res = await w.register(invoice.id).expect(422);
    expect(res.body).toMatchObject({ code, remote: { code: remoteCode } });
    expect(await w.held(invoice.number)).toEqual([]);
    const registration = (await w.read(invoice.id)).registration;
    expect(registration).toMatchObject({ state: 'failed', b2brouterInvoiceId: null });
  });

  it.each(['500', 'TIMEOUT', 'LOST', '429'])(
    'recovers from -SIM-%s with exactly one invoice at the simulator',
    async (scenario) => {
      await w.device();
      const invoice = await w.invoice(scenario);
      const first = await w.register(invoice.id);
      expect(first.status).toBeGreaterThanOrEqual(500);
      expect(first.body.code).toBe('B2BROUTER_UNAVAILABLE');
      if (scenario === '429') expect(first.headers['retry-after']).toBe('2');
      await timePasses(t);
      const second = await w.register(invoice.id).expect(200);
      const held = await w.held(invoice.number);
      expect(held).toHaveLength(1);
      expect(held[0]).toMatchObject({ state: 'sent', sends: 1 });
      expect(second.body.b2brouterInvoiceId).toBe(Number(held[0].id));
    },
  );

  it('keeps a -SIM-SLOW invoice sending, then sent', async () => {
    await w.device();
    const invoice = await w.invoice('SLOW');
    await w.register(invoice.id).expect(200);
    expect((await w.held(invoice.number))[0].state).toBe('sending');
    await w.due();
    expect(await w.progress()).toBe(1);
    expect((await w.held(invoice.number))[0].state).toBe('sent');
    await w.due();
    await w.poll();
    expect((await w.read(invoice.id)).registration.remoteState).toBe('sent');
  });
});

describe('The simulator moving invoices on, with signed webhooks to this service', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // The simulator calls the service's own webhook endpoint: it must listen.
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());
  const w = simulatorWorld(new Proxy({} as TestApp, { get: (_, key: keyof TestApp) => t[key] }));
  const stateChanges = async (id: string) =>
    ((await t.as('booking').get(`/invoices/${id}/events`).expect(200)).body as Array<{
      type: string;
      details: { to: string; source: string; notes?: string };
    }>).filter((e) => e.type === 'remote.state_changed');

  it('takes a plain invoice sent → accepted → paid, each told by webhook', async () => {
    await w.device();
    const invoice = await w.invoice();
    await w.register(invoice.id).expect(200);
    for (const expected of ['accepted', 'paid']) {
      await w.due();
      expect(await w.progress()).toBe(1);
      expect((await w.read(invoice.id)).registration.remoteState).toBe(expected);
    }
    expect((await stateChanges(invoice.id)).map((e) => [e.details.to, e.details.source])).toEqual([
      ['accepted', 'webhook'],
      ['paid', 'webhook'],
    ]);
    expect((await w.read(invoice.id)).registration.nextRemoteCheckAt).toBeNull();
  });

  it('refuses a -SIM-REFUSED invoice after it was sent, with the reason', async () => {
    await w.device();
    const invoice = await w.invoice('REFUSED');
    await w.register(invoice.id).expect(200);
    await w.due();
    await w.progress();
    const { registration } = await w.read(invoice.id);
    expect(registration).toMatchObject({ remoteState: 'refused', remoteNote: expect.stringMatching(/refused/) });
    const listed = await t.as('booking').get('/invoices?remoteState=refused').expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([invoice.id]);
  });
});

describe('Simulator devices in production', () => {
  const saved = { NODE_ENV: process.env.NODE_ENV, ALLOW_SIMULATOR: process.env.ALLOW_SIMULATOR };
  afterEach(() => Object.assign(process.env, saved));

  it.each([
    ['false', 422],
    ['true', 201],
  ])('are refused unless ALLOW_SIMULATOR=true (ALLOW_SIMULATOR=%s → %i)', async (allow, status) => {
    Object.assign(process.env, { NODE_ENV: 'production', ALLOW_SIMULATOR: allow });
    const t = await createTestApp();
    try {
      const res = await t
        .as('admin')
        .post('/devices')
        .send({ name: 'Try-out', environment: 'simulator' })
        .expect(status);
      if (status === 422) expect(res.body.code).toBe('SIMULATOR_NOT_ALLOWED');
    } finally {
      await t.close();
    }
  });
});
