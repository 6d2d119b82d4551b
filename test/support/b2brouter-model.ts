import { setTimeout as sleep } from 'node:timers/promises';
import nock from 'nock';
import { PRODUCTION, STAGING } from './fixtures';

/**
 * A stateful model of B2B Router at the HTTP level, for model-based tests: two environments,
 * accounts with their own keys, invoices with per-environment integer ids, and faults injected
 * per call. It records every effect our service had (which account created which number, how
 * many sends each invoice received), so a test can check "created once, sent once" whatever
 * the service believed.
 */

export type Environment = 'staging' | 'production';

export const BASE_URL: Record<Environment, string> = { staging: STAGING, production: PRODUCTION };

export interface AccountSpec {
  environment: Environment;
  id: string;
  apiKey: string;
  name: string;
}

/** The accounts the model knows. 4711 exists in both environments: same number, other account. */
export const ACCOUNTS = {
  'staging/4711': {
    environment: 'staging',
    id: '4711',
    apiKey: 'stg_4711_key_aaaa',
    name: 'Leisure Venue SL',
  },
  'staging/8888': {
    environment: 'staging',
    id: '8888',
    apiKey: 'stg_8888_key_bbbb',
    name: 'Leisure Venue Norte SL',
  },
  'production/4711': {
    environment: 'production',
    id: '4711',
    apiKey: 'prd_4711_key_cccc',
    name: 'Leisure Venue SL',
  },
} as const satisfies Record<string, AccountSpec>;

export type AccountKey = keyof typeof ACCOUNTS;
export const ACCOUNT_KEYS = Object.keys(ACCOUNTS) as AccountKey[];

/** The calls a fault can be aimed at. `get` is GET /invoices/{id}; `lookup` the list by number. */
export type Operation = 'create' | 'send' | 'lookup' | 'get';
export const OPERATIONS: readonly Operation[] = ['create', 'send', 'lookup', 'get'];

/**
 * - `lost`: the effect happens, then the connection drops (the caller cannot know it happened);
 * - `slow`: the call is admitted now, its effect happens and its answer comes only after
 *   `slowMs`, longer than the caller's timeout, so meanwhile B2B Router shows the old state;
 * - `5xx`, `429`: refused before any effect.
 */
export type Fault = 'lost' | 'slow' | '5xx' | '429';
export const FAULTS: readonly Fault[] = ['lost', 'slow', '5xx', '429'];

export interface RemoteInvoice {
  environment: Environment;
  accountId: string;
  id: number;
  number: string;
  state: string;
  date: string;
  total: string;
  subtotal: string;
  contact: Record<string, unknown>;
  invoice_lines: Array<Record<string, unknown>>;
  created_at: string;
  /** Seeded by the test, not created through the API. */
  foreign: boolean;
  /** Send calls B2B Router accepted for this invoice (each one delivers it). */
  sends: number;
  /** Deleted through the API: gone from lists and lookups, still counted as created. */
  deleted?: boolean;
}

/** [status, body, headers], as a nock reply function returns it. */
type Answer = [number, unknown?, Record<string, string>?];

/** What a call does once admitted: applies its effect (if any) and gives its answer. */
type Commit = () => Answer;

/**
 * Admits a call on arrival (its preconditions are judged then) and returns what it commits, now
 * or when its slow answer is given.
 */
type Admit = () => Commit;

/** A call that decides nothing on arrival: its answer shows the state when it is given. */
const atAnswer =
  (answer: Commit): Admit =>
  () =>
    answer;

/** Calls no fault is aimed at. */
type Unfaulted = 'other';

const problem = (code: string, message: string) => ({ error: { code, message } });
const NOT_FOUND: Answer = [404, problem('resource_missing', 'Resource not found')];

export class B2bRouterModel {
  private readonly invoices: RemoteInvoice[] = [];
  private readonly nextId: Record<Environment, number> = { staging: 1, production: 1 };
  private readonly faults: Record<Operation, Fault[]> = {
    create: [],
    send: [],
    lookup: [],
    get: [],
  };
  /** Slow answers not given yet: their effects are still to come. */
  private readonly owed = new Set<Promise<unknown>>();

