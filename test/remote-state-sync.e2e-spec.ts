import { DataSource } from 'typeorm';
import { RemoteStatePoller } from '../src/invoices/remote-state/remote-state-poller.service';
import { signBody } from '../src/webhooks/webhook-signature';
import {
  b2brouter,
  CREATE,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { type TestApp, useTestApp } from './support/test-app';

const SECRET = 'whsec_poll_test_8c1d2e3f';

interface Registered {
  id: string;
  number: string;
  remoteId: number;
}

let nextRemoteId = 7100;

/** A confirmed invoice, registered through a B2B Router that creates and sends it. */
async function registered(t: TestApp, contactId: string): Promise<Registered> {
  const invoice = await confirmedInvoice(t, contactId);
  const remoteId = ++nextRemoteId;
  b2brouter()
    .scope.post(CREATE)
    .reply(201, { invoice: remoteInvoice(remoteId, invoice.number) })
    .post(`/invoices/send_invoice/${remoteId}`)
    .reply(204);
  await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(200);
  return { id: invoice.id, number: invoice.number, remoteId };
}

function remoteSays(invoice: Registered, state: string, extra: object = {}) {
  const mock = b2brouter();
  mock.scope
    .get(`/invoices/${invoice.remoteId}`)
    .reply(200, { invoice: remoteInvoice(invoice.remoteId, invoice.number, { state, ...extra }) });
  return mock;
}

describe('Remote state polling', () => {
  const t = useTestApp();
  let contact: { id: string };
  let device: { id: string };
  beforeEach(async () => {
    device = await createDevice(t, { webhookSecret: SECRET });
    contact = await createContact(t);
  });

  const sweep = () => t.app.get(RemoteStatePoller).sweep();
  const registration = async (id: string) =>
    (await t.as('booking').get(`/invoices/${id}`).expect(200)).body.registration;
  const stateChanges = async (id: string) =>
    (
      (await t.as('booking').get(`/invoices/${id}/events`).expect(200)).body as Array<{
        type: string;
        details: Record<string, unknown>;
      }>
    ).filter((e) => e.type === 'remote.state_changed');
  /** The next look at these invoices is due now, as it is once its time has come. */
  const due = (...ids: string[]) =>
    t.app
      .get(DataSource)
      .query(`UPDATE invoices SET remote_poll_at = now() - interval '1 second' WHERE id = ANY($1)`, [
        ids,
      ]);

  it('reads the state soon after the send, so it does not stay at new', async () => {
    const invoice = await registered(t, contact.id);
    const before = await registration(invoice.id);
    expect(before.remoteState).toBe('new');
    const firstLook = new Date(before.nextRemoteCheckAt).getTime() - Date.now();
    expect(firstLook).toBeGreaterThan(0);
    expect(firstLook).toBeLessThanOrEqual(10_000);
    // Not due yet: nothing is asked.
    expect(await sweep()).toBe(0);

    await due(invoice.id);
    const mock = remoteSays(invoice, 'sent');
    expect(await sweep()).toBe(1);
    expect(mock.count('GET', `/invoices/${invoice.remoteId}`)).toBe(1);
    const after = await registration(invoice.id);
    expect(after.remoteState).toBe('sent');
    // `sent` is not final: asked again, some minutes later.
    const nextLook = new Date(after.nextRemoteCheckAt).getTime() - Date.now();
    expect(nextLook).toBeGreaterThan(60_000);
    expect(nextLook).toBeLessThanOrEqual(5 * 60_000);
    expect(await stateChanges(invoice.id)).toEqual([
      expect.objectContaining({
        details: expect.objectContaining({ from: 'new', to: 'sent', source: 'poll' }),
      }),
    ]);
  });

  it('shows a refusal with its reason, stops asking, and lists it among the problems', async () => {
    const refused = await registered(t, contact.id);
    const fine = await registered(t, contact.id);
    const failed = await registered(t, contact.id);
    await due(refused.id, fine.id, failed.id);
    remoteSays(refused, 'refused', { notes: 'Wrong purchase order number' });
    remoteSays(fine, 'accepted');
    remoteSays(failed, 'error', { notes: 'Mailbox unavailable' });
    expect(await sweep()).toBe(3);

    expect(await registration(refused.id)).toMatchObject({
      remoteState: 'refused',
      remoteNote: 'Wrong purchase order number',
      nextRemoteCheckAt: null,
    });
    // `error` may still change at B2B Router (a new delivery): still asked about.
    expect(await registration(failed.id)).toMatchObject({
      remoteState: 'error',
      remoteNote: 'Mailbox unavailable',
    });
    expect((await registration(failed.id)).nextRemoteCheckAt).not.toBeNull();
    const [change] = await stateChanges(refused.id);
    expect(change.details).toMatchObject({ to: 'refused', notes: 'Wrong purchase order number' });

    const problems = await t.as('booking').get('/invoices?remoteState=error,refused').expect(200);
    expect(problems.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [refused.id, failed.id].sort(),
    );
    const repeated = await t
      .as('booking')
      .get('/invoices?remoteState=refused&remoteState=accepted,error')
      .expect(200);
    expect(repeated.body.items).toHaveLength(3);
    const accepted = await t.as('booking').get('/invoices?remoteState=accepted').expect(200);
    expect(accepted.body.items.map((i: { id: string }) => i.id)).toEqual([fine.id]);
    await t.as('booking').get('/invoices?remoteState=REFUSED;drop').expect(400);
  });

  it('adds no event when the state has not changed, and asks again later', async () => {
    const invoice = await registered(t, contact.id);
    await due(invoice.id);
    remoteSays(invoice, 'new');
    expect(await sweep()).toBe(1);
    expect(await stateChanges(invoice.id)).toEqual([]);
    expect(new Date((await registration(invoice.id)).nextRemoteCheckAt).getTime()).toBeGreaterThan(
      Date.now() + 60_000,
    );
  });

  it('backs off for as long as a 429 asks, and asks nothing more in that sweep', async () => {
    const invoice = await registered(t, contact.id);
    await due(invoice.id);
    const mock = b2brouter();
    mock.scope
      .get(`/invoices/${invoice.remoteId}`)
      .reply(429, {}, { 'Retry-After': '600' });
    expect(await sweep()).toBe(0);
    expect(mock.count('GET', '/invoices/')).toBe(1);
    const { remoteState, nextRemoteCheckAt } = await registration(invoice.id);
    expect(remoteState).toBe('new');
    const wait = new Date(nextRemoteCheckAt).getTime() - Date.now();
    expect(wait).toBeGreaterThan(500_000);
    expect(wait).toBeLessThanOrEqual(600_000);
  });

  /** B2B Router's webhook, timestamped a minute ahead: its clock may run ahead of ours. */
  const webhookSays = (invoice: Registered, state: string) => {
    const body = JSON.stringify({
      code: 'issued_invoice.state_change',
      triggered_at: new Date(Date.now() + 60_000).toISOString(),
      data: { invoice_id: invoice.remoteId, state },
    });
    return t
      .anonymous()
      .post(`/webhooks/b2brouter/${device.id}`)
      .set('Content-Type', 'application/json')
      .set('X-B2Brouter-Signature', signBody(body, SECRET, Math.floor(Date.now() / 1000)))
      .send(body)
      .expect(200);
  };

  it('never lets a poll overwrite a newer state from a webhook', async () => {
    const invoice = await registered(t, contact.id);
    await webhookSays(invoice, 'paid');
    expect(await registration(invoice.id)).toMatchObject({
      remoteState: 'paid',
      nextRemoteCheckAt: null,
    });
    // Forced due anyway: the older answer changes nothing.
    await due(invoice.id);
    remoteSays(invoice, 'sent');
    await sweep();
    expect((await registration(invoice.id)).remoteState).toBe('paid');
  });

  it('stops asking when a final state comes by webhook while a poll is under way', async () => {
    const invoice = await registered(t, contact.id);
    await due(invoice.id);
    const mock = b2brouter();
    mock.scope
      .get(`/invoices/${invoice.remoteId}`)
      .delay(400)
      .reply(200, { invoice: remoteInvoice(invoice.remoteId, invoice.number, { state: 'sent' }) });
    const sweeping = sweep();
    while (mock.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    await webhookSays(invoice, 'paid');
    expect(await sweeping).toBe(1);
    expect(await registration(invoice.id)).toMatchObject({
      remoteState: 'paid',
      nextRemoteCheckAt: null,
    });
  });

  it('asks once about an invoice when two sweeps run together', async () => {
    const invoice = await registered(t, contact.id);
    await due(invoice.id);
    const mock = remoteSays(invoice, 'sent');
    const counts = await Promise.all([sweep(), sweep()]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(mock.count('GET', `/invoices/${invoice.remoteId}`)).toBe(1);
  });

  it('polls a linked invoice, and forgets an unlinked one', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    b2brouter()
      .scope.get('/invoices/7001')
      .reply(200, { invoice: remoteInvoice(7001, invoice.number, { total: '121.00' }) });
    await t
      .as('booking')
      .post(`/invoices/${invoice.id}/link`)
      .send({ b2brouterInvoiceId: 7001 })
      .expect(200);
    const linked = { id: invoice.id, number: invoice.number, remoteId: 7001 };
    expect((await registration(invoice.id)).nextRemoteCheckAt).not.toBeNull();
    await due(invoice.id);
    remoteSays(linked, 'accepted');
    expect(await sweep()).toBe(1);
    expect((await registration(invoice.id)).remoteState).toBe('accepted');

    await t.as('admin').delete(`/invoices/${invoice.id}/link`).expect(200);
    expect(await registration(invoice.id)).toMatchObject({
      remoteState: null,
      remoteNote: null,
      remoteStateAt: null,
      nextRemoteCheckAt: null,
    });
  });
});

describe('Remote state polling on the job queue', () => {
  beforeAll(() => {
    process.env.REMOTE_STATE_POLL_INTERVAL_MS = '1000';
  });
  afterAll(() => {
    process.env.REMOTE_STATE_POLL_INTERVAL_MS = '0';
  });
  const t = useTestApp();

  it('runs by itself and moves the state on', async () => {
    await createDevice(t);
    const invoice = await registered(t, (await createContact(t)).id);
    await t
      .app.get(DataSource)
      .query(`UPDATE invoices SET remote_poll_at = now() WHERE id = $1`, [invoice.id]);
    remoteSays(invoice, 'sent');
    let state = 'new';
    // The sweep is a chain of jobs on the queue, a second apart here.
    for (let i = 0; i < 200 && state !== 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body.registration
        .remoteState;
    }
    expect(state).toBe('sent');
  });
});
