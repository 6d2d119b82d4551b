#!/usr/bin/env node
// Runs the test suite on both databases the service supports, the embedded one (PGlite) and
// PostgreSQL, then prints one closing line `N passed, N failed`.
// Usage: npm test [-- <jest args>]; TEST_DBS=embedded (or postgres) runs one leg only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const legs = (process.env.TEST_DBS ?? 'embedded,postgres').split(',').filter(Boolean);
const extraArgs = process.argv.slice(2);
// Unit tests touch no database: the PostgreSQL leg runs only the e2e suites, unless told otherwise.
const legArgs = (db) => (db === 'postgres' && extraArgs.length === 0 ? ['test/'] : extraArgs);
const outDir = mkdtempSync(join(tmpdir(), 'b2brouter-jest-'));
// A PostgreSQL database of this run alone: two runs on one server (two checkouts, two CI jobs)
// must not drop each other's. A TEST_DATABASE_URL the user sets is used as given and kept.
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';
const ownDatabase = process.env.TEST_DATABASE_URL
  ? undefined
  : `b2brouter_test_${process.pid}_${randomBytes(4).toString('hex')}`;
const databaseEnv = {
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL || `${LOCAL_POSTGRES}/${ownDatabase}`,
  TEST_DROP_DATABASE: ownDatabase ? '1' : '',
};
let passed = 0;
let failed = 0;

for (const db of legs) {
  process.stdout.write(`\n=== Tests on ${db === 'postgres' ? 'PostgreSQL' : 'the embedded database (PGlite)'} ===\n`);
  const outputFile = join(outDir, `${db}.json`);
  const result = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js',
      // --forceExit: a handle a failed test leaves open must not hang CI until its time limit.
      '--json', `--outputFile=${outputFile}`, '--forceExit', ...legArgs(db)],
    // Each run migrates its own embedded template, so concurrent runs cannot clobber it.
    {
      stdio: 'inherit',
      env: { ...process.env, ...databaseEnv, TEST_DB: db, TEST_TEMPLATE_DIR: join(outDir, 'template') },
    },
  );
  if (db === 'postgres' && ownDatabase) await dropOwnDatabase();
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    process.stdout.write(`${db}: ${report.numPassedTests} passed, ${report.numFailedTests} failed\n`);
  } catch {
    failed += 1;
    process.stdout.write(`${db}: jest did not report (exit ${result.status}); counted as a failure\n`);
  }
  if (result.status !== 0 && failed === 0) failed += 1;
}

process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);

/** jest's globalTeardown drops it already, but not when jest crashed or was killed. */
async function dropOwnDatabase() {
  const client = new pg.Client({ connectionString: `${LOCAL_POSTGRES}/postgres` });
  try {
    await client.connect();
  } catch {
    return; // No server: the leg failed before it could create the database.
  }
  try {
    await client.query(`DROP DATABASE IF EXISTS "${ownDatabase}" WITH (FORCE)`);
  } catch (error) {
    process.stderr.write(`Could not drop the test database ${ownDatabase}: ${error.message}\n`);
  } finally {
    await client.end();
  }
}
