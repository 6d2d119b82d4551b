import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'pg-boss';
import { IsNull, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Env } from '../config/env';
import { RegistrationService } from '../invoices/registration/registration.service';
import { RegistrationStore } from '../invoices/registration/registration-store';
import { JobQueue } from '../queue/job-queue.service';
import {
  BULK_REGISTRATION_QUEUE,
  type BulkRegistrationJob,
  PRIORITY,
} from './bulk-registration.job';
import { type ItemState, RegistrationBatchItem } from './registration-batch-item.entity';

/** How long a credit note waits before it looks at its original again. */
const ORIGINAL_WAIT_SECONDS = 2;
/** Retryable failures (B2B Router down, an unknown outcome) an item gets before it fails. */
const MAX_FAILURES = 8;
const BASE_RETRY_SECONDS = 5;
const MAX_RETRY_SECONDS = 15 * 60;
/** Jobs each worker fetches at once (see WorkerSettings.batchSize). */
const FETCH_BATCH = 4;

/**
 * Registers the invoices of bulk registrations, each one exactly as POST /invoices/:id/register
 * does (RegistrationService: same claim, checks, events and exactly-once guarantees), at most
 * BULK_REGISTRATION_CONCURRENCY at once per instance. One pg-boss job per invoice: pending
 * items survive a restart, and an item whose process died is taken up again once its job
 * expires; the registration's lease makes running it twice harmless. A job that must wait (a
 * credit note for its original, a retry after a passing failure) sends itself again for later
 * and completes: a duplicate finds its item finished and does nothing.
 */
@Injectable()
export class BulkRegistrationWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(BulkRegistrationWorker.name);
  private readonly concurrency: number;

  constructor(
    @InjectRepository(RegistrationBatchItem)
    private readonly items: Repository<RegistrationBatchItem>,
    private readonly registration: RegistrationService,
    private readonly store: RegistrationStore,
    private readonly queue: JobQueue,
    config: ConfigService<Env, true>,
  ) {
    this.concurrency = config.get('BULK_REGISTRATION_CONCURRENCY', { infer: true });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.define(BULK_REGISTRATION_QUEUE, {
      // An attempt renews the registration's lease before each call to B2B Router, so one lease
      // (4 × B2BROUTER_TIMEOUT_MS + 30 s) bounds a live job between two steps. A job held that
      // long by a process that died is retried then (pg-boss's monitor, within a minute more);
      // if it was alive after all, the retry finds the lease held and waits its turn.
      expireInSeconds: this.store.leaseSeconds,
      // Only a crash or the database failing us ends up here: registration errors are outcomes.
      retryLimit: 20,
      retryDelay: 5,
      retryBackoff: true,
      retryDelayMax: 300,
    });
    await this.queue.work<BulkRegistrationJob>(
      BULK_REGISTRATION_QUEUE,
      { concurrency: this.concurrency, batchSize: FETCH_BATCH },
      (job) => this.run(job),
    );
  }

  async run({ data: job }: Job<BulkRegistrationJob>): Promise<void> {
    const item = await this.items.findOneBy({ batchId: job.batchId, invoiceId: job.invoiceId });
    // Finished by an earlier copy of this job, or its batch is gone.
    if (item?.state !== 'pending') return;
    if (item.waitsFor && (await this.originalPending(item))) {
      return this.later(job, ORIGINAL_WAIT_SECONDS, PRIORITY.afterOriginals);
    }
    await this.items.update(
      { batchId: job.batchId, invoiceId: job.invoiceId, startedAt: IsNull() },
      { startedAt: () => 'now()' },
    );
    try {
      await this.registration.register(job.invoiceId, job.workstationId ?? undefined);
      await this.finish(job, 'succeeded', null);
    } catch (error) {
      const code = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      const failures = (job.failures ?? 0) + (code === 'REGISTRATION_IN_PROGRESS' ? 0 : 1);
      if (isPassing(error) && failures < MAX_FAILURES) {
        return this.later({ ...job, failures }, retryDelay(error, failures), PRIORITY.first);
      }
      if (code === 'INTERNAL_ERROR') {
        this.logger.warn({ err: error, invoiceId: job.invoiceId }, 'Bulk registration item failed');
      }
      await this.finish(job, 'failed', code);
    }
  }

  /** Its original is in the batch and neither registered nor given up on yet. */
  private async originalPending(item: RegistrationBatchItem): Promise<boolean> {
    const rows: unknown[] = await this.items.query(
      `SELECT 1 FROM registration_batch_items o JOIN invoices i ON i.id = o.invoice_id
        WHERE o.batch_id = $1 AND o.invoice_id = $2 AND o.state = 'pending'
          AND i.registration_state NOT IN ('registered', 'linked')`,
      [item.batchId, item.waitsFor],
    );
    return rows.length > 0;
  }

  /** One statement, and only once: a late duplicate cannot overwrite the outcome. */
  private async finish(job: BulkRegistrationJob, state: ItemState, code: string | null) {
    await this.items.update(
      { batchId: job.batchId, invoiceId: job.invoiceId, state: 'pending' },
      { state, code, finishedAt: () => 'now()' },
    );
  }

  private async later(job: BulkRegistrationJob, seconds: number, priority: number) {
    await this.queue.send(BULK_REGISTRATION_QUEUE, job, { startAfter: seconds, priority });
  }
}

/** What /register answers as worth asking again: B2B Router unavailable, a call still running. */
function isPassing(error: unknown): error is DomainError {
  return error instanceof DomainError && error.options.retryable === true;
}

/** As Retry-After says when the answer carries it (a hold, a lease), else backing off. */
function retryDelay(error: DomainError, failures: number): number {
  const retryAfter = Number(error.options.headers?.['Retry-After']);
  const backoff = BASE_RETRY_SECONDS * 2 ** Math.max(0, failures - 1);
  return Math.min(
    MAX_RETRY_SECONDS,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : backoff,
  );
}
