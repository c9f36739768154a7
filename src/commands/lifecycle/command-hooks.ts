import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../../platform/database/after-commit.js';
import type { CommandType } from '../command-types.js';
import type { CommandEntity } from '../command.entity.js';

type EndedHandler = (manager: EntityManager, command: CommandEntity, after: AfterCommit) => Promise<void>;

/**
 * What other parts do when a command ends (a migration waits for its APPLY_CONFIGURATION), inside
 * the transaction of the end, without the commands part depending on them. Handlers name the
 * command types they act on, so the ends of every other type can be written without a
 * transaction (see CommandLifecycle.moveIfUnchanged).
 */
@Injectable()
export class CommandHooks {
  private readonly endedHandlers: { types: ReadonlySet<CommandType>; handler: EndedHandler }[] = [];

  onEnded(types: CommandType[], handler: EndedHandler): void {
    this.endedHandlers.push({ types: new Set(types), handler });
  }

  /** Whether a handler acts on this command's end (it must then end in a transaction). */
  watchesEnd(command: Pick<CommandEntity, 'type'>): boolean {
    return this.endedHandlers.some(({ types }) => types.has(command.type));
  }

  async ended(manager: EntityManager, command: CommandEntity, after: AfterCommit): Promise<void> {
    for (const { types, handler } of this.endedHandlers) if (types.has(command.type)) await handler(manager, command, after);
  }
}
