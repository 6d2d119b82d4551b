import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database.options';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { EMBEDDED_TEMPLATE_DIR, TEST_DB, testDatabaseUrl } from './databases';
import { recreateDatabase } from './postgres-admin';

/** Prepares a freshly migrated database for the run, with the production migrate function. */
export default async function globalSetup(): Promise<void> {
  if (TEST_DB === 'postgres') {
    const url = testDatabaseUrl();
    await recreateDatabase(url);
    await migrate({ url, embedded: false });
    return;
  }
  rmSync(EMBEDDED_TEMPLATE_DIR, { recursive: true, force: true });
  const embedded = await EmbeddedPostgres.start(EMBEDDED_TEMPLATE_DIR);
  try {
    await migrate({ url: embedded.url, embedded: true });
  } finally {
    await embedded.stop();
  }
}

async function migrate(target: { url: string; embedded: boolean }): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
