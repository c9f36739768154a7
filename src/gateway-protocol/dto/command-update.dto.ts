import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsBoundedJson } from '../../platform/validation/bounded-json.js';
import { GATEWAY_UPDATE_STATES, type GatewayUpdateState } from '../../commands/command-state.js';
import { ProtocolCommandDto } from './heartbeat.dto.js';

/** Section 6. Unknown fields are ignored. */
@ApiSchema({ name: 'CommandUpdateRequest' })
export class CommandUpdateRequestDto {
  @ApiProperty({ enum: GATEWAY_UPDATE_STATES }) @IsIn(GATEWAY_UPDATE_STATES) state!: GatewayUpdateState;
  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 40 }) @IsOptional() @IsInt() @Min(0) @Max(100) progressPercent?: number;
  @ApiPropertyOptional({ example: 'restarting pods' }) @IsOptional() @IsString() @MaxLength(2000) message?: string;
  @ApiPropertyOptional({ type: Object, nullable: true }) @IsOptional() @IsObject() @IsBoundedJson() result?: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'APP_NOT_FOUND' }) @IsOptional() @IsString() @MaxLength(100) errorCode?:
    string | null;
}

@ApiSchema({ name: 'CommandUpdateResponse' })
export class CommandUpdateResponseDto {
  @ApiProperty({ description: 'false: a repeated or older update, which changed nothing' }) applied!: boolean;
}

export class PollCommandsQueryDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 30, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30)
  waitSeconds?: number;
}

@ApiSchema({ name: 'PollCommandsResponse' })
export class PollCommandsResponseDto {
  @ApiProperty({ type: [ProtocolCommandDto] }) commands!: ProtocolCommandDto[];
}
