import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { AccessTokens } from './access-tokens.service.js';

@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => ({ secret: config.auth.jwtSecret }) }),
  ],
  providers: [AccessTokens],
  exports: [AccessTokens, PassportModule, JwtModule],
})
export class AuthModule {}
