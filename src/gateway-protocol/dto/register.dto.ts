import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsIP, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { GATEWAY_TYPES, type GatewayType } from '../../profiles/profile-status.js';
import { MAX_NODES, NodeReportDto } from './node-report.dto.js';

export class ClusterSettingsDto {
  @ApiPropertyOptional({ example: '172.25.252.5' }) @IsOptional() @IsIP() loadBalancerIp?: string;
  @ApiPropertyOptional({ example: '172.26.111.203' }) @IsOptional() @IsString() @MaxLength(253) nfsServer?: string;
  @ApiPropertyOptional({ example: '/shared/gw-1' }) @IsOptional() @IsString() @MaxLength(1024) nfsPath?: string;
}

/** Section 1 of the gateway protocol. Unknown fields are ignored. */
export class RegisterRequestDto {
  @ApiProperty({ example: 'gwat_3kF9…' }) @IsString() @IsNotEmpty() @MaxLength(200) activationToken!: string;
  @ApiProperty({ enum: GATEWAY_TYPES }) @IsIn(GATEWAY_TYPES) gatewayType!: GatewayType;
  @ApiProperty({ description: 'made once by the gateway manager when it is installed', example: '9b2d0c1e-5f7a-4c0e-8d35-3f1f2f0b9e11' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  instanceId!: string;
  @ApiProperty({ example: 'dc1-gateway-cluster' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiProperty({ example: '0.9.6' }) @IsString() @IsNotEmpty() @MaxLength(50) softwareVersion!: string;

  @ApiProperty({ type: [NodeReportDto], minItems: 1, maxItems: MAX_NODES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_NODES)
  @ValidateNested({ each: true })
  @Type(() => NodeReportDto)
  nodes!: NodeReportDto[];

  @ApiPropertyOptional({ type: ClusterSettingsDto, description: 'clusters only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterSettingsDto)
  cluster?: ClusterSettingsDto;
}

export class ConfigurationDto {
  @ApiProperty({ example: 3 }) version!: number;
  @ApiProperty({ type: Object, example: {} }) settings!: Record<string, unknown>;
}

export class RegisterResponseDto {
  @ApiProperty({ format: 'uuid' }) gatewayId!: string;
  @ApiProperty({ format: 'uuid' }) profileId!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ description: 'the long-lived credential: shown only here, stored only as a hash', example: 'gws_…' }) gatewaySecret!: string;
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 3600 }) accessTokenExpiresIn!: number;
  @ApiProperty({ example: 30 }) heartbeatIntervalSeconds!: number;
  @ApiProperty({ type: ConfigurationDto }) configuration!: ConfigurationDto;
}
