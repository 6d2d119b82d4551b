import { DataSource } from 'typeorm';
import { RegistrationRecovery } from '../src/invoices/registration/registration-recovery.service';
import {
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  CREATE,
  listsAndShows,
  remoteInvoice,
  timePasses,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

type Labels = Record<string, string>;

/** The value of one sample of a Prometheus text scrape; 0 when the series has none yet. */
function sample(scrape: string, name: string, labels: Labels = {}): number {
  for (const line of scrape.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key, value]),
    );
    if (JSON.stringify(found) === JSON.stringify(labels)) return Number(match[3]);
  }
  return 0;
}

describe('GET /metrics', () => {
  process.env.METRICS_TOKEN = METRICS_TOKEN;
  const t = useTestApp();
  let contact: { id: string };
  beforeEach(async () => {
    await createDevice(t);
    contact = await createContact(t);
  });

  const scrape = async () => (await t.as('admin').get('/metrics').expect(200)).text;
  const register = (id: string) => t.as('booking').post(`/invoices/${id}/register`);
  const registrations = async (labels: Labels) =>
    sample(await scrape(), 'b2brouter_registrations_total', labels);

  /** How much each counter series grew while `act` ran (counters live as long as the app). */
  async function growth(series: Labels[], act: () => Promise<unknown>) {
    const before = await Promise.all(series.map(registrations));
    await act();
    const after = await Promise.all(series.map(registrations));
    return after.map((value, i) => value - before[i]);
  }

  it('counts a registration once as registered, and a refused one under its code', async () => {
    const accepted = await confirmedInvoice(t, contact.id);
    const refused = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    mock.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(31, accepted.number) })
      .post('/invoices/send_invoice/31')
      .reply(204)
      .post(CREATE)
      .reply(422, { error: { code: 'parameter_blank', message: 'Due date cannot be blank' } });

    const grew = await growth(
      [{ outcome: 'registered' }, { outcome: 'failed', code: 'B2BROUTER_REJECTED' }],
      async () => {
        await register(accepted.id).expect(200);
        // A repeated call answers the same registration: no second one to count.
        await register(accepted.id).expect(200);
        await register(refused.id).expect(422);
      },
    );
    expect(grew).toEqual([1, 1]);
  });

  it('counts a 409 REGISTRATION_IN_PROGRESS as in_progress', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    await t.app
      .get(DataSource)
      .query(`UPDATE invoices SET lease_until = now() + interval '1 minute' WHERE id = $1`, [
        invoice.id,
      ]);
    const grew = await growth([{ outcome: 'in_progress', code: 'REGISTRATION_IN_PROGRESS' }], () =>
      register(invoice.id).expect(409),
    );
    expect(grew).toEqual([1]);
  });

  it('counts the caller’s failure, then the registration the background finishes', async () => {
    const invoice = await confirmedInvoice(t, contact.id);
    const mock = b2brouter();
    // A 5xx to a create: it may have been carried out, so the background finishes it.
    mock.scope.post(CREATE).reply(503);
    const series: Labels[] = [
      { outcome: 'failed', code: 'B2BROUTER_UNAVAILABLE' },
      { outcome: 'registered' },
    ];

    expect(await growth(series, () => register(invoice.id).expect(502))).toEqual([1, 0]);
    await timePasses(t);
    listsAndShows(mock.scope, remoteInvoice(32, invoice.number));
    mock.scope.post('/invoices/send_invoice/32').reply(204);
    const swept = await growth(series, () => t.app.get(RegistrationRecovery).sweep());
    expect(swept).toEqual([0, 1]);
  });

  it('reads registrations holding a lease and the oldest unfinished one from the database', async () => {
    const gauges = async () => {
      const text = await scrape();
      return {
        inProgress: sample(text, 'b2brouter_registrations_in_progress'),
        oldestAge: sample(text, 'b2brouter_oldest_unfinished_registration_age_seconds'),
      };
    };
    expect(await gauges()).toEqual({ inProgress: 0, oldestAge: 0 });

    const states = {
      // An attempt running since its create 90 s ago: in progress, and the oldest unfinished.
      running: `registration_state = 'in_progress', lease_token = gen_random_uuid(),
                lease_until = now() + interval '1 minute', retry_at = now() + interval '1 minute',
                create_attempted_at = now() - interval '90 seconds'`,
      // Held after an unknown outcome: nobody may act until its lease ends.
      held: `registration_state = 'failed', lease_until = now() + interval '1 minute',
             retry_at = now() + interval '2 minutes', create_attempted_at = now() - interval '10 seconds'`,
      // Waiting for the background: unfinished, holds nothing.
      waiting: `registration_state = 'failed', b2brouter_invoice_id = 77,
                create_attempted_at = now() - interval '30 seconds', retry_at = now() + interval '10 minutes'`,
      // Refused before any create, nothing for the background: finished, for a person to fix.
      refused: `registration_state = 'failed'`,
      // Registered long ago: finished.
      registered: `registration_state = 'registered', b2brouter_invoice_id = 78,
                   create_attempted_at = now() - interval '1 day'`,
    };
    const db = t.app.get(DataSource);
    for (const set of Object.values(states)) {
      const invoice = await confirmedInvoice(t, contact.id);
      await db.query(`UPDATE invoices SET ${set} WHERE id = $1`, [invoice.id]);
    }

    const { inProgress, oldestAge } = await gauges();
    expect(inProgress).toBe(2);
    expect(oldestAge).toBeGreaterThanOrEqual(90);
    expect(oldestAge).toBeLessThan(120);
  });

  it('still answers while the database cannot be read, with the gauges unknown', async () => {
    const query = jest
      .spyOn(t.app.get(DataSource), 'query')
      .mockRejectedValue(new Error('connection refused'));
    const text = await scrape().finally(() => query.mockRestore());
    expect(sample(text, 'b2brouter_registrations_in_progress')).toBeNaN();
    expect(sample(text, 'b2brouter_oldest_unfinished_registration_age_seconds')).toBeNaN();
    expect(text).toContain('# TYPE b2brouter_registrations_total counter');
  });

  it('answers an admin token or METRICS_TOKEN in the Prometheus text format, nobody else', async () => {
    const admin = await t.as('admin').get('/metrics').expect(200);
    expect(admin.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(admin.text).toContain('# TYPE b2brouter_registrations_total counter');
    expect(admin.text).toContain('process_cpu_seconds_total');

    const scraper = (url: string) =>
      t.anonymous().get(url).set('Authorization', `Bearer ${METRICS_TOKEN}`);
    await scraper('/metrics').expect(200);
    // The scraper's token opens nothing else.
    expect((await scraper('/devices').expect(403)).body.code).toBe('FORBIDDEN');

    expect((await t.as('booking').get('/metrics').expect(403)).body.code).toBe('FORBIDDEN');
    const anonymous = await t.anonymous().get('/metrics').expect(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
  });
});
