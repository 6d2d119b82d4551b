import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { B2bRouterInvoiceInput } from '../b2brouter/b2brouter.types';
import { isUniqueViolation } from '../database/postgres-errors';
import { payloadTotals } from '../invoices/registration/b2brouter-invoice.mapper';
import { renderDocument } from './simulated-documents';
import { json, noContent, notFound, problem, type SimulatedAnswer } from './simulated-answers';
import { SimulatedFault } from './simulated-fault.entity';
import { SimulatedInvoice } from './simulated-invoice.entity';
import { ONE_TIME_FAULTS, type Scenario, scenarioOf } from './scenarios';
import { nextAfterSend, showInvoice } from './simulated-states';

export interface SimulatedRequest {
  method: string;
  url: URL;
  apiKey: string | undefined;
  body: unknown;
  /** The caller's deadline: a call the simulator leaves hanging ends when it fires. */
  signal?: AbortSignal;
}

type Handler = (req: SimulatedRequest, params: string[]) => Promise<SimulatedAnswer>;

/** A hanging call gives up after this even without a deadline, so nothing waits forever. */
const HANG_LIMIT_MS = 120_000;
const MAX_PAGE = 500;

/**
 * The built-in B2B Router: the endpoints this service uses (API-NOTES, "Endpoints"), with the
 * same shapes, status codes and error envelope, and the scripted faults of scenarios.ts. It
 * sits behind the HTTP layer (simulator-adapter.ts), so every call still goes through the
 * client's timeouts, retries, error mapping and metrics, exactly as in production.
 */