  /** `log` gets one line per call, with its fault and outcome, in the order they happen. */
  constructor(
    private readonly slowMs: number,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Answers every call to both environments until `nock.cleanAll()`. */
  install(): void {
    for (const environment of Object.keys(BASE_URL) as Environment[]) {
      const scope = nock(BASE_URL[environment]).persist();
      for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
        const handle = (uri: string, key: string, body: unknown) =>
          this.handle(environment, method, uri, key, body);
        // Not an arrow function: nock passes the request as `this.req`.
        scope
          .intercept(() => true, method)
          .reply(function (uri, body) {
            // Read now: nock overwrites `this.req` with the next request on a persisted interceptor.
            const key: unknown = this.req.headers['x-b2b-api-key'];
            return handle(uri, typeof key === 'string' ? key : '', body);
          });
      }
    }
  }

  /** An invoice someone else made with `number`, years ago, already sent. */
  seedForeign(
    accountKey: AccountKey,
    number: string,
    { total, contact }: { total: string; contact: Record<string, unknown> },
  ): RemoteInvoice {
    const account = ACCOUNTS[accountKey];
    const invoice: RemoteInvoice = {
      environment: account.environment,
      accountId: account.id,
      id: this.nextId[account.environment]++,
      number,
      state: 'sent',
      date: '2019-03-14',
      total,
      subtotal: total,
      contact,
      invoice_lines: [{ description: 'Consulting', quantity: '1', price: total }],
      created_at: '2019-03-14T09:12:00.000Z',
      foreign: true,
      sends: 0,
    };
    this.invoices.push(invoice);
    this.log(`seed ${label(invoice)}: foreign, sent, total ${total}`);
    return invoice;
  }

  /** The next `times` calls of `operation`, in any environment, suffer `fault`. */
  injectFault(operation: Operation, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults[operation].push(fault);
  }

  clearFaults(): void {
    for (const operation of OPERATIONS) this.faults[operation] = [];
  }

  /** Waits until every slow answer has been given, so every admitted effect has happened. */
  async settle(): Promise<void> {
    while (this.owed.size > 0) await Promise.allSettled([...this.owed]);
  }

  /** Invoices with this number that our service created (seeded foreign ones excluded). */
  ourInvoicesNumbered(number: string): RemoteInvoice[] {
    return this.invoices.filter((i) => !i.foreign && i.number === number);
  }

  foreignInvoicesNumbered(number: string): RemoteInvoice[] {
    return this.invoices.filter((i) => i.foreign && i.number === number);
  }

  find(environment: Environment, id: number): RemoteInvoice | undefined {
    return this.invoices.find((i) => i.environment === environment && i.id === id);
  }

  all(): readonly RemoteInvoice[] {
    return this.invoices;
  }

  private async handle(
    environment: Environment,
    method: string,
    uri: string,
    apiKey: string,
    body: unknown,
  ): Promise<Answer> {
    const url = new URL(uri, BASE_URL[environment]);
    const account = Object.values(ACCOUNTS).find(
      (a) => a.environment === environment && a.apiKey === apiKey,
    );
    const call = `${environment} ${method} ${url.pathname}${url.search}`;
    if (!account) {
      this.log(`${call} → 401 (unknown key)`);
      return [401, problem('invalid_api_key', 'Invalid API key')];
    }
    const route = this.route(method, url, account, parseBody(body));
    if (!route) {
      this.log(`${call} → 404 (no such endpoint in the model)`);
      return NOT_FOUND;
    }
    return this.perform(route.operation, call, route.admit);
  }

