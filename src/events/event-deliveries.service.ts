import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventDelivery } from './event-delivery.entity';
import { OUTBOX_START, type OutboxPosition, SETTLED } from './outbox';

/** Events given their delivery per statement while the worker catches up with the outbox. */
const ENQUEUE_BATCH = 500;

export interface ClaimedDelivery {
  eventId: string;
  /** Attempts before this one. */
  attempts: number;
}

/**
 * The deliveries of pushed events, in the database: which events the push worker has taken up,
 * which one of each invoice may go next, and how each attempt went.
 */
@Injectable()
export class EventDeliveries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Gives each event the outbox settled since the push cursor its delivery, and moves the
   * cursor past them; answers how many. The cursor row's lock makes instances take turns.
   */
  async enqueue(): Promise<number> {
    let total = 0;
    for (;;) {
      const queued = await this.dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO event_push_cursor (id, txid, seq) VALUES (1, $1, $2) ON CONFLICT DO NOTHING`,
          [OUTBOX_START.txid, OUTBOX_START.seq],
        );
        const [from]: OutboxPosition[] = await m.query(
          `SELECT txid, seq FROM event_push_cursor WHERE id = 1 FOR UPDATE`,
        );
        const [last]: Array<OutboxPosition & { n: number }> = await m.query(
          `WITH next AS (
             SELECT id, invoice_id, txid, seq FROM invoice_events
              WHERE ${SETTLED} AND (txid, seq) > ($1::bigint, $2::bigint)
              ORDER BY txid, seq LIMIT $3),
           queued AS (
             INSERT INTO event_deliveries (event_id, invoice_id, txid, seq)
             SELECT id, invoice_id, txid, seq FROM next ON CONFLICT (event_id) DO NOTHING)
           SELECT txid, seq, (SELECT count(*) FROM next)::int AS n
             FROM next ORDER BY txid DESC, seq DESC LIMIT 1`,
          [from.txid, from.seq, ENQUEUE_BATCH],
        );
        if (!last) return 0;
        await m.query(
          `UPDATE event_push_cursor SET txid = $1, seq = $2, updated_at = now() WHERE id = 1`,
          [last.txid, last.seq],
        );
        return last.n;
      });
      total += queued;
      if (queued < ENQUEUE_BATCH) return total;
    }
  }

  /**
   * Leases, for `leaseMs`, up to `limit` deliveries that are due and first of their invoice
   * among the undelivered: an invoice's events go one at a time, in the order they were written,
   * while other invoices' go on. SKIP LOCKED and the lease keep two workers off one event.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `UPDATE event_deliveries SET lease_until = now() + make_interval(secs => $2 / 1000.0)
        WHERE event_id IN (
          SELECT h.event_id FROM event_deliveries h
           WHERE h.delivered_at IS NULL AND h.next_attempt_at <= now()
             AND (h.lease_until IS NULL OR h.lease_until <= now())
             AND NOT EXISTS (
               SELECT 1 FROM event_deliveries p
                WHERE p.invoice_id = h.invoice_id AND p.delivered_at IS NULL
                  AND p.seq < h.seq)
           ORDER BY h.txid, h.seq
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
        RETURNING event_id AS "eventId", attempts`,
      [limit, leaseMs],
    );
    return rows;
  }

  async delivered(eventId: string, status: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE event_deliveries
          SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2,
              last_error = NULL, delivered_at = now(), lease_until = NULL
        WHERE event_id = $1`,
      [eventId, status],
    );
  }

  async failed(
    eventId: string,
    outcome: { status: number | null; error: string | null },
    retryInMs: number,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE event_deliveries
          SET attempts = attempts + 1, last_attempt_at = now(), last_status = $2, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $4 / 1000.0), lease_until = NULL
        WHERE event_id = $1`,
      [eventId, outcome.status, outcome.error, retryInMs],
    );
  }

  find(eventId: string): Promise<EventDelivery | null> {
    return this.dataSource.manager.findOneBy(EventDelivery, { eventId });
  }

  /**
   * Makes a delivered (or waiting) event due again now. Only once the worker has taken up
   * every settled event: a replayed event must not overtake its invoice's earlier ones.
   */
  async redeliver(eventId: string): Promise<void> {
    await this.enqueue();
    await this.dataSource.query(
      `UPDATE event_deliveries SET delivered_at = NULL, next_attempt_at = now() WHERE event_id = $1`,
      [eventId],
    );
  }
}
