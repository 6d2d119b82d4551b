import { DataSource } from 'typeorm';
import { signBody } from '../src/webhooks/webhook-signature';
import {
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

const SECRET = 'whsec_test_5b7d9f1a3c6e';
const now = () => Math.floor(Date.now() / 1000);

describe('POST /webhooks/b2brouter/:deviceId', () => {
  const t = useTestApp();
  let device: { id: string };
  let invoice: { id: string; number: string };
  beforeEach(async () => {
    device = await createDevice(t, { webhookSecret: SECRET });
    const contact = await createContact(t);
    invoice = await confirmedInvoice(t, contact.id);
    b2brouter()
      .scope.get('/invoices/801')
      .reply(200, {
        invoice: remoteInvoice(801, invoice.number, { total: '121.00' }),
      });
    await t
      .as('booking')
      .post(`/invoices/${invoice.id}/link`)
      .send({ b2brouterInvoiceId: 801 })
      .expect(200);
  });

  const event = (state: string, triggeredAt: string, extra: object = {}) =>
    JSON.stringify({
      code: 'issued_invoice.state_change',
      triggered_at: triggeredAt,
      data: { invoice_id: 801, state, ...extra },
    });
  const deliver = (body: string, signature = signBody(body, SECRET, now()), to = device.id) =>
    t
      .anonymous()
      .post(`/webhooks/b2brouter/${to}`)
      .set('Content-Type', 'application/json')
      .set('X-B2Brouter-Signature', signature)
      .send(body);
  const stateOf = async () =>
    (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body.registration
      .remoteState;
  const changes = async () =>
    (
      (await t.as('booking').get(`/invoices/${invoice.id}/events`).expect(200)).body as Array<{
        type: string;
      }>
    ).filter((e) => e.type === 'remote.state_changed');

  it('applies a signed state change and records it on the timeline', async () => {
    const res = await deliver(event('sent', '2026-12-05T10:00:00Z')).expect(200);
    expect(res.body).toEqual({ received: true, applied: true });
    expect(await stateOf()).toBe('sent');
    expect(await changes()).toEqual([
      expect.objectContaining({
        type: 'remote.state_changed',
        details: {
          from: 'new',
          to: 'sent',
          triggeredAt: '2026-12-05T10:00:00Z',
          source: 'webhook',
        },
      }),
    ]);
  });

  it.each([
    ['a wrong signature', (body: string) => signBody(body, 'another-secret-123', now())],
    ['a signature of another body', () => signBody('{}', SECRET, now())],
    ['a stale timestamp', (body: string) => signBody(body, SECRET, now() - 301)],
    ['a timestamp from the future', (body: string) => signBody(body, SECRET, now() + 301)],
    ['a malformed header', () => 'sha256=abc'],
  ])('refuses %s with 401 INVALID_SIGNATURE and changes nothing', async (_, sign) => {
    const body = event('sent', '2026-12-05T10:00:00Z');
    const res = await deliver(body, sign(body)).expect(401);
    expect(res.body.code).toBe('INVALID_SIGNATURE');
    expect(await stateOf()).toBe('new');
  });

  it('changes nothing on a replay, or for an event older than the last one applied', async () => {
    const refused = event('refused', '2026-12-05T11:00:00Z', { notes: 'Unknown buyer' });
    await deliver(refused).expect(200);
    const replay = await deliver(refused).expect(200);
    expect(replay.body.applied).toBe(false);
    const older = await deliver(event('sent', '2026-12-05T10:00:00Z')).expect(200);
    expect(older.body.applied).toBe(false);

    expect(await stateOf()).toBe('refused');
    expect(await changes()).toEqual([
      expect.objectContaining({
        message: 'B2B Router: new → refused (Unknown buyer).',
        details: expect.objectContaining({ to: 'refused', notes: 'Unknown buyer' }),
      }),
    ]);
  });

  it('accepts the previous secret during a rotation, and the new one', async () => {
    await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ webhookSecret: 'whsec_new_0a1b2c3d4e' })
      .expect(200);
    await deliver(event('sending', '2026-12-05T10:00:00Z')).expect(200);
    const body = event('sent', '2026-12-05T10:01:00Z');
    await deliver(body, signBody(body, 'whsec_new_0a1b2c3d4e', now())).expect(200);
    expect(await stateOf()).toBe('sent');
  });

  it('refuses the previous secret once the grace period of a rotation is over', async () => {
    await t
      .as('admin')
      .patch(`/devices/${device.id}`)
      .send({ webhookSecret: 'whsec_new_0a1b2c3d4e' })
      .expect(200);
    await t.app
      .get(DataSource)
      .query(`UPDATE devices SET webhook_secret_rotated_at = now() - interval '25 hours'`);
    await deliver(event('sent', '2026-12-05T10:00:00Z')).expect(401);
  });

  it('acknowledges an event for an invoice it does not know, changing nothing', async () => {
    const body = JSON.stringify({
      code: 'issued_invoice.state_change',
      triggered_at: '2026-12-05T10:00:00Z',
      data: { invoice_id: 999999, state: 'sent' },
      extra_field_b2brouter_may_add: true,
    });
    const res = await deliver(body).expect(200);
    expect(res.body).toEqual({ received: true, applied: false });
  });

  it('refuses a device that does not exist, or has no secret, as unsigned', async () => {
    const body = event('sent', '2026-12-05T10:00:00Z');
    await deliver(body, undefined, '7f1d3c1e-3f4b-4c1a-9f8e-1b2c3d4e5f60').expect(401);
    const bare = await createDevice(t, { workstationId: 'desk-9' });
    await deliver(body, undefined, bare.id).expect(401);
  });

  it('answers 400 for a signed body that is not a state change', async () => {
    const res = await deliver(JSON.stringify({ code: 'x', data: { state: 7 } })).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
