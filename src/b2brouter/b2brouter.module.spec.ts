import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { validateEnv } from '../config/env';
import { B2BROUTER_CLIENT_OPTIONS, B2bRouterClient } from './b2brouter.client';
import { B2bRouterModule } from './b2brouter.module';

it('provides the client, its timeout taken from the configuration', async () => {
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        ignoreEnvFile: true,
        validate: () => validateEnv({ NODE_ENV: 'test', B2BROUTER_TIMEOUT_MS: '2500' }),
      }),
      B2bRouterModule,
    ],
  }).compile();
  expect(moduleRef.get(B2bRouterClient)).toBeInstanceOf(B2bRouterClient);
  expect(moduleRef.get(B2BROUTER_CLIENT_OPTIONS)).toEqual({ timeoutMs: 2500 });
});
