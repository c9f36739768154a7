import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { z } from 'zod';
import { nodeReports, text } from './node-report.schema.js';
import { ConfigurationDto } from './register.dto.js';

/** Section 3. Unknown fields are ignored. */
export const heartbeatBody = z.object({
  bootId: text(200).meta({ description: 'changes each time the gateway manager starts', example: 'f1c9…' }),
  sequence: z.int().min(0).meta({ description: 'grows within a boot', example: 42 }),
  sentAt: z.iso
    .datetime({ offset: true })
    .meta({ description: "the gateway's clock; only used to measure its skew", example: '2026-11-25T10:00:00Z' }),
  softwareVersion: text(50).meta({ example: '0.9.6' }),
  configurationVersion: z.int().min(0).optional().meta({ example: 3 }),
  nodes: nodeReports,
});
export type HeartbeatBody = z.infer<typeof heartbeatBody>;

@ApiSchema({ name: 'ProtocolCommand' })
export class ProtocolCommandDto {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ example: 17 }) sequence!: number;
  @ApiProperty({ example: 'RESTART_APP' }) type!: string;
  @ApiProperty({ type: Object, example: { app: 'vprobe' } }) parameters!: Record<string, unknown>;
  @ApiProperty() issuedAt!: string;
  @ApiProperty() deliverBy!: string;
  @ApiProperty({ example: 600 }) timeoutSeconds!: number;
}

@ApiSchema({ name: 'HeartbeatResponse' })
export class HeartbeatResponseDto {
  @ApiProperty({ description: 'when to send the next one; add up to 10% random jitter', example: 30 }) nextHeartbeatSeconds!: number;
  @ApiProperty({ type: [ProtocolCommandDto], description: 'commands waiting for this gateway, oldest first' })
  commands!: ProtocolCommandDto[];
  @ApiProperty({
    type: ConfigurationDto,
    nullable: true,
    description: "non-null when the gateway's configuration version is behind the profile's",
  })
  configuration!: ConfigurationDto | null;
}
