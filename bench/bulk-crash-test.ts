import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConfirmedInvoice, createContact, createDevice, runId } from './bench-fixtures';
import { apiClient, type ApiCall, expectSuccess, runPool } from './bench-http';
import { describeDatabase } from './bench-report';
import { readFlags } from './cli-flags';
import { startMockB2bRouter } from './mock-b2brouter';
import type { RequestHook } from './mock-http';
import { startService } from './service-process';

/**
 * `npm run crash-test:bulk`: a bulk registration, the service killed with a real SIGKILL in the
 * middle of it (while B2B Router is making one of its invoices), restarted on the same database,
 * and left alone: the job must finish with every invoice created once and sent once.
 */

const USAGE = [
  'Usage: npm run crash-test:bulk -- [--count N] [--database-url postgres://…]',
  '  env: BULK_CRASH_COUNT (default 200), CRASH_DATABASE_URL (default: the embedded database)',
].join('\n');
const FLAGS = { count: 'BULK_CRASH_COUNT', 'database-url': 'CRASH_DATABASE_URL' } as const;
const SERVICE_ENV = {
  // A killed item's lease (4 × timeout + 30 s) and its job's expiry end after 32 s.
  B2BROUTER_TIMEOUT_MS: '500',
  BULK_REGISTRATION_CONCURRENCY: '4',
  LOG_LEVEL: 'info',
};
const FINISH_TIMEOUT_MS = 300_000;
const POLL_MS = 500;

const out = (line: string) => process.stdout.write(`${line}\n`);

interface Batch {
  status: string;
  succeeded: number;
  failed: number;
  pending: number;
  items: Array<{ state: string; code?: string }>;
}

async function main(): Promise<number> {
  const raw = readFlags<keyof typeof FLAGS>(process.argv.slice(2), process.env, {
    vars: FLAGS,
    usage: USAGE,
  });
  const count = Number(raw('count') ?? 200);
  const databaseUrl = raw('database-url');
  let hook: RequestHook | undefined;
  const mock = await startMockB2bRouter({
    onRequest: (kind, phase) => hook?.(kind, phase),
    firstId: randomInt(1_000, 1_000_000_000),
  });
  const run = runId();
  out(`bulk crash test on ${describeDatabase(databaseUrl)}, run ${run}, ${count} invoices`);
  let service = await startService({ mockPort: mock.port, databaseUrl, env: SERVICE_ENV });
  let ok = false;
  try {
    const workstation = `BULK-${run}`;
    let call = apiClient(service.baseUrl, service.token, { 'X-Workstation-Id': workstation });
    await createDevice(call, mock.url, workstation);
    const contact = await createContact(call);
    const numbers = Array.from({ length: count }, (_, i) => `BULK-${run}-${i + 1}`);
    const ids = await runPool(numbers, 8, (n) => createConfirmedInvoice(call, contact, n, true));

    // Killed while B2B Router makes the invoice of about a third of the way through.
    const killAfter = Math.ceil(count / 3);
    let creates = 0;
    let dead: Promise<void> | undefined;
    let killedAt = 0;
    hook = (kind, phase) => {
      if (kind !== 'create' || phase !== 'received' || dead || ++creates < killAfter) return;
      killedAt = performance.now();
      dead = service.kill();
      return dead;
    };
    const accepted = expectSuccess(
      await call('POST', '/registrations', { invoiceIds: ids }),
      'POST /registrations',
    );
    const batchId = String(accepted.id);
    while (!dead) await sleep(50);
    await dead;
    hook = undefined;
    out(`killed -9 during create ${killAfter}; restarting on the same database`);

    service = await service.restart();
    call = apiClient(service.baseUrl, service.token, { 'X-Workstation-Id': workstation });
    const batch = await awaitDone(call, batchId);
    const finishedS = (performance.now() - killedAt) / 1000;
    const tally = mock.tally(numbers);
    const problems = [
      batch.succeeded !== count && `${batch.succeeded} of ${count} succeeded`,
      tally.exact !== count && `${tally.exact} of ${count} created and sent exactly once`,
      tally.badNumbers.length > 0 &&
        `created other than once: ${JSON.stringify(tally.badNumbers.slice(0, 5))}`,
      tally.badIds.length > 0 &&
        `sent other than once: ${JSON.stringify(tally.badIds.slice(0, 5))}`,
    ].filter((p): p is string => typeof p === 'string');
    ok = problems.length === 0;
    out(
      ok
        ? `OK: ${count} of ${count} registered, each created once and sent once; the batch was done ${finishedS.toFixed(1)} s after the kill`
        : `FAILED: ${problems.join('; ')} (service log: ${service.logFile})`,
    );
  } finally {
    hook = undefined;
    await service.stop(!ok);
    await mock.close();
  }
  return ok ? 0 : 1;
}

async function awaitDone(call: ApiCall, batchId: string): Promise<Batch> {
  const deadline = performance.now() + FINISH_TIMEOUT_MS;
  for (;;) {
    const answer = await call('GET', `/registrations/${batchId}`);
    const batch = answer.body as Batch | null;
    if (answer.status === 200 && batch?.status === 'done') return batch;
    if (performance.now() > deadline) {
      throw new Error(
        `the batch is not done ${FINISH_TIMEOUT_MS / 1000} s after the restart: ${JSON.stringify({ ...batch, items: undefined })}`,
      );
    }
    await sleep(POLL_MS);
  }
}

// process.exit runs the services' exit hooks, which kill -9 any child still running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    out(`bulk crash test failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
