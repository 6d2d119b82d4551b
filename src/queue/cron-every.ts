/**
 * A cron expression firing about every `seconds`. pg-boss files each occurrence of a schedule
 * in a one-minute slot (one job per slot, whatever the expression), so a minute is the finest
 * period: shorter ones are rounded up to it.
 */
export function cronEvery(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`Not a period: ${seconds}`);
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}
