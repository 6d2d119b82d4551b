import { randomInt } from 'node:crypto';
import { runId } from './bench-fixtures';
import { describeDatabase } from './bench-report';
import { readCrashOptions } from './crash-options';
import { runScenario, type ScenarioResult } from './crash-scenario';
import { startMockB2bRouter } from './mock-b2brouter';
import type { RequestHook } from './mock-http';

/**
 * `npm run crash-test`: kills the service with a real SIGKILL around B2B Router's create and send,
 * restarts it on the same database, and checks that the invoice was created and sent exactly
 * once, with nobody calling register again. A script, not a jest test: the point is a separate
 * process dying for real, its embedded database included. Exit code 1 if any point failed.
 */

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const options = readCrashOptions(process.argv.slice(2), process.env);
  let hook: RequestHook | undefined;
  // One mock for the run; each scenario arms it. Ids start at random: a PostgreSQL that was not
  // emptied may hold the ids of an earlier run, and the service keeps them unique.
  const mock = await startMockB2bRouter({
    onRequest: (kind, phase) => hook?.(kind, phase),
    firstId: randomInt(1_000, 1_000_000_000),
  });
  const run = runId();
  out(`crash test on ${describeDatabase(options.databaseUrl)}, run ${run}`);
  out(`kill points: ${options.points.join(', ')}`);
  out("about 35 s each, mostly waiting for the killed attempt's lease to end (4 × 500 ms + 30 s)");
  const results: ScenarioResult[] = [];
  try {
    for (const point of options.points) {
      out(`\n${point}:`);
      const result = await runScenario(point, {
        mock,
        arm: (h) => (hook = h),
        databaseUrl: options.databaseUrl,
        runId: run,
        progress: out,
      });
      results.push(result);
      out(result.line);
      for (const line of result.details) out(`    ${line}`);
    }
  } finally {
    await mock.close();
  }
  const failed = results.filter((r) => !r.ok).length;
  out(`\nsummary (${describeDatabase(options.databaseUrl)}):`);
  for (const r of results) out(`  ${r.line}`);
  out(failed === 0 ? `all ${results.length} passed` : `${failed} of ${results.length} FAILED`);
  return failed === 0 ? 0 : 1;
}

// process.exit runs the services' exit hooks, which kill -9 any child still running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `crash test failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
