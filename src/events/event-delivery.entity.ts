import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
} from 'typeorm';
import { InvoiceEvent } from '../invoices/invoice-event.entity';

/**
 * The push of one event to NOTIFY_WEBHOOK_URL: made when the push worker reads the event from
 * the outbox, kept after its delivery so operators can see what happened and replay it.
 */
@Entity({ name: 'event_deliveries' })
@Index('ix_event_deliveries_undelivered', ['txid', 'seq'], { where: '"delivered_at" IS NULL' })
@Index('ix_event_deliveries_invoice_undelivered', ['invoiceId', 'seq'], {
  where: '"delivered_at" IS NULL',
})
export class EventDelivery {
  @PrimaryColumn({
    name: 'event_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_event_deliveries',
  })
  eventId: string;

  @ManyToOne(() => InvoiceEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_event_deliveries_event' })
  event?: InvoiceEvent;

  /**
   * The event's invoice and outbox position, copied. An event waits for its invoice's earlier
   * ones by `seq`: an invoice's events are written under its row lock, so `seq` is the order of
   * its changes even where `txid` is not (a transaction that got its id before waiting for the
   * lock).
   */
  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ type: 'bigint' })
  txid: string;

  @Column({ type: 'bigint' })
  seq: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** A worker is pushing it until then; past it (the worker died), another may. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** The receiver's HTTP status; null when it gave none (refused, timed out). */
  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** Acknowledged with a 2xx; a replay clears it. */
  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
