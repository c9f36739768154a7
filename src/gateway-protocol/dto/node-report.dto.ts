import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsIP, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export const MAX_NODES = 64;
export const MAX_APPS_PER_NODE = 100;

export class AppReportDto {
  @ApiProperty({ example: 'vprobe' }) @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ example: 'RUNNING' }) @IsString() @IsNotEmpty() @MaxLength(50) status!: string;
  @ApiProperty({ example: 0 }) @IsInt() @Min(0) @Max(1_000_000_000) restarts!: number;
}

export class NodeReportDto {
  @ApiProperty({ example: 'gw-node-1' }) @IsString() @IsNotEmpty() @MaxLength(253) hostname!: string;
  @ApiProperty({ example: '10.20.0.11' }) @IsIP() ipAddress!: string;
  @ApiProperty({ example: 4 }) @IsInt() @Min(0) @Max(4096) cpuCores!: number;
  @ApiProperty({ example: 8192 }) @IsInt() @Min(0) @Max(16 * 1024 * 1024) memoryMb!: number;
  @ApiProperty({ example: 40 }) @IsInt() @Min(0) @Max(1_000_000) diskGb!: number;
  @ApiProperty({ example: true }) @IsBoolean() ready!: boolean;
  @ApiPropertyOptional({ example: '1.28.3' }) @IsOptional() @IsString() @MaxLength(50) kubernetesVersion?: string;

  @ApiPropertyOptional({ type: [AppReportDto], maxItems: MAX_APPS_PER_NODE })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_APPS_PER_NODE)
  @ValidateNested({ each: true })
  @Type(() => AppReportDto)
  apps?: AppReportDto[];
}
