import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import { DomainError } from '../common/errors/domain-error';
import type { Env } from '../config/env';

/**
 * Slows token guessing: only failed authentications count, per address (an IPv6 /64 counts as
 * one, as an attacker holds a whole one), and past AUTH_FAILURE_LIMIT in a window the address
 * gets 429 for a window. A request with a valid token never comes here, so a client that
 * knows its token is never slowed, even behind the same proxy or NAT as one that does not.
 */
@Injectable()
export class FailedAuthentications {
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    private readonly storage: ThrottlerStorageService,
    config: ConfigService<Env, true>,
  ) {
    this.limit = config.get('AUTH_FAILURE_LIMIT', { infer: true });
    this.windowMs = config.get('AUTH_FAILURE_WINDOW_SECONDS', { infer: true }) * 1000;
  }

  /** Counts one failure from `ip`; throws 429 once the address has failed too often. */
  async record(ip: string | undefined): Promise<void> {
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      normalizeIp(ip ?? 'unknown'),
      this.windowMs,
      this.limit,
      this.windowMs,
      'failed-authentication',
    );
    if (!isBlocked) return;
    throw new DomainError(
      'TOO_MANY_REQUESTS',
      `Too many failed authentications from your address: requests without a valid bearer ` +
        `token are refused for ${timeToBlockExpire} s. Requests with a valid token are served meanwhile.`,
      { headers: { 'Retry-After': String(timeToBlockExpire) } },
    );
  }
}
