import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpModuleOptions, HttpService } from '@nestjs/axios';
import type { AxiosResponse } from 'axios';
import type { Metrics } from '../metrics/metrics';
import type { B2bRouterSimulator } from '../simulator/b2brouter-simulator';
import { simulatorAdapter } from '../simulator/simulator-adapter';
import {
  isTransient,
  networkReason,
  retryAfterMs,
  toDomainError,
  type Failure,
  type NoAnswer,
} from './b2brouter.failure';
import { readRequestId } from './b2brouter.remote';
import { buildUrl, type B2bRouterRequest } from './b2brouter.request';
import type { B2bRouterConnection } from './b2brouter.types';

export interface RetryPolicy {
  timeoutMs: number;
  getAttempts: number;
  backoffBaseMs: number;
  maxRetryAfterMs: number;
}

/** Names lower-cased; a repeated header's values joined with ', '. */
export type AnswerHeaders = Readonly<Record<string, string | undefined>>;

export interface B2bRouterAnswer {
  status: number;
  headers: AnswerHeaders;
  body: Buffer;
  requestId?: string;
}

/**
 * The axios settings of every B2B Router call. A function, not a constant, so each app builds its
 * own connection pool.
 */
export function b2bRouterHttpOptions(simulator: () => B2bRouterSimulator): HttpModuleOptions {
  // Kept alive to spare a TLS handshake per call. Idle ones close after 5 s, as in Node's global
  // agent: before a server would, so a POST (never replayed) does not meet a closing connection.
  const agent = { keepAlive: true, timeout: 5_000 };
  return {
    httpAgent: new HttpAgent(agent),
    httpsAgent: new HttpsAgent(agent),
    // A redirect would carry the key header to wherever it points; it is an answer like any other.
    maxRedirects: 0,
    // Every status goes to our own mapping (b2brouter.failure.ts) rather than being thrown.
    validateStatus: () => true,
    // Bytes: documents are binary, error pages HTML; b2brouter.envelope.ts parses the JSON.
    responseType: 'arraybuffer',
    // Straight to the allowed host: axios would otherwise go through an HTTP(S)_PROXY found in
    // the environment, a party the device's allowed-hosts check never saw.
    proxy: false,
    // A simulator device's calls are answered in process; every other goes to the network.
    adapter: simulatorAdapter(simulator),
  };
}

/** B2B Router calls over HttpService: GETs replayed on transient failures, every attempt counted. */
export class B2bRouterHttp {
  constructor(
    private readonly http: HttpService,
    private readonly metrics: Metrics,
    private readonly policy: RetryPolicy,
  ) {}

  /** Throws only DomainError. */
  async exchange(conn: B2bRouterConnection, req: B2bRouterRequest): Promise<B2bRouterAnswer> {
    const { policy } = this;
    const url = buildUrl(conn, req);
    // Only GETs are replayed: B2B Router has no idempotency key, so a replayed POST can duplicate.
    const attempts = req.method === 'GET' ? Math.max(1, policy.getAttempts) : 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(conn, url, req);
      if ('status' in outcome) return outcome;
      const wait = retryAfterMs(outcome);
      const retry =
        attempt < attempts && isTransient(outcome) && (wait ?? 0) <= policy.maxRetryAfterMs;
      if (!retry) throw toDomainError(outcome, conn, url, req, { attempt, wait, policy });
      await sleep(wait ?? fullJitter(policy, attempt));
    }
  }

  private async attempt(
    conn: B2bRouterConnection,
    url: URL,
    req: B2bRouterRequest,
  ): Promise<B2bRouterAnswer | Failure> {
    const labels = { route: req.route, method: req.method };
    const stopTimer = this.metrics.b2bRouterCallSeconds.startTimer(labels);
    const result = await this.send(conn, url, req);
    const status = 'status' in result ? String(result.status) : result.kind;
    stopTimer({ status });
    this.metrics.b2bRouterCalls.inc({ ...labels, status });
    if (!('status' in result)) return result;
    const ok =
      (result.status >= 200 && result.status < 300) || req.alsoAccept?.includes(result.status);
    return ok ? result : { kind: 'status', answer: result };
  }

  private async send(
    conn: B2bRouterConnection,
    url: URL,
    req: B2bRouterRequest,
  ): Promise<B2bRouterAnswer | NoAnswer> {
    // One deadline for the whole attempt, body included: axios's own `timeout` stops counting once
    // the headers are in, so a stalled body would never time out.
    const deadline = AbortSignal.timeout(this.policy.timeoutMs);
    try {
      // The module's axios instance itself: HttpService's Observable wrapper would add a cancel
      // token per call, and the deadline already ends a call.
      const res = await this.http.axiosRef.request<Buffer>({
        url: url.href,
        method: req.method,
        headers: {
          'X-B2B-API-Key': conn.apiKey,
          'X-B2B-API-Version': conn.apiVersion,
          Accept: req.accept ?? 'application/json',
          // false, not absent: axios would label a POST without a body as a form.
          'Content-Type': req.body === undefined ? false : 'application/json',
        },
        data: req.body,
        signal: deadline,
      });
      const headers = textHeaders(res.headers);
      const requestId = readRequestId(headers, conn.apiKey);
      return { status: res.status, headers, body: res.data, requestId };
    } catch (err) {
      return deadline.aborted
        ? { kind: 'timeout' }
        : { kind: 'network', reason: networkReason(err) };
    }
  }
}

function textHeaders(headers: AxiosResponse['headers']): AnswerHeaders {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value.join(', ') : String(value),
    ]),
  );
}

function fullJitter(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxRetryAfterMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}
