import { socketError } from '../src/b2brouter/b2brouter.testing';
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
import { useTestApp } from './support/test-app';

const TIMEOUT_MS = 500; // B2BROUTER_TIMEOUT_MS of the tests (test/support/setup-env.ts)

describe('Registration failures and retries', () => {
  const t = useTestApp();
  let invoice: { id: string; number: string };
  let mock: ReturnType<typeof b2brouter>;
  beforeEach(async () => {
    await createDevice(t);
    const contact = await createContact(t);
    invoice = await confirmedInvoice(t, contact.id);
    mock = b2brouter();
  });

  const register = () => t.as('booking').post(`/invoices/${invoice.id}/register`);
  const get = async () => (await t.as('booking').get(`/invoices/${invoice.id}`).expect(200)).body;
  const lastEvent = async () =>
    (await t.as('booking').get(`/invoices/${invoice.id}/events`).expect(200)).body.at(-1);

  /** After any failure: nothing saved but the error, for the operator to read. */
  async function expectNothingSaved(code: string) {
    expect(await get()).toMatchObject({
      reference: null,
      projectXref: null,
      registration: { state: 'failed', lastError: { code } },
    });
  }

  it('turns a refusal into 422 B2BROUTER_REJECTED with the remote details, and records them', async () => {
    mock.scope.post(CREATE).reply(
      422,
      {
        error: {
          code: 'parameter_blank',
          message: 'Due date cannot be blank',
          type: 'invalid_request',
        },
      },
      { 'X-B2B-API-Request-Id': 'req-777' },
    );
    const res = await register().expect(422);
    expect(res.body).toMatchObject({
      code: 'B2BROUTER_REJECTED',
      retryable: false,
      remote: {
        status: 422,
        code: 'parameter_blank',
        message: 'Due date cannot be blank',
        requestId: 'req-777',
      },
    });
    await expectNothingSaved('B2BROUTER_REJECTED');
    expect(await lastEvent()).toMatchObject({
      type: 'registration.failed',
      code: 'B2BROUTER_REJECTED',
      details: { step: 'create', remote: { code: 'parameter_blank', requestId: 'req-777' } },
    });

    // A refusal means nothing was created: the retry creates directly, without a lookup.
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(5, invoice.number) });
    mock.scope.post('/invoices/send_invoice/5').reply(204);
    await register().expect(200);
    expect(mock.count('GET', CREATE)).toBe(0);
    expect(mock.count('POST', CREATE)).toBe(2);
  });

  it('answers INVALID_CONTACT_VAT with remote details when B2B Router refuses the tax id', async () => {
    mock.scope
      .post(CREATE)
      .reply(422, { error: { code: 'invalid_tin', message: 'Tin value is not valid' } });
    const res = await register().expect(422);
    expect(res.body).toMatchObject({
      code: 'INVALID_CONTACT_VAT',
      remote: { status: 422, code: 'invalid_tin' },
      errors: [{ field: 'contact.vatNumber' }],
    });
    await expectNothingSaved('INVALID_CONTACT_VAT');
  });

  it.each([
    ['a 503', () => mock.scope.post(CREATE).reply(503, 'Service Unavailable')],
    ['a 429', () => mock.scope.post(CREATE).reply(429, '', { 'Retry-After': '2' })],
    [
      'a timeout',
      () =>
        mock.scope
          .post(CREATE)
          .delay(TIMEOUT_MS + 300)
          .reply(201, {}),
    ],
    ['a network error', () => mock.scope.post(CREATE).replyWithError(socketError('ECONNRESET'))],
  ])(
    'answers %s on create with 502 B2BROUTER_UNAVAILABLE, retryable, never replaying the create',
    async (what, fail) => {
      fail();
      const res = await register().expect(502);
      expect(res.body).toMatchObject({ code: 'B2BROUTER_UNAVAILABLE', retryable: true });
      expect(mock.count('POST', CREATE)).toBe(1);
      await expectNothingSaved('B2BROUTER_UNAVAILABLE');
      // Only a 429 says the create did nothing; after the others it may have happened, so the
      // invoice is held (a retry gets 409) and the service will find out by itself.
      const unknown = what !== 'a 429';
      expect((await get()).registration.nextAttemptAt !== null).toBe(unknown);
      if (unknown) {
        expect((await register().expect(409)).body.code).toBe('REGISTRATION_IN_PROGRESS');
      }
    },
  );

  it('refuses to cancel an invoice whose create may have happened', async () => {
    mock.scope.post(CREATE).reply(504);
    await register().expect(502);
    const res = await t.as('booking').post(`/invoices/${invoice.id}/cancel`).expect(409);
    expect(res.body).toMatchObject({
      code: 'INVOICE_STATE_CONFLICT',
      detail: expect.stringContaining('may already exist'),
    });
  });

  it('after a create whose answer was lost, finds the invoice by number and does not create it again', async () => {
    mock.scope
      .post(CREATE)
      .delay(TIMEOUT_MS + 300)
      .reply(201, { invoice: remoteInvoice(42, invoice.number) });
    await register().expect(502);

    // The create may still be running at B2B Router: no lookup (and no create) until it cannot.
    const held = await register().expect(409);
    expect(held.body.code).toBe('REGISTRATION_IN_PROGRESS');
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    await timePasses(t);
    listsAndShows(mock.scope, remoteInvoice(42, invoice.number));
    mock.scope.post('/invoices/send_invoice/42').reply(200, {});
    const res = await register().expect(200);

    expect(res.body).toMatchObject({
      state: 'registered',
      b2brouterInvoiceId: 42,
      reference: '42',
    });
    expect(mock.count('POST', CREATE)).toBe(1);
    expect(mock.count('POST', '/invoices/send_invoice/')).toBe(1);
    const types = (await t.as('booking').get(`/invoices/${invoice.id}/events`)).body.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toContain('registration.adopted');
  });

  it('after a create that timed out without happening, the lookup finds nothing and it creates once more', async () => {
    mock.scope.post(CREATE).reply(503);
    await register().expect(502);
    await timePasses(t);
    mock.scope.get(lookupUrl(invoice.number)).reply(200, found());
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(43, invoice.number) });
    mock.scope.post('/invoices/send_invoice/43').reply(204);
    await register().expect(200);
    expect(mock.count('POST', CREATE)).toBe(2);
    expect(mock.count('POST', '/invoices/send_invoice/')).toBe(1);
  });

  it('treats 422 parameter_taken on our own number as "it exists there" and adopts it', async () => {
    mock.scope
      .post(CREATE)
      .reply(422, { error: { code: 'parameter_taken', message: 'Number has already been taken' } });
    listsAndShows(mock.scope, remoteInvoice(44, invoice.number));
    mock.scope.post('/invoices/send_invoice/44').reply(204);
    const res = await register().expect(200);
    expect(res.body).toMatchObject({ b2brouterInvoiceId: 44 });
    expect(mock.count('POST', CREATE)).toBe(1);
  });

  it('refuses to adopt an invoice with our number that is not ours, and lets it be cancelled', async () => {
    mock.scope.post(CREATE).reply(422, { error: { code: 'parameter_taken', message: 'taken' } });
    listsAndShows(mock.scope, remoteInvoice(45, invoice.number, { total: '999.00' }));
    const res = await register().expect(409);
    expect(res.body).toMatchObject({
      code: 'INVOICE_NUMBER_TAKEN',
      detail: expect.stringContaining('id 45'),
      errors: [{ field: 'number', message: 'taken at B2B Router by invoice 45' }],
    });
    expect(res.body.detail).toContain('total 999.00');
    expect(mock.count('POST', '/invoices/send_invoice/')).toBe(0);
    await expectNothingSaved('INVOICE_NUMBER_TAKEN');
    // Nothing of ours exists there, so nothing holds the invoice: the operator can cancel it.
    expect((await get()).registration.nextAttemptAt).toBeNull();
    await t.as('booking').post(`/invoices/${invoice.id}/cancel`).expect(200);
  });

  it('retries a send that failed with a 500 without creating again', async () => {
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(46, invoice.number) });
    mock.scope.post('/invoices/send_invoice/46').reply(500, { error: { code: 'internal' } });
    const failed = await register().expect(502);
    expect(failed.body).toMatchObject({ code: 'B2BROUTER_UNAVAILABLE', retryable: true });
    // The id is kept from the create, though reference and Xref stay empty.
    expect(await get()).toMatchObject({
      reference: null,
      projectXref: null,
      registration: { b2brouterInvoiceId: 46 },
    });

    // A 500 may come after the send went out: nothing is asked or sent until it cannot be running.
    expect((await register().expect(409)).body.code).toBe('REGISTRATION_IN_PROGRESS');
    await timePasses(t);
    mock.scope
      .get('/invoices/46')
      .reply(200, { invoice: remoteInvoice(46, invoice.number, { state: 'new' }) });
    mock.scope.post('/invoices/send_invoice/46').reply(204);
    await register().expect(200);
    expect(mock.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST ${CREATE}`,
      'POST /invoices/send_invoice/46',
      'GET /invoices/46',
      'POST /invoices/send_invoice/46',
    ]);
  });

  it('does not send again when a send whose answer was lost went out', async () => {
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(47, invoice.number) });
    mock.scope
      .post('/invoices/send_invoice/47')
      .delay(TIMEOUT_MS + 300)
      .reply(204);
    await register().expect(502);
    await timePasses(t);

    mock.scope
      .get('/invoices/47')
      .reply(200, { invoice: remoteInvoice(47, invoice.number, { state: 'sent' }) });
    const res = await register().expect(200);
    expect(res.body).toMatchObject({ state: 'registered', remoteState: 'sent' });
    expect(mock.count('POST', '/invoices/send_invoice/')).toBe(1);
  });

  it('takes a 409 conflict on send as "already sent"', async () => {
    mock.scope.post(CREATE).reply(201, { invoice: remoteInvoice(48, invoice.number) });
    mock.scope
      .post('/invoices/send_invoice/48')
      .reply(409, { error: { code: 'conflict', message: 'already sent' } })
      .get('/invoices/48')
      .reply(200, { invoice: remoteInvoice(48, invoice.number, { state: 'sent' }) });
    const res = await register().expect(200);
    expect(res.body.remoteState).toBe('sent');
  });

  it('records a total computed differently by B2B Router, so the operator can check the settings', async () => {
    mock.scope
      .post(CREATE)
      .reply(201, { invoice: remoteInvoice(49, invoice.number, { total: '121.01' }) });
    mock.scope.post('/invoices/send_invoice/49').reply(204);
    await register().expect(200);
    const drift = { total: { ours: '121.00', b2brouter: '121.01' } };
    const events = (await t.as('booking').get(`/invoices/${invoice.id}/events`)).body;
    expect(
      events.find((e: { type: string }) => e.type === 'registration.total_mismatch'),
    ).toMatchObject({ details: { drift } });
    expect((await get()).registration.drift).toEqual(drift);
  });
});
