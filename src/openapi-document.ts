import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { buildOpenApi } from './swagger';

/**
 * `npm run openapi` writes openapi.json; `--check` fails when the committed one is stale.
 * Preview mode builds the module graph without instantiating providers: no database is opened.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const file = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'openapi.json';
  const app = await NestFactory.create(AppModule.forRoot(), { preview: true, logger: false });
  const text = `${JSON.stringify(buildOpenApi(app), null, 2)}\n`;
  await app.close();
  if (!check) {
    writeFileSync(file, text);
    return;
  }
  if (readFileSync(file, 'utf8') !== text) {
    process.stderr.write(`${file} is stale: run \`npm run openapi\` and commit it.\n`);
    process.exitCode = 1;
  }
}

void main();
