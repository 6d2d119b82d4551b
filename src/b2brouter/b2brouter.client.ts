import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error';
import { Metrics } from '../metrics/metrics';
import { readAccount, readInvoice, readInvoicePage } from './b2brouter.envelope';
import { B2bRouterHttp } from './b2brouter.http';
import { route, type B2bRouterRequest } from './b2brouter.request';
import type {
  B2bRouterAccount,
  B2bRouterConnection,
  B2bRouterDocument,
  B2bRouterInvoice,
  B2bRouterInvoiceInput,
  B2bRouterInvoicePage,
  B2bRouterListQuery,
} from './b2brouter.types';

export const B2BROUTER_CLIENT_OPTIONS = Symbol('B2BROUTER_CLIENT_OPTIONS');

export interface B2bRouterClientOptions {
  /** Per attempt, body included. */
  timeoutMs: number;
  /** Attempts in total for a GET; other methods get exactly one. */
  getAttempts?: number;
  backoffBaseMs?: number;
  /** A Retry-After asking for longer than this ends the retries at once. */
  maxRetryAfterMs?: number;
}

/** B2B Router's page size ceiling. */
const MAX_LIMIT = 500;

/**
 * The one way into B2B Router. Every method throws only DomainError: B2BROUTER_UNAVAILABLE
 * (retryable: network, timeout, 429, 5xx, unexpected answer) or B2BROUTER_REJECTED (other 4xx).
 */
@Injectable()
export class B2bRouterClient {
  private readonly http: B2bRouterHttp;

  constructor(
    http: HttpService,
    metrics: Metrics,
    @Inject(B2BROUTER_CLIENT_OPTIONS) options: B2bRouterClientOptions,
  ) {
    this.http = new B2bRouterHttp(http, metrics, {
      timeoutMs: options.timeoutMs,
      getAttempts: options.getAttempts ?? 3,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
    });
  }

  async getAccount(conn: B2bRouterConnection, accountId: string): Promise<B2bRouterAccount> {
    const req: B2bRouterRequest = {
      method: 'GET',
      ...route('/accounts/{account}', { account: accountId }),
    };
    return readAccount(await this.http.exchange(conn, req), req);
  }

  /**
   * Never retried. On B2BROUTER_UNAVAILABLE the invoice may exist all the same: look the number
   * up before creating again. 422 parameter_taken means the number is already used there.
   */
  async createInvoice(
    conn: B2bRouterConnection,
    accountId: string,
    invoice: B2bRouterInvoiceInput,
  ): Promise<B2bRouterInvoice> {
    const req: B2bRouterRequest = {
      method: 'POST',
      ...route('/accounts/{account}/invoices', { account: accountId }),
      body: { invoice, send_after_import: false },
    };
    return readInvoice(await this.http.exchange(conn, req), req);
  }

  /** Never retried: a second send could deliver the invoice twice. Any 2xx body is ignored. */
  async sendInvoice(conn: B2bRouterConnection, invoiceId: number): Promise<void> {
    const target = route('/invoices/send_invoice/{id}', { id: invoiceId });
    await this.http.exchange(conn, { method: 'POST', ...target });
  }

  async getInvoice(conn: B2bRouterConnection, invoiceId: number): Promise<B2bRouterInvoice> {
    const req: B2bRouterRequest = { method: 'GET', ...route('/invoices/{id}', { id: invoiceId }) };
    return readInvoice(await this.http.exchange(conn, req), req);
  }

  /**
   * Invoices whose number is exactly `number`. If B2B Router answered with a page too long to be
   * a filtered result, it ignored the filter: a "not found" would then be a guess that can lead to
   * a duplicate, so this fails instead.
   */
  async findInvoicesByNumber(
    conn: B2bRouterConnection,
    accountId: string,
    number: string,
  ): Promise<B2bRouterInvoice[]> {
    const page = await this.listPage(conn, accountId, { number, limit: MAX_LIMIT });
    const complete =
      page.totalCount === undefined
        ? page.invoices.length < MAX_LIMIT
        : page.invoices.length >= page.totalCount;
    if (!complete) {
      throw new DomainError(
        'B2BROUTER_UNAVAILABLE',
        `B2B Router did not filter its invoices by number ${JSON.stringify(number)}, ` +
          'so whether that invoice exists there cannot be told; the service asks again later',
        { retryable: true },
      );
    }
    return page.invoices.filter((invoice) => invoice.number === number);
  }

  /** `limit` above 500 is lowered to 500, B2B Router's maximum. */
  async listInvoices(
    conn: B2bRouterConnection,
    accountId: string,
    query: B2bRouterListQuery,
  ): Promise<B2bRouterInvoicePage> {
    const limit = query.limit === undefined ? undefined : Math.min(query.limit, MAX_LIMIT);
    return this.listPage(conn, accountId, { ...query, limit });
  }

  /** Not retried (not a GET). An invoice already gone (404) counts as deleted. */
  async deleteInvoice(conn: B2bRouterConnection, invoiceId: number): Promise<void> {
    const target = route('/invoices/{id}', { id: invoiceId });
    await this.http.exchange(conn, { method: 'DELETE', ...target, alsoAccept: [404] });
  }

  /**
   * A rendered document such as 'pdf.invoice' or 'xml.ubl.invoice.bis3'. Null means 404: B2B
   * Router renders documents asynchronously, so a fresh invoice has none yet.
   */
  async getDocument(
    conn: B2bRouterConnection,
    invoiceId: number,
    type: string,
  ): Promise<B2bRouterDocument | null> {
    const answer = await this.http.exchange(conn, {
      method: 'GET',
      ...route('/invoices/{id}/as/{type}', { id: invoiceId, type }),
      // As the official SDK does: a document is not JSON, and asking only for JSON risks a 406.
      accept: type.startsWith('pdf') ? 'application/pdf' : 'application/xml',
      alsoAccept: [404],
    });
    if (answer.status === 404) return null;
    const contentType = answer.headers['content-type'] ?? 'application/octet-stream';
    return { contentType, body: answer.body };
  }

  private async listPage(
    conn: B2bRouterConnection,
    accountId: string,
    query: B2bRouterListQuery & { number?: string },
  ): Promise<B2bRouterInvoicePage> {
    const req: B2bRouterRequest = {
      method: 'GET',
      ...route('/accounts/{account}/invoices', { account: accountId }),
      query: { ...query },
    };
    return readInvoicePage(await this.http.exchange(conn, req), req);
  }
}
