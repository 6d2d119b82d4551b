import type { ItemState } from '../registration-batch-item.entity';

export type BatchStatus = 'queued' | 'running' | 'done';

export class RegistrationAcceptedDto {
  id: string;
  /** `queued` until a worker takes up its first invoice. */
  status: BatchStatus;
  /** How many invoices it registers. */
  total: number;
}

export class RegistrationItemDto {
  invoiceId: string;
  /** `pending` until its registration ended, then `succeeded` or `failed`. */
  state: ItemState;
  /**
   * Why it failed: the problem code `POST /invoices/{id}/register` would have answered with
   * (`INTERNAL_ERROR` for an unexpected error). The invoice's timeline tells the whole story.
   */
  code?: string;
}

export class RegistrationDto {
  id: string;
  /** `queued`: nothing started yet; `running`; `done`: every invoice succeeded or failed. */
  status: BatchStatus;
  total: number;
  /** Registered, by this batch or earlier (an invoice already registered counts as succeeded). */
  succeeded: number;
  failed: number;
  pending: number;
  createdAt: Date;
  /** Every invoice, in the order the request listed them. */
  items: RegistrationItemDto[];
}
