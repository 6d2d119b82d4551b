import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { error, kindOf, readJson, reply, type MockAnswer, type RequestHook } from './mock-http';
import { mockAccount, totals, type LineInput, type MockInvoice } from './mock-invoice';

/**
 * A stand-in for the few B2B Router endpoints registration uses (shapes from
 * /work/shared/b2brouter/API-NOTES.md). It counts creates per number and sends per id, as asked
 * and as done, because those counts are what "registered exactly once" means.
 */

export interface MockOptions {
  /** Delay added to every answer, in ms. */
  latencyMs?: number;
  /** Lets a crash test act at a precise moment; awaited before the answer is written. */
  onRequest?: RequestHook;
  /** The first id handed out; a distinct one per run keeps ids unique in a shared database. */
  firstId?: number;
}

/** One number's story at the mock: attempts, and what B2B Router actually did. */
export interface NumberCounts {
  createAttempts: number;
  /** Creates that made an invoice (a refused `parameter_taken` made none). */
  creates: number;
  id?: number;
  sendAttempts: number;
  /** Sends that sent it (a `409 conflict` sent nothing). */
  sends: number;
}

export interface Tally {
  /** Expected numbers created exactly once whose invoice was sent exactly once. */
  exact: number;
  /** Numbers (expected or not) with a create count other than one. */
  badNumbers: { number: string; creates: number }[];
  /** Ids with a send count other than one, including created invoices never sent. */
  badIds: { id: number; sends: number }[];
}

export interface MockB2bRouter {
  url: string;
  port: number;
  latencyMs: number;
  /** Every count, serialised: equal snapshots mean nothing reached the mock in between. */
  snapshot(): string;
  tally(expectedNumbers: readonly string[]): Tally;
  /** What happened to this number, with the id the mock gave its invoice if it created one. */
  counts(number: string): NumberCounts;
  close(): Promise<void>;
}

export async function startMockB2bRouter(options: MockOptions = {}): Promise<MockB2bRouter> {
  const { latencyMs = 0, onRequest } = options;
  const invoices = new Map<number, MockInvoice>();
  const idByNumber = new Map<string, number>();
  const creates = new Map<string, number>();
  const sends = new Map<number, number>();
  // What B2B Router did, apart from what it was asked: a refused create or send did nothing.
  const created = new Map<string, number>();
  const sent = new Map<number, number>();
  let nextId = options.firstId ?? 1000;
  let requestSeq = 0;

  async function handle(req: IncomingMessage): Promise<MockAnswer> {
    if (!req.headers['x-b2b-api-key']) return error(401, 'missing_api_key', 'No API key');
    if (!req.headers['x-b2b-api-version']) return error(400, 'missing_api_version', 'No version');
    const url = new URL(req.url ?? '/', 'http://mock');
    const parts = url.pathname.split('/').filter(Boolean);
    const body = await readJson(req);
    const route = `${req.method} /${parts.map((p) => (/^\d+$/.test(p) ? ':n' : p)).join('/')}`;
    switch (route) {
      case 'GET /accounts/:n':
        return [200, { account: mockAccount(Number(parts[1])) }];
      case 'POST /accounts/:n/invoices':
        return create(body);
      case 'GET /accounts/:n/invoices':
        return list(url.searchParams);
      case 'POST /invoices/send_invoice/:n':
        return send(Number(parts[2]));
      case 'GET /invoices/:n': {
        const invoice = invoices.get(Number(parts[1]));
        return invoice ? [200, { invoice }] : error(404, 'resource_missing', 'No such invoice');
      }
      default:
        return error(404, 'resource_missing', `No route ${req.method} ${url.pathname}`);
    }
  }

  function create(body: unknown): MockAnswer {
    const input = (body as { invoice?: Record<string, unknown> } | undefined)?.invoice;
    const number = input?.number;
    if (typeof number !== 'string' || !number) return error(422, 'parameter_blank', 'No number');
    increment(creates, number);
    if (idByNumber.has(number)) {
      return error(422, 'parameter_taken', `Number ${number} has already been taken`);
    }
    const id = nextId++;
    const lines = Array.isArray(input.invoice_lines_attributes)
      ? (input.invoice_lines_attributes as LineInput[])
      : [];
    const invoice: MockInvoice = {
      id,
      number,
      state: 'new',
      date: typeof input.date === 'string' ? input.date : undefined,
      currency: typeof input.currency === 'string' ? input.currency : 'EUR',
      contact: input.contact,
      ...totals(lines),
    };
    invoices.set(id, invoice);
    idByNumber.set(number, id);
    increment(created, number);
    return [201, { invoice }];
  }

  function send(id: number): MockAnswer {
    increment(sends, id);
    const invoice = invoices.get(id);
    if (!invoice) return error(404, 'resource_missing', `No invoice ${id}`);
    // As B2B Router does: the state forbids a second send.
    if (invoice.state !== 'new') return error(409, 'conflict', `Invoice ${id} was already sent`);
    invoice.state = 'sent';
    increment(sent, id);
    return [200, { invoice }];
  }

  function list(query: URLSearchParams): MockAnswer {
    const number = query.get('number');
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(Number(query.get('limit') ?? 25), 500);
    const all = [...invoices.values()].filter((i) => number === null || i.number === number);
    const page = all.slice(offset, offset + limit);
    return [200, { invoices: page, meta: { total_count: all.length, offset, limit } }];
  }

  const server = createServer((req, res) => {
    const requestId = `mock-${++requestSeq}`;
    const kind = kindOf(req);
    // Never rejects: handle's and the hook's failures become a 500 answer.
    void handle(req)
      .then(async (answer) => {
        // Applied to every answer, after the state change: like a slow network on the way back.
        if (latencyMs > 0) await sleep(latencyMs);
        if (kind) await onRequest?.(kind, 'received');
        return answer;
      })
      .catch((err: unknown) => error(500, 'internal', String(err)))
      .then(([status, body]) => {
        // The caller may have died in the hook: there is nobody left to answer.
        if (res.destroyed) return;
        reply(res, requestId, status, body, () => void (kind && onRequest?.(kind, 'answered')));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    latencyMs,
    snapshot: () => JSON.stringify([[...creates], [...sends]]),
    counts(number) {
      const id = idByNumber.get(number);
      const of = <K>(map: Map<K, number>, key: K | undefined) =>
        key === undefined ? 0 : (map.get(key) ?? 0);
      return {
        createAttempts: of(creates, number),
        creates: of(created, number),
        id,
        sendAttempts: of(sends, id),
        sends: of(sent, id),
      };
    },
    tally(expectedNumbers) {
      const expected = new Set(expectedNumbers);
      const numbers = new Set([...expected, ...creates.keys()]);
      const badNumbers = [...numbers]
        .map((number) => ({ number, creates: creates.get(number) ?? 0 }))
        .filter((n) => n.creates !== 1);
      const ids = new Set([...invoices.keys(), ...sends.keys()]);
      const badIds = [...ids]
        .map((id) => ({ id, sends: sends.get(id) ?? 0 }))
        .filter((i) => i.sends !== 1);
      const exact = [...expected].filter((number) => {
        const id = idByNumber.get(number);
        return creates.get(number) === 1 && id !== undefined && sends.get(id) === 1;
      }).length;
      return { exact, badNumbers, badIds };
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
