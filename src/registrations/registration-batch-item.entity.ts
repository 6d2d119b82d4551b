import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Invoice } from '../invoices/invoice.entity';
import { RegistrationBatch } from './registration-batch.entity';

export type ItemState = 'pending' | 'succeeded' | 'failed';

/** One invoice of a bulk registration and how its registration ended. */
@Entity({ name: 'registration_batch_items' })
@Index('ix_registration_batch_items_state', ['batchId', 'state'])
@Index('ix_registration_batch_items_invoice', ['invoiceId'])
@Check('CHK_registration_batch_items_state', `"state" IN ('pending', 'succeeded', 'failed')`)
export class RegistrationBatchItem {
  @PrimaryColumn({
    name: 'batch_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_registration_batch_items',
  })
  batchId: string;

  @PrimaryColumn({
    name: 'invoice_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_registration_batch_items',
  })
  invoiceId: string;

  @ManyToOne(() => RegistrationBatch, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'FK_registration_batch_items_batch' })
  batch?: RegistrationBatch;

  @ManyToOne(() => Invoice, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'invoice_id',
    foreignKeyConstraintName: 'FK_registration_batch_items_invoice',
  })
  invoice?: Invoice;

  /** Where the caller listed it (from 1): items are shown in that order. */
  @Column({ type: 'integer' })
  position: number;

  /** A credit note's original invoice when that one is in the same batch: it goes first. */
  @Column({ name: 'waits_for', type: 'uuid', nullable: true })
  waitsFor: string | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  state: ItemState;

  /** The problem code registration failed with, as /register would have answered it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  code: string | null;

  /** When a worker first took it up: a batch with one is running. */
  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
