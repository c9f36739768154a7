import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { JSONObject } from '../platform/graphql/scalars.js';
import type { ManagementProfileEntity } from './management-profile.entity.js';
import type { ProfileLink } from './profile-links.js';
import { deriveProfileStatus, GATEWAY_TYPES, PROFILE_STATUSES, type GatewayType, type ProfileStatus } from './profile-status.js';

export const ProfileStatusEnum = Object.fromEntries(PROFILE_STATUSES.map((s) => [s, s])) as { [S in ProfileStatus]: S };
export const GatewayTypeEnum = Object.fromEntries(GATEWAY_TYPES.map((s) => [s, s])) as { [S in GatewayType]: S };
registerEnumType(ProfileStatusEnum, { name: 'ProfileStatus' });
registerEnumType(GatewayTypeEnum, { name: 'GatewayType' });

@ObjectType('GatewayConfiguration')
@ApiSchema({ name: 'Configuration' })
export class ConfigurationView {
  @ApiProperty({ description: 'goes up by one on each change', example: 3 }) @Field(() => Int) version!: number;
  @ApiProperty({ type: Object, example: { proxy: { url: 'http://proxy.dc1.example:3128' } } })
  @Field(() => JSONObject)
  settings!: Record<string, unknown>;
}

/** A management profile as both APIs show it, with its derived status. */
@ObjectType('ManagementProfile', { implements: () => [NodeInterface] })
@ApiSchema({ name: 'ManagementProfile' })
export class ProfileView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ example: 'dc1-gateway' }) @Field() name!: string;
  @ApiProperty({ example: 'Frankfurt data centre, hall 2' }) @Field() description!: string;
  @ApiProperty({ enum: PROFILE_STATUSES, description: 'derived from its active gateway and any running migration' })
  @Field(() => ProfileStatusEnum)
  status!: ProfileStatus;
  @ApiProperty({ enum: GATEWAY_TYPES, nullable: true, description: 'of the active gateway' })
  @Field(() => GatewayTypeEnum, { nullable: true })
  gatewayType!: GatewayType | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) activeGatewayId!: string | null;
  @ApiProperty({ type: ConfigurationView }) @Field(() => ConfigurationView) configuration!: ConfigurationView;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Kubernetes-style labels, for label selectors',
    example: { site: 'paris', env: 'prod' },
  })
  @Field(() => JSONObject, { description: 'Kubernetes-style labels (key to value), for label selectors' })
  labels!: Record<string, string>;
  @ApiProperty({ description: 'optimistic-locking version of the profile row; send it back as expectedVersion' })
  @Field(() => Int)
  version!: number;
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;

  static of(
    profile: Pick<
      ManagementProfileEntity,
      | 'id'
      | 'tenantId'
      | 'name'
      | 'description'
      | 'configuration'
      | 'configurationVersion'
      | 'labels'
      | 'version'
      | 'createdAt'
      | 'updatedAt'
    >,
    link: ProfileLink,
  ): ProfileView {
    return Object.assign(new ProfileView(), {
      id: profile.id,
      tenantId: profile.tenantId,
      name: profile.name,
      description: profile.description,
      status: deriveProfileStatus(link.gatewayStatus, link.migrationRunning),
      gatewayType: link.gatewayType,
      activeGatewayId: link.activeGatewayId,
      configuration: { version: profile.configurationVersion, settings: profile.configuration },
      labels: profile.labels ?? {},
      version: profile.version,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
    });
  }
}
