import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { B2bRouterEnvironment, B2bRouterInvoiceInput } from '../b2brouter/b2brouter.types';
import { Contact } from '../contacts/contact.entity';
import { InvoiceLine } from './invoice-line.entity';

export type InvoiceType = 'invoice' | 'credit_note';
export type InvoiceStatus = 'draft' | 'confirmed' | 'cancelled';
export type RegistrationState =
  'not_registered' | 'in_progress' | 'registered' | 'failed' | 'linked';

/** Registered or linked: the invoice exists at B2B Router and is final here. */
export const isAtB2bRouter = (invoice: Pick<Invoice, 'registrationState'>) =>
  invoice.registrationState === 'registered' || invoice.registrationState === 'linked';

/**
 * A create may have reached B2B Router: the invoice (may) exist in the pinned account, so every
 * later attempt continues there, and the invoice can no longer be cancelled here.
 */
export const isPinned = (invoice: Pick<Invoice, 'b2brouterInvoiceId' | 'createAttemptedAt'>) =>
  invoice.b2brouterInvoiceId !== null || invoice.createAttemptedAt !== null;

/** Our totals against B2B Router's, for each amount where they differ. */
/** The B2B Router invoice an operator unlinked, kept so a later registration does not repeat it. */
export interface UnlinkedFrom {
  b2brouterInvoiceId: number;
  /** The remote invoice's number, which may differ from ours if the link was forced. */
  number: string;
  environment: string;
  accountId: string;
  apiAddress: string;
  at: string;
  by: string;
}

export type TotalsDrift = Record<string, { ours: string; b2brouter: string }>;

/** What the last failed registration said; shown to operators as `registration.lastError`. */
export interface RegistrationError {
  code: string;
  message: string;
  at: string;
  retryable?: boolean;
  remote?: { status?: number; code?: string; message?: string; requestId?: string };
}

@Entity({ name: 'invoices' })
@Index('ix_invoices_contact', ['contactId'])
@Index('ix_invoices_status_seq', ['status', 'seq'])
@Index('ix_invoices_registration_seq', ['registrationState', 'seq'])
// B2B Router numbers its invoices per environment: the same id exists in staging and production.
@Index(
  'uq_invoices_b2brouter_invoice',
  ['b2brouterEnvironment', 'b2brouterAccountId', 'b2brouterInvoiceId'],
  {
    unique: true,
  },
)
@Index('ix_invoices_retry_at', ['retryAt'], { where: 'retry_at IS NOT NULL' })
@Index('ix_invoices_remote_poll_at', ['remotePollAt'], { where: 'remote_poll_at IS NOT NULL' })
@Index('ix_invoices_remote_state_seq', ['remoteState', 'seq'], {
  where: 'remote_state IS NOT NULL',
})
export class Invoice {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Insertion order, for keyset pagination (timestamps can tie). */
  @Column({ type: 'bigint', unique: true })
  @Generated('increment')
  seq: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  number: string;

  @Column({ type: 'varchar', length: 20, default: 'invoice' })
  type: InvoiceType;

  @Column({ name: 'original_invoice_id', type: 'uuid', nullable: true })
  originalInvoiceId: string | null;

