import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../platform/database/after-commit.js';
import type { CommandEntity } from './command.entity.js';

type EndedHandler = (manager: EntityManager, command: CommandEntity, after: AfterCommit) => Promise<void>;

/**
 * What other parts do when a command ends (a migration waits for its APPLY_CONFIGURATION), inside
 * the transaction of the end, without the commands part depending on them.
 */
@Injectable()
export class CommandHooks {
  private readonly endedHandlers: EndedHandler[] = [];

  onEnded(handler: EndedHandler): void {
    this.endedHandlers.push(handler);
  }

  async ended(manager: EntityManager, command: CommandEntity, after: AfterCommit): Promise<void> {
    for (const handler of this.endedHandlers) await handler(manager, command, after);
  }
}
