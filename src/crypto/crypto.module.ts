import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env';
import { loadOrCreateLocalSecret, randomSecret } from '../config/local-secrets';
import { SecretBox } from './secret-box';

@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => {
        const key =
          config.get('SECRETS_KEY', { infer: true }) ??
          loadOrCreateLocalSecret(
            config.get('DATA_DIR', { infer: true }),
            'secrets.key',
            randomSecret(32),
          ).value;
        return new SecretBox(Buffer.from(key, 'base64'));
      },
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
