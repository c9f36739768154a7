import { Body, Controller, Headers, HttpCode, Inject, Post, Res, UseFilters } from '@nestjs/common';
import { ProblemDto } from '../platform/http/problem.dto.js';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../platform/auth/auth.decorators.js';
import { ApiClientsService } from './api-clients.service.js';
import { OAuthErrorDto, OAuthTokenRequestDto, OAuthTokenResponseDto } from './dto/oauth-token.dto.js';
import { OAuthErrorFilter } from './oauth-error.filter.js';
import { parseTokenRequest } from './oauth-token-request.js';

const tokenError = { content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) } } } };
// A body refused before the grant is read (NUL bytes, lone surrogates, nesting past the limit) is
// answered as every face's input errors are: problem+json with INVALID_CHARACTERS or BODY_TOO_DEEP.
const tokenBadRequest = {
  content: { ...tokenError.content, 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
};
const noStore = { 'Cache-Control': { required: true, description: 'no-store (RFC 6749 §5.1)', schema: { type: 'string' } } };

/** The OAuth 2.0 token endpoint (RFC 6749): client credentials grant only. */
@ApiTags('auth')
@ApiExtraModels(OAuthTokenRequestDto, OAuthErrorDto, ProblemDto)
@UseFilters(OAuthErrorFilter)
@Controller('api/v1/oauth')
export class OAuthController {
  constructor(@Inject(ApiClientsService) private readonly apiClients: ApiClientsService) {}

  @Public()
  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get an access token',
    description:
      'OAuth 2.0 client credentials grant (RFC 6749 §4.4): an API client id and secret for a bearer token. The body is a form ' +
      '(application/x-www-form-urlencoded, the standard) or JSON. The client authenticates with a Basic Authorization header ' +
      '(client_secret_basic) or with client_id and client_secret in the body (client_secret_post), not both. Errors are RFC 6749 §5.2 ' +
      '`{ error, error_description }`; invalid_client is 401 with WWW-Authenticate.',
  })
  @ApiExtension('x-client-authentication', ['client_secret_basic', 'client_secret_post'])
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ required: true, type: OAuthTokenRequestDto })
  @ApiOkResponse({ type: OAuthTokenResponseDto, headers: noStore })
  @ApiBadRequestResponse({
    description:
      'invalid_request, unsupported_grant_type, invalid_scope, or unauthorized_client (its tenant is suspended); a body refused before the grant is read is problem+json (INVALID_CHARACTERS, BODY_TOO_DEEP)',
    headers: noStore,
    ...tokenBadRequest,
  })
  @ApiUnauthorizedResponse({
    description: 'invalid_client: unknown client, wrong secret or no client authentication',
    headers: {
      ...noStore,
      'WWW-Authenticate': { required: true, description: 'Basic realm="gateway-control-plane"', schema: { type: 'string' } },
    },
    ...tokenError,
  })
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OAuthTokenResponseDto> {
    const { clientId, clientSecret } = parseTokenRequest(body, authorization);
    const issued = await this.apiClients.issueToken(clientId, clientSecret);
    void reply.headers({ 'cache-control': 'no-store', pragma: 'no-cache' });
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}
