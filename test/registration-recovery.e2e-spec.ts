import { DataSource } from 'typeorm';
import { RegistrationRecovery } from '../src/invoices/registration/registration-recovery.service';
import { RegistrationStore } from '../src/invoices/registration/registration-store';
import { TEST_DB } from './support/databases';
import {
  CREATE,
  found,
  listsAndShows,
  lookupUrl,
  timePasses,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  remoteInvoice,
} from './support/invoicing';
import { createTestApp, type TestApp, useTestApp } from './support/test-app';

/** At most one create and one send, whatever the races and crashes. */
describe('Registration under concurrency and crashes', () => {
  const t = useTestApp();
  let invoice: { id: string; number: string };
  let mock: ReturnType<typeof b2brouter>;
  beforeEach(async () => {
    await createDevice(t);
    invoice = await confirmedInvoice(t, (await createContact(t)).id);
    mock = b2brouter();
  });
  afterEach(() => jest.restoreAllMocks());

  const register = (app = t) => app.as('booking').post(`/invoices/${invoice.id}/register`);
  const sends = () => mock.count('POST', '/invoices/send_invoice/');
  const creates = () => mock.count('POST', CREATE);

  function acceptOnce(id: number, delayMs = 0) {
    mock.scope
      .post(CREATE)
      .delay(delayMs)
      .reply(201, { invoice: remoteInvoice(id, invoice.number) });
    mock.scope.post(`/invoices/send_invoice/${id}`).reply(204);
  }

  async function expectConcurrentCallsToRegisterOnce(apps: TestApp[]) {
    acceptOnce(7, 150);
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => register(apps[i % apps.length])),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses).toContain(200);
    for (const r of responses.filter((r) => r.status === 409)) {
      expect(r.body.code).toBe('REGISTRATION_IN_PROGRESS');
    }
    for (const r of responses.filter((r) => r.status === 200)) {
      expect(r.body).toMatchObject({ state: 'registered', b2brouterInvoiceId: 7 });
    }
    expect(creates()).toBe(1);
    expect(sends()).toBe(1);
  }

  it('gives 30 concurrent calls one create and one send', async () => {
    await expectConcurrentCallsToRegisterOnce([t]);
  });

  (TEST_DB === 'postgres' ? it : it.skip)(
    'behaves the same with two service instances on one database',
    async () => {
      const second = await createTestApp({ keepData: true });
      try {
        await expectConcurrentCallsToRegisterOnce([t, second]);
      } finally {
        await second.close();
      }
    },
  );

  it('recovers from a failure to save the id right after the create, without creating again', async () => {
    acceptOnce(8);
    jest
      .spyOn(t.app.get(RegistrationStore), 'saveRemoteInvoice')
      .mockRejectedValueOnce(new Error('connection terminated unexpectedly'));
    const crashed = await register().expect(500);
    expect(crashed.body).toMatchObject({ code: 'INTERNAL_ERROR', requestId: expect.any(String) });
    expect(creates()).toBe(1);
    expect(sends()).toBe(0);

    listsAndShows(mock.scope, remoteInvoice(8, invoice.number));
    const res = await register().expect(200);
    expect(res.body).toMatchObject({ b2brouterInvoiceId: 8, reference: '8' });
    expect(creates()).toBe(1);
    expect(sends()).toBe(1);
  });

  it('after a crash that left the claim behind (kill -9), waits for the lease, then finishes once', async () => {
    acceptOnce(9);
    const store = t.app.get(RegistrationStore);
    // The process dies after the create: neither the id nor the failure reaches the database.
    jest.spyOn(store, 'saveRemoteInvoice').mockRejectedValueOnce(new Error('killed'));
    jest.spyOn(store, 'fail').mockRejectedValueOnce(new Error('killed'));
    await register().expect(500);

    const busy = await register().expect(409);
    expect(busy.body.code).toBe('REGISTRATION_IN_PROGRESS');
    expect(creates()).toBe(1);

    // The crashed holder's lease runs out.
    await timePasses(t);
    listsAndShows(mock.scope, remoteInvoice(9, invoice.number));
    await register().expect(200);
    expect(creates()).toBe(1);
    expect(sends()).toBe(1);
  });

  it('after a crash between send and saving, does not send again', async () => {
    acceptOnce(10);
    jest.spyOn(t.app.get(RegistrationStore), 'succeed').mockRejectedValueOnce(new Error('killed'));
    await register().expect(500);
    expect(sends()).toBe(1);

    // B2B Router took the send, and that was saved before the crash: nothing to ask or send.
    const res = await register().expect(200);
    expect(res.body).toMatchObject({ state: 'registered', b2brouterInvoiceId: 10 });
    expect(creates()).toBe(1);
    expect(sends()).toBe(1);
  });

  it('lets no stalled holder write after another took over', async () => {
    const store = t.app.get(RegistrationStore);
    const first = await store.claim(invoice.id);
    if (!('claimed' in first)) throw new Error('expected a claim');
    await t.app
      .get(DataSource)
      .query(`UPDATE invoices SET lease_until = now() - interval '1 second' WHERE id = $1`, [
        invoice.id,
      ]);
    const second = await store.claim(invoice.id);
    expect('claimed' in second).toBe(true);
    await expect(
      store.saveRemoteInvoice(first.claimed, { id: 11, state: 'new' }),
    ).rejects.toMatchObject({
      code: 'REGISTRATION_IN_PROGRESS',
    });
  });

  describe('background recovery of interrupted registrations', () => {
    const expireLease = () => timePasses(t);
    const sweep = () => t.app.get(RegistrationRecovery).sweep();
    const saved = async () =>
      (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;

    /** The process dies at `step`: neither its result nor its failure reaches the database. */
    function killAt(step: 'saveRemoteInvoice') {
      const store = t.app.get(RegistrationStore);
      jest.spyOn(store, step).mockRejectedValueOnce(new Error('killed'));
      jest.spyOn(store, 'fail').mockRejectedValueOnce(new Error('killed'));
    }

    it('finishes one that died after the create, with no second create', async () => {
      acceptOnce(12);
      killAt('saveRemoteInvoice');
      await register().expect(500);
      expect((await saved()).registration.state).toBe('in_progress');

      // Not while the lease runs: the holder may still be alive.
      expect(await sweep()).toBe(0);
      await expireLease();
      listsAndShows(mock.scope, remoteInvoice(12, invoice.number));
      expect(await sweep()).toBe(1);

      expect(await saved()).toMatchObject({
        reference: '12',
        registration: { state: 'registered' },
      });
      expect(creates()).toBe(1);
      expect(sends()).toBe(1);
    });

    it('finishes one that died before the create on the device its caller had chosen', async () => {
      await createDevice(t, {
        workstationId: 'desk-2',
        accountId: '5000',
        apiKey: 'desk_two_key_0002',
      });
      killAfterBegin(t.app.get(RegistrationStore));
      await t
        .as('booking')
        .post(`/invoices/${invoice.id}/register`)
        .set('X-Workstation-Id', 'desk-2')
        .expect(500);
      await expireLease();
      // The create was marked: the background looks for it first, and finds nothing.
      mock.scope
        .get('/accounts/5000/invoices')
        .query(true)
        .reply(200, found())
        .post('/accounts/5000/invoices')
        .reply(201, { invoice: remoteInvoice(13, invoice.number) })
        .post('/invoices/send_invoice/13')
        .reply(204);
      expect(await sweep()).toBe(1);
      expect((await saved()).registration.state).toBe('registered');
      expect(mock.count('POST', '/accounts/5000/invoices')).toBe(1);
      expect(creates()).toBe(0);
    });
  });
});

