import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { createContact } from './bench-fixtures';
import { apiClient, expectSuccess, percentile, runPool } from './bench-http';
import { createBenchDatabases } from './bench-databases';
import { readFlags } from './cli-flags';
import { startService } from './service-process';

/**
 * `npm run bench:list`: GET /invoices on a PostgreSQL holding many invoices (1,000,000 by
 * default), with the filters booking systems and operators use. The invoices are written by SQL
 * (setup, not timed); every figure is a whole HTTP call, as a caller waits for it.
 */

const USAGE = [
  'Usage: npm run bench:list -- [--n 1000000] [--calls 300] [--concurrency 4]',
  '       [--database-url postgres://postgres@127.0.0.1:5432/postgres]   (a fresh database is made there)',
].join('\n');
const FLAGS = {
  n: 'BENCH_LIST_N',
  calls: 'BENCH_LIST_CALLS',
  concurrency: 'BENCH_LIST_CONCURRENCY',
  'database-url': 'BENCH_DATABASE_URL',
} as const;
const GOAL_P99_MS = 20;
const CONTACTS = 20;

/** One line per invoice; statuses, registration states and remote states in realistic shares. */
async function seed(databaseUrl: string, n: number, contactIds: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // One in ten a draft, one in fifty cancelled, one in two hundred failed; the rest registered.
    await client.query(
      `INSERT INTO invoices (number, contact_id, issue_date, status, subtotal, tax_total, total,
                             registration_state, remote_state, b2brouter_environment,
                             b2brouter_account_id, b2brouter_invoice_id, reference, registered_at)
       SELECT 'LIST-' || g, ($2::uuid[])[1 + g % $3], DATE '2026-01-01' + (g % 300),
              CASE WHEN g % 10 = 0 THEN 'draft' WHEN g % 50 = 1 THEN 'cancelled' ELSE 'confirmed' END,
              100, 21, 121, state,
              CASE WHEN state <> 'registered' THEN NULL WHEN g % 500 = 7 THEN 'error'
                   WHEN g % 700 = 9 THEN 'refused' ELSE 'sent' END,
              CASE WHEN state = 'registered' THEN 'staging' END,
              CASE WHEN state = 'registered' THEN '1' END,
              CASE WHEN state = 'registered' THEN g END,
              CASE WHEN state = 'registered' THEN g::text END,
              CASE WHEN state = 'registered' THEN now() END
         FROM generate_series(1, $1::int) AS g,
              LATERAL (SELECT CASE WHEN g % 10 = 0 OR g % 50 = 1 THEN 'not_registered'
                                   WHEN g % 200 = 3 THEN 'failed' ELSE 'registered' END AS state) s`,
      [n, contactIds, contactIds.length],
    );
    await client.query(
      `INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price, tax_rate, net)
       SELECT id, 0, 'Night', 1, 100, 21, 100 FROM invoices`,
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const raw = readFlags(process.argv.slice(2), process.env, { vars: FLAGS, usage: USAGE });
  const n = Number(raw('n') ?? 1_000_000);
  const calls = Number(raw('calls') ?? 300);
  const concurrency = Number(raw('concurrency') ?? 4);
  const server = raw('database-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databases = await createBenchDatabases(server, ['list']);
  const service = await startService({ mockPort: 1, databaseUrl: databases.urls.list });
  try {
    const call = apiClient(service.baseUrl, service.token);
    const contactIds: string[] = [];
    for (let i = 0; i < CONTACTS; i++) contactIds.push(await createContact(call));
    process.stdout.write(`seeding ${n} invoices with one line each (not timed)…\n`);
    const seeded = performance.now();
    await seed(databases.urls.list, n, contactIds);
    process.stdout.write(`seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
    const deep = await cursorAfter(call, '/invoices?status=confirmed&limit=50', 20);
    const queries: Array<[string, string]> = [
      ['newest 50, no filter', '/invoices?limit=50'],
      ['status=confirmed', '/invoices?status=confirmed&limit=50'],
      ['registration=failed', '/invoices?registration=failed&limit=50'],
      ['remoteState=error,refused', '/invoices?remoteState=error,refused&limit=50'],
      ['contactId + status', `/invoices?contactId=${contactIds[3]}&status=confirmed&limit=50`],
      ['number (one invoice)', `/invoices?number=LIST-${Math.ceil(n / 2)}`],
      ['status=confirmed, page 21', `/invoices?status=confirmed&limit=50&cursor=${deep}`],
    ];
    process.stdout.write(`${calls} calls each, ${concurrency} at a time, on ${n} invoices\n`);
    let met = true;
    for (const [label, path] of queries) {
      const answers = await runPool(Array.from({ length: calls }), concurrency, () =>
        call('GET', path),
      );
      const bad = answers.filter((a) => a.status !== 200).length;
      const times = answers.map((a) => a.ms).sort((a, b) => a - b);
      const p99 = percentile(times, 99);
      met &&= p99 <= GOAL_P99_MS && bad === 0;
      const items = (answers[0].body as { items?: unknown[] }).items?.length ?? 0;
      process.stdout.write(
        `  ${label.padEnd(28)} p50 ${percentile(times, 50).toFixed(1)}  p95 ${percentile(times, 95).toFixed(1)}` +
          `  p99 ${p99.toFixed(1)} ms  (${items} items${bad ? `, ${bad} not 200` : ''})\n`,
      );
    }
    process.stdout.write(`p99 ≤ ${GOAL_P99_MS} ms for every filter: ${met ? 'yes' : 'NO'}\n`);
    return 0;
  } finally {
    await service.stop(false);
    await databases.drop();
  }
}

/** The cursor `pages` pages into a listing, to time a deep page too. */
async function cursorAfter(call: ReturnType<typeof apiClient>, path: string, pages: number) {
  let cursor = '';
  for (let i = 0; i < pages; i++) {
    const page = expectSuccess(
      await call('GET', `${path}${cursor ? `&cursor=${cursor}` : ''}`),
      path,
    );
    cursor = String(page.nextCursor);
  }
  return cursor;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
