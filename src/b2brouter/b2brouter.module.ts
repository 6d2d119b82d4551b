import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { MetricsModule } from '../metrics/metrics.module';
import {
  B2BROUTER_CLIENT_OPTIONS,
  B2bRouterClient,
  type B2bRouterClientOptions,
} from './b2brouter.client';
import { B2bRouterSimulator } from '../simulator/b2brouter-simulator';
import { b2bRouterHttpOptions } from './b2brouter.http';

@Module({
  imports: [
    ConfigModule,
    // Global in the app already; named here so the module also boots on its own (its spec).
    MetricsModule,
    // Async for the factory: each app gets its own agents, none are made when this file loads.
    // The simulator is looked up when a simulator device first calls, so this module needs no
    // database when it boots alone (its spec).
    HttpModule.registerAsync({
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef) =>
        b2bRouterHttpOptions(() => moduleRef.get(B2bRouterSimulator, { strict: false })),
    }),
  ],
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
