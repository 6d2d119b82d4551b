import { cronEvery } from './cron-every';

describe('cronEvery', () => {
  it.each([
    [1, '* * * * *'],
    [30, '* * * * *'],
    [60, '* * * * *'],
    [150, '*/3 * * * *'],
    [3600, '0 */1 * * *'],
    [7 * 3600, '0 */7 * * *'],
    [86_400, '0 0 * * *'],
    [10 * 86_400, '0 0 * * *'],
  ])('every %i s is %s', (seconds, cron) => {
    expect(cronEvery(seconds)).toBe(cron);
  });

  it('refuses what is not a period', () => {
    expect(() => cronEvery(0)).toThrow(RangeError);
    expect(() => cronEvery(1.5)).toThrow(RangeError);
  });
});
