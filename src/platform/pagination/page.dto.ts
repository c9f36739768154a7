import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, encodeCursor, MAX_PAGE_SIZE, type Page } from './cursor.js';

/** The REST page shape `{ items, nextCursor }`, for OpenAPI. */
export function RestPage<T>(item: Type<T>, name: string) {
  class PageDto {
    @ApiProperty({ type: [item] }) items!: T[];
    @ApiProperty({ type: String, nullable: true, description: 'pass as `cursor` to get the next page; null on the last page' })
    nextCursor!: string | null;
  }
  Object.defineProperty(PageDto, 'name', { value: name });
  return PageDto;
}

@ObjectType({ description: 'Relay page information (forward pagination with first/after)' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field({ description: 'true when this page was asked for after a cursor (rows come before it)' }) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true, description: "the first edge's cursor" }) startCursor!: string | null;
  @Field(() => String, { nullable: true, description: "the last edge's cursor: pass it as `after` for the next page" }) endCursor!:
    string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
}

/** A Relay-style connection type for GraphQL lists. */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node) node!: T;
    @Field({ description: 'pass as `after` to get the rows after this one' })
    cursor!: string;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionType;
}

/**
 * A Relay connection over a keyset page: every edge's cursor is its node's sort key (`createdAt`,
 * `id`; every list is newest first), so `after` any edge's cursor continues from that row.
 * `after` is the cursor the page was asked after, if any.
 */
export function toConnection<T, U extends { id: string; createdAt: Date }>(
  page: Page<T>,
  map: (item: T) => U,
  after?: string | null,
): ConnectionShape<U> {
  const nodes = page.items.map(map);
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor({ at: node.createdAt, id: node.id }) }));
  return {
    nodes,
    edges,
    pageInfo: {
      hasNextPage: page.nextCursor !== null,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string;
}

/** A page of a tenant-scoped list; the tenant defaults to the caller's own. */
@ArgsType()
export class TenantPageArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "default: the caller's own tenant" })
  @IsOptional()
  @IsString()
  tenantId?: string;
}
