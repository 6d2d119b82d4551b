import { Client } from 'pg';

/** Runs `statements` for the database `url` names, from its server's `postgres` database. */
async function onServer(url: string, statements: (name: string) => string[]): Promise<void> {
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
    for (const sql of statements(name)) await client.query(sql);
  } finally {
    await client.end();
  }
}

export const recreateDatabase = (url: string) =>
  onServer(url, (name) => [
    `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
    `CREATE DATABASE "${name}"`,
  ]);

export const dropDatabase = (url: string) =>
  onServer(url, (name) => [`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`]);