  /** Which operation a call is, and what it does when admitted (decided on arrival). */
  private route(
    method: string,
    url: URL,
    caller: AccountSpec,
    body: Record<string, unknown> | undefined,
  ): { operation: Operation | Unfaulted; admit: Admit } | undefined {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (m = path.match(/^\/accounts\/(\d+)$/))) {
      const id = m[1];
      return { operation: 'other', admit: atAnswer(() => this.account(caller, id)) };
    }
    if ((m = path.match(/^\/accounts\/(\d+)\/invoices$/))) {
      if (caller.id !== m[1]) {
        const refusal: Answer = [401, problem('unauthorized', 'Not your account')];
        return { operation: 'other', admit: atAnswer(() => refusal) };
      }
      if (method === 'POST') {
        return { operation: 'create', admit: () => this.admitCreate(caller, body) };
      }
      if (method === 'GET') {
        return { operation: 'lookup', admit: atAnswer(() => this.list(caller, url)) };
      }
    }
    if (method === 'POST' && (m = path.match(/^\/invoices\/send_invoice\/(\d+)$/))) {
      const id = Number(m[1]);
      return { operation: 'send', admit: () => this.admitSend(caller, id) };
    }
    if (method === 'GET' && (m = path.match(/^\/invoices\/(\d+)$/))) {
      const id = Number(m[1]);
      return { operation: 'get', admit: atAnswer(() => this.get(caller, id)) };
    }
    if (method === 'DELETE' && (m = path.match(/^\/invoices\/(\d+)$/))) {
      const id = Number(m[1]);
      return { operation: 'other', admit: atAnswer(() => this.remove(caller, id)) };
    }
    return undefined;
  }

  /** Applies the call's fault, if one is due, around its admission and commit. */
  private async perform(
    operation: Operation | Unfaulted,
    call: string,
    admit: Admit,
  ): Promise<Answer> {
    const fault = operation === 'other' ? undefined : this.faults[operation].shift();
    if (fault === '5xx') {
      this.log(`${call} → 503 [5xx, no effect]`);
      return [503, problem('service_unavailable', 'Service temporarily unavailable')];
    }
    if (fault === '429') {
      this.log(`${call} → 429 [rate limited, no effect]`);
      return [429, { error: { message: 'Rate limit exceeded' } }];
    }
    const commit = admit();
    if (fault === 'slow') return this.owe(call, commit);
    const answer = commit();
    if (fault === 'lost') {
      this.log(`${call} → ${summary(answer)} [lost: connection reset after the effect]`);
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    this.log(`${call} → ${summary(answer)}`);
    return answer;
  }

  /** A slow answer: admitted now, effect and answer after `slowMs`, when the caller has given up. */
  private owe(call: string, commit: Commit): Promise<Answer> {
    this.log(`${call} → admitted, answer delayed [slow]`);
    const answer = sleep(this.slowMs).then(() => {
      const given = commit();
      this.log(`${call} → ${summary(given)} [slow answer given now]`);
      return given;
    });
    this.owed.add(answer);
    void answer.finally(() => this.owed.delete(answer));
    return answer;
  }

  private account(caller: AccountSpec, id: string): Answer {
    if (caller.id !== id) return [401, problem('unauthorized', 'Not your account')];
    return [
      200,
      {
        account: {
          id: Number(id),
          name: caller.name,
          tin_value: 'ESB12345674',
          country: 'es',
          currency: 'EUR',
          rounding_method: 'half_up',
          round_before_sum: false,
          apply_taxes_per_line: false,
        },
      },
    ];
  }

  /**
   * A number is unique in its account: checked on arrival and again when the invoice is stored
   * (B2B Router's unique index), so two overlapping creates in one account make one invoice.
   */
  private admitCreate(caller: AccountSpec, body: Record<string, unknown> | undefined): Commit {
    const input = body?.invoice as Record<string, unknown> | undefined;
    const number = typeof input?.number === 'string' ? input.number : '';
    if (!input || !number) {
      return () => [422, problem('parameter_blank', 'Number cannot be blank')];
    }
    const taken = () =>
      this.invoices.some(
        (i) =>
          !i.deleted &&
          i.environment === caller.environment &&
          i.accountId === caller.id &&
          i.number === number,
      );
    const refusal: Answer = [422, problem('parameter_taken', 'Number has already been taken')];
    if (taken()) return () => refusal;
    return () => {
      if (taken()) return refusal;
      const invoice = this.store(caller, number, input);
      // The flag sits outside `invoice`; true would send it on import.
      if (body?.send_after_import === true) this.deliver(invoice);
      return [201, { invoice: view(invoice) }];
    };
  }

  private store(
    caller: AccountSpec,
    number: string,
    input: Record<string, unknown>,
  ): RemoteInvoice {
    const lines = Array.isArray(input.invoice_lines_attributes)
      ? (input.invoice_lines_attributes as Array<Record<string, unknown>>)
      : [];
    const { subtotal, total } = totals(lines);
    const invoice: RemoteInvoice = {
      environment: caller.environment,
      accountId: caller.id,
      id: this.nextId[caller.environment]++,
      number,
      state: 'new',
      date: typeof input.date === 'string' ? input.date : '',
      total,
      subtotal,
      contact: (input.contact as Record<string, unknown>) ?? {},
      invoice_lines: lines.map(({ taxes_attributes: _taxes, ...line }) => line),
      created_at: new Date().toISOString(),
      foreign: false,
      sends: 0,
    };
    this.invoices.push(invoice);
    return invoice;
  }

  /**
   * The state is checked on arrival: an admitted send delivers the invoice, even if another send
   * overtakes it while it is slow (the state shows `sent` only once it is done).
   */
  private admitSend(caller: AccountSpec, id: number): Commit {
    const invoice = this.visible(caller, id);
    if (!invoice) return () => NOT_FOUND;
    if (invoice.state !== 'new') {
      return () => [
        409,
        problem('conflict', `Invoice ${id} is ${invoice.state}; it cannot be sent`),
      ];
    }
    return () => {
      this.deliver(invoice);
      // Legacy answered 204; newer versions the invoice. Staging answers one, production the other.
      return caller.environment === 'staging' ? [200, { invoice: view(invoice) }] : [204];
    };
  }

  private deliver(invoice: RemoteInvoice): void {
    invoice.sends++;
    invoice.state = 'sent';
  }

  private get(caller: AccountSpec, id: number): Answer {
    const invoice = this.visible(caller, id);
    return invoice ? [200, { invoice: view(invoice) }] : NOT_FOUND;
  }

  /** Only an invoice not sent yet can go; it stays in the records (it was created all the same). */
  private remove(caller: AccountSpec, id: number): Answer {
    const invoice = this.visible(caller, id);
    if (!invoice) return NOT_FOUND;
    if (invoice.state !== 'new') {
      return [409, problem('conflict', `Invoice ${id} is ${invoice.state}; it cannot be deleted`)];
    }
    invoice.deleted = true;
    return [204];
  }

  private list(caller: AccountSpec, url: URL): Answer {
    const number = url.searchParams.get('number');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 25) || 25, 500);
    const offset = Number(url.searchParams.get('offset') ?? 0) || 0;
    const matching = this.invoices.filter(
      (i) =>
        !i.deleted &&
        i.environment === caller.environment &&
        i.accountId === caller.id &&
        (number === null || i.number === number),
    );
    return [
      200,
      {
        invoices: matching.slice(offset, offset + limit).map(view),
        meta: { total_count: matching.length, offset, limit },
      },
    ];
  }

  /** An invoice id is only visible to a key of the account that holds it. */
  private visible(caller: AccountSpec, id: number): RemoteInvoice | undefined {
    const invoice = this.find(caller.environment, id);
    return invoice?.accountId === caller.id && !invoice.deleted ? invoice : undefined;
  }
}

