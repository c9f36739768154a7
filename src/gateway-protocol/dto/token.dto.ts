import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Section 2: the gateway's secret for a fresh access token. */
@ApiSchema({ name: 'GatewayTokenRequest' })
export class GatewayTokenRequestDto {
  @ApiProperty({ format: 'uuid' }) @IsString() @IsNotEmpty() @MaxLength(100) gatewayId!: string;
  @ApiProperty({ example: 'gws_…' }) @IsString() @IsNotEmpty() @MaxLength(200) gatewaySecret!: string;
}

@ApiSchema({ name: 'GatewayTokenResponse' })
export class GatewayTokenResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 3600 }) accessTokenExpiresIn!: number;
}