  @ManyToOne(() => Invoice, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'original_invoice_id' })
  originalInvoice?: Invoice;

  @Column({ name: 'contact_id', type: 'uuid' })
  contactId: string;

  @ManyToOne(() => Contact, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contact_id' })
  contact?: Contact;

  @Column({ name: 'project_id', type: 'varchar', length: 100, nullable: true })
  projectId: string | null;

  @Column({ name: 'issue_date', type: 'date' })
  issueDate: string;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate: string | null;

  @Column({ type: 'char', length: 3, default: 'EUR' })
  currency: string;

  @Column({ type: 'varchar', length: 20, default: 'draft' })
  status: InvoiceStatus;

  @OneToMany(() => InvoiceLine, (line) => line.invoice, { cascade: true })
  lines: InvoiceLine[];

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  subtotal: string;

  @Column({ name: 'tax_total', type: 'numeric', precision: 14, scale: 2 })
  taxTotal: string;

  @Column({ type: 'numeric', precision: 14, scale: 2 })
  total: string;

  /** B2B Router's reference once registered or linked; null otherwise. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  reference: string | null;

  @Column({ name: 'registration_state', type: 'varchar', length: 20, default: 'not_registered' })
  registrationState: RegistrationState;

  /** Stored the moment B2B Router answers a create, so no retry ever creates it again. */
  @Column({ name: 'b2brouter_invoice_id', type: 'bigint', nullable: true })
  b2brouterInvoiceId: string | null;

  /**
   * The device whose key the attempt uses, and where its invoice lives at B2B Router. Taken at
   * the claim and frozen once a create may have happened (see `isPinned`): from then on every
   * attempt continues in that account, whatever the workstation or the device now say.
   */
  @Column({ name: 'registration_device_id', type: 'uuid', nullable: true })
  registrationDeviceId: string | null;

  @Column({ name: 'b2brouter_environment', type: 'varchar', length: 20, nullable: true })
  b2brouterEnvironment: B2bRouterEnvironment | null;

  @Column({ name: 'b2brouter_account_id', type: 'varchar', length: 32, nullable: true })
  b2brouterAccountId: string | null;

  @Column({ name: 'b2brouter_api_address', type: 'varchar', length: 300, nullable: true })
  b2brouterApiAddress: string | null;

  /** The create call's body, built and checked before any mark; frozen with the account. */
  @Column({ name: 'b2brouter_payload', type: 'jsonb', nullable: true })
  b2brouterPayload: B2bRouterInvoiceInput | null;

  /**
   * The contact's e-mail when a staging device's `testRecipientEmail` took its place in the
   * body above (a test redirection); null when the body delivers to the contact. Kept with it.
   */
  @Column({ name: 'test_redirected_from', type: 'varchar', length: 254, nullable: true })
  testRedirectedFrom: string | null;

  /** Where B2B Router's totals differ from ours by its rounding; null when they agree. */
  @Column({ type: 'jsonb', nullable: true })
  drift: TotalsDrift | null;

  @Column({ name: 'remote_state', type: 'varchar', length: 30, nullable: true })
  remoteState: string | null;

  /**
   * When B2B Router says the remote state changed (a webhook's `triggered_at`); an event
   * older than this one changes nothing. Null until B2B Router first tells.
   */
  @Column({ name: 'remote_state_at', type: 'timestamptz', nullable: true })
  remoteStateAt: Date | null;

  /** What B2B Router said with its last state (why it is `error` or `refused`), if anything. */
  @Column({ name: 'remote_note', type: 'text', nullable: true })
  remoteNote: string | null;

  /** When B2B Router is next asked for the state; null once final (or never registered). */
  @Column({ name: 'remote_poll_at', type: 'timestamptz', nullable: true })
  remotePollAt: Date | null;

  @Column({ name: 'registered_at', type: 'timestamptz', nullable: true })
  registeredAt: Date | null;

  @Column({ name: 'last_error', type: 'jsonb', nullable: true })
  lastError: RegistrationError | null;

  /** Who holds the registration now, and until when (a crashed holder's lease expires). */
  @Column({ name: 'lease_token', type: 'uuid', nullable: true })
  leaseToken: string | null;

  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  /** Set before the create call: a create with no stored id may still have happened. */
  @Column({ name: 'create_attempted_at', type: 'timestamptz', nullable: true })
  createAttemptedAt: Date | null;

  /** Set before the send call: a send whose answer was lost may still have happened. */
  @Column({ name: 'send_attempted_at', type: 'timestamptz', nullable: true })
  sendAttemptedAt: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Set by an unlink: a registration first makes sure it would not create that invoice twice. */
  @Column({ name: 'unlinked_from', type: 'jsonb', nullable: true })
  unlinkedFrom: UnlinkedFrom | null;

  /** When the service itself takes up a registration whose outcome is unknown; null: it will not. */
  @Column({ name: 'retry_at', type: 'timestamptz', nullable: true })
  retryAt: Date | null;

  /** Background attempts since the last success or definite answer, for the backoff. */
  @Column({ name: 'recovery_attempts', type: 'integer', default: 0 })
  recoveryAttempts: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
