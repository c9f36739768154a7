import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder, changeArrays, insertChangesFrom, unnestChanges, type RecordedChange } from '../../platform/audit/change-recorder.js';
import { prepared, queryReturning } from '../../platform/database/sql.js';
import { StatementBatcher } from '../../platform/database/statement-batcher.js';
import type { HistorySource } from './command-changes.js';
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
    onBatchFailed: (error, size) => this.logger.warn({ err: error, saves: size }, 'a batch of command saves failed; trying them one by one'),
  });

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** Answers the row's new version, or null (nothing written) when it is no longer `version`. */
  save(save: CommandSave): Promise<string | null> {
    return this.batcher.submit(save);
  }

  private async run(batch: CommandSave[]): Promise<(string | null)[]> {
    const commands = batch.map((entry) => entry.command);
    const rows = await queryReturning<{ id: string; version: string }>(
      this.dataSource.manager,
      prepared(
        'save-command-versions',
        `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::jsonb[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[], $11::xid[])
             AS i(tenant_id, id, state, progress_percent, message, result, error_code, acknowledged_at, ended_at, source, version)),
         saved AS (
           UPDATE commands c SET state = i.state, progress_percent = i.progress_percent, message = i.message, result = i.result,
                  error_code = i.error_code, acknowledged_at = i.acknowledged_at, ended_at = i.ended_at, updated_at = now()
           FROM input i WHERE c.id = i.id AND c.xmin = i.version
           RETURNING c.id, c.xmin::text AS version),
         history AS (
           INSERT INTO command_history (tenant_id, command_id, source, state, progress_percent, message, error_code)
           SELECT i.tenant_id, i.id, i.source, i.state, i.progress_percent, i.message, i.error_code FROM input i JOIN saved USING (id)),
         saved_change AS (
           SELECT * FROM ${unnestChanges(12)} WHERE change.target_id IN (SELECT id FROM saved)),
         ${insertChangesFrom('saved_change')}
         SELECT id, version FROM saved`,
      ),
      [
        commands.map((c) => c.tenantId),
        commands.map((c) => c.id),
        commands.map((c) => c.state),
        commands.map((c) => c.progressPercent),
        commands.map((c) => c.message),
        commands.map((c) => (c.result === null || c.result === undefined ? null : JSON.stringify(c.result))),
        commands.map((c) => c.errorCode),
        commands.map((c) => c.acknowledgedAt),
        commands.map((c) => c.endedAt),
        batch.map((entry) => entry.source),
        batch.map((entry) => entry.version),
        ...changeArrays(batch.map((entry) => entry.change)),
      ],
    );
    if (rows.length) this.changes.eventWritten(this.dataSource.manager);
    const saved = new Map(rows.map((row) => [row.id, row.version]));
    return batch.map((entry) => saved.get(entry.command.id) ?? null);
  }
}
