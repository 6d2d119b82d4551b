export const STAGING = 'https://api-staging.b2brouter.net';
export const PRODUCTION = 'https://api.b2brouter.net';
export const API_KEY = 'stg_live_secret_key_c123';

/** A device body as an operator would post it. */
export function deviceBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Front desk',
    environment: 'staging',
    apiKey: API_KEY,
    accountId: '4711',
    ...overrides,
  };
}

export function accountAnswer(overrides: Record<string, unknown> = {}) {
  return {
    account: {
      id: 4711,
      name: 'Leisure Venue SL',
      tin_value: 'ESB12345674',
      country: 'es',
      currency: 'EUR',
      rounding_method: 'half_up',
      round_before_sum: false,
      apply_taxes_per_line: false,
      ...overrides,
    },
  };
}
