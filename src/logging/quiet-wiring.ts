import type { LoggerService } from '@nestjs/common';

/**
 * Nest's start-up wiring, a line per module and per route: noise to anyone reading at info.
 * The service says where it listens in one line of its own (main.ts).
 */
const WIRING_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** The app's logger, with Nest's wiring lines moved down to debug. */
export function withoutWiringNoise(logger: LoggerService): LoggerService {
  const isWiring = (params: unknown[]) => WIRING_CONTEXTS.has(params.at(-1) as string);
  return {
    log(message: unknown, ...params: unknown[]) {
      if (isWiring(params)) logger.debug?.(message, ...params);
      else logger.log(message, ...params);
    },
    error(message: unknown, ...params: unknown[]) {
      logger.error(message, ...params);
    },
    warn(message: unknown, ...params: unknown[]) {
      logger.warn(message, ...params);
    },
    debug(message: unknown, ...params: unknown[]) {
      logger.debug?.(message, ...params);
    },
    verbose(message: unknown, ...params: unknown[]) {
      logger.verbose?.(message, ...params);
    },
    fatal(message: unknown, ...params: unknown[]) {
      logger.fatal?.(message, ...params);
    },
  };
}
