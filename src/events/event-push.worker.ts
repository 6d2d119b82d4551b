import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { Env } from '../config/env';
import { InvoiceEvent } from '../invoices/invoice-event.entity';
import { JobQueue } from '../queue/job-queue.service';
import { EventDto } from './dto/event.dto';
import { type ClaimedDelivery, EventDeliveries } from './event-deliveries.service';
import { EventPushSender } from './event-push.sender';
import { retryDelayMs } from './retry-delay';

/** Invoices whose next event is pushed at once. */
const CONCURRENCY = 8;
/** A lease outlives the push it covers, answer included, by this much. */
const LEASE_MARGIN_MS = 30_000;
/** A sweep yields before its next beat, so beats do not pile up behind a long backlog. */
const SWEEP_BUDGET_MS = 25_000;

/**
 * Pushes every event of the outbox to NOTIFY_WEBHOOK_URL until the receiver acknowledges it
 * with a 2xx, retrying with backoff: at least once, and in order per invoice (an invoice's next
 * event waits for the one before to be acknowledged; other invoices go on). A sweep on the job
 * queue, every NOTIFY_PUSH_INTERVAL_MS on one instance; leases keep instances off each other's
 * events should two sweep at once.
 */
@Injectable()
export class EventPushWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(EventPushWorker.name);
  private readonly intervalMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private sweeping?: Promise<number>;

  constructor(
    @InjectRepository(InvoiceEvent) private readonly events: Repository<InvoiceEvent>,
    private readonly deliveries: EventDeliveries,
    private readonly sender: EventPushSender,
    private readonly queue: JobQueue,
    config: ConfigService<Env, true>,
  ) {
    this.intervalMs = config.get('NOTIFY_PUSH_INTERVAL_MS', { infer: true });
    this.retryBaseMs = config.get('NOTIFY_RETRY_BASE_MS', { infer: true });
    this.retryMaxMs = config.get('NOTIFY_RETRY_MAX_MS', { infer: true });
  }

  onApplicationBootstrap(): Promise<void> {
    // Without a receiver the loop stops, also one an earlier configuration left scheduled.
    const interval = this.sender.enabled ? this.intervalMs : 0;
    return this.queue.every('event-push', interval, () => this.sweep());
  }

  /** Pushes what is due, round after round, until nothing is or the budget is spent; answers how many were acknowledged. */
  sweep(): Promise<number> {
    this.sweeping ??= this.pushDue().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async pushDue(): Promise<number> {
    if (!this.sender.enabled) return 0;
    const started = Date.now();
    let delivered = 0;
    while (Date.now() - started < SWEEP_BUDGET_MS) {
      await this.deliveries.enqueue();
      const claimed = await this.deliveries.claim(
        CONCURRENCY,
        this.sender.longestPushMs + LEASE_MARGIN_MS,
      );
      if (claimed.length === 0) break;
      const events = await this.events.findBy({ id: In(claimed.map((c) => c.eventId)) });
      const byId = new Map(events.map((e) => [e.id, e]));
      const outcomes = await Promise.all(claimed.map((c) => this.push(c, byId.get(c.eventId))));
      delivered += outcomes.filter(Boolean).length;
    }
    return delivered;
  }

  private async push(claimed: ClaimedDelivery, event: InvoiceEvent | undefined): Promise<boolean> {
    // The delivery is gone with its event (ON DELETE CASCADE): nothing left to push.
    if (!event) return false;
    const outcome = await this.sender.push(event.id, JSON.stringify(EventDto.fromEntity(event)));
    if (outcome.delivered) {
      await this.deliveries.delivered(event.id, outcome.status!);
      return true;
    }
    const failures = claimed.attempts + 1;
    const retryInMs = retryDelayMs(failures, this.retryBaseMs, this.retryMaxMs);
    await this.deliveries.failed(event.id, outcome, retryInMs);
    this.logger.warn(
      {
        eventId: event.id,
        invoiceId: event.invoiceId,
        attempts: failures,
        status: outcome.status,
        error: outcome.error,
        retryInMs,
      },
      'Event push failed; retried later',
    );
    return false;
  }
}
