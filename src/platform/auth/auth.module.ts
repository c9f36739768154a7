import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AccessTokens } from './access-tokens.service.js';
import { jwtKey } from './jwt-options.js';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ privateKey: jwtKey(config), publicKey: jwtKey(config) }),
    }),
  ],
  providers: [AccessTokens],
  exports: [AccessTokens, JwtModule],
})
export class AuthModule {}
