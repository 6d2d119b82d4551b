import nock from 'nock';
import { Metrics } from '../metrics/metrics';
import {
  BASE,
  conn,
  failure,
  invoiceInput,
  makeClient,
  remoteInvoice,
  socketError,
  useNock,
} from './b2brouter.testing';

/** Each counted series as `method route status`, with its count. */
async function calls(metrics: Metrics): Promise<Record<string, number>> {
  const { values } = await metrics.b2bRouterCalls.get();
  return Object.fromEntries(
    values.map(({ labels, value }) => [`${labels.method} ${labels.route} ${labels.status}`, value]),
  );
}

/** How many durations were observed, summed over every series. */
async function timedCalls(metrics: Metrics): Promise<number> {
  const { values } = await metrics.b2bRouterCallSeconds.get();
  return values
    .filter((v) => v.metricName === 'b2brouter_api_call_duration_seconds_count')
    .reduce((sum, v) => sum + v.value, 0);
}

describe('B2bRouterClient metrics', () => {
  useNock();

  it('counts every attempt under its route template and status', async () => {
    const metrics = new Metrics();
    nock(BASE).get('/invoices/4242').reply(503);
    nock(BASE).get('/invoices/4242').reply(200, { invoice: remoteInvoice() });
    await makeClient({}, metrics).getInvoice(conn, 4242);
    expect(await calls(metrics)).toEqual({
      'GET /invoices/{id} 503': 1,
      'GET /invoices/{id} 200': 1,
    });
    expect(await timedCalls(metrics)).toBe(2);
  });

  it('counts a call that got no answer as timeout or network', async () => {
    const metrics = new Metrics();
    const client = makeClient({ timeoutMs: 100 }, metrics);
    nock(BASE).post('/accounts/7/invoices').delay(300).reply(201, {});
    nock(BASE).post('/invoices/send_invoice/5').replyWithError(socketError('ECONNRESET'));
    await failure(client.createInvoice(conn, '7', invoiceInput));
    await failure(client.sendInvoice(conn, 5));
    expect(await calls(metrics)).toEqual({
      'POST /accounts/{account}/invoices timeout': 1,
      'POST /invoices/send_invoice/{id} network': 1,
    });
    expect(await timedCalls(metrics)).toBe(2);
  });
});
