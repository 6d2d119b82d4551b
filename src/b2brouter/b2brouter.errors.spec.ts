import nock from 'nock';
import {
  BASE,
  KEY,
  conn,
  exposed,
  failure,
  invoiceInput,
  makeClient,
  socketError,
  useNock,
} from './b2brouter.testing';

describe('B2bRouterClient error mapping', () => {
  useNock();
  const client = makeClient();

  it('keeps 422 parameter_taken as remote code, with the request id', async () => {
    nock(BASE)
      .post('/accounts/7/invoices')
      .reply(
        422,
        { error: { code: 'parameter_taken', message: 'Number has already been taken' } },
        { 'X-B2B-API-Request-Id': 'req-422' },
      );
    const err = await failure(client.createInvoice(conn, '7', invoiceInput));
    expect(err.code).toBe('B2BROUTER_REJECTED');
    expect(err.status).toBe(422);
    expect(err.options.retryable).toBe(false);
    expect(err.remote).toEqual({
      status: 422,
      code: 'parameter_taken',
      message: 'Number has already been taken',
      requestId: 'req-422',
    });
  });

  it('maps 401 invalid_api_key to B2BROUTER_REJECTED (older request id header)', async () => {
    nock(BASE)
      .get('/accounts/7')
      .reply(
        401,
        { error: { code: 'invalid_api_key', type: 'authentication_error' } },
        {
          'X-Request-Id': 'old-1',
        },
      );
    const err = await failure(client.getAccount(conn, '7'));
    expect(err.code).toBe('B2BROUTER_REJECTED');
    expect(err.remote).toEqual({ status: 401, code: 'invalid_api_key', requestId: 'old-1' });
  });

  it.each([
    ['a top-level message', { message: 'Invoice is locked' }, 'Invoice is locked'],
    [
      'an errors array of strings',
      { errors: ['date is blank', 'number is blank'] },
      'date is blank; number is blank',
    ],
    [
      'an errors array of objects',
      { errors: [{ field: 'contact.tin_value', message: 'is invalid' }, { code: 'x' }] },
      'contact.tin_value: is invalid; x',
    ],
    [
      'Rails-style errors',
      { errors: { number: ['is taken', 'is long'] } },
      'number: is taken, is long',
    ],
    ['a string error', { error: 'Forbidden' }, 'Forbidden'],
  ])('tolerates %s', async (_, body, message) => {
    nock(BASE).post('/accounts/7/invoices').reply(400, body);
    const err = await failure(client.createInvoice(conn, '7', invoiceInput));
    expect(err.remote).toEqual({ status: 400, message });
  });

  it('keeps at most 500 characters of a non-JSON body, as plain text', async () => {
    const html = `<html><body><script>alert(1)</script>${'x'.repeat(2000)}</body></html>`;
    nock(BASE).get('/invoices/1').reply(403, html, { 'Content-Type': 'text/html' });
    const err = await failure(client.getInvoice(conn, 1));
    expect(err.code).toBe('B2BROUTER_REJECTED');
    expect(err.remote?.message).toBe(html.slice(0, 500));
  });

  it('maps 429 to a retryable B2BROUTER_UNAVAILABLE, passing Retry-After on', async () => {
    nock(BASE).post('/invoices/send_invoice/5').reply(429, '', { 'Retry-After': '3' });
    const err = await failure(client.sendInvoice(conn, 5));
    expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
    expect(err.options).toMatchObject({ retryable: true, headers: { 'Retry-After': '3' } });
    expect(err.remote?.status).toBe(429);
  });

  it('names the host and the system error when B2B Router cannot be reached', async () => {
    nock(BASE).post('/accounts/7/invoices').replyWithError(socketError('ECONNREFUSED'));
    const err = await failure(client.createInvoice(conn, '7', invoiceInput));
    expect(err.detail).toBe(
      'Could not reach B2B Router at api-staging.b2brouter.net: ECONNREFUSED',
    );
    expect(err.options.retryable).toBe(true);
  });

  it('does not follow a redirect (it would carry the key elsewhere)', async () => {
    nock(BASE).get('/accounts/7').reply(301, '', { Location: 'https://elsewhere.test/' });
    const err = await failure(client.getAccount(conn, '7'));
    expect(err.code).toBe('B2BROUTER_REJECTED');
    expect(err.detail).toContain('redirect');
  });

  describe('never lets the API key out', () => {
    const echo = `Key ${KEY} is not valid`;

    it.each([
      ['an error message', { error: { code: 'invalid_api_key', message: echo } }],
      ['an errors array', { errors: [echo, { message: echo }] }],
      ['a top-level message', { message: echo }],
      ['an HTML page', `<p>${echo}</p>`],
    ])('when B2B Router echoes it in %s', async (_, body) => {
      nock(BASE).get('/accounts/7').reply(401, body, { 'X-B2B-API-Request-Id': KEY });
      const err = await failure(client.getAccount(conn, '7'));
      expect(exposed(err)).not.toContain(KEY);
      expect(err.remote?.message).toContain('[redacted]');
    });

    it('when a network error mentions it', async () => {
      nock(BASE).get('/accounts/7').times(3).replyWithError(`proxy refused ${KEY}`);
      const err = await failure(client.getAccount(conn, '7'));
      expect(exposed(err)).not.toContain(KEY);
    });

    it('when a 2xx it cannot read carries it as request id', async () => {
      nock(BASE).get('/accounts/7').reply(200, 'maintenance', { 'X-B2B-API-Request-Id': KEY });
      const err = await failure(client.getAccount(conn, '7'));
      expect(err.detail).toContain('unexpected answer');
      expect(exposed(err)).not.toContain(KEY);
    });

    it('when the server fails (5xx) after echoing it', async () => {
      nock(BASE).get('/accounts/7').times(3).reply(500, { message: echo });
      const err = await failure(client.getAccount(conn, '7'));
      expect(err.code).toBe('B2BROUTER_UNAVAILABLE');
      expect(exposed(err)).not.toContain(KEY);
    });
  });
});
