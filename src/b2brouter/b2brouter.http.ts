import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../common/errors/domain-error';
import { readRemoteProblem, readRequestId, scrubKey } from './b2brouter.remote';
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

type Failure =
  | { kind: 'timeout' }
  | { kind: 'network'; reason: string }
  | { kind: 'status'; answer: B2bRouterAnswer };

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
    answer = { status: res.status, headers: res.headers, body, requestId: readRequestId(res.headers) };
  } catch (err) {
    if (isTimeout(err)) return { kind: 'timeout' };
    return { kind: 'network', reason: networkReason(err) };
  }
  const ok = (answer.status >= 200 && answer.status < 300) || req.alsoAccept?.includes(answer.status);
  return ok ? answer : { kind: 'status', answer };
}

function buildUrl(conn: B2bRouterConnection, req: B2bRouterRequest): URL {
  if (!(SUPPORTED_API_VERSIONS as readonly string[]).includes(conn.apiVersion)) {
    throw new DomainError(
      'UNSUPPORTED_API_VERSION',
      `B2B Router API version ${JSON.stringify(conn.apiVersion)} is not supported; ` +
        `use one of ${SUPPORTED_API_VERSIONS.join(', ')}`,
    );
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

function isTransient(failure: Failure): boolean {
  if (failure.kind !== 'status') return true;
  return failure.answer.status === 429 || failure.answer.status >= 500;
}

function retryAfterMs(failure: Failure): number | undefined {
  if (failure.kind !== 'status') return undefined;
  const value = failure.answer.headers.get('Retry-After')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function fullJitter(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxRetryAfterMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  return Math.random() * ceiling;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** undici wraps the system error as `cause`: its code (ECONNREFUSED, ENOTFOUND…) says most. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  for (const candidate of [cause, err]) {
    const code = (candidate as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code) return code;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

interface Context {
  attempt: number;
  wait: number | undefined;
  policy: RetryPolicy;
}

function toDomainError(
  failure: Failure,
  conn: B2bRouterConnection,
  url: URL,
  req: B2bRouterRequest,
  { attempt, wait, policy }: Context,
): DomainError {
  const after = attempt > 1 ? ` (after ${attempt} attempts)` : '';
  if (failure.kind === 'timeout') {
    const detail = `B2B Router did not answer within ${policy.timeoutMs} ms${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, { retryable: true });
  }
  if (failure.kind === 'network') {
    const reason = scrubKey(failure.reason, conn.apiKey).slice(0, 200);
    const detail = `Could not reach B2B Router at ${url.host}: ${reason}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, { retryable: true });
  }
  const { status, headers, body } = failure.answer;
  const remote = readRemoteProblem(status, headers, body, conn.apiKey);
  const call = `${req.method} ${url.pathname}`;
  if (status === 429) {
    const retryAfter = wait === undefined ? {} : { headers: { 'Retry-After': seconds(wait) } };
    const detail = `B2B Router is rate limiting requests (429) on ${call}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, { retryable: true, remote, ...retryAfter });
  }
  if (status >= 500) {
    const detail = `B2B Router answered ${status} to ${call}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, { retryable: true, remote });
  }
  const hint = status >= 300 && status < 400 ? ', a redirect (check the API address)' : '';
  const detail = `B2B Router answered ${status}${hint} to ${call}`;
  return new DomainError('B2BROUTER_REJECTED', detail, { retryable: false, remote });
}

function seconds(ms: number): string {
  return String(Math.ceil(ms / 1000));
}
