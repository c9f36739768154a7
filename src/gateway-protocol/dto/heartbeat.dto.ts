import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ConfigurationDto } from './register.dto.js';
import { MAX_NODES, NodeReportDto } from './node-report.dto.js';

/** Section 3. Unknown fields are ignored. */
export class HeartbeatRequestDto {
  @ApiProperty({ description: 'changes each time the gateway manager starts', example: 'f1c9…' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  bootId!: string;

  @ApiProperty({ description: 'grows within a boot', example: 42 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  sequence!: number;

  @ApiProperty({ description: "the gateway's clock; only used to measure its skew", example: '2026-11-25T10:00:00Z' })
  @IsISO8601({ strict: true })
  sentAt!: string;

  @ApiProperty({ example: '0.9.6' }) @IsString() @IsNotEmpty() @MaxLength(50) softwareVersion!: string;

  @ApiPropertyOptional({ example: 3 }) @IsOptional() @IsInt() @Min(0) configurationVersion?: number;

  @ApiProperty({ type: [NodeReportDto], minItems: 1, maxItems: MAX_NODES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_NODES)
  @ValidateNested({ each: true })
  @Type(() => NodeReportDto)
  nodes!: NodeReportDto[];
}

export class ProtocolCommandDto {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ example: 17 }) sequence!: number;
  @ApiProperty({ example: 'RESTART_APP' }) type!: string;
  @ApiProperty({ type: Object, example: { app: 'vprobe' } }) parameters!: Record<string, unknown>;
  @ApiProperty() issuedAt!: string;
  @ApiProperty() deliverBy!: string;
  @ApiProperty({ example: 600 }) timeoutSeconds!: number;
}

export class HeartbeatResponseDto {
  @ApiProperty({ description: 'when to send the next one; add up to 10% random jitter', example: 30 }) nextHeartbeatSeconds!: number;
  @ApiProperty({ type: [ProtocolCommandDto], description: 'commands waiting for this gateway, oldest first' }) commands!: ProtocolCommandDto[];
  @ApiProperty({ type: ConfigurationDto, nullable: true, description: "non-null when the gateway's configuration version is behind the profile's" })
  configuration!: ConfigurationDto | null;
}
