import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiPreconditionFailedResponse } from '@nestjs/swagger';
import { problem } from './management-api.decorator.js';

/**
 * Entity tags for rows with an optimistic-locking `version` (RFC 9110 §8.8.3, §13.1.1): the tag is
 * the version, so a GET's `ETag` sent back as `If-Match` refuses a write over a newer row.
 */
export const etagOf = (version: number): string => `"${version}"`;

/** `If-Match` as what it allows: any version (`*`), some versions, or no condition. Weak tags never match. */
export type VersionPrecondition = '*' | number[];
export function parseIfMatch(header: string | undefined): VersionPrecondition | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  if (header.trim() === '*') return '*';
  return header.split(',').flatMap((tag) => {
    const strong = /^\s*"(\d{1,15})"\s*$/.exec(tag);
    return strong ? [Number(strong[1])] : [];
  });
}

export const preconditionHolds = (precondition: VersionPrecondition | undefined, version: number): boolean =>
  precondition === undefined || precondition === '*' || precondition.includes(version);

/** The response header that a versioned object's answers carry, for @ApiOkResponse({ headers }). */
export const ETAG_HEADER = {
  ETag: { required: true, description: 'the version of the object; send it back as If-Match', schema: { type: 'string' } },
};

/** An edit that honours `If-Match`. */
export const ApiIfMatch = () =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the ETag of the GET this edit is based on: 412 if the object changed since',
    }),
    ApiPreconditionFailedResponse({ description: 'PRECONDITION_FAILED: If-Match does not name the current version', ...problem }),
  );
