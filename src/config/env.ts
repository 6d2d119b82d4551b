import { z } from 'zod';

const hostList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/, 'each entry must be host or host:port')),
  );

/** `role:token` pairs, comma-separated. Tokens are compared in constant time by the auth guard. */
const apiTokens = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        return { role: at < 0 ? '' : pair.slice(0, at), token: at < 0 ? pair : pair.slice(at + 1) };
      }),
  )
  .pipe(
    z
      .array(
        z.object({
          role: z.enum(['admin', 'booking'], {
            message: 'each entry must be admin:<token> or booking:<token>',
          }),
          token: z.string().min(16, 'each token must have at least 16 characters'),
        }),
      )
      .min(1),
  );

export type ApiRole = 'admin' | 'booking';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default('./data'),
    API_TOKENS: z.preprocess(emptyAsUndefined, apiTokens.optional()),
    SECRETS_KEY: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
        .optional(),
    ),
    B2BROUTER_ALLOWED_HOSTS: hostList.default(['api.b2brouter.net', 'api-staging.b2brouter.net']),
    B2BROUTER_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    NOTIFY_WEBHOOK_URL: z.preprocess(emptyAsUndefined, z.url().optional()),
    NOTIFY_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16).optional()),
    /** How often the push worker looks for events to push (when NOTIFY_WEBHOOK_URL is set); 0: never. */
    NOTIFY_PUSH_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
    /** Timeout of one push to NOTIFY_WEBHOOK_URL. */
    NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** A failed push is retried after about this long, doubling per failure up to the max. */
    NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(5_000),
    NOTIFY_RETRY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
    REGISTRATION_RECOVERY_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .default(60_000),
    /** Invoices of bulk registrations (POST /registrations) one instance registers at once. */
    BULK_REGISTRATION_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    /** Simulator devices are refused in production unless this is `true`. */
    ALLOW_SIMULATOR: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
    /** How often the poller asks B2B Router for the state of invoices it is due to ask about. */
    REMOTE_STATE_POLL_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
    /** Failed authentications one address may make per window before it gets 429 for one. */
    AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(20),
    AUTH_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    /** A bearer token that may read /metrics and nothing else, for a Prometheus scraper. */
    METRICS_TOKEN: z.preprocess(
      emptyAsUndefined,
      z.string().min(16, 'must have at least 16 characters').optional(),
    ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Unset: readable lines at a terminal, JSON lines otherwise. */
    LOG_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json', 'pretty']).optional()),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      for (const key of ['API_TOKENS', 'SECRETS_KEY'] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when NODE_ENV=production',
          });
        }
      }
    }
    if (env.NOTIFY_WEBHOOK_URL && !env.NOTIFY_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTIFY_WEBHOOK_SECRET'],
        message: 'is required when NOTIFY_WEBHOOK_URL is set',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Used by ConfigModule: a bad value stops the start with a message naming the variable. */
export function validateEnv(raw: Record<string, unknown>): Env {
  const result = envSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${String(i.path[0] ?? '(env)')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
