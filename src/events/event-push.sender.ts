import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { signBody } from '../webhooks/webhook-signature';

export interface PushOutcome {
  delivered: boolean;
  /** The receiver's HTTP status; null when it gave none. */
  status: number | null;
  error: string | null;
}

/** How much of a refusing receiver's answer an operator gets to see. */
const ERROR_BODY_CHARS = 200;

/**
 * Posts one event to NOTIFY_WEBHOOK_URL, signed as B2B Router signs ours (`X-Signature:
 * t=<unix>,s=<hex HMAC-SHA256 of "<t>.<body>">`), freshly at each attempt so a receiver that
 * refuses old timestamps accepts a retry. Redirects are not followed: the signed body goes
 * where the operator said and nowhere else. Neither the secret nor the URL (which may carry a
 * token) ever appears in an outcome.
 */
@Injectable()
export class EventPushSender {
  readonly url: string | undefined;
  private readonly secret: string;
  private readonly timeoutMs: number;

  constructor(config: ConfigService<Env, true>) {
    this.url = config.get('NOTIFY_WEBHOOK_URL', { infer: true });
    this.secret = config.get('NOTIFY_WEBHOOK_SECRET', { infer: true }) ?? '';
    this.timeoutMs = config.get('NOTIFY_TIMEOUT_MS', { infer: true });
  }

  get enabled(): boolean {
    return this.url !== undefined;
  }

  /** A push that ends before its lease does: the timeout covers the answer's body too. */
  get longestPushMs(): number {
    return this.timeoutMs;
  }

  async push(eventId: string, body: string): Promise<PushOutcome> {
    if (!this.url) {
      return { delivered: false, status: null, error: 'NOTIFY_WEBHOOK_URL is not set' };
    }
    const t = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'b2brouter-invoicing',
          'X-Signature': signBody(body, this.secret, t),
          'X-Event-Id': eventId,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel();
        return { delivered: true, status: res.status, error: null };
      }
      return { delivered: false, status: res.status, error: await refusal(res) };
    } catch (error) {
      return { delivered: false, status: null, error: this.failure(error) };
    }
  }

  private failure(error: unknown): string {
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
      return `no answer within ${this.timeoutMs} ms`;
    }
    const code = errorCode(error);
    return code ? `connection failed: ${code}` : 'connection failed';
  }
}

type SystemError = { code?: unknown; cause?: unknown; errors?: unknown[] } | null | undefined;

/**
 * The system error code (ECONNREFUSED, …) fetch wraps, however deep. Duck-typed: the errors
 * come from undici's realm, where `instanceof Error` may not hold.
 */
function errorCode(error: unknown, depth = 0): string | undefined {
  const e = error as SystemError;
  if (!e || typeof e !== 'object' || depth > 4) return undefined;
  if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return e.code;
  return errorCode(e.errors?.[0] ?? e.cause, depth + 1);
}

async function refusal(res: Response): Promise<string> {
  if (res.status >= 300 && res.status < 400) {
    return `HTTP ${res.status} (redirects are not followed)`;
  }
  const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim();
  const shown = text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}…` : text;
  return `HTTP ${res.status}${shown ? `: ${shown}` : ''}`;
}
