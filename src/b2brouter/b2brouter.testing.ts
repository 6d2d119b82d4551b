import { HttpService } from '@nestjs/axios';
import nock from 'nock';
import { DomainError } from '../common/errors/domain-error';
import { Metrics } from '../metrics/metrics';
import { B2bRouterClient, type B2bRouterClientOptions } from './b2brouter.client';
import { b2bRouterHttpOptions } from './b2brouter.http';
import type {
  B2bRouterConnection,
  B2bRouterInvoice,
  B2bRouterInvoiceInput,
} from './b2brouter.types';

/** Shared by the client specs; not part of the service. */

export const BASE = 'https://api-staging.b2brouter.net';
export const KEY = 'test_9f8e7d6c5b4a39281706abcdef';
export const conn: B2bRouterConnection = { baseUrl: BASE, apiKey: KEY, apiVersion: '2026-03-02' };

/**
 * The axios HttpModule itself uses: @nestjs/axios loads axios's ESM build, and `import 'axios'`
 * from this CommonJS file would get the other build, with types tsc holds apart.
 */
const nestAxios = new HttpService().axiosRef;

const noSimulator = () => {
  throw new Error('These tests run without the simulator');
};

/** The client as B2bRouterModule builds it; pass `metrics` to read what it recorded. */
export function makeClient(
  options: Partial<B2bRouterClientOptions> = {},
  metrics = new Metrics(),
): B2bRouterClient {
  const http = new HttpService(nestAxios.create(b2bRouterHttpOptions(noSimulator)));
  return new B2bRouterClient(http, metrics, { timeoutMs: 1000, backoffBaseMs: 1, ...options });
}

/** nock with real connections refused, and every declared interceptor required to be used. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(nock.isDone()).toBe(true);
  });
  afterAll(() => nock.enableNetConnect());
}

/**
 * A socket error as Node raises it, for nock's replyWithError. It must be an Error: for Node's
 * http client (axios), @mswjs/interceptors drops any other value and the request just hangs.
 */
export function socketError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

export async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return err as DomainError;
  }
  throw new Error('expected the call to fail');
}

/** Everything a thrown error could carry into a response or a log line. */
export function exposed(err: DomainError): string {
  return JSON.stringify({ err, message: err.message, options: err.options, stack: err.stack });
}

export const invoiceInput: B2bRouterInvoiceInput = {
  type: 'IssuedInvoice',
  number: 'F-2026-0001',
  date: '2026-05-04',
  currency: 'EUR',
  contact: { name: 'Acme SL', email: 'billing@acme.test', tin_value: 'ESB12345678', country: 'es' },
  invoice_lines_attributes: [
    {
      description: 'Room 101, 2 nights',
      quantity: '2',
      price: '80.00',
      taxes_attributes: [{ name: 'IVA', category: 'S', percent: '10.0' }],
    },
  ],
};

export function remoteInvoice(overrides: Partial<B2bRouterInvoice> = {}): B2bRouterInvoice {
  return { id: 4242, number: 'F-2026-0001', state: 'new', total: '176.00', ...overrides };
}
