/** After these B2B Router changes nothing more (API-NOTES, "States"); `sent` is not one of them. */
export const FINAL_REMOTE_STATES = ['paid', 'closed', 'refused'] as const;

/** States that mean the invoice did not reach its customer, or was turned down. */
export const PROBLEM_REMOTE_STATES = ['error', 'refused'] as const;

export function isFinalRemoteState(state: string | null): boolean {
  return (FINAL_REMOTE_STATES as readonly string[]).includes(state ?? '');
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** SQL for the first look, soon after the send, so `remoteState` does not stay at `new`. */
export const FIRST_POLL = "now() + interval '10 seconds'";

/**
 * How long until the next look at an invoice registered `ageMs` ago: often while delivery is
 * under way, hourly while a refusal is likely, daily after that; never after 90 days, when an
 * invoice that is neither paid nor closed is for an operator to chase, not a poller.
 */
export function nextPollDelayMs(ageMs: number): number | null {
  if (ageMs < HOUR) return 5 * MINUTE;
  if (ageMs < 2 * DAY) return HOUR;
  if (ageMs < 90 * DAY) return DAY;
  return null;
}
