/**
 * The B2B Router account settings our totals assume (see money.ts): round half up, and tax on
 * the summed bases of each rate rather than on each line. An account set otherwise would compute
 * totals that differ from ours by a cent now and then.
 * `apply_taxes_per_line` has no published meaning: it is compared only when the account reports it.
 */
export const EXPECTED_CALCULATION_SETTINGS = [
  { setting: 'rounding_method', expected: 'half_up', required: true },
  { setting: 'round_before_sum', expected: false, required: true },
  { setting: 'apply_taxes_per_line', expected: false, required: false },
] as const;
