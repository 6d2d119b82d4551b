import { DataSource, MigrationExecutor } from 'typeorm';

/** Two instances starting together must not both migrate. */
const MIGRATION_LOCK_ID = 7_100_001;

/**
 * Applies pending migrations under a session advisory lock, each in its own transaction.
 * Lock, migrations and unlock share one query runner: with PGlite's single connection a
 * second one would wait forever, and an advisory lock belongs to the session that took it.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
