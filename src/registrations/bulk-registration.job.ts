/** The pg-boss queue holding one job per invoice of a bulk registration. */
export const BULK_REGISTRATION_QUEUE = 'bulk-registration';

export interface BulkRegistrationJob {
  batchId: string;
  invoiceId: string;
  workstationId: string | null;
  /** Retryable failures so far (an attempt refused as in progress is not one). */
  failures?: number;
}

/**
 * Fetched first (pg-boss takes higher priorities first): a credit note whose original is in the
 * same batch comes after the rest, so it rarely finds its original still pending.
 */
export const PRIORITY = { first: 1, afterOriginals: 0 } as const;
