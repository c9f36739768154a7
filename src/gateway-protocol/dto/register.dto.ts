import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { z } from 'zod';
import { GATEWAY_TYPES } from '../../profiles/profile-status.js';
import { ipAddress, nodeReports, text } from './node-report.schema.js';

/** Section 1 of the gateway protocol. Unknown fields are ignored. */
export const registerBody = z.object({
  activationToken: text(200).meta({ example: 'gwat_3kF9…' }),
  gatewayType: z.enum(GATEWAY_TYPES),
  instanceId: text(200).meta({
    description: 'made once by the gateway manager when it is installed',
    example: '9b2d0c1e-5f7a-4c0e-8d35-3f1f2f0b9e11',
  }),
  name: text(200).meta({ example: 'dc1-gateway-cluster' }),
  softwareVersion: text(50).meta({ example: '0.9.6' }),
  nodes: nodeReports,
  cluster: z
    .object({
      loadBalancerIp: ipAddress.optional().meta({ example: '172.25.252.5' }),
      nfsServer: z.string().max(253).optional().meta({ example: '172.26.111.203' }),
      nfsPath: z.string().max(1024).optional().meta({ example: '/shared/gw-1' }),
    })
    .optional()
    .meta({ description: 'clusters only' }),
});
export type RegisterBody = z.infer<typeof registerBody>;

@ApiSchema({ name: 'GatewayConfiguration' })
export class ConfigurationDto {
  @ApiProperty({ example: 3 }) version!: number;
  @ApiProperty({ type: Object, example: {} }) settings!: Record<string, unknown>;
}

@ApiSchema({ name: 'RegisterResponse' })
export class RegisterResponseDto {
  @ApiProperty({ format: 'uuid' }) gatewayId!: string;
  @ApiProperty({ format: 'uuid' }) profileId!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ description: 'the long-lived credential: shown only here, stored only as a hash', example: 'gws_…' })
  gatewaySecret!: string;
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 3600 }) accessTokenExpiresIn!: number;
  @ApiProperty({ example: 30 }) heartbeatIntervalSeconds!: number;
  @ApiProperty({ type: ConfigurationDto }) configuration!: ConfigurationDto;
  @ApiProperty({
    type: [String],
    example: ['registry-1.docker.io:443', 'quay.io:443'],
    description: 'endpoints every node should report its reachability of in `egress` (the registries of this deployment)',
  })
  egressEndpoints!: string[];
}
