import { percentile } from './bench-http';
import type { BenchOptions } from './bench-options';
import type { Tally } from './mock-b2brouter';

/** Calls timed together: their wall time and each one's duration, in ms. */
export interface Timed {
  wallMs: number;
  times: number[];
}

export interface BenchReport extends Timed {
  options: BenchOptions;
  /** What ran, where: `service on postgres (…)`. */
  title: string;
  latencyMs: number;
  /** Creating and confirming the invoices, one create and one confirm call each. */
  createConfirm: Timed;
  statuses: Map<number, number>;
  firstBodies: Map<number, unknown>;
  registered: number;
  tally: Tally;
  wrongIds: number;
  repeat: { size: number; good: number; unchanged: boolean } | null;
}

/** One aligned line per figure, so runs can be compared (and pasted) as they are. */
export function printReport(r: BenchReport): void {
  const { n } = r.options;
  const statuses = [...r.statuses].sort(([a], [b]) => a - b);
  const repeat = r.repeat
    ? `${r.repeat.good} / ${r.repeat.size} answered 200 registered; ` +
      `mock counts ${r.repeat.unchanged ? 'unchanged' : 'CHANGED'}`
    : 'skipped';
  const register = figures(r, n);
  const created = figures(r.createConfirm, n);
  process.stdout.write(`${r.title}\n`);
  const lines = [
    ['invoices (N)', String(n)],
    ['concurrency', String(r.options.concurrency)],
    ['mock latency', `${r.latencyMs} ms`],
    ['create + confirm', `${created.perSecond.toFixed(1)} invoices/s  ${latencies(created)}`],
    ['wall time', `${(r.wallMs / 1000).toFixed(2)} s`],
    ['throughput', `${register.perSecond.toFixed(1)} registrations/s`],
    ['latency ms', latencies(register)],
    ['HTTP statuses', statuses.map(([status, count]) => `${status}: ${count}`).join(', ')],
    ['registered (200)', `${r.registered} / ${n}`],
    ['mock: 1 create + 1 send', `${r.tally.exact} / ${n}`],
    ['mock: numbers ≠1 create', String(r.tally.badNumbers.length)],
    ['mock: ids ≠1 send', String(r.tally.badIds.length)],
    ['wrong b2brouterInvoiceId', String(r.wrongIds)],
    ['repeat', repeat],
  ];
  for (const [label, value] of lines) process.stdout.write(`  ${label.padEnd(26)}${value}\n`);
  // Enough to report a failure precisely without flooding the terminal.
  for (const [status] of statuses.filter(([status]) => status !== 200)) {
    const body = JSON.stringify(r.firstBodies.get(status));
    process.stdout.write(`  first ${status} body: ${body}\n`);
  }
  if (r.tally.badNumbers.length) {
    process.stdout.write(`  e.g. numbers ${JSON.stringify(r.tally.badNumbers.slice(0, 5))}\n`);
  }
  if (r.tally.badIds.length) {
    process.stdout.write(`  e.g. ids ${JSON.stringify(r.tally.badIds.slice(0, 5))}\n`);
  }
}

export interface Figures {
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Throughput of `n` items over the wall time, and the percentiles of the calls' durations. */
export function figures({ wallMs, times }: Timed, n: number): Figures {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    perSecond: (n * 1000) / wallMs,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

function latencies(f: Figures): string {
  const ms = (x: number) => x.toFixed(1);
  return `p50 ${ms(f.p50)}  p95 ${ms(f.p95)}  p99 ${ms(f.p99)}  max ${ms(f.max)} (ms)`;
}

/** The password of a PostgreSQL URL never reaches the output. */
export function describeDatabase(url?: string): string {
  if (!url) return 'embedded (PGlite)';
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return `postgres (${safe.toString()})`;
}
