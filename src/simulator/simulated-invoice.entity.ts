import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What B2B Router shows of an invoice, without its state (kept in columns of its own). */
export type SimulatedInvoiceBody = Record<string, unknown>;

/**
 * An invoice the built-in B2B Router holds, in the service's own database, so it outlives a
 * restart as the real one would. Ids start high (see the migration), far from ours.
 */
@Entity({ name: 'simulator_invoices' })
@Index('uq_simulator_invoices_number', ['accountId', 'number'], { unique: true })
@Index('ix_simulator_invoices_next_state_at', ['nextStateAt'], {
  where: 'next_state_at IS NOT NULL',
})
export class SimulatedInvoice {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'account_id', type: 'varchar', length: 32 })
  accountId: string;

  @Column({ type: 'varchar', length: 64 })
  number: string;

  @Column({ type: 'varchar', length: 30 })
  state: string;

  /** Why it is in its state, as B2B Router's notes say (refusals). */
  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'jsonb' })
  body: SimulatedInvoiceBody;

  /** The scripted outcome its number asked for (see scenarios.ts); null: plain success. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  scenario: string | null;

  /** Every send call it received, refused ones included: a test counts the sends with it. */
  @Column({ name: 'send_attempts', type: 'int', default: 0 })
  sendAttempts: number;

  /** When the simulator moves it to its next state; null once it has none. */
  @Column({ name: 'next_state_at', type: 'timestamptz', nullable: true })
  nextStateAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
