import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivationTokenEntity } from './activation-token.entity.js';
import { ActivationTokensController } from './activation-tokens.controller.js';
import { ActivationTokensService } from './activation-tokens.service.js';
import { ManagementProfileEntity } from './management-profile.entity.js';
import { ProfileConfigurationCache } from './profile-configuration-cache.js';
import { ProfileLinksReader } from './profile-links.reader.js';
import { ProfilesController } from './profiles.controller.js';
import { ProfilesResolver } from './profiles.resolver.js';
import { ProfilesService } from './profiles.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ManagementProfileEntity, ActivationTokenEntity])],
  controllers: [ProfilesController, ActivationTokensController],
  providers: [ProfilesService, ActivationTokensService, ProfileLinksReader, ProfileConfigurationCache, ProfilesResolver],
  exports: [ProfilesService, ActivationTokensService, ProfileLinksReader, ProfileConfigurationCache],
})
export class ProfilesModule {}
