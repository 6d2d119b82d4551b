import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/database.options';
import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { runMigrations } from '../../src/database/migrate';
import { EMBEDDED_TEMPLATE_DIR, TEST_DATABASE_URL, TEST_DB } from './databases';

/** Prepares a freshly migrated database for the run, with the production migrate function. */
export default async function globalSetup(): Promise<void> {
  if (TEST_DB === 'postgres') {
    await recreateDatabase(TEST_DATABASE_URL);
    await migrate({ url: TEST_DATABASE_URL, embedded: false });
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

async function recreateDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `TEST_DB=postgres needs a PostgreSQL at ${admin.host} (${String(error)}). ` +
        'Start it, set TEST_DATABASE_URL, or run only the embedded leg with `npm run test:embedded`.',
      { cause: error },
    );
  }
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
