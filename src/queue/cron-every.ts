/**
 * A cron expression firing about every `seconds`: on the seconds of a minute divisible by it
 * below a minute (so 7 fires at :00, :07, … :56, then :00 again), on whole minutes above.
 */
export function cronEvery(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`Not a period: ${seconds}`);
  if (seconds < 60) return seconds === 1 ? '* * * * * *' : `*/${seconds} * * * * *`;
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return minutes === 1 ? '* * * * *' : `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.round(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}
