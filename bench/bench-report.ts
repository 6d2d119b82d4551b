import { percentile } from './bench-http';
import type { BenchOptions } from './bench-options';
import type { Tally } from './mock-b2brouter';

export interface BenchReport {
  options: BenchOptions;
  wallMs: number;
  /** Duration of each register call, in ms. */
  times: number[];
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
  const sorted = [...r.times].sort((a, b) => a - b);
  const ms = (x: number) => x.toFixed(1);
  const statuses = [...r.statuses].sort(([a], [b]) => a - b);
  const repeat = r.repeat
    ? `${r.repeat.good} / ${r.repeat.size} answered 200 registered; ` +
      `mock counts ${r.repeat.unchanged ? 'unchanged' : 'CHANGED'}`
    : 'skipped';
  const lines = [
    ['invoices (N)', String(n)],
    ['concurrency', String(r.options.concurrency)],
    ['mock latency', `${r.options.latencyMs} ms`],
    ['database', describeDatabase(r.options.databaseUrl)],
    ['wall time', `${(r.wallMs / 1000).toFixed(2)} s`],
    ['throughput', `${((n * 1000) / r.wallMs).toFixed(1)} registrations/s`],
    [
      'latency ms',
      [50, 95, 99].map((p) => `p${p} ${ms(percentile(sorted, p))}`).join('  ') +
        `  max ${ms(sorted[sorted.length - 1])}`,
    ],
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

/** The password of a PostgreSQL URL never reaches the output. */
export function describeDatabase(url?: string): string {
  if (!url) return 'embedded (PGlite)';
  const safe = new URL(url);
  if (safe.password) safe.password = '***';
  return `postgres (${safe.toString()})`;
}
