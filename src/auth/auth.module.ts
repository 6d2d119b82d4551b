import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokens } from './api-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({ providers: [ApiTokens, { provide: APP_GUARD, useClass: BearerAuthGuard }] })
export class AuthModule {}
