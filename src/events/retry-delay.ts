/**
 * Exponential backoff with jitter: about `baseMs` after the first failure, doubling per failure
 * up to `maxMs`, each drawn from the upper half of that span so that pushes failing together
 * (a receiver outage) do not all come back at the same moment.
 */
export function retryDelayMs(
  failures: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const span = Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, failures - 1), 30));
  return Math.round(span / 2 + (random() * span) / 2);
}
