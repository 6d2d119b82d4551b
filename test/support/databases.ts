import { join } from 'node:path';
import { tmpdir } from 'node:os';

/** Which database a test run uses: `TEST_DB=embedded` (PGlite) or `TEST_DB=postgres`. */
export const TEST_DB = process.env.TEST_DB === 'postgres' ? 'postgres' : 'embedded';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/b2brouter_test';

/** A PGlite data dir migrated once per run, copied for each suite (~0.4 s instead of ~3 s). */
export const EMBEDDED_TEMPLATE_DIR =
  process.env.TEST_TEMPLATE_DIR ?? join(tmpdir(), `b2brouter-test-template-${process.ppid}`);
