import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { withoutWiringNoise } from './logging/quiet-wiring';
import { setupSwagger } from './swagger';

/** What main.ts and the e2e tests both apply to the app, so tests see what users see. */
export function configureApp(app: NestExpressApplication): void {
  app.useLogger(withoutWiringNoise(app.get(Logger)));
  app.useBodyParser('json', { limit: '1mb' });
  app.set('trust proxy', false);
  app.disable('x-powered-by');
  // Answers are not cached by clients, and hashing every body for an ETag cost time per call.
  app.set('etag', false);
  // Swagger UI needs inline scripts and styles; everything else gets helmet's defaults.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.enableShutdownHooks();
  setupSwagger(app);
}
