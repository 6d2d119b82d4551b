import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../common/errors/domain-error';
import {
  failureFromThrown,
  isTransient,
  retryAfterMs,
  toDomainError,
  type Failure,
} from './b2brouter.failure';
import { readRequestId, scrubKey } from './b2brouter.remote';
import { SUPPORTED_API_VERSIONS, type B2bRouterConnection } from './b2brouter.types';

export interface RetryPolicy {
  timeoutMs: number;
  getAttempts: number;
  backoffBaseMs: number;
  maxRetryAfterMs: number;
}

export interface B2bRouterRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Starts with '/'; every variable segment already encodeURIComponent-ed. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  accept?: string;
  /** Non-2xx statuses the caller handles itself, such as 404 on a delete. */
  alsoAccept?: readonly number[];
}

export interface B2bRouterAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
  requestId?: string;
}

/** Sends one call, replaying GETs on transient failures; throws only DomainError. */
export async function exchange(
  conn: B2bRouterConnection,
  req: B2bRouterRequest,
  policy: RetryPolicy,
): Promise<B2bRouterAnswer> {
  const url = buildUrl(conn, req);
  // Only GETs are replayed: B2B Router has no idempotency key, so a replayed POST can duplicate.
  const attempts = req.method === 'GET' ? Math.max(1, policy.getAttempts) : 1;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(conn, url, req, policy.timeoutMs);
    if ('status' in outcome) return outcome;
    const wait = retryAfterMs(outcome);
    const retry =
      attempt < attempts && isTransient(outcome) && (wait ?? 0) <= policy.maxRetryAfterMs;
    if (!retry) throw toDomainError(outcome, conn, url, req, { attempt, wait, policy });
    await sleep(wait ?? fullJitter(policy, attempt));
  }
}

async function attemptOnce(
  conn: B2bRouterConnection,
  url: URL,
  req: B2bRouterRequest,
  timeoutMs: number,
): Promise<B2bRouterAnswer | Failure> {
  const headers: Record<string, string> = {
    'X-B2B-API-Key': conn.apiKey,
    'X-B2B-API-Version': conn.apiVersion,
    Accept: req.accept ?? 'application/json',
  };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  let answer: B2bRouterAnswer;
  try {
    const res = await fetch(url, {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      // A redirect would carry the key header to wherever it points; treat it as an answer.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The body is read under the same deadline, so a stalled download also times out.
    const body = Buffer.from(await res.arrayBuffer());
    answer = {
      status: res.status,
      headers: res.headers,
      body,
      requestId: readRequestId(res.headers),
    };
  } catch (err) {
    return failureFromThrown(err);
  }
  const ok =
    (answer.status >= 200 && answer.status < 300) || req.alsoAccept?.includes(answer.status);
  return ok ? answer : { kind: 'status', answer };
}

function buildUrl(conn: B2bRouterConnection, req: B2bRouterRequest): URL {
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(conn.apiVersion)) {
    const version = JSON.stringify(scrubKey(conn.apiVersion, conn.apiKey));
    const supported = SUPPORTED_API_VERSIONS.join(', ');
    const detail = `B2B Router API version ${version} is not supported; use one of ${supported}`;
    throw new DomainError('UNSUPPORTED_API_VERSION', detail);
  }
  let url: URL;
  try {
    url = new URL(conn.baseUrl.replace(/\/+$/, '') + req.path);
  } catch {
    throw new DomainError('API_ADDRESS_NOT_ALLOWED', 'The B2B Router API address is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DomainError('API_ADDRESS_NOT_ALLOWED', 'The B2B Router API address must be http(s)');
  }
  for (const [name, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}

function fullJitter(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxRetryAfterMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}
