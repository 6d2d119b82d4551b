import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateEnv } from './env';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('validateEnv', () => {
  it('gives the contract defaults for an empty environment', () => {
    expect(validateEnv({})).toMatchObject({
      PORT: 3000,
      DATA_DIR: './data',
      B2BROUTER_ALLOWED_HOSTS: ['api.b2brouter.net', 'api-staging.b2brouter.net'],
      B2BROUTER_TIMEOUT_MS: 15000,
    });
  });

  it('refuses to start in production without API_TOKENS and SECRETS_KEY, naming both', () => {
    expect(() => validateEnv({ NODE_ENV: 'production' })).toThrow(/API_TOKENS[\s\S]*SECRETS_KEY/);
    expect(() =>
      validateEnv({
        NODE_ENV: 'production',
        API_TOKENS: 'admin:0123456789abcdef0',
        SECRETS_KEY: KEY,
      }),
    ).not.toThrow();
  });

  it.each([
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://db'],
    ['SECRETS_KEY', 'c2hvcnQ='],
    ['API_TOKENS', 'root:0123456789abcdef0'],
    ['API_TOKENS', 'admin:short'],
    ['B2BROUTER_TIMEOUT_MS', '-5'],
    ['B2BROUTER_ALLOWED_HOSTS', 'https://x.com/path'],
    ['NOTIFY_WEBHOOK_URL', 'not a url'],
    ['AUTH_FAILURE_LIMIT', '0'],
    ['METRICS_TOKEN', 'short'],
    ['LOG_FORMAT', 'xml'],
  ])('stops on a bad %s with a message naming it', (name, value) => {
    expect(() => validateEnv({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  it('requires NOTIFY_WEBHOOK_SECRET with NOTIFY_WEBHOOK_URL', () => {
    expect(() => validateEnv({ NOTIFY_WEBHOOK_URL: 'https://booking.example/hooks' })).toThrow(
      /NOTIFY_WEBHOOK_SECRET/,
    );
  });

  it('parses role:token pairs', () => {
    const env = validateEnv({ API_TOKENS: 'admin:0123456789abcdef0, booking:fedcba98765432100' });
    expect(env.API_TOKENS).toEqual([
      { role: 'admin', token: '0123456789abcdef0' },
      { role: 'booking', token: 'fedcba98765432100' },
    ]);
  });

  it('accepts every variable of .env.example', () => {
    const example = readFileSync(join(__dirname, '../../.env.example'), 'utf8');
    const vars = Object.fromEntries(
      example
        .split('\n')
        .map((line) => line.replace(/^#\s*/, '').match(/^([A-Z0-9_]+)=(.*)$/))
        .filter((m): m is RegExpMatchArray => m !== null)
        .map((m) => [m[1], m[2]]),
    );
    expect(Object.keys(vars).sort()).toEqual(
      [
        'ALLOW_SIMULATOR',
        'API_TOKENS',
        'AUTH_FAILURE_LIMIT',
        'AUTH_FAILURE_WINDOW_SECONDS',
        'B2BROUTER_ALLOWED_HOSTS',
        'B2BROUTER_TIMEOUT_MS',
        'BULK_REGISTRATION_CONCURRENCY',
        'DATABASE_URL',
        'DATA_DIR',
        'LOG_FORMAT',
        'LOG_LEVEL',
        'METRICS_TOKEN',
        'NODE_ENV',
        'NOTIFY_PUSH_INTERVAL_MS',
        'NOTIFY_RETRY_BASE_MS',
        'NOTIFY_RETRY_MAX_MS',
        'NOTIFY_TIMEOUT_MS',
        'NOTIFY_WEBHOOK_SECRET',
        'NOTIFY_WEBHOOK_URL',
        'PORT',
        'SECRETS_KEY',
        'REGISTRATION_RECOVERY_INTERVAL_MS',
        'REMOTE_STATE_POLL_INTERVAL_MS',
      ].sort(),
    );
    expect(() => validateEnv(vars)).not.toThrow();
  });
});
