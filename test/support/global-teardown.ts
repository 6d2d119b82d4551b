import { DROP_TEST_DATABASE, TEST_DB, testDatabaseUrl } from './databases';
import { dropDatabase } from './postgres-admin';

/** Drops the database made for this run; scripts/test.mjs drops it too, should jest crash. */
export default async function globalTeardown(): Promise<void> {
  if (TEST_DB === 'postgres' && DROP_TEST_DATABASE) await dropDatabase(testDatabaseUrl());
}
