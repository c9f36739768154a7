import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChangeRecorder, type RecordedChange } from '../../platform/audit/change-recorder.js';
import { StatementBatcher } from '../../platform/database/statement-batcher.js';
import { CommandsStore, type HistorySource } from '../commands.store.js';
import type { CommandEntity } from '../command.entity.js';

/** One optimistic save: the command as it should be, the row version it was decided on, and the change to record. */
export interface CommandSave {
  command: CommandEntity;
  version: string;
  source: HistorySource;
  change: RecordedChange;
}

/**
 * Writes optimistic command saves (CommandLifecycle.moveIfUnchanged): each command's row, history
 * entry, audit event and outgoing event, applied only where the row is still the version the
 * change was decided on. Saves made at the same moment share one statement (StatementBatcher):
 * during a bulk command hundreds of gateways report at once.
 */
@Injectable()
export class CommandSaves {
  private readonly logger = new Logger(CommandSaves.name);
  private readonly batcher = new StatementBatcher<CommandSave, string | null>({
    maxBatch: 200,
    // Two saves of one command in a statement would both record history.
    keyOf: (save) => save.command.id,
    run: (batch) => this.run(batch),
    onBatchFailed: (error, size) =>
      this.logger.warn({ err: error, saves: size }, 'a batch of command saves failed; trying them one by one'),
  });

  constructor(
    @Inject(CommandsStore) private readonly store: CommandsStore,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** Answers the row's new version, or null (nothing written) when it is no longer `version`. */
  save(save: CommandSave): Promise<string | null> {
    return this.batcher.submit(save);
  }

  private async run(batch: CommandSave[]): Promise<(string | null)[]> {
    const rows = await this.store.saveVersions(batch);
    if (rows.length) this.changes.eventWritten(this.store.manager);
    const saved = new Map(rows.map((row) => [row.id, row.version]));
    return batch.map((entry) => saved.get(entry.command.id) ?? null);
  }
}
