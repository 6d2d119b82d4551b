import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { loadOrCreateLocalSecret, randomToken } from '../config/local-secrets';
import type { Role } from './roles.decorator';

interface StoredToken {
  role: Role;
  digest: Buffer;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The bearer tokens the service accepts. Only digests are kept in memory, and every lookup
 * compares against every token in constant time, so timing reveals neither a token nor a prefix.
 */
@Injectable()
export class ApiTokens implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiTokens.name);
  private readonly tokens: StoredToken[];
  private generated?: { token: string; file: string };

  constructor(config: ConfigService<Env, true>) {
    const metricsToken = config.get('METRICS_TOKEN', { infer: true });
    // Listed last: a METRICS_TOKEN that is also an API token keeps that token's role.
    this.tokens = [
      ...this.apiTokens(config),
      ...(metricsToken ? [{ role: 'metrics' as const, digest: digest(metricsToken) }] : []),
    ];
  }

  private apiTokens(config: ConfigService<Env, true>): StoredToken[] {
    const configured = config.get('API_TOKENS', { infer: true });
    if (configured) return configured.map(({ role, token }) => ({ role, digest: digest(token) }));
    const dataDir = config.get('DATA_DIR', { infer: true });
    const { value, created } = loadOrCreateLocalSecret(dataDir, 'admin.token', randomToken);
    if (created) this.generated = { token: value, file: `${dataDir}/admin.token` };
    return [{ role: 'admin', digest: digest(value) }];
  }

  /**
   * Shown once, on its own, where a person starting the service looks: standard error, so it
   * never lands in the JSON log stream that log collectors keep.
   */
  onApplicationBootstrap(): void {
    if (!this.generated) return;
    const { token, file } = this.generated;
    this.logger.warn(`API_TOKENS is not set: generated an admin token, kept in ${file}.`);
    process.stderr.write(
      `\n  Admin token (generated, shown this once; kept in ${file}):\n` +
        `    Authorization: Bearer ${token}\n\n`,
    );
    this.generated = undefined;
  }

  roleOf(token: string): Role | undefined {
    const candidate = digest(token);
    let role: Role | undefined;
    for (const stored of this.tokens) {
      if (timingSafeEqual(stored.digest, candidate) && !role) role = stored.role;
    }
    return role;
  }
}