/** The invoice as B2B Router shows it. */
function view(i: RemoteInvoice) {
  return {
    id: i.id,
    type: 'IssuedInvoice',
    number: i.number,
    state: i.state,
    date: i.date,
    currency: 'EUR',
    subtotal: i.subtotal,
    total: i.total,
    contact: i.contact,
    invoice_lines: i.invoice_lines,
    created_at: i.created_at,
  };
}

/** Each line's net rounded to cents, tax rounded once per rate on the summed bases (half up). */
function totals(lines: Array<Record<string, unknown>>): { subtotal: string; total: string } {
  const basesByRate = new Map<number, number>();
  let subtotalCents = 0;
  for (const line of lines) {
    const net = Math.round(Number(line.quantity) * Number(line.price) * 100);
    const taxes = Array.isArray(line.taxes_attributes) ? line.taxes_attributes : [];
    const rate = taxes.length ? Number((taxes[0] as Record<string, unknown>).percent) : 21;
    subtotalCents += net;
    basesByRate.set(rate, (basesByRate.get(rate) ?? 0) + net);
  }
  let taxCents = 0;
  for (const [rate, base] of basesByRate) taxCents += Math.round((base * rate) / 100);
  return { subtotal: cents(subtotalCents), total: cents(subtotalCents + taxCents) };
}

const cents = (value: number) => (value / 100).toFixed(2);

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body === 'string' && body) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
}

function summary([status, body]: Answer): string {
  const b = body as { invoice?: RemoteInvoice; invoices?: unknown[]; error?: { code?: string } };
  if (b?.invoice) return `${status} id ${b.invoice.id} (${b.invoice.state})`;
  if (b?.invoices) return `${status} ${b.invoices.length} found`;
  if (b?.error?.code) return `${status} ${b.error.code}`;
  return String(status);
}

export function label(i: RemoteInvoice): string {
  return `${i.environment}/${i.accountId} #${i.id} ${i.number}${i.deleted ? ' (deleted)' : ''}`;
}
