import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { mockAccount, totals, type LineInput, type MockInvoice } from './mock-invoice';

/**
 * A stand-in for the few B2B Router endpoints registration uses (shapes from
 * /work/shared/b2brouter/API-NOTES.md). It counts every create per invoice number and every send
 * per id, whatever it answers, because those counts are what "registered exactly once" means.
 */

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
  /** Every count, serialised: equal snapshots mean nothing reached the mock in between. */
  snapshot(): string;
  tally(expectedNumbers: readonly string[]): Tally;
  /** The id the mock gave the invoice of this number, if it created one. */
  idOf(number: string): number | undefined;
  close(): Promise<void>;
}

export async function startMockB2bRouter(latencyMs: number): Promise<MockB2bRouter> {
  const invoices = new Map<number, MockInvoice>();
  const idByNumber = new Map<string, number>();
  const creates = new Map<string, number>();
  const sends = new Map<number, number>();
  let nextId = 1000;
  let requestSeq = 0;

  async function handle(req: IncomingMessage): Promise<[number, unknown?]> {
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

  function create(body: unknown): [number, unknown?] {
    const input = (body as { invoice?: Record<string, unknown> } | undefined)?.invoice;
    const number = input?.number;
    if (typeof number !== 'string' || !number) return error(422, 'parameter_blank', 'No number');
    creates.set(number, (creates.get(number) ?? 0) + 1);
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
    return [201, { invoice }];
  }

  function send(id: number): [number, unknown?] {
    sends.set(id, (sends.get(id) ?? 0) + 1);
    const invoice = invoices.get(id);
    if (!invoice) return error(404, 'resource_missing', `No invoice ${id}`);
    // As B2B Router does: the state forbids a second send.
    if (invoice.state !== 'new') return error(409, 'conflict', `Invoice ${id} was already sent`);
    invoice.state = 'sent';
    return [200, { invoice }];
  }

  function list(query: URLSearchParams): [number, unknown] {
    const number = query.get('number');
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(Number(query.get('limit') ?? 25), 500);
    const all = [...invoices.values()].filter((i) => number === null || i.number === number);
    const page = all.slice(offset, offset + limit);
    return [200, { invoices: page, meta: { total_count: all.length, offset, limit } }];
  }

  const server = createServer((req, res) => {
    const requestId = `mock-${++requestSeq}`;
    // Never rejects: handle's failures become a 500 answer.
    void handle(req)
      .catch((err: unknown) => error(500, 'internal', String(err)))
      .then(async (answer) => {
        // Applied to every answer, after the state change: like a slow network on the way back.
        if (latencyMs > 0) await sleep(latencyMs);
        const [status, body] = answer;
        reply(res, requestId, status, body);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    snapshot: () => JSON.stringify([[...creates], [...sends]]),
    idOf: (number) => idByNumber.get(number),
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

function error(status: number, code: string, message: string): [number, unknown] {
  return [status, { error: { code, message, type: 'invalid_request_error' } }];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}

function reply(res: ServerResponse, requestId: string, status: number, body?: unknown): void {
  res.setHeader('X-B2B-API-Request-Id', requestId);
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
