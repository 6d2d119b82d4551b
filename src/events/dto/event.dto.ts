import type { InvoiceEvent } from '../../invoices/invoice-event.entity';

/** One event of the service, as GET /events serves it and the push worker posts it. */
export class EventDto {
  /**
   * Unique and stable: a retried or replayed push carries the same id, so a consumer that saw
   * it already can ignore it.
   */
  id: string;
  /**
   * What happened to the invoice: `created`, `updated`, `confirmed`, `cancelled`,
   * `registration.started`, `registration.succeeded`, `registration.failed`, `linked`,
   * `unlinked`, `remote.state_changed`, … (the types of the invoice timeline).
   */
  type: string;
  /** When the change was made (ISO 8601, UTC). */
  occurredAt: Date;
  invoiceId: string;
  /**
   * The event's facts, as `details` on the invoice timeline (for example `from` and `to` of
   * `remote.state_changed`), with `code` (a problem code, on failures) and `message` (a
   * sentence for people) beside them when the event has them. Always an object.
   * @example {"from": "sent", "to": "refused", "notes": "Unknown customer", "source": "webhook", "message": "B2B Router: sent → refused (Unknown customer)."}
   */
  data: Record<string, unknown>;

  static fromEntity(e: InvoiceEvent): EventDto {
    return {
      id: e.id,
      type: e.type,
      occurredAt: e.at,
      invoiceId: e.invoiceId,
      data: {
        ...e.details,
        ...(e.code !== null && { code: e.code }),
        ...(e.message !== null && { message: e.message }),
      },
    };
  }
}

export class EventPageDto {
  /** Oldest first. */
  items: EventDto[];
  /**
   * Pass it as `after` to read on. Given whenever there is a position to continue from (the
   * same `after` when nothing new came): poll with the last one. A page shorter than `limit`
   * means there was nothing more to read at the time.
   */
  nextCursor: string | null;
}
