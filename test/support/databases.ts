import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** Which database a test run uses: `TEST_DB=embedded` (PGlite) or `TEST_DB=postgres`. */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'embedded';

/**
 * The PostgreSQL database of this run. scripts/test.mjs names a new one for each run, so two runs
 * on one server do not drop each other's, and asks for it to be dropped at the end
 * (TEST_DROP_DATABASE); a TEST_DATABASE_URL the user sets is used as given and kept.
 */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DB=postgres needs TEST_DATABASE_URL; `npm test` (scripts/test.mjs) names a database for the run.',
    );
  }
  return url;
}

export const DROP_TEST_DATABASE = process.env.TEST_DROP_DATABASE === '1';

/** A PGlite data dir migrated once per run, copied for each suite (~0.4 s instead of ~3 s). */
export const EMBEDDED_TEMPLATE_DIR =
  process.env.TEST_TEMPLATE_DIR ?? join(tmpdir(), `b2brouter-test-template-${process.ppid}`);
