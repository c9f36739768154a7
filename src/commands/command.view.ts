import { NodeInterface } from '../platform/graphql/node.interface.js';
import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { JSONObject } from '../platform/graphql/scalars.js';
import { CountView } from '../gateways/gateway.view.js';
import { COMMAND_STATES, type CommandState } from './command-state.js';
import { COMMAND_TYPES, type CommandType } from './command-types.js';
import { BULK_STATES, type BulkCommandEntity, type BulkState, type CommandEntity, type CommandHistoryEntity } from './command.entity.js';

export const CommandStateEnum = Object.fromEntries(COMMAND_STATES.map((s) => [s, s])) as { [S in CommandState]: S };
export const CommandTypeEnum = Object.fromEntries(COMMAND_TYPES.map((s) => [s, s])) as { [S in CommandType]: S };
export const BulkStateEnum = Object.fromEntries(BULK_STATES.map((s) => [s, s])) as { [S in BulkState]: S };
registerEnumType(CommandStateEnum, { name: 'CommandState' });
registerEnumType(CommandTypeEnum, { name: 'CommandType' });
registerEnumType(BulkStateEnum, { name: 'BulkCommandState' });

@ObjectType('CommandHistoryEntry')
@ApiSchema({ name: 'CommandHistoryEntry' })
export class CommandHistoryView {
  @ApiProperty() @Field() at!: Date;
  @ApiProperty({ enum: ['gateway', 'system', 'api-client'] }) @Field() source!: string;
  @ApiProperty({ enum: COMMAND_STATES }) @Field(() => CommandStateEnum) state!: CommandState;
  @ApiProperty({ type: Number, nullable: true }) @Field(() => Int, { nullable: true }) progressPercent!: number | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) message!: string | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) errorCode!: string | null;

  static of(entry: CommandHistoryEntity): CommandHistoryView {
    return Object.assign(new CommandHistoryView(), {
      at: entry.at,
      source: entry.source,
      state: entry.state,
      progressPercent: entry.progressPercent,
      message: entry.message,
      errorCode: entry.errorCode,
    });
  }
}

/** A command as both APIs show it; `history` only on the single-command view. */
@ObjectType('Command', { implements: () => [NodeInterface] })
@ApiSchema({ name: 'Command' })
export class CommandView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) gatewayId!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) @Field(() => ID, { nullable: true }) bulkId!: string | null;
  @ApiProperty({ enum: COMMAND_TYPES }) @Field(() => CommandTypeEnum) type!: CommandType;
  @ApiProperty({ type: Object, example: { app: 'vprobe' } }) @Field(() => JSONObject) parameters!: Record<string, unknown>;
  @ApiProperty({ enum: COMMAND_STATES }) @Field(() => CommandStateEnum) state!: CommandState;
  @ApiProperty({ description: "its place in the gateway's queue" }) @Field(() => Int) sequence!: number;
  @ApiProperty() @Field() deliverBy!: Date;
  @ApiProperty() @Field(() => Int) timeoutSeconds!: number;
  @ApiProperty({ description: 'hand-outs so far (at most 3)' }) @Field(() => Int) deliveries!: number;
  @ApiProperty({ type: Number, nullable: true }) @Field(() => Int, { nullable: true }) progressPercent!: number | null;
  @ApiProperty({ type: String, nullable: true }) @Field(() => String, { nullable: true }) message!: string | null;
  @ApiProperty({ type: Object, nullable: true }) @Field(() => JSONObject, { nullable: true }) result!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, example: 'DELIVERY_FAILED' }) @Field(() => String, { nullable: true }) errorCode!:
    string | null;
  @ApiPropertyOptional({ type: [CommandHistoryView], description: 'only in the answer of GET /commands/{commandId}' })
  @Field(() => [CommandHistoryView], { nullable: true })
  history?: CommandHistoryView[];
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;

  static of(command: CommandEntity, history?: CommandHistoryEntity[]): CommandView {
    return Object.assign(new CommandView(), {
      id: command.id,
      tenantId: command.tenantId,
      gatewayId: command.gatewayId,
      bulkId: command.bulkId,
      type: command.type,
      parameters: command.parameters,
      state: command.state,
      sequence: Number(command.sequence),
      deliverBy: command.deliverBy,
      timeoutSeconds: command.timeoutSeconds,
      deliveries: command.deliveries,
      progressPercent: command.progressPercent,
      message: command.message,
      result: command.result,
      errorCode: command.errorCode,
      ...(history ? { history: history.map(CommandHistoryView.of) } : {}),
      createdAt: command.createdAt,
      updatedAt: command.updatedAt,
    });
  }
}

@ObjectType('BulkCommand', { implements: () => [NodeInterface] })
@ApiSchema({ name: 'BulkCommand' })
export class BulkCommandView {
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) id!: string;
  @ApiProperty({ format: 'uuid' }) @Field(() => ID) tenantId!: string;
  @ApiProperty({ enum: COMMAND_TYPES }) @Field(() => CommandTypeEnum) type!: CommandType;
  @ApiProperty({ type: Object }) @Field(() => JSONObject) parameters!: Record<string, unknown>;
  @ApiProperty({ enum: BULK_STATES }) @Field(() => BulkStateEnum) state!: BulkState;
  @ApiProperty({ type: String, nullable: true, description: 'why it stopped early' }) @Field(() => String, { nullable: true }) stopReason!:
    string | null;
  @ApiProperty() @Field(() => Int) maxConcurrency!: number;
  @ApiProperty({ example: '10%' }) @Field() maxErrors!: string;
  @ApiProperty() @Field(() => Int) targets!: number;
  @ApiProperty({
    type: [CountView],
    description: 'targets by state: PENDING (not started), a command state, or CANCELLED (stopped before it started)',
  })
  @Field(() => [CountView])
  counts!: CountView[];
  @ApiProperty() @Field() createdAt!: Date;
  @ApiProperty() @Field() updatedAt!: Date;

  static of(bulk: BulkCommandEntity, counts: { key: string; count: number }[]): BulkCommandView {
    return Object.assign(new BulkCommandView(), {
      id: bulk.id,
      tenantId: bulk.tenantId,
      type: bulk.type,
      parameters: bulk.parameters,
      state: bulk.state,
      stopReason: bulk.stopReason,
      maxConcurrency: bulk.maxConcurrency,
      maxErrors: bulk.maxErrors !== null ? String(bulk.maxErrors) : `${Number(bulk.maxErrorsPercent)}%`,
      targets: bulk.targetCount,
      counts,
      createdAt: bulk.createdAt,
      updatedAt: bulk.updatedAt,
    });
  }
}

@ObjectType('CommandUpdate')
export class CommandUpdateView {
  @Field(() => ID) commandId!: string;
  @Field(() => ID) gatewayId!: string;
  @Field(() => ID) tenantId!: string;
  @Field(() => ID, { nullable: true }) bulkId!: string | null;
  @Field(() => CommandTypeEnum) type!: CommandType;
  @Field(() => CommandStateEnum, { nullable: true }) previousState!: CommandState | null;
  @Field(() => CommandStateEnum) state!: CommandState;
  @Field(() => Int, { nullable: true }) progressPercent!: number | null;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => String, { nullable: true }) errorCode!: string | null;
  @Field() updatedAt!: Date;
}
