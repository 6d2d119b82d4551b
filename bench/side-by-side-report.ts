import type { BenchOptions } from './bench-options';
import { figures, type BenchReport } from './bench-report';

/** One leg's outcome; `ready` only for the service, whose start is one of the figures. */
export interface LegResult {
  ok: boolean;
  report: BenchReport;
  ready?: { firstMs: number; restartMs: number };
}

/** The three legs run at one mock latency. */
export interface SideBySide {
  latencyMs: number;
  baseline: LegResult;
  postgres: LegResult;
  embedded: LegResult;
}

/** One figure of ours beside the baseline's; its goal (issue 11) bounds the ratio. */
interface Row {
  figure: string;
  ours: string;
  theirs: string;
  ratio?: number;
  goal?: { atLeast?: number; atMost?: number };
}

/**
 * The comparison issue 11 sets goals for, one row per figure, with the verdict of each goal
 * that applies at that latency. Returns whether every leg was clean (the goals do not decide
 * the exit code: a slow run is a finding, a duplicate is a failure).
 */
export function printSideBySide(options: BenchOptions, rounds: readonly SideBySide[]): boolean {
  const { n, concurrency } = options;
  const rows: Row[] = [];
  for (const { latencyMs, baseline, postgres, embedded } of rounds) {
    const at = `mock ${latencyMs} ms`;
    const base = figures(baseline.report, n);
    const pg = figures(postgres.report, n);
    const pglite = figures(embedded.report, n);
    const fast = latencyMs === 0;
    rows.push({
      figure: `register /s, PostgreSQL, ${at}`,
      ours: pg.perSecond.toFixed(1),
      theirs: base.perSecond.toFixed(1),
      ratio: pg.perSecond / base.perSecond,
      goal: { atLeast: fast ? 0.7 : 0.9 },
    });
    rows.push({
      figure: `p99 register ms, PostgreSQL, ${at}`,
      ours: pg.p99.toFixed(1),
      theirs: base.p99.toFixed(1),
      ratio: pg.p99 / base.p99,
      goal: fast ? { atMost: 1.5 } : undefined,
    });
    const created = figures(postgres.report.createConfirm, n);
    const baseCreated = figures(baseline.report.createConfirm, n);
    rows.push({
      figure: `create + confirm /s, PostgreSQL, ${at}`,
      ours: created.perSecond.toFixed(1),
      theirs: baseCreated.perSecond.toFixed(1),
      ratio: created.perSecond / baseCreated.perSecond,
      goal: fast ? { atLeast: 0.6 } : undefined,
    });
    rows.push({
      figure: `register /s, embedded vs our PostgreSQL, ${at}`,
      ours: pglite.perSecond.toFixed(1),
      theirs: pg.perSecond.toFixed(1),
      ratio: pglite.perSecond / pg.perSecond,
      goal: fast ? { atLeast: 0.5 } : undefined,
    });
    for (const [name, leg, limit] of [
      ['embedded', embedded, 2000],
      ['PostgreSQL', postgres, 1500],
    ] as const) {
      const ready = leg.ready;
      if (!ready) continue;
      rows.push({
        figure: `start to ready ms, ${name} (restart), ${at}`,
        ours: ready.restartMs.toFixed(0),
        theirs: `goal ${limit}`,
        ratio: ready.restartMs / limit,
        goal: { atMost: 1 },
      });
      rows.push({
        figure: `start to ready ms, ${name} (first start, migrations)`,
        ours: ready.firstMs.toFixed(0),
        theirs: '',
      });
    }
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`\nside by side: n = ${n}, concurrency ${concurrency}`);
  out(`${'figure'.padEnd(52)}${'service'.padStart(10)}${'baseline'.padStart(12)}  ratio  goal`);
  for (const row of rows) out(formatRow(row));
  const legs = rounds.flatMap((r) => [r.baseline, r.postgres, r.embedded]);
  const clean = legs.every((leg) => leg.ok);
  out(`every leg exactly once, all registered: ${clean ? 'yes' : 'NO'}`);
  return clean;
}

function formatRow({ figure, ours, theirs, ratio, goal }: Row): string {
  const verdict = !goal || ratio === undefined ? '' : `${meets(ratio, goal) ? 'met' : 'MISSED'} `;
  const wanted = goal?.atLeast !== undefined ? `≥ ${goal.atLeast}` : goal ? `≤ ${goal.atMost}` : '';
  const shown = ratio === undefined ? '' : ratio.toFixed(2);
  return `${figure.padEnd(52)}${ours.padStart(10)}${theirs.padStart(12)}  ${shown.padStart(5)}  ${verdict}${wanted}`;
}

function meets(ratio: number, goal: NonNullable<Row['goal']>): boolean {
  if (goal.atLeast !== undefined && ratio < goal.atLeast) return false;
  return goal.atMost === undefined || ratio <= goal.atMost;
}
