import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../platform/auth/auth.decorators.js';
import { problem } from '../platform/http/management-api.decorator.js';
import { StrictValidation } from '../platform/validation/validation.js';
import { ApiClientsService } from './api-clients.service.js';
import { OAuthTokenRequestDto, OAuthTokenResponseDto } from './dto/oauth-token.dto.js';
import { TenantErrors } from './tenants.errors.js';

@ApiTags('auth')
@Controller('api/v1/oauth')
export class OAuthController {
  constructor(@Inject(ApiClientsService) private readonly apiClients: ApiClientsService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @StrictValidation()
  @ApiOperation({ summary: 'Get an access token', description: 'OAuth2 client credentials: exchange an API client id and secret for a bearer token' })
  @ApiBody({
    type: OAuthTokenRequestDto,
    required: true,
    description: 'as application/x-www-form-urlencoded (what OAuth2 clients send) or application/json',
  })
  @ApiOkResponse({ type: OAuthTokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CLIENT', ...problem })
  @ApiForbiddenResponse({ description: 'TENANT_SUSPENDED', ...problem })
  async token(@Body() body: OAuthTokenRequestDto): Promise<OAuthTokenResponseDto> {
    if (body.grant_type !== 'client_credentials') throw TenantErrors.unsupportedGrantType();
    const issued = await this.apiClients.issueToken(body.client_id, body.client_secret);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}
