import { RegistrationRecovery } from '../src/invoices/registration/registration-recovery.service';
import { RegistrationStore } from '../src/invoices/registration/registration-store';
import { API_KEY, PRODUCTION } from './support/fixtures';
import {
  CREATE,
  b2brouter,
  confirmedInvoice,
  createContact,
  createDevice,
  found,
  listsAndShows,
  lookupUrl,
  remoteInvoice,
  timePasses,
} from './support/invoicing';
import { useTestApp } from './support/test-app';

const TIMEOUT_MS = 500; // B2BROUTER_TIMEOUT_MS of the tests (test/support/setup-env.ts)
const DESK_2 = { workstationId: 'desk-2', accountId: '8888', apiKey: 'desk_two_key_8888' };

/** The holes a review found in "never sent twice, never lost", one test each. */
describe('Exactly once, with no holes', () => {
  const t = useTestApp();
  let contact: { id: string };
  let invoice: { id: string; number: string };
  let mock: ReturnType<typeof b2brouter>;
  beforeEach(async () => {
    contact = await createContact(t);
    invoice = await confirmedInvoice(t, contact.id);
    mock = b2brouter();
  });
  afterEach(() => jest.restoreAllMocks());

  const register = (id = invoice.id, workstation?: string) => {
    const req = t.as('booking').post(`/invoices/${id}/register`);
    return workstation ? req.set('X-Workstation-Id', workstation) : req;
  };
  const get = async (id = invoice.id) =>
    (await t.as('booking').get(`/invoices/${id}`).expect(200)).body;
  const timeline = async (id = invoice.id) =>
    (await t.as('booking').get(`/invoices/${id}/events`).expect(200)).body as Array<{
      type: string;
      code?: string;
      message?: string;
      details?: Record<string, unknown>;
    }>;
  const sends = () => mock.count('POST', '/invoices/send_invoice/');
  const sweep = () => t.app.get(RegistrationRecovery).sweep();

  it('1. holds a send slower than the timeout: an immediate retry gets 409, not a second send', async () => {
    await createDevice(t);
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(61, invoice.number) });
    // B2B Router takes the send, answers after the timeout, and shows `new` meanwhile.
    mock.scope
      .post('/invoices/send_invoice/61')
      .delay(TIMEOUT_MS + 300)
      .reply(204);

    const first = await register().expect(502);
    expect(first.body).toMatchObject({ code: 'B2BROUTER_UNAVAILABLE', retryable: true });
    expect(first.headers['retry-after']).toBe('32');
    const retry = await register().expect(409);
    expect(retry.body.code).toBe('REGISTRATION_IN_PROGRESS');
    expect(Number(retry.headers['retry-after'])).toBeGreaterThan(25);
    expect(sends()).toBe(1);

    // Once the first send can no longer be running, its effect shows in B2B Router's state.
    await new Promise((r) => setTimeout(r, 400));
    await timePasses(t);
    mock.scope
      .get('/invoices/61')
      .reply(200, { invoice: remoteInvoice(61, invoice.number, { state: 'sending' }) });
    expect((await register().expect(200)).body).toMatchObject({ remoteState: 'sending' });
    expect(sends()).toBe(1);
  });

  it('2. keeps a retry from another workstation in the account where the create may have happened', async () => {
    await createDevice(t);
    await createDevice(t, DESK_2);
    const store = t.app.get(RegistrationStore);
    const claim = store.claim.bind(store);
    // Call B (desk-2) starts; before it claims, call A (desk-1, the default) claims, creates,
    // gets a 500 (the create may have happened) and lets go.
    mock.scope.post(CREATE).reply(500);
    jest.spyOn(store, 'claim').mockImplementationOnce(async (...args) => {
      expect((await register().expect(502)).body.code).toBe('B2BROUTER_UNAVAILABLE');
      return claim(...args);
    });
    const b = await register(invoice.id, 'desk-2');
    expect(b.status).toBe(409);

    await timePasses(t);
    listsAndShows(mock.scope, remoteInvoice(62, invoice.number));
    mock.scope.post('/invoices/send_invoice/62').reply(204);
    await register(invoice.id, 'desk-2').expect(200);
    expect(mock.calls.filter((c) => c.path.includes('/accounts/8888'))).toEqual([]);
    expect(mock.count('POST', CREATE)).toBe(1);
  });

  describe('3–4. the device of an unfinished attempt', () => {
    let deviceId: string;
    beforeEach(async () => {
      deviceId = (await createDevice(t)).id;
      mock.scope
        .post(CREATE)
        .delay(TIMEOUT_MS + 300)
        .reply(201, { invoice: remoteInvoice(63, invoice.number) });
      await register().expect(502);
    });

    async function finishInTheSameAccount() {
      await timePasses(t);
      listsAndShows(mock.scope, remoteInvoice(63, invoice.number));
      mock.scope.post('/invoices/send_invoice/63').reply(204);
      await register().expect(200);
      expect(mock.count('POST', CREATE)).toBe(1);
      expect(sends()).toBe(1);
    }

    it.each([
      ['its account', { accountId: '8888' }],
      ['its environment', { environment: 'production' }],
      ['its address', { apiAddress: 'https://api.b2brouter.net' }],
    ])('3. refuses to change %s while the create may exist there', async (_, change) => {
      const res = await t.as('admin').patch(`/devices/${deviceId}`).send(change).expect(409);
      expect(res.body).toMatchObject({
        code: 'DEVICE_IN_USE',
        errors: [{ field: 'invoices', message: invoice.number }],
      });
      expect(res.body.detail).toContain('account 4711');
      await finishInTheSameAccount();
      // Finished: the device is free to move.
      await t.as('admin').patch(`/devices/${deviceId}`).send(change).expect(200);
    });

    it('3. lets the key be rotated meanwhile, and finishes with the new key', async () => {
      await t
        .as('admin')
        .patch(`/devices/${deviceId}`)
        .send({ apiKey: 'rotated_key_0042' })
        .expect(200);
      await finishInTheSameAccount();
      expect(mock.calls.length).toBeGreaterThan(0);
    });

    it('4. refuses to delete it while the create may exist in its account, and finishes there', async () => {
      const res = await t.as('admin').delete(`/devices/${deviceId}`).expect(409);
      expect(res.body.code).toBe('DEVICE_IN_USE');
      await finishInTheSameAccount();
      await t.as('admin').delete(`/devices/${deviceId}`).expect(204);
    });

    it('4. finishes on its device even after the device was disabled', async () => {
      await t.as('admin').patch(`/devices/${deviceId}`).send({ enabled: false }).expect(200);
      await finishInTheSameAccount();
    });
  });

  it('3. continues in the account it began in when the device moved before the create was marked', async () => {
    const device = await createDevice(t);
    const store = t.app.get(RegistrationStore);
    // The checks have read the device; the statement that pins the attempt and marks its create
    // comes next, and the device moves in between.
    const begin = store.begin.bind(store);
    jest.spyOn(store, 'begin').mockImplementationOnce(async (...args) => {
      await t.as('admin').patch(`/devices/${device.id}`).send({ accountId: '8888' }).expect(200);
      return begin(...args);
    });
    const res = await register().expect(409);
    expect(res.body).toMatchObject({ code: 'INVOICE_STATE_CONFLICT', retryable: true });
    expect(mock.calls).toEqual([]);
    // Nothing was created anywhere, so the next attempt starts afresh in the device's new account.
    const moved = b2brouter();
    moved.scope
      .post('/accounts/8888/invoices')
      .reply(201, { invoice: remoteInvoice(64, invoice.number) })
      .post('/invoices/send_invoice/64')
      .reply(204);
    await register().expect(200);
  });

  it('5. registers a Spanish credit note with a 3-decimal quantity, after /validate said it would', async () => {
    await createDevice(t);
    mock.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(65, invoice.number) })
      .post('/invoices/send_invoice/65')
      .reply(204);
    await register().expect(200);
    const note = await confirmedInvoice(t, contact.id, {
      type: 'credit_note',
      originalInvoiceId: invoice.id,
      lines: [{ description: 'Refund', quantity: '1.125', unitPrice: '8.00', taxRate: '21' }],
    });
    const dryRun = await t.as('booking').post(`/invoices/${note.id}/validate`).expect(200);
    expect(dryRun.body).toEqual({ ok: true, problems: [] });

    const notes = b2brouter();
    notes.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(66, note.number, { total: '-10.89' }) })
      .post('/invoices/send_invoice/66')
      .reply(204);
    await register(note.id).expect(200);
    expect(notes.calls[0].body).toMatchObject({
      invoice: { invoice_lines_attributes: [{ quantity: '-1.125', price: '8.00' }] },
    });
    expect((await get(note.id)).registration.drift).toBeNull();
  });

  it('6. adopts its own invoice after a lost answer though the account rounded a cent otherwise', async () => {
    await createDevice(t);
    mock.scope
      .post(CREATE)
      .delay(TIMEOUT_MS + 300)
      .reply(201, {});
    await register().expect(502);
    await timePasses(t);
    const ours = remoteInvoice(67, invoice.number, {
      subtotal: '100.00',
      total: '121.01',
      invoice_lines: [
        { quantity: '2.0', price: '40.0' },
        { quantity: '1.0', price: '20.0' },
      ],
      created_at: new Date().toISOString(),
    });
    listsAndShows(mock.scope, ours);
    mock.scope.post('/invoices/send_invoice/67').reply(204);
    await register().expect(200);
    const { registration } = await get();
    expect(registration).toMatchObject({
      state: 'registered',
      b2brouterInvoiceId: 67,
      drift: { total: { ours: '121.00', b2brouter: '121.01' } },
    });
    expect((await timeline()).map((e) => e.type)).toEqual(
      expect.arrayContaining(['registration.adopted', 'registration.total_mismatch']),
    );
  });

  it('7. refuses a foreign invoice that holds our number, naming it, and sends nothing', async () => {
    await createDevice(t);
    mock.scope
      .post(CREATE)
      .reply(422, { error: { code: 'parameter_taken', message: 'Number has already been taken' } });
    // Listed with only a few fields; read whole, it is an old invoice, already sent, no contact.
    const foreign = {
      id: 68,
      number: invoice.number,
      state: 'sent',
      date: '2019-03-01',
      total: '121.00',
    };
    mock.scope
      .get(lookupUrl(invoice.number))
      .reply(200, found({ id: 68, number: invoice.number, state: 'sent' }))
      .get('/invoices/68')
      .reply(200, { invoice: foreign });
    const res = await register().expect(409);
    expect(res.body.code).toBe('INVOICE_NUMBER_TAKEN');
    expect(res.body.detail).toEqual(expect.stringContaining('id 68, dated 2019-03-01, state sent'));
    expect(res.body.detail).toContain('no contact tax id shown');
    expect(sends()).toBe(0);
    expect(await get()).toMatchObject({
      reference: null,
      registration: { state: 'failed', b2brouterInvoiceId: null, nextAttemptAt: null },
    });
  });

  it('8. registers two invoices that B2B Router numbered alike in staging and production', async () => {
    await createDevice(t);
    await createDevice(t, {
      workstationId: 'desk-p',
      environment: 'production',
      apiKey: 'prod_key_0099',
    });
    const second = await confirmedInvoice(t, contact.id);
    mock.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(77, invoice.number) })
      .post('/invoices/send_invoice/77')
      .reply(204);
    const production = b2brouter(PRODUCTION);
    production.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(77, second.number) })
      .post('/invoices/send_invoice/77')
      .reply(204);
    await register().expect(200);
    const res = await register(second.id, 'desk-p').expect(200);
    expect(res.body).toMatchObject({
      b2brouterInvoiceId: 77,
      url: 'https://app.b2brouter.net/invoices/77',
    });
  });

  describe('9. the background finishes every unknown outcome, however the attempt ended', () => {
    beforeEach(() => createDevice(t));

    it('resumes a failed one with a create mark, with its own body, though the contact changed since', async () => {
      mock.scope.post(CREATE).reply(503);
      await register().expect(502);
      const failed = (await get()).registration;
      expect(failed).toMatchObject({
        state: 'failed',
        lastError: { code: 'B2BROUTER_UNAVAILABLE' },
      });
      // A contact edited after the create: the invoice B2B Router may have must not be parked.
      await t
        .as('booking')
        .patch(`/contacts/${contact.id}`)
        .send({ vatNumber: 'ES123' })
        .expect(200);
      // Nor does the dry run judge it again: registration would continue, so it is fine to go.
      const dryRun = await t.as('booking').post(`/invoices/${invoice.id}/validate`).expect(200);
      expect(dryRun.body).toEqual({ ok: true, problems: [] });

      expect(await sweep()).toBe(0); // not before the failed call can no longer be running
      await timePasses(t);
      mock.scope
        .get(lookupUrl(invoice.number))
        .reply(200, found())
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(69, invoice.number) })
        .post('/invoices/send_invoice/69')
        .reply(204);
      expect(await sweep()).toBe(1);
      expect(await get()).toMatchObject({
        reference: '69',
        registration: { state: 'registered', nextAttemptAt: null },
      });
      expect(mock.calls[2].body).toMatchObject({
        invoice: { contact: { tin_value: 'ESB12345674' } },
      });
    });

    it('waits longer after each failure, and resumes a failed send', async () => {
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(70, invoice.number) })
        .post('/invoices/send_invoice/70')
        .reply(502);
      await register().expect(502);
      const delay = async () =>
        (Date.parse((await get()).registration.nextAttemptAt) - Date.now()) / 1000;
      const first = await delay();
      await timePasses(t);
      mock.scope
        .get('/invoices/70')
        .reply(503)
        .get('/invoices/70')
        .reply(503)
        .get('/invoices/70')
        .reply(503);
      expect(await sweep()).toBe(0);
      const second = await delay();
      expect(first).toBeGreaterThan(25);
      expect(second).toBeGreaterThan(first * 1.5);

      await timePasses(t);
      mock.scope
        .get('/invoices/70')
        .reply(200, { invoice: remoteInvoice(70, invoice.number) })
        .post('/invoices/send_invoice/70')
        .reply(204);
      expect(await sweep()).toBe(1);
      expect(sends()).toBe(2); // the 502 one (it did nothing: still `new`), then this one
      expect((await get()).registration.state).toBe('registered');
    });
  });

  describe('10. a timeline that tells the truth', () => {
    beforeEach(() => createDevice(t));

    it('records no failure for a holder whose lease passed to another attempt', async () => {
      const store = t.app.get(RegistrationStore);
      mock.scope.post(CREATE).reply(async () => {
        // The first holder stalls past its lease; another attempt takes the invoice over.
        await timePasses(t);
        expect('claimed' in (await store.claim(invoice.id))).toBe(true);
        return [500, { error: { code: 'internal' } }];
      });
      await register().expect(502);
      const events = await timeline();
      expect(events.map((e) => e.type)).not.toContain('registration.failed');
      expect((await get()).registration.state).toBe('in_progress');
    });

    it("names an unexpected error's cause for the operator, and nothing secret", async () => {
      mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(71, invoice.number) });
      jest
        .spyOn(t.app.get(RegistrationStore), 'saveRemoteInvoice')
        .mockRejectedValueOnce(new Error(`connection terminated unexpectedly (key ${API_KEY})`));
      const res = await register().expect(500);
      expect(JSON.stringify(res.body)).not.toContain('terminated');

      const failed = (await timeline()).at(-1)!;
      expect(failed).toMatchObject({ type: 'registration.failed', code: 'INTERNAL_ERROR' });
      expect(failed.message).toContain("while saving B2B Router's id");
      expect(failed.message).toContain('connection terminated unexpectedly');
      expect(failed.message).not.toContain(API_KEY);
      expect(failed.message).not.toMatch(/\n|at .*\.ts/);
      // The invoice exists at B2B Router: the background finishes it.
      expect((await get()).registration.nextAttemptAt).not.toBeNull();
    });
  });

  describe('found by a hostile review', () => {
    const cancel = () => t.as('booking').post(`/invoices/${invoice.id}/cancel`);
    /** A create whose answer is lost: B2B Router made invoice `id`, we hear nothing in time. */
    const createAnswerLost = (id: number) =>
      mock.scope
        .post(CREATE)
        .delay(TIMEOUT_MS + 300)
        .reply(201, { invoice: remoteInvoice(id, invoice.number) });

    it('R1. sends once when saving the registration fails (no crash) after B2B Router took the send', async () => {
      await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(81, invoice.number) })
        .post('/invoices/send_invoice/81')
        .reply(204);
      // The database blips on the final save; the failure itself is recorded (no kill).
      jest
        .spyOn(t.app.get(RegistrationStore), 'succeed')
        .mockRejectedValueOnce(new Error('connection terminated unexpectedly'));
      await register().expect(500);
      expect(sends()).toBe(1);

      // The caller retries at once. B2B Router took the send a moment ago and, delivering it
      // asynchronously, still shows `new` (as test 1 of the exactly-once suite assumes it may).
      mock.scope
        .get('/invoices/81')
        .optionally()
        .reply(200, { invoice: remoteInvoice(81, invoice.number, { state: 'new' }) })
        .post('/invoices/send_invoice/81')
        .optionally()
        .reply(204);
      await register();
      expect(sends()).toBe(1);
    });

    it('R2. never lets the background register an attempt that died before it began in the default account', async () => {
      await createDevice(t); // the default device: account 4711
      await createDevice(t, DESK_2);
      const store = t.app.get(RegistrationStore);
      // desk-2 asks; the process dies right after the claim, before the attempt recorded its device.
      jest.spyOn(store, 'begin').mockRejectedValueOnce(new Error('killed'));
      jest.spyOn(store, 'fail').mockRejectedValueOnce(new Error('killed'));
      await register(invoice.id, 'desk-2').expect(500);

      await timePasses(t);
      // Either finishing it in desk-2's account or leaving it to the caller would be right.
      mock.scope
        .post('/accounts/8888/invoices')
        .optionally()
        .reply(201, { invoice: remoteInvoice(82, invoice.number) })
        .post(CREATE)
        .optionally()
        .reply(201, { invoice: remoteInvoice(83, invoice.number) })
        .post(/\/invoices\/send_invoice\/8[23]/)
        .optionally()
        .reply(204);
      await sweep();
      // desk-2's invoice must not end up in the default device's account (another company, maybe).
      expect(mock.calls.filter((c) => c.path.startsWith('/accounts/4711'))).toEqual([]);
    });

    it("R3. does not call an invoice sent when B2B Router's create answer shows a state other than new", async () => {
      await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(84, invoice.number, { state: 'draft' }) })
        .post('/invoices/send_invoice/84')
        .optionally()
        .reply(204);
      const res = await register();
      // We created it with send_after_import: false and never sent it: "registered and sent to …"
      // without a single send call is not the truth.
      if (res.status === 200) expect(sends()).toBe(1);
      else expect(res.status).toBe(502);
    });

    it('R4. leaves a way forward when the lookup list ignores the number filter', async () => {
      await createDevice(t);
      createAnswerLost(85);
      await register().expect(502);
      await timePasses(t);
      // B2B Router answers the lookup with an unfiltered page.
      mock.scope.get(lookupUrl(invoice.number)).reply(200, {
        invoices: [remoteInvoice(1, 'OTHER-1')],
        meta: { total_count: 9000, offset: 0, limit: 500 },
      });
      const res = await register().expect(502);
      // The contract: B2BROUTER_UNAVAILABLE is retryable.
      expect(res.body).toMatchObject({ code: 'B2BROUTER_UNAVAILABLE', retryable: true });
      const { registration } = await get();
      // It may exist at B2B Router, so it cannot be cancelled (409); then the service must try
      // again by itself, or the invoice is stuck for good.
      expect((await cancel()).status).toBe(409);
      expect(registration.nextAttemptAt).not.toBeNull();
    });

    it('R5. adopts its own invoice though the lookup also lists one that is gone (404)', async () => {
      await createDevice(t);
      createAnswerLost(87);
      await register().expect(502);
      await timePasses(t);
      mock.scope
        .get(lookupUrl(invoice.number))
        .reply(200, found(remoteInvoice(86, invoice.number), remoteInvoice(87, invoice.number)))
        // 86 was deleted at B2B Router; the list has not caught up.
        .get('/invoices/86')
        .reply(404, { error: { code: 'resource_missing', message: 'Not found' } })
        .get('/invoices/87')
        .optionally()
        .reply(200, { invoice: remoteInvoice(87, invoice.number) })
        .post('/invoices/send_invoice/87')
        .optionally()
        .reply(204);
      const res = await register();
      expect(res.body).toMatchObject({ state: 'registered', b2brouterInvoiceId: 87 });
    });

    it('R6. forgets an invoice B2B Router no longer has after a lost send, so it can start afresh', async () => {
      const device = await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(88, invoice.number) })
        .post('/invoices/send_invoice/88')
        .delay(TIMEOUT_MS + 300)
        .reply(204);
      await register().expect(502);
      await timePasses(t);
      // Deleted at B2B Router: 404 for its id, and its number is not listed either.
      mock.scope
        .get('/invoices/88')
        .reply(404, { error: { code: 'resource_missing', message: 'Not found' } })
        .get(lookupUrl(invoice.number))
        .reply(200, found());
      const res = await register().expect(404);
      expect(res.body.code).toBe('REMOTE_INVOICE_NOT_FOUND');
      expect((await get()).registration).toMatchObject({
        state: 'failed',
        b2brouterInvoiceId: null,
        nextAttemptAt: null,
      });
      // Nothing of it remains there: the device is free again, and the invoice can be cancelled.
      await t.as('admin').patch(`/devices/${device.id}`).send({ accountId: '9999' }).expect(200);
      expect((await cancel()).status).toBe(200);
    });

    it('R7. frees an invoice whose only create was refused as parameter_taken, and never creates it again', async () => {
      await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(422, {
          error: { code: 'parameter_taken', message: 'Number has already been taken' },
        })
        .get(lookupUrl(invoice.number))
        .reply(200, found());
      expect((await register().expect(409)).body.code).toBe('INVOICE_NUMBER_TAKEN');
      // The one create was refused (a definite 4xx): nothing of ours exists there, so its mark
      // goes and the background has nothing to do.
      expect((await get()).registration.nextAttemptAt).toBeNull();
      await timePasses(t);
      expect(await sweep()).toBe(0);
      expect(mock.count('POST', CREATE)).toBe(1);
      expect((await cancel()).status).toBe(200);
    });

    it('R8. does not send an invoice that is not ours because the create answer named another one', async () => {
      await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(89, 'SOMEONE-ELSES-NUMBER') })
        .post('/invoices/send_invoice/89')
        .optionally()
        .reply(204);
      await register();
      expect(sends()).toBe(0);
    });

    it('R9. records the state B2B Router has after a 409 on send, not `new`', async () => {
      await createDevice(t);
      mock.scope
        .post(CREATE)
        .reply(201, { invoice: remoteInvoice(90, invoice.number) })
        .post('/invoices/send_invoice/90')
        .reply(409, { error: { code: 'conflict', message: 'Invoice already sent' } })
        .get('/invoices/90')
        .optionally()
        .reply(200, { invoice: remoteInvoice(90, invoice.number, { state: 'sent' }) });
      const res = await register().expect(200);
      // "The state forbids sending": whatever it is, it is not `new`.
      expect(res.body.remoteState).not.toBe('new');
    });
  });
});
