import { DomainError } from '../common/errors/domain-error';
import type { B2bRouterAnswer, RetryPolicy } from './b2brouter.http';
import { readRemoteProblem, scrubKey } from './b2brouter.remote';
import type { B2bRouterRequest } from './b2brouter.request';
import type { B2bRouterConnection } from './b2brouter.types';

export type NoAnswer = { kind: 'timeout' } | { kind: 'network'; reason: string };

/** Why one attempt did not produce an answer the caller accepts. */
export type Failure = NoAnswer | { kind: 'status'; answer: B2bRouterAnswer };

/**
 * Failures that happen before a byte of the request leaves: no connection, no name, no trusted
 * TLS peer. Anything else (a reset, a hang-up) may come after B2B Router received the call.
 */
const NEVER_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|CERT_|ERR_TLS_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

export function isTransient(failure: Failure): boolean {
  if (failure.kind !== 'status') return true;
  return failure.answer.status === 429 || failure.answer.status >= 500;
}

export function retryAfterMs(failure: Failure): number | undefined {
  if (failure.kind !== 'status') return undefined;
  const value = failure.answer.headers['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// Duck-typed rather than instanceof: the error may come from the ESM copy of axios that
// @nestjs/axios loads, or from Node outside jest's realm, where instanceof Error is false.
interface ThrownShape {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function shape(value: unknown): ThrownShape {
  return typeof value === 'object' && value !== null ? value : {};
}

/** axios keeps the system error as `cause`: its code (ECONNREFUSED, ENOTFOUND…) says most. */
export function networkReason(err: unknown): string {
  const outer = shape(err);
  const inner = shape(outer.cause);
  for (const candidate of [inner.code, outer.code, inner.message, outer.message]) {
    if (typeof candidate === 'string' && candidate) return candidate;
  }
  return 'unknown network error';
}

export interface FailureContext {
  attempt: number;
  wait: number | undefined;
  policy: RetryPolicy;
}

export function toDomainError(
  failure: Failure,
  conn: B2bRouterConnection,
  url: URL,
  req: B2bRouterRequest,
  { attempt, wait, policy }: FailureContext,
): DomainError {
  const after = attempt > 1 ? ` (after ${attempt} attempts)` : '';
  if (failure.kind === 'timeout') {
    const detail = `B2B Router did not answer within ${policy.timeoutMs} ms${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, {
      retryable: true,
      unknownOutcome: true,
    });
  }
  if (failure.kind === 'network') {
    const reason = scrubKey(failure.reason, conn.apiKey).slice(0, 200);
    const detail = `Could not reach B2B Router at ${url.host}: ${reason}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, {
      retryable: true,
      unknownOutcome: !NEVER_SENT.test(failure.reason),
    });
  }
  const { status } = failure.answer;
  const remote = readRemoteProblem(failure.answer, conn.apiKey);
  const call = `${req.method} ${url.pathname}`;
  if (status === 429) {
    const retryAfter = wait === undefined ? {} : { headers: { 'Retry-After': seconds(wait) } };
    const detail = `B2B Router is rate limiting requests (429) on ${call}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, {
      retryable: true,
      remote,
      ...retryAfter,
    });
  }
  if (status >= 500) {
    // A 5xx can come after the work was done (a gateway timing out on a slow backend).
    const detail = `B2B Router answered ${status} to ${call}${after}`;
    return new DomainError('B2BROUTER_UNAVAILABLE', detail, {
      retryable: true,
      unknownOutcome: true,
      remote,
    });
  }
  const hint = status >= 300 && status < 400 ? ', a redirect (check the API address)' : '';
  const detail = `B2B Router answered ${status}${hint} to ${call}`;
  return new DomainError('B2BROUTER_REJECTED', detail, { retryable: false, remote });
}

function seconds(ms: number): string {
  return String(Math.ceil(ms / 1000));
}
