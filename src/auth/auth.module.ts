import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ApiTokens } from './api-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';
import { FailedAuthentications } from './failed-authentications';

@Module({
  providers: [
    ApiTokens,
    // In memory, per instance: each instance of the service counts the failures it sees.
    ThrottlerStorageService,
    FailedAuthentications,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
})
export class AuthModule {}
