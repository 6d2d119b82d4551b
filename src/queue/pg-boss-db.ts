import type { Db } from 'pg-boss';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

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
