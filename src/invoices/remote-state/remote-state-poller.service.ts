import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { B2bRouterClient } from '../../b2brouter/b2brouter.client';
import { DomainError } from '../../common/errors/domain-error';
import type { Env } from '../../config/env';
import { JobQueue } from '../../queue/job-queue.service';
import { Invoice, isAtB2bRouter } from '../invoice.entity';
import { LinkTargets } from '../linking/link-targets';
import { RemoteStateService } from './remote-state.service';
import { nextPollDelayMs } from './remote-states';

/** Invoices claimed per statement, and asked about at once: B2B Router publishes no limits. */
const BATCH = 50;
const CONCURRENCY = 4;
/** A claimed invoice is not claimed again before this, even if its poller died. */
const CLAIM_SECONDS = 300;
/** A sweep yields before its next beat, so beats do not pile up behind a long backlog. */
const SWEEP_BUDGET_MS = 25_000;
/** B2B Router's 429 usually names no Retry-After: then wait this long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** B2B Router asked us to slow down: every invoice still claimed waits this long. */
class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('B2B Router is rate limiting');
  }
}

/**
 * Asks B2B Router for the state of registered and linked invoices not yet in a final state,
 * as each falls due (`remote_poll_at`): soon after the send, then less and less often. Webhooks
 * usually get there first; this catches the ones that never came. Claims push `remote_poll_at`
 * forward under SKIP LOCKED, so instances sweeping together never ask about one invoice twice.
 */
@Injectable()
export class RemoteStatePoller implements OnApplicationBootstrap {
  private readonly logger = new Logger(RemoteStatePoller.name);
  private readonly intervalMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly targets: LinkTargets,
    private readonly b2brouter: B2bRouterClient,
    private readonly remoteStates: RemoteStateService,
    private readonly queue: JobQueue,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('REMOTE_STATE_POLL_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.queue.every('remote-state-poll', this.intervalMs, () => this.sweep());
  }

  /** Polls what is due, batch after batch, until nothing is or the budget is spent; answers how many. */
  async sweep(): Promise<number> {
    const started = Date.now();
    let polled = 0;
    while (Date.now() - started < SWEEP_BUDGET_MS) {
      const ids = await this.claim();
      if (ids.length === 0) break;
      try {
        await inParallel(ids, CONCURRENCY, (id) => this.poll(id));
        polled += ids.length;
      } catch (error) {
        if (!(error instanceof RateLimited)) throw error;
        await this.deferClaimed(ids, error.waitMs);
        this.logger.warn({ waitMs: error.waitMs }, 'B2B Router rate limits: polling paused');
        break;
      }
      if (ids.length < BATCH) break;
    }
    return polled;
  }

  private async claim(): Promise<string[]> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE invoices SET remote_poll_at = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM invoices
                      WHERE remote_poll_at <= now()
                      ORDER BY remote_poll_at
                      LIMIT $1
                      FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [BATCH, CLAIM_SECONDS],
    );
    return rows.map((r) => r.id);
  }

  private async poll(id: string): Promise<void> {
    const invoice = await this.dataSource.manager.findOneBy(Invoice, { id });
    if (!invoice || !isAtB2bRouter(invoice) || invoice.b2brouterInvoiceId === null) return;
    const askedAt = new Date();
    let remote;
    try {
      const { conn } = await this.targets.of(invoice);
      remote = await this.b2brouter.getInvoice(conn, Number(invoice.b2brouterInvoiceId));
    } catch (error) {
      if (error instanceof DomainError && error.remote?.status === 429) {
        const after = Number(error.options.headers?.['Retry-After']);
        throw new RateLimited(after > 0 ? after * 1000 : DEFAULT_RATE_LIMIT_WAIT_MS);
      }
      // Asked again at its usual pace: a passing outage heals, a lasting one stays in the log.
      this.logger.warn({ invoiceId: id, err: error }, 'Could not read the state at B2B Router');
      await this.scheduleNext(invoice);
      return;
    }
    await this.dataSource.transaction(async (m) => {
      const locked = await m.findOne(Invoice, { where: { id }, lock: { mode: 'pessimistic_write' } });
      // Unlinked, or linked elsewhere, while we asked: the answer is about another invoice.
      if (locked?.b2brouterInvoiceId !== invoice.b2brouterInvoiceId || !isAtB2bRouter(locked)) {
        return;
      }
      await this.remoteStates.apply(m, locked, {
        state: remote.state,
        at: askedAt,
        notes: remote.notes,
        source: 'poll',
      });
      await this.scheduleNext(locked, m);
    });
  }

  private async scheduleNext(
    invoice: Invoice,
    db: Pick<EntityManager, 'query'> = this.dataSource,
  ): Promise<void> {
    const age = Date.now() - (invoice.registeredAt?.getTime() ?? Date.now());
    const delay = nextPollDelayMs(age);
    // A final state (ours just now, or a webhook's while we asked) cleared it: it stays cleared.
    await db.query(
      `UPDATE invoices SET remote_poll_at = CASE WHEN $2::int IS NULL THEN NULL
                                              ELSE now() + make_interval(secs => $2::int / 1000.0) END
        WHERE id = $1 AND remote_poll_at IS NOT NULL`,
      [invoice.id, delay],
    );
  }

  private async deferClaimed(ids: string[], waitMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE invoices SET remote_poll_at = now() + make_interval(secs => $2 / 1000.0)
        WHERE id = ANY($1) AND remote_poll_at IS NOT NULL`,
      [ids, waitMs],
    );
  }
}

/**
 * Runs `work` over `items`, at most `limit` at a time. The first failure stops new work and,
 * once the calls under way have ended, rejects.
 */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      await work(items[next++]).catch((error: unknown) => (failure ??= { error }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw failure.error;
}
