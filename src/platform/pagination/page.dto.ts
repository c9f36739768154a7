import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { ArgsType, Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page } from './cursor.js';

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

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string | null }[];
  nodes: T[];
  pageInfo: PageInfo;
}

/** A Relay-style connection type for GraphQL lists. */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node) node!: T;
    @Field(() => String, { nullable: true, description: 'the cursor after this row; only the last edge of a page carries one' })
    cursor!: string | null;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export function toConnection<T, U>(page: Page<T>, map: (item: T) => U): ConnectionShape<U> {
  const nodes = page.items.map(map);
  return {
    nodes,
    edges: nodes.map((node, index) => ({ node, cursor: index === nodes.length - 1 ? page.nextCursor : null })),
    pageInfo: { hasNextPage: page.nextCursor !== null, endCursor: page.nextCursor },
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
