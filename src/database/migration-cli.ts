import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env';
import { dataSourceOptions } from './database.options';
import { EmbeddedPostgres } from './embedded-postgres';
import { runMigrations } from './migrate';

/**
 * `run`: applies pending migrations (the app also does this at start).
 * `check`: applies them, then fails if the entities still differ from the schema, that is
 * when an entity changed without a migration. Works on DATABASE_URL or the embedded database.
 */
async function main(command: string): Promise<number> {
  const env = validateEnv(process.env);
  const embedded = env.DATABASE_URL ? undefined : await EmbeddedPostgres.start(env.DATA_DIR);
  const target = { url: env.DATABASE_URL ?? embedded!.url, embedded: !!embedded };
  const dataSource = await new DataSource(dataSourceOptions(target)).initialize();
  try {
    const applied = await runMigrations(dataSource);
    process.stdout.write(
      `Applied ${applied.length} migration(s)${applied.length ? ': ' + applied.join(', ') : ''}\n`,
    );
    if (command !== 'check') return 0;
    const pending = await dataSource.driver.createSchemaBuilder().log();
    if (pending.upQueries.length === 0) {
      process.stdout.write('Entities and migrations agree.\n');
      return 0;
    }
    process.stderr.write('Entities and migrations disagree; a migration would need:\n');
    for (const q of pending.upQueries) process.stderr.write(`  ${q.query};\n`);
    return 1;
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv[2] ?? 'run').then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Migration failed: ${String(error)}\n`);
    process.exit(1);
  },
);
