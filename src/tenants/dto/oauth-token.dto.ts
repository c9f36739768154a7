import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** OAuth 2.0 client credentials (RFC 6749 §4.4), as a form (the standard) or as JSON. */
@ApiSchema({ name: 'TokenRequest' })
export class OAuthTokenRequestDto {
  @ApiProperty({ enum: ['client_credentials'] })
  grant_type!: 'client_credentials';

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'demo-partner',
    description: 'client_secret_post; or send both in a Basic Authorization header (client_secret_basic)',
  })
  client_id?: string;

  @ApiPropertyOptional({
    maxLength: 500,
    example: 'demo-partner-secret-change-me',
    description: 'client_secret_post; never together with a Basic Authorization header',
  })
  client_secret?: string;

  @ApiPropertyOptional({ description: 'no scopes are defined (the token carries the roles of its API client): any scope is invalid_scope' })
  scope?: string;
}

/** RFC 6749 §5.1. */
@ApiSchema({ name: 'TokenResponse' })
export class OAuthTokenResponseDto {
  @ApiProperty({ description: 'a JWT for `Authorization: Bearer`' }) access_token!: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type!: 'Bearer';
  @ApiProperty({ example: 3600, description: 'seconds' }) expires_in!: number;
}

/** RFC 6749 §5.2. */
@ApiSchema({ name: 'TokenError' })
export class OAuthErrorDto {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope', 'unauthorized_client'] })
  error!: string;
  @ApiProperty({ example: 'unknown client_id or wrong client_secret' }) error_description!: string;
}
