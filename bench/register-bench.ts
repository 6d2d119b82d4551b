import { performance } from 'node:perf_hooks';
import { createConfirmedInvoice, createContact, createDevice, runId } from './bench-fixtures';
import { apiClient, runPool, type ApiCall } from './bench-http';
import { readOptions, type BenchOptions } from './bench-options';
import { createBenchDatabases } from './bench-databases';
import { describeDatabase, printReport } from './bench-report';
import { startBaseline } from './baseline-process';
import { printSideBySide, type LegResult, type SideBySide } from './side-by-side-report';
import { registerInBulk } from './bulk-bench';
import { startMockB2bRouter, type MockB2bRouter } from './mock-b2brouter';
import { startService } from './service-process';

/**
 * `npm run bench`: how fast the service creates, confirms and registers invoices with a (mock)
 * B2B Router, and whether each one reached it exactly once. With `--baseline`, the hand-written
 * reference service runs the same legs in the same run, and the ratios are printed. A benchmark,
 * not a test: the device and contact are untimed, and the exit code says whether every leg was
 * clean.
 */

const REPEAT_SAMPLE = 100;

interface BenchInvoice {
  id: string;
  number: string;
}

/** A device and a contact (not timed), then the invoices, created and confirmed `c` at a time. */
async function setup(call: ApiCall, mock: MockB2bRouter, n: number, c: number) {
  await createDevice(call, mock.url);
  const contactId = await createContact(call);
  const run = runId();
  const numbers = Array.from({ length: n }, (_, i) => `BENCH-${run}-${i + 1}`);
  const started = performance.now();
  const times: number[] = [];
  const invoices = await runPool(numbers, c, async (number, i): Promise<BenchInvoice> => {
    const callStarted = performance.now();
    // Every other invoice has two lines at two rates, so both tax paths are exercised.
    const id = await createConfirmedInvoice(call, contactId, number, i % 2 === 1);
    times.push(performance.now() - callStarted);
    return { id, number };
  });
  return { invoices, createConfirm: { wallMs: performance.now() - started, times } };
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

/** A running service under test: the service itself or the hand-written reference. */
interface Target {
  title: string;
  baseUrl: string;
  token: string;
}

/** One leg: create and confirm, register, check at the mock, report. */
async function measure(target: Target, mock: MockB2bRouter, options: BenchOptions) {
  const call = apiClient(target.baseUrl, target.token);
  const { n, concurrency } = options;
  process.stdout.write(`\n${target.title}: creating and confirming ${n} invoices…\n`);
  const { invoices, createConfirm } = await setup(call, mock, n, concurrency);
  const how = options.bulk ? 'with POST /registrations' : 'one register call each';
  process.stdout.write(`registering ${n} invoices ${how}, ${concurrency} at a time…\n`);
  const single = options.bulk ? null : await registerAll(call, invoices, concurrency);
  const result = single ?? (await registerInBulk(call, invoices));
  const tally = mock.tally(invoices.map((i) => i.number));
  // The answer must name the invoice B2B Router created for that number, not some other one
  // (a bulk registration answers no ids: the tally checks it instead).
  const wrongIds = single
    ? invoices.filter((i) => single.remoteIds.get(i.number) !== mock.counts(i.number).id)
    : [];
  const repeat = options.repeat ? await repeatSample(call, mock, invoices, concurrency) : null;
  const report = {
    options,
    title: target.title,
    latencyMs: mock.latencyMs,
    createConfirm,
    ...result,
    tally,
    wrongIds: wrongIds.length,
    repeat,
  };
  printReport(report);
  const clean = result.registered === n && tally.exact === n;
  const exact = tally.badNumbers.length === 0 && tally.badIds.length === 0 && wrongIds.length === 0;
  return { ok: clean && exact && (repeat?.ok ?? true), report };
}

/** What runs in one leg, on which database (none: the service's embedded one). */
interface Leg {
  kind: 'service' | 'baseline';
  databaseUrl?: string;
}

/** Undone in reverse order however the run ends, Ctrl-C included. */
const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
}

/** A leg on a mock of its own, so that its tally counts its own invoices alone. */
async function runLeg(leg: Leg, options: BenchOptions, latencyMs: number): Promise<LegResult> {
  const mock = await startMockB2bRouter({ latencyMs });
  cleanups.push(() => mock.close());
  const where = describeDatabase(leg.databaseUrl);
  if (leg.kind === 'baseline') {
    const baseline = await startBaseline(leg.databaseUrl ?? '');
    cleanups.push(() => baseline.stop());
    return measure({ title: `baseline on ${where}`, ...baseline }, mock, options);
  }
  const service = await startService({
    mockPort: mock.port,
    databaseUrl: leg.databaseUrl,
    env: { BULK_REGISTRATION_CONCURRENCY: String(options.concurrency) },
  });
  let current = service;
  let ok = false;
  // Files are kept after a failed run: the service log is where its errors are.
  cleanups.push(async () => {
    await current.stop(!ok);
    if (!ok) process.stdout.write(`service log kept: ${current.logFile}\n`);
  });
  const result = await measure({ title: `service on ${where}`, ...service }, mock, options);
  current = await service.restart();
  ok = result.ok;
  const ready = { firstMs: service.readyMs, restartMs: current.readyMs };
  process.stdout.write(
    `  ${'start to ready'.padEnd(26)}first start ${ms(ready.firstMs)}, restart ${ms(ready.restartMs)}\n`,
  );
  return { ...result, ready };
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2), process.env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  }
  try {
    if (!options.baseline) {
      const { ok } = await runLeg(
        { kind: 'service', databaseUrl: options.databaseUrl },
        options,
        options.latencyMs,
      );
      process.stdout.write(`  ${'result'.padEnd(26)}${ok ? 'OK' : 'FAILED'}\n`);
      return ok ? 0 : 1;
    }
    const rounds: SideBySide[] = [];
    for (const latencyMs of options.latencies) {
      const databases = await createBenchDatabases(options.databaseUrl ?? '', ['svc', 'base']);
      cleanups.push(() => databases.drop());
      const baseline = await runLeg(
        { kind: 'baseline', databaseUrl: databases.urls.base },
        options,
        latencyMs,
      );
      const postgres = await runLeg(
        { kind: 'service', databaseUrl: databases.urls.svc },
        options,
        latencyMs,
      );
      const embedded = await runLeg({ kind: 'service' }, options, latencyMs);
      await cleanUp();
      rounds.push({ latencyMs, baseline, postgres, embedded });
    }
    return printSideBySide(options, rounds) ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

function ms(x: number): string {
  return `${(x / 1000).toFixed(2)} s`;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
