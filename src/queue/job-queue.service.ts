import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import {
  PgBoss,
  type Job,
  type JobInsert,
  type JobResult,
  type Queue,
  type SendOptions,
} from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import { DatabaseRuntime } from '../database/database-target';
import { QUEUE_SCHEMA, pgBossDb, pgBossTransaction } from './pg-boss-db';

export type QueueSettings = Omit<Queue, 'name'>;

export interface WorkerSettings {
  /** Jobs this instance runs at once from the queue. */
  concurrency?: number;
  pollingIntervalSeconds?: number;
  /**
   * Jobs each of those fetches at once and runs one after the other. Above 1, a worker that got
   * a full batch fetches again at once instead of waiting out the polling interval, so a long
   * queue of short jobs is not paced by the poll.
   */
  batchSize?: number;
}

/** The chains' safety net: a minute is the finest a pg-boss schedule runs. */
const EVERY_MINUTE = '* * * * *';

/** An id no job has: a lookup that finds nothing, for its side effect. */
const NO_JOB = '00000000-0000-0000-0000-000000000000';

/** How long a stop waits for running jobs before it lets the rest expire and be retried. */
const STOP_TIMEOUT_MS = 15_000;

/**
 * The service's background work, on pg-boss in our own database: jobs survive restarts, several
 * instances share them without running one twice, and recurring sweeps run on one instance per
 * beat. Started before any provider's bootstrap hook (where workers are registered), stopped
 * before the database closes.
 */
@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss?: PgBoss;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runtime: DatabaseRuntime,
  ) {}

  async onModuleInit(): Promise<void> {
    const boss = new PgBoss({
      db: pgBossDb(this.dataSource),
      schema: QUEUE_SCHEMA,
      backend: this.runtime.target.embedded ? 'pglite' : 'postgres',
      // A schedule's job is sent within seconds of its minute, not up to 30 s late.
      cronMonitorIntervalSeconds: 5,
      cronWorkerIntervalSeconds: 1,
    });
    boss.on('error', (err) => this.logger.error({ err }, 'Job queue error'));
    boss.on('warning', (warning) => this.logger.warn({ warning }, 'Job queue warning'));
    await boss.start();
    this.boss = boss;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    // close: false, the pool is the data source's and closes with it.
    await boss?.stop({ graceful: true, close: false, timeout: STOP_TIMEOUT_MS });
  }

  /** Creates the queue unless it exists (an existing queue keeps its settings). */
  async define(name: string, settings: QueueSettings = {}): Promise<void> {
    const boss = this.started();
    await boss.createQueue(name, settings);
    // Loads the queue into pg-boss's cache now: an insert inside one of our transactions, which
    // holds the embedded database's only connection, must not need a second one to look it up.
    await boss.findJobs(name, { id: NO_JOB });
  }

  send(name: string, data: object, options: SendOptions = {}): Promise<string | null> {
    return this.started().send(name, data, options);
  }

  /** With `transaction`, the jobs exist if and only if that transaction commits. */
  async insert(name: string, jobs: JobInsert[], transaction?: EntityManager): Promise<void> {
    const db = transaction && pgBossTransaction(transaction);
    await this.started().insert(name, jobs, db && { db });
  }

  /** Runs each job of the queue through the handler, one job per call. */
  async work<T extends object>(
    name: string,
    settings: WorkerSettings,
    handler: (job: Job<T>) => Promise<unknown>,
  ): Promise<void> {
    const common = {
      localConcurrency: settings.concurrency ?? 1,
      pollingIntervalSeconds: settings.pollingIntervalSeconds ?? 1,
    };
    const batchSize = settings.batchSize ?? 1;
    if (batchSize === 1) {
      await this.started().work<T>(name, common, async ([job]) => handler(job));
      return;
    }
    // Each job of the batch is settled on its own: one that throws is retried alone.
    await this.started().work<T>(
      name,
      { ...common, batchSize, burstWhenBatchFull: true, perJobResults: true },
      async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) {
          try {
            results.push({ id: job.id, status: 'completed', output: await handler(job) });
          } catch (err) {
            this.logger.warn({ err, queue: name, jobId: job.id }, 'Job failed; pg-boss retries it');
            results.push({ id: job.id, status: 'failed', output: { message: String(err) } });
          }
        }
        return results;
      },
    );
  }

  /**
   * A recurring sweep, on one instance at a time: each run queues the next one `intervalMs`
   * later (whole seconds) on a queue that holds at most one waiting and one running job, and
   * runs once right after a start. pg-boss schedules alone run at most once a minute (each
   * occurrence is filed in a one-minute slot), so a schedule only restarts the chain, should a
   * run die before queuing the next. 0 stops it on every instance (the schedule is shared).
   */
  async every(name: string, intervalMs: number, sweep: () => Promise<unknown>): Promise<void> {
    const boss = this.started();
    await this.define(name, { policy: 'stately', expireInSeconds: 5 * 60, retryLimit: 0 });
    if (intervalMs === 0) {
      await boss.unschedule(name);
      return;
    }
    const seconds = Math.max(1, Math.round(intervalMs / 1000));
    await boss.schedule(name, EVERY_MINUTE);
    await this.work(name, { pollingIntervalSeconds: Math.min(seconds, 5) }, async () => {
      try {
        return await sweep();
      } finally {
        // Not once the queue stops: the schedule restarts the chain on the next start.
        await this.boss?.send(name, {}, { startAfter: seconds });
      }
    });
    await boss.send(name, {});
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not running');
    return this.boss;
  }
}
