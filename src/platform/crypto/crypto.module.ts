import { Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { SecretHasher } from './secrets.js';

@Global()
@Module({
  providers: [
    { provide: SecretHasher, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new SecretHasher(config.auth.secretHashKey) },
  ],
  exports: [SecretHasher],
})
export class CryptoModule {}
