import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import PinoPretty from 'pino-pretty';
import type { Env } from '../config/env';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Reuses a caller's X-Request-Id when it is sane, so one id follows a call across systems. */
function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Anything that could carry a credential is censored, whatever logs it. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-b2b-api-key"]',
  'req.headers["x-b2brouter-signature"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.webhookSecret',
  '*.token',
  '*.secret',
];

/**
 * JSON lines for collectors; readable lines for a person at a terminal (or LOG_FORMAT=pretty).
 * JSON goes through process.stdout (not pino's own fd writer), so tests can read every line.
 */
function logStream(format: Env['LOG_FORMAT']) {
  const pretty = format === 'pretty' || (format === undefined && process.stdout.isTTY);
  if (!pretty) return { write: (line: string) => process.stdout.write(line) };
  return PinoPretty({
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'SYS:HH:MM:ss.l',
    // One line per request, as a person reads a terminal; the full fields stay in JSON mode.
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat:
      '{if context}[{context}] {end}{if req}{req.method} {req.url} → {res.statusCode} in {responseTime} ms: {end}{msg}',
  });
}

export const AppLoggerModule = LoggerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<Env, true>) => ({
    pinoHttp: {
      level: config.get('LOG_LEVEL', { infer: true }),
      genReqId: requestId,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      stream: logStream(config.get('LOG_FORMAT', { infer: true })),
    },
    forRoutes: ['*path'],
  }),
});
