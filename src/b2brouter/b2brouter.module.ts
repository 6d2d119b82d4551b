import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import {
  B2BROUTER_CLIENT_OPTIONS,
  B2bRouterClient,
  type B2bRouterClientOptions,
} from './b2brouter.client';

@Module({
  imports: [ConfigModule],
  providers: [
    {
      provide: B2BROUTER_CLIENT_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>): B2bRouterClientOptions => ({
        timeoutMs: config.get('B2BROUTER_TIMEOUT_MS', { infer: true }),
      }),
    },
    B2bRouterClient,
  ],
  exports: [B2bRouterClient],
})
export class B2bRouterModule {}
