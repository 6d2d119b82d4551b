import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseRuntime } from './database-target';
import { dataSourceOptions } from './database.options';
import { runMigrations } from './migrate';

@Global()
@Module({ providers: [DatabaseRuntime], exports: [DatabaseRuntime] })
class DatabaseRuntimeModule {}

/** The data source, migrated under a lock before any other provider can query it. */
@Module({
  imports: [
    DatabaseRuntimeModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseRuntime],
      useFactory: async (runtime: DatabaseRuntime) => dataSourceOptions(await runtime.start()),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
