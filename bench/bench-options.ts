import { readFlags } from './cli-flags';

/** Options of `npm run bench`: argv (`--n 2000`), else the environment, else the default. */
export interface BenchOptions {
  /** Invoices registered. */
  n: number;
  /** Register calls in flight at once. */
  concurrency: number;
  /** Delay the mock B2B Router adds to every answer, in ms. */
  latencyMs: number;
  /** Register a sample a second time and check that nothing more reached B2B Router. */
  repeat: boolean;
  /**
   * Bulk mode: register the invoices with POST /registrations (one batch of up to 10,000 each)
   * instead of one register call each; `concurrency` is then BULK_REGISTRATION_CONCURRENCY.
   */
  bulk: boolean;
  /**
   * Side by side: the hand-written reference service on PostgreSQL, then the service on
   * PostgreSQL and on the embedded database, each on fresh databases of `databaseUrl`'s server,
   * once per mock latency; ends with the ratios that issue 11 sets goals for.
   */
  baseline: boolean;
  /** Mock latencies of a side-by-side run (`--latency 0,100`). */
  latencies: number[];
  /** A real PostgreSQL; unset: the service's embedded database. */
  databaseUrl?: string;
}

export const USAGE = [
  'Usage: npm run bench -- [--n 2000] [--concurrency 20] [--latency 0] [--no-repeat]',
  '       npm run bench -- --bulk 10000 --latency 100 [--concurrency 4]   (POST /registrations)',
  '       npm run bench -- --baseline --n 1000 --concurrency 32 --latency 0,100',
  '  env: BENCH_N, BENCH_CONCURRENCY, BENCH_LATENCY_MS, BENCH_REPEAT=0|1, BENCH_BULK=<n>,',
  '       BENCH_BASELINE=0|1, BENCH_DATABASE_URL=postgres://… (default: the embedded database;',
  '       with --baseline: the server to make fresh databases on, default 127.0.0.1:5432)',
].join('\n');

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/postgres';

const FLAGS = {
  n: 'BENCH_N',
  concurrency: 'BENCH_CONCURRENCY',
  latency: 'BENCH_LATENCY_MS',
  repeat: 'BENCH_REPEAT',
  bulk: 'BENCH_BULK',
  baseline: 'BENCH_BASELINE',
  'database-url': 'BENCH_DATABASE_URL',
} as const;
type Flag = keyof typeof FLAGS;

export function readOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  const raw = readFlags<Flag>(argv, env, {
    vars: FLAGS,
    switches: ['repeat', 'baseline'],
    usage: USAGE,
  });
  const bulk = raw('bulk');
  const baseline = boolean('baseline', raw('baseline') ?? 'false');
  if (baseline && bulk) throw new Error('--baseline times register calls: it takes no --bulk');
  const latencies = (raw('latency') ?? '0').split(',').map((l) => integer('latency', l, 0));
  if (!baseline && latencies.length > 1) throw new Error('Several latencies need --baseline');
  return {
    n: integer(bulk ? 'bulk' : 'n', bulk ?? raw('n') ?? '2000', 1),
    concurrency: integer('concurrency', raw('concurrency') ?? (bulk ? '4' : '20'), 1),
    bulk: bulk !== undefined,
    latencyMs: latencies[0],
    latencies,
    repeat: boolean('repeat', raw('repeat') ?? 'true'),
    baseline,
    databaseUrl: raw('database-url') ?? (baseline ? LOCAL_POSTGRES : undefined),
  };
}

function integer(flag: Flag, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${flag} must be an integer ≥ ${min}`);
  return n;
}

function boolean(flag: Flag, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`--${flag} must be true or false`);
}
