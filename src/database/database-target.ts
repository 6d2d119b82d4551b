import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { Env } from '../config/env';
import type { DatabaseTarget } from './database.options';
import { EmbeddedPostgres } from './embedded-postgres';

/**
 * Where the database is: `DATABASE_URL`, or an embedded PGlite under `DATA_DIR` started here.
 * Owns the embedded server's lifetime, which must end after the data source's last query.
 */
@Injectable()
export class DatabaseRuntime implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseRuntime.name);
  private embedded?: EmbeddedPostgres;
  target: DatabaseTarget;

  constructor(
    @Inject(ConfigService) private readonly config: ConfigService<Env, true>,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  async start(): Promise<DatabaseTarget> {
    const url = this.config.get('DATABASE_URL', { infer: true });
    if (url) {
      this.target = { url, embedded: false };
    } else {
      const dataDir = this.config.get('DATA_DIR', { infer: true });
      this.embedded = await EmbeddedPostgres.start(dataDir);
      this.logger.log(`No DATABASE_URL: using the embedded PostgreSQL (PGlite) in ${dataDir}`);
      this.target = { url: this.embedded.url, embedded: true };
    }
    return this.target;
  }

  /** For the start line: where the data lives, never a password. */
  describe(): string {
    if (this.target.embedded) {
      return `embedded PostgreSQL (PGlite) in ${this.config.get('DATA_DIR', { infer: true })}`;
    }
    const url = new URL(this.target.url);
    return `PostgreSQL at ${url.host}${url.pathname}`;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
    this.embedded = undefined;
  }
}
