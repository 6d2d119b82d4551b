import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Env } from './config/env';
import { DatabaseRuntime } from './database/database-target';

/**
 * Listens on PORT, then says in one line what a person starting the service needs: the URL
 * (the bound port, so PORT=0 shows the one the system chose), the docs and the database.
 */
export async function listen(app: NestExpressApplication): Promise<void> {
  await app.listen(app.get(ConfigService<Env, true>).get('PORT', { infer: true }));
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://localhost:${port}`;
  new Logger('Bootstrap').log(
    `Listening on ${url} (API docs ${url}/docs), database: ${app.get(DatabaseRuntime).describe()}`,
  );
}
