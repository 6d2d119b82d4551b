import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_TEMPLATE_DIR, TEST_DB, testDatabaseUrl } from './databases';
import { TEST_TOKENS } from './tokens';

/** Runs before each test file: its own DATA_DIR, and the database of this run. */
const dataDir = mkdtempSync(join(tmpdir(), 'b2brouter-test-'));
if (TEST_DB === 'embedded') {
  cpSync(EMBEDDED_TEMPLATE_DIR, dataDir, { recursive: true });
  delete process.env.DATABASE_URL;
} else {
  process.env.DATABASE_URL = testDatabaseUrl();
}

Object.assign(process.env, {
  NODE_ENV: 'test',
  DATA_DIR: dataDir,
  API_TOKENS: `admin:${TEST_TOKENS.admin},booking:${TEST_TOKENS.booking}`,
  SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
  B2BROUTER_TIMEOUT_MS: '500',
  // Tests drive recovery themselves; a background sweep would race their assertions.
  REGISTRATION_RECOVERY_INTERVAL_MS: '0',
  REMOTE_STATE_POLL_INTERVAL_MS: '0',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
});
delete process.env.B2BROUTER_ALLOWED_HOSTS;
delete process.env.NOTIFY_WEBHOOK_URL;
delete process.env.PORT;