@Injectable()
export class B2bRouterSimulator {
  private readonly routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/accounts\/(\d+)$/, (_, [account]) => this.account(account)],
    ['POST', /^\/accounts\/(\d+)\/invoices$/, (req, [account]) => this.create(req, account)],
    ['GET', /^\/accounts\/(\d+)\/invoices$/, (req, [account]) => this.list(req, account)],
    ['POST', /^\/invoices\/send_invoice\/(\d+)$/, (_, [id]) => this.send(id)],
    ['GET', /^\/invoices\/(\d+)$/, (_, [id]) => this.show(id)],
    ['DELETE', /^\/invoices\/(\d+)$/, (_, [id]) => this.remove(id)],
    ['GET', /^\/invoices\/(\d+)\/as\/([\w.]+)$/, (_, [id, type]) => this.document(id, type)],
  ];

  constructor(
    @InjectRepository(SimulatedInvoice) private readonly invoices: Repository<SimulatedInvoice>,
    @InjectRepository(SimulatedFault) private readonly faults: Repository<SimulatedFault>,
  ) {}

  handle(req: SimulatedRequest): Promise<SimulatedAnswer> {
    if (!req.apiKey) return Promise.resolve(problem(401, 'missing_api_key', 'API key missing'));
    for (const [method, pattern, handler] of this.routes) {
      const match = pattern.exec(req.url.pathname);
      if (match && method === req.method) return handler(req, match.slice(1));
    }
    return Promise.resolve(notFound(`${req.method} ${req.url.pathname}`));
  }

  /** The invoice as B2B Router shows it, for the service's own view of the simulator. */
  async find(id: string): Promise<SimulatedInvoice | null> {
    return /^\d{1,18}$/.test(id) ? this.invoices.findOneBy({ id }) : null;
  }

  private account(id: string): Promise<SimulatedAnswer> {
    return Promise.resolve(json(200, {
      account: {
        id: Number(id),
        name: `Simulated account ${id}`,
        country: 'es',
        currency: 'EUR',
        rounding_method: 'half_up',
        round_before_sum: false,
        apply_taxes_per_line: false,
      },
    }));
  }

  private async create(req: SimulatedRequest, accountId: string): Promise<SimulatedAnswer> {
    const input = (req.body as { invoice?: B2bRouterInvoiceInput } | null)?.invoice;
    if (!input?.number || !Array.isArray(input.invoice_lines_attributes)) {
      return problem(422, 'parameter_blank', "Invoice number and lines can't be blank");
    }
    const scenario = scenarioOf(input.number);
    if (scenario === 'VAT') {
      return problem(422, 'parameter_invalid', `Contact tin_value ${input.contact?.tin_value ?? ''} is not a valid tax id`);
    }
    if (scenario === 'INVALID') return problem(422, 'parameter_blank', "Due date can't be blank");
    const fault = scenario && (await this.playsOnce(accountId, input.number, scenario));
    if (fault === '500') return problem(500, 'internal_error', 'Something went wrong');
    if (fault === '429') return json(429, {}, { 'retry-after': '2' });
    if (fault === 'TIMEOUT') return hang(req.signal);
    let invoice: SimulatedInvoice;
    try {
      invoice = await this.invoices.save(this.invoices.create(newInvoice(accountId, input, scenario)));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return problem(422, 'parameter_taken', 'Number has already been taken');
    }
    // Made, then the answer is lost on its way: the caller must find it by its number.
    if (fault === 'LOST') return hang(req.signal);
    return json(201, { invoice: showInvoice(invoice) });
  }

  private async list(req: SimulatedRequest, accountId: string): Promise<SimulatedAnswer> {
    const q = req.url.searchParams;
    const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
    const limit = Math.min(MAX_PAGE, Math.max(1, Number(q.get('limit') ?? 25) || 25));
    const query = this.invoices
      .createQueryBuilder('i')
      .where('i.account_id = :accountId', { accountId })
      .orderBy('i.id', 'ASC');
    const number = q.get('number');
    if (number !== null) query.andWhere('i.number = :number', { number });
    const from = q.get('date_from');
    if (from) query.andWhere("i.body->>'date' >= :from", { from });
    const to = q.get('date_to');
    if (to) query.andWhere("i.body->>'date' <= :to", { to });
    const [page, total] = await query.skip(offset).take(limit).getManyAndCount();
    return json(200, {
      invoices: page.map(showInvoice),
      meta: { total_count: total, offset, limit },
    });
  }

  private async send(id: string): Promise<SimulatedAnswer> {
    const invoice = await this.invoices.findOneBy({ id });
    if (!invoice) return notFound('Invoice');
    await this.invoices.increment({ id }, 'sendAttempts', 1);
    if (invoice.state !== 'new') {
      return problem(409, 'conflict', `Invoice ${invoice.number} was sent already`);
    }
    const next = nextAfterSend(invoice.scenario);
    // Only a `new` invoice moves: two sends racing, one wins and the other meets a 409.
    const moved = await this.invoices.update({ id, state: 'new' }, next);
    if (!moved.affected) return problem(409, 'conflict', `Invoice ${invoice.number} was sent already`);
    return json(200, { invoice: showInvoice({ ...invoice, ...next }) });
  }

  private async show(id: string): Promise<SimulatedAnswer> {
    const invoice = await this.invoices.findOneBy({ id });
    return invoice ? json(200, { invoice: showInvoice(invoice) }) : notFound('Invoice');
  }

  private async remove(id: string): Promise<SimulatedAnswer> {
    const gone = await this.invoices.delete({ id });
    return gone.affected ? noContent() : notFound('Invoice');
  }

  private async document(id: string, type: string): Promise<SimulatedAnswer> {
    const invoice = await this.invoices.findOneBy({ id });
    return (invoice && renderDocument(invoice, type)) ?? notFound('Document');
  }

  /** True the first time a number meets its one-time fault, on any instance, after any restart. */
  private async playsOnce(account: string, number: string, scenario: Scenario) {
    if (!ONE_TIME_FAULTS.includes(scenario)) return null;
    const inserted = await this.faults
      .createQueryBuilder()
      .insert()
      .values({ key: `${account}/${number}/${scenario}` })
      .orIgnore()
      .execute();
    // RETURNING of the defaulted column: a row when inserted, none when the key was there.
    return (inserted.raw as unknown[]).length > 0 ? scenario : null;
  }
}

function newInvoice(
  accountId: string,
  input: B2bRouterInvoiceInput,
  scenario: Scenario | null,
): Partial<SimulatedInvoice> {
  const totals = payloadTotals(input);
  return {
    accountId,
    number: input.number,
    state: 'new',
    scenario,
    nextStateAt: null,
    body: {
      ...input,
      subtotal: totals.subtotal,
      taxes: totals.taxes.map((t) => ({
        name: input.invoice_lines_attributes[0]?.taxes_attributes[0]?.name ?? 'VAT',
        category: t.category,
        percent: Number(t.rate),
        base: t.base,
        amount: t.amount,
      })),
      total: totals.total,
    },
  };
}

/** The answer that never comes: waits for the caller to give up, then fails as a dropped line. */
function hang(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Error('socket hang up'));
    if (signal?.aborted) return fail();
    signal?.addEventListener('abort', fail, { once: true });
    setTimeout(fail, HANG_LIMIT_MS).unref();
  });
}
