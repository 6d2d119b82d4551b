import type { EventDelivery } from '../event-delivery.entity';

export type DeliveryState = 'unqueued' | 'pending' | 'delivered';

/** How the push of one event to NOTIFY_WEBHOOK_URL went. */
export class EventDeliveryDto {
  eventId: string;
  /**
   * `unqueued`: not taken up by the push worker (push is off, or it has not reached the event
   * yet); `pending`: waiting for its next attempt, or for an earlier event of its invoice to be
   * delivered first; `delivered`: acknowledged with a 2xx.
   */
  state: DeliveryState;
  /** Every attempt so far, replays included. */
  attempts: number;
  lastAttemptAt: Date | null;
  /** The receiver's HTTP status at the last attempt; null when it gave none. */
  lastStatus: number | null;
  /** Why the last attempt failed (status and the start of the answer, or the network error). */
  lastError: string | null;
  /** When it is tried next, while pending. */
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;

  static of(eventId: string, d: EventDelivery | null): EventDeliveryDto {
    return {
      eventId,
      state: !d ? 'unqueued' : d.deliveredAt ? 'delivered' : 'pending',
      attempts: d?.attempts ?? 0,
      lastAttemptAt: d?.lastAttemptAt ?? null,
      lastStatus: d?.lastStatus ?? null,
      lastError: d?.lastError ?? null,
      nextAttemptAt: d && !d.deliveredAt ? d.nextAttemptAt : null,
      deliveredAt: d?.deliveredAt ?? null,
    };
  }
}
