import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

/**
 * One entry of an invoice's timeline; `seq` orders events that share a timestamp. The table is
 * also the outbox of GET /events and of pushed events (src/events), ordered by `(txid, seq)`.
 */
@Entity({ name: 'invoice_events' })
@Index('ix_invoice_events_invoice_seq', ['invoiceId', 'seq'])
@Index('ix_invoice_events_txid_seq', ['txid', 'seq'])
export class InvoiceEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq: string;

  @Column({ name: 'invoice_id', type: 'uuid' })
  invoiceId: string;

  @Column({ type: 'varchar', length: 50 })
  type: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'varchar', length: 50, nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details: Record<string, unknown> | null;

  /**
   * The id of the transaction that wrote it (set by the database). Readers of the outbox take
   * only events of transactions that have all ended, so one committing late is never skipped.
   */
  @Column({ type: 'bigint', default: () => 'current_txid()' })
  txid: string;
}
