import { applyDecorators, UsePipes } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiParam,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { strictValidationPipe, lenientValidationPipe } from '../validation/validation.js';
import { ProblemDto } from './problem.dto.js';

export const USER_BEARER = 'user';
export const GATEWAY_BEARER = 'gateway';

/** Error answers are application/problem+json, not application/json. */
export const problem = { content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } };

/**
 * A controller of the management REST API: strict validation (unknown fields are 400), user
 * bearer tokens, and the error answers every such route can give. Routes under
 * `/tenants/{tenantId}` get the tenancy check of the access guard.
 */
export const ManagementApi = (options: { tenantScoped?: boolean } = {}) =>
  applyDecorators(
    UsePipes(strictValidationPipe),
    ApiExtraModels(ProblemDto),
    ApiBearerAuth(USER_BEARER),
    ApiBadRequestResponse({ description: 'invalid input (INVALID_REQUEST, with field errors)', ...problem }),
    ApiUnauthorizedResponse({ description: 'missing, invalid or expired token', ...problem }),
    ApiForbiddenResponse({ description: 'the role may not do this, or the tenant is suspended', ...problem }),
    ApiTooManyRequestsResponse({
      description: "the API client's rate limit is used up (TOO_MANY_REQUESTS); `Retry-After` says when to try again",
      ...problem,
    }),
    ...(options.tenantScoped === false
      ? []
      : [
          ApiParam({ name: 'tenantId', format: 'uuid', description: "the caller's tenant or one of its clients" }),
          ApiNotFoundResponse({ description: "no such object in this tenant (another tenant's answers the same)", ...problem }),
        ]),
  );

/**
 * A controller of the gateway protocol: unknown fields are ignored, as the contract says.
 * `classValidation: false` for a controller whose every input has its own pipe (zod body, small
 * pipes): the ValidationPipe would still run on each parameter of each request, and through it
 * NestJS settles every parameter with a promise (a bulk command's five requests per command).
 */
export const GatewayProtocolApi = (options: { classValidation?: boolean } = {}) =>
  applyDecorators(
    ...(options.classValidation === false ? [] : [UsePipes(lenientValidationPipe)]),
    ApiExtraModels(ProblemDto),
    ApiBadRequestResponse({ description: 'INVALID_REQUEST, with field errors', ...problem }),
  );
