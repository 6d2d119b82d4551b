import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectSuccess, type ApiCall } from './bench-http';

/** What POST /registrations takes at once. */
const MAX_BATCH = 10_000;
const POLL_MS = 500;

interface BatchProgress {
  status: string;
  succeeded: number;
  failed: number;
  pending: number;
  items: Array<{ invoiceId: string; state: string; code?: string }>;
}

/**
 * Bulk mode of `npm run bench`: the invoices go in batches of up to 10,000 to POST
 * /registrations, and the clock runs until every batch is done. Returns the bench's usual
 * figures, from the batches' own item outcomes.
 */
export async function registerInBulk(call: ApiCall, invoices: Array<{ id: string }>) {
  const started = performance.now();
  const batchIds: string[] = [];
  for (let i = 0; i < invoices.length; i += MAX_BATCH) {
    const invoiceIds = invoices.slice(i, i + MAX_BATCH).map((invoice) => invoice.id);
    const accepted = expectSuccess(
      await call('POST', '/registrations', { invoiceIds }),
      'POST /registrations',
    );
    batchIds.push(String(accepted.id));
  }
  const batches: BatchProgress[] = [];
  for (const id of batchIds) {
    for (;;) {
      const batch = expectSuccess(
        await call('GET', `/registrations/${id}`),
        'GET /registrations/:id',
      ) as unknown as BatchProgress;
      if (batch.status === 'done') {
        batches.push(batch);
        break;
      }
      await sleep(POLL_MS);
    }
  }
  const wallMs = performance.now() - started;
  const items = batches.flatMap((b) => b.items);
  const codes = new Map<number, number>();
  for (const item of items) {
    const status = item.state === 'succeeded' ? 200 : 0;
    codes.set(status, (codes.get(status) ?? 0) + 1);
  }
  return {
    wallMs,
    registered: items.filter((item) => item.state === 'succeeded').length,
    statuses: codes,
    firstBodies: new Map<number, unknown>(
      items
        .filter((item) => item.state !== 'succeeded')
        .slice(0, 1)
        .map((item) => [0, item]),
    ),
    // One figure per invoice would mislead: the batch is timed as a whole.
    times: [wallMs],
  };
}
