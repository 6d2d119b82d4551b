import nock from 'nock';
import {
  BASE,
  conn,
  failure,
  invoiceInput,
  makeClient,
  socketError,
  useNock,
} from './b2brouter.testing';

/** An interceptor that answers every matching request and counts them. */
function counted(scope: nock.Interceptor, status: number, body?: nock.Body) {
  const seen = { count: 0 };
  scope.reply(() => {
    seen.count += 1;
    return [status, body ?? ''];
  });
  return seen;
}

describe('B2bRouterClient retries', () => {
  useNock();

  it('retries a GET after a 503 and then succeeds, in exactly 2 requests', async () => {
    let requests = 0;
    nock(BASE)
      .get('/accounts/7')
      .times(2)
      .reply(() => (++requests === 1 ? [503, ''] : [200, { account: { id: 7, name: 'Sol' } }]));
    await expect(makeClient().getAccount(conn, '7')).resolves.toEqual({ id: 7, name: 'Sol' });
    expect(requests).toBe(2);
  });

  it('retries a GET after a network error', async () => {
    nock(BASE).get('/invoices/1').replyWithError(socketError('ECONNRESET', 'socket hang up'));
    nock(BASE)
      .get('/invoices/1')
      .reply(200, { invoice: { id: 1, number: 'F-1', state: 'new' } });
    await expect(makeClient().getInvoice(conn, 1)).resolves.toMatchObject({ id: 1 });
  });

  it('waits as long as Retry-After asks before retrying', async () => {
    nock(BASE).get('/accounts/7').reply(429, '', { 'Retry-After': '1' });
    nock(BASE)
      .get('/accounts/7')
      .reply(200, { account: { id: 7, name: 'Sol' } });
    const started = Date.now();
    await makeClient().getAccount(conn, '7');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails at once when Retry-After asks for more than maxRetryAfterMs', async () => {
    nock(BASE).get('/accounts/7').reply(429, '', { 'Retry-After': '120' });
    const err = await failure(makeClient({ maxRetryAfterMs: 5000 }).getAccount(conn, '7'));
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    expect(err.options.retryable).toBe(true);
    expect(err.options.headers).toEqual({ 'Retry-After': '120' });
    expect(err.detail).toBe('B2B Router is rate limiting requests (429) on GET /accounts/7');
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    nock(BASE).get('/accounts/7').reply(503, '', { 'Retry-After': at });
    const err = await failure(makeClient({ maxRetryAfterMs: 5000 }).getAccount(conn, '7'));
    expect(err.detail).toBe('B2B Router answered 503 to GET /accounts/7');
  });

  it('gives up after getAttempts attempts with a retryable B2BROUTER_UNAVAILABLE', async () => {
    const seen = counted(nock(BASE).get('/invoices/1').times(4), 502);
    const err = await failure(makeClient({ getAttempts: 4 }).getInvoice(conn, 1));
    expect(seen.count).toBe(4);
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    expect(err.status).toBe(502);
    expect(err.options.retryable).toBe(true);
    expect(err.options.remote?.status).toBe(502);
    expect(err.detail).toBe('B2B Router answered 502 to GET /invoices/1 (after 4 attempts)');
  });

  it('never replays a create answered with 503', async () => {
    const seen = counted(nock(BASE).post('/accounts/7/invoices').times(3), 503);
    const err = await failure(makeClient().createInvoice(conn, '7', invoiceInput));
    expect(seen.count).toBe(1);
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    expect(err.detail).toBe('B2B Router answered 503 to POST /accounts/7/invoices');
    nock.cleanAll();
  });

  it('never replays a create that timed out, and says how long it waited', async () => {
    const seen = { count: 0 };
    nock(BASE)
      .post('/accounts/7/invoices')
      .times(3)
      .delay(300)
      .reply(() => {
        seen.count += 1;
        return [201, { invoice: { id: 1, number: 'F-1', state: 'new' } }];
      });
    const err = await failure(
      makeClient({ timeoutMs: 100 }).createInvoice(conn, '7', invoiceInput),
    );
    expect(seen.count).toBe(1);
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    expect(err.options.retryable).toBe(true);
    expect(err.detail).toBe('B2B Router did not answer within 100 ms');
    nock.cleanAll();
  });

  it('never replays a send or a delete', async () => {
    const send = counted(nock(BASE).post('/invoices/send_invoice/5').times(2), 500);
    const del = counted(nock(BASE).delete('/invoices/5').times(2), 500);
    const client = makeClient();
    expect((await failure(client.sendInvoice(conn, 5))).code).toBe('B2BROUTER_UNAVAILABLE');
    expect((await failure(client.deleteInvoice(conn, 5))).code).toBe('B2BROUTER_UNAVAILABLE');
    expect([send.count, del.count]).toEqual([1, 1]);
    nock.cleanAll();
  });

  it('maps a GET timeout, retried, to B2BROUTER_UNAVAILABLE', async () => {
    nock(BASE).get('/invoices/1').times(2).delay(300).reply(200, {});
    const err = await failure(makeClient({ timeoutMs: 100, getAttempts: 2 }).getInvoice(conn, 1));
    expect(err.detail).toBe('B2B Router did not answer within 100 ms (after 2 attempts)');
  });

  it('retries a document download on 5xx but not on 404', async () => {
    nock(BASE).get('/invoices/1/as/pdf.invoice').reply(503);
    nock(BASE).get('/invoices/1/as/pdf.invoice').reply(404);
    await expect(makeClient().getDocument(conn, 1, 'pdf.invoice')).resolves.toBeNull();
  });
});
