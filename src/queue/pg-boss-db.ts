import type { Db } from 'pg-boss';
import type { Pool } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * pg-boss on the service's own pool rather than one of its own: the embedded database (PGlite)
 * serves a single connection, so a second pool would mix protocol messages on it, and on
 * PostgreSQL it keeps the connection count where the operator set it.
 */
export function pgBossDb(dataSource: DataSource): Db {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return { executeSql: (text, values) => pool.query(text, values) };
}

/** The schema pg-boss keeps its jobs in, beside ours. */
export const QUEUE_SCHEMA = 'pgboss';

/**
 * pg-boss inside one of our TypeORM transactions: what it writes commits or rolls back with it.
 * (On the embedded database this is also the only way: the transaction holds the one connection.)
 */
export function pgBossTransaction(manager: EntityManager): Db {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('Not inside a transaction');
  return {
    executeSql: async (text, values) => ({
      rows: (await runner.query(text, values, true)).records as unknown[],
    }),
  };
}
