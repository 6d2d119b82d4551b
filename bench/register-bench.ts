import { performance } from 'node:perf_hooks';
import { createConfirmedInvoice, createContact, createDevice, runId } from './bench-fixtures';
import { apiClient, runPool, type ApiCall } from './bench-http';
import { readOptions, type BenchOptions } from './bench-options';
import { printReport } from './bench-report';
import { registerInBulk } from './bulk-bench';
import { startMockB2bRouter, type MockB2bRouter } from './mock-b2brouter';
import { startService, type ServiceProcess } from './service-process';

/**
 * `npm run bench`: how fast the service registers invoices with a (mock) B2B Router, and whether
 * each one reached it exactly once. A benchmark, not a test: setup is untimed, only the register
 * calls are measured, and the exit code says whether the run was clean.
 */

/** Setup is not measured; a fixed width keeps it quick without drowning the embedded database. */
const SETUP_CONCURRENCY = 8;
const REPEAT_SAMPLE = 100;

interface BenchInvoice {
  id: string;
  number: string;
}

async function setup(call: ApiCall, mock: MockB2bRouter, n: number): Promise<BenchInvoice[]> {
  await createDevice(call, mock.url);
  const contactId = await createContact(call);
  const run = runId();
  const numbers = Array.from({ length: n }, (_, i) => `BENCH-${run}-${i + 1}`);
  return runPool(numbers, SETUP_CONCURRENCY, async (number, i) => {
    // Every other invoice has two lines at two rates, so both tax paths are exercised.
    const id = await createConfirmedInvoice(call, contactId, number, i % 2 === 1);
    return { id, number };
  });
}

/** Registers each invoice once; collects timings, statuses and the first body of each status. */
async function registerAll(call: ApiCall, invoices: BenchInvoice[], concurrency: number) {
  const statuses = new Map<number, number>();
  const firstBodies = new Map<number, unknown>();
  const remoteIds = new Map<string, unknown>();
  let registered = 0;
  const started = performance.now();
  const times = await runPool(invoices, concurrency, async ({ id, number }) => {
    const answer = await call('POST', `/invoices/${id}/register`);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    if (!firstBodies.has(answer.status)) firstBodies.set(answer.status, answer.body);
    const body = answer.body as { state?: unknown; b2brouterInvoiceId?: unknown } | null;
    if (answer.status === 200 && body?.state === 'registered') registered++;
    remoteIds.set(number, body?.b2brouterInvoiceId);
    return answer.ms;
  });
  const wallMs = performance.now() - started;
  return { statuses, firstBodies, remoteIds, registered, wallMs, times };
}

/** A second register of a sample must answer 200 and send nothing more to B2B Router. */
async function repeatSample(
  call: ApiCall,
  mock: MockB2bRouter,
  invoices: BenchInvoice[],
  c: number,
) {
  const size = Math.min(REPEAT_SAMPLE, invoices.length);
  const sample = Array.from(
    { length: size },
    (_, k) => invoices[Math.floor((k * invoices.length) / size)],
  );
  const before = mock.snapshot();
  const answers = await runPool(sample, c, ({ id }) => call('POST', `/invoices/${id}/register`));
  const good = answers.filter(
    (a) => a.status === 200 && (a.body as { state?: unknown })?.state === 'registered',
  );
  const unchanged = mock.snapshot() === before;
  return { size, good: good.length, unchanged, ok: good.length === size && unchanged };
}

async function run(options: BenchOptions, mock: MockB2bRouter, service: ServiceProcess) {
  const call = apiClient(service.baseUrl, service.token);
  process.stdout.write(`setup: creating and confirming ${options.n} invoices (not timed)…\n`);
  const invoices = await setup(call, mock, options.n);
  const how = options.bulk ? 'with POST /registrations' : 'one register call each';
  process.stdout.write(
    `registering ${options.n} invoices ${how}, ${options.concurrency} at a time…\n`,
  );
  const single = options.bulk ? null : await registerAll(call, invoices, options.concurrency);
  const result = single ?? (await registerInBulk(call, invoices));
  const tally = mock.tally(invoices.map((i) => i.number));
  // The answer must name the invoice B2B Router created for that number, not some other one
  // (a bulk registration answers no ids: the tally checks it instead).
  const wrongIds = single
    ? invoices.filter((i) => single.remoteIds.get(i.number) !== mock.counts(i.number).id)
    : [];
  const repeat = options.repeat
    ? await repeatSample(call, mock, invoices, options.concurrency)
    : null;
  printReport({ options, ...result, tally, wrongIds: wrongIds.length, repeat });
  const clean = result.registered === options.n && tally.exact === options.n;
  const exact = tally.badNumbers.length === 0 && tally.badIds.length === 0 && wrongIds.length === 0;
  return clean && exact && (repeat?.ok ?? true);
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2), process.env);
  const mock = await startMockB2bRouter({ latencyMs: options.latencyMs });
  let service: ServiceProcess | undefined;
  let ok = false;
  // Files are kept after a failed run: the service log is where its errors are.
  const stopAll = async () => {
    await service?.stop(!ok);
    await mock.close();
    if (service && !ok) process.stdout.write(`service log kept: ${service.logFile}\n`);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().finally(() => process.exit(130)));
  }
  try {
    service = await startService({
      mockPort: mock.port,
      databaseUrl: options.databaseUrl,
      env: { BULK_REGISTRATION_CONCURRENCY: String(options.concurrency) },
    });
    ok = await run(options, mock, service);
    process.stdout.write(`  ${'result'.padEnd(26)}${ok ? 'OK' : 'FAILED'}\n`);
  } finally {
    await stopAll();
  }
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
