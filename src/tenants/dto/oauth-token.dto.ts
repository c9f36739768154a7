import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** OAuth2 client credentials (RFC 6749 §4.4), as a form or as JSON. */
@ApiSchema({ name: 'TokenRequest' })
export class OAuthTokenRequestDto {
  @ApiProperty({ example: 'client_credentials' })
  @IsString()
  @MaxLength(100)
  grant_type!: string;

  @ApiProperty({ example: 'demo-partner' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  client_id!: string;

  @ApiProperty({ example: 'demo-partner-secret-change-me' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  client_secret!: string;
}

@ApiSchema({ name: 'TokenResponse' })
export class OAuthTokenResponseDto {
  @ApiProperty() access_token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: 'Bearer';
  @ApiProperty({ example: 3600 }) expires_in!: number;
}
