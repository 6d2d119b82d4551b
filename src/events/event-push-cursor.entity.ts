import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * How far the push worker has read the outbox: every event up to `(txid, seq)` has its
 * delivery. One row; missing (a new database) means from the start.
 */
@Entity({ name: 'event_push_cursor' })
@Check('CHK_event_push_cursor_single', `"id" = 1`)
export class EventPushCursor {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'PK_event_push_cursor' })
  id: number;

  @Column({ type: 'bigint' })
  txid: string;

  @Column({ type: 'bigint' })
  seq: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
