import type { DataSourceOptions } from 'typeorm';
import { entities } from './entities';
import { migrations } from './migrations';

export interface DatabaseTarget {
  url: string;
  /** True for PGlite, which serves exactly one connection. */
  embedded: boolean;
}

/** One set of options for the app, the migration scripts and the tests. */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    entities,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+; PGlite has no uuid-ossp to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    // A pool above one connection mixes protocol messages on PGlite; real Postgres gets a pool.
    extra: target.embedded
      ? { max: 1, connectionTimeoutMillis: 30_000 }
      : { max: 10, connectionTimeoutMillis: 10_000 },
  };
}