describe('Registration recovery on the job queue', () => {
  beforeAll(() => {
    process.env.REGISTRATION_RECOVERY_INTERVAL_MS = '100';
  });
  afterAll(() => {
    process.env.REGISTRATION_RECOVERY_INTERVAL_MS = '0';
  });
  const t = useTestApp();
  afterEach(() => jest.restoreAllMocks());

  it('runs by itself and finishes an interrupted registration', async () => {
    await createDevice(t);
    const invoice = await confirmedInvoice(t, (await createContact(t)).id);
    killAfterBegin(t.app.get(RegistrationStore));
    await t.as('booking').post(`/invoices/${invoice.id}/register`).expect(500);
    const mock = b2brouter();
    mock.scope
      .get(lookupUrl(invoice.number))
      .reply(200, found())
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(14, invoice.number) })
      .post('/invoices/send_invoice/14')
      .reply(204);
    await timePasses(t);

    // The sweep is a chain of jobs on the queue, a second apart here.
    let state = '';
    for (let i = 0; i < 200 && state !== 'registered'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body.registration
        .state;
    }
    expect(state).toBe('registered');
    expect(mock.count('POST', CREATE)).toBe(1);
  });
});

/**
 * The process dies right after the attempt began (device pinned, create marked) and before the
 * create went out: neither the create nor the failure is recorded.
 */
function killAfterBegin(store: RegistrationStore) {
  const begin = store.begin.bind(store);
  jest.spyOn(store, 'begin').mockImplementationOnce(async (...args) => {
    await begin(...args);
    throw new Error('killed');
  });
  jest.spyOn(store, 'fail').mockRejectedValueOnce(new Error('killed'));
}
