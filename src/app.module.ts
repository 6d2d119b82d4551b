import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { ProblemDetailsFilter } from './common/errors/problem-details.filter';
import { validationPipe } from './common/validation';
import { validateEnv } from './config/env';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { UnmappedDatabaseErrors } from './database/unmapped-database-errors';
import { ContactsModule } from './contacts/contacts.module';
import { InvoicesModule } from './invoices/invoices.module';
import { DevicesModule } from './devices/devices.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { AppLoggerModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { QueueModule } from './queue/queue.module';
import { RegistrationsModule } from './registrations/registrations.module';
import { SimulatorViewModule } from './simulator/simulator-view.module';

/**
 * Built by a function, not a static decorator: ConfigModule validates the environment when
 * `forRoot` runs, so each start (and each test app) reads the environment as it is then.
 */
@Module({})
export class AppModule {
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          cache: true,
          validate: validateEnv,
          // Tests set their environment themselves; a developer's .env must not leak into them.
          ignoreEnvFile: process.env.NODE_ENV === 'test',
        }),
        AppLoggerModule,
        MetricsModule,
        DatabaseModule,
        QueueModule,
        CryptoModule,
        AuthModule,
        HealthModule,
        DevicesModule,
        ContactsModule,
        InvoicesModule,
        RegistrationsModule,
        WebhooksModule,
        EventsModule,
        SimulatorViewModule,
      ],
      providers: [
        { provide: APP_PIPE, useValue: validationPipe },
        UnmappedDatabaseErrors,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
