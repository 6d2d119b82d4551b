import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ApiRole, Env } from '../config/env';
import { loadOrCreateLocalSecret, randomToken } from '../config/local-secrets';

interface StoredToken {
  role: ApiRole;
  digest: Buffer;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The bearer tokens the service accepts. Only digests are kept in memory, and every lookup
 * compares against every token in constant time, so timing reveals neither a token nor a prefix.
 */
@Injectable()
export class ApiTokens {
  private readonly logger = new Logger(ApiTokens.name);
  private readonly tokens: StoredToken[];

  constructor(config: ConfigService<Env, true>) {
    const configured = config.get('API_TOKENS', { infer: true });
    if (configured) {
      this.tokens = configured.map(({ role, token }) => ({ role, digest: digest(token) }));
      return;
    }
    const dataDir = config.get('DATA_DIR', { infer: true });
    const { value, created } = loadOrCreateLocalSecret(dataDir, 'admin.token', randomToken);
    if (created) {
      this.logger.warn(
        `API_TOKENS is not set: generated an admin token, kept in ${dataDir}/admin.token. ` +
          `Use it as "Authorization: Bearer ${value}". It is not printed again.`,
      );
    }
    this.tokens = [{ role: 'admin', digest: digest(value) }];
  }

  roleOf(token: string): ApiRole | undefined {
    const candidate = digest(token);
    let role: ApiRole | undefined;
    for (const stored of this.tokens) {
      if (timingSafeEqual(stored.digest, candidate) && !role) role = stored.role;
    }
    return role;
  }
}
