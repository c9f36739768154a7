import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder, changeArrays, insertChangesFrom, unnestChanges, type RecordedChange } from '../platform/audit/change-recorder.js';
import { prepared, queryReturning } from '../platform/database/sql.js';
import type { HistorySource } from './command-changes.js';
import type { CommandEntity } from './command.entity.js';

/** One optimistic save: the command as it should be, the row version it was decided on, and the change to record. */
export interface CommandSave {
  command: CommandEntity;
  version: string;
  source: HistorySource;
  change: RecordedChange;
}

interface Waiting extends CommandSave {
  resolve: (version: string | null) => void;
  reject: (error: unknown) => void;
}

/** The most saves one statement carries; more wait for the next. */
const MAX_BATCH = 200;

/**
 * Writes optimistic command saves (CommandLifecycle.moveIfUnchanged): each command's row, history
 * entry, audit event and outgoing event, applied only where the row is still the version the
 * change was decided on. Saves that arrive in the same turn of the event loop go in one statement:
 * under load many gateways' updates arrive together, and a round trip to Postgres costs this
 * process more CPU than the work it carries. At low load a batch is one save, sent at once.
 * One statement commits all or nothing, so a save never waits on another's transaction; if a
 * batch fails, its saves are tried one by one, so an error reaches only the save that caused it.
 */
@Injectable()
export class CommandSaves {
  private readonly logger = new Logger(CommandSaves.name);
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** Answers the row's new version, or null (nothing written) when it is no longer `version`. */
  save(save: CommandSave): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...save, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    // One save per command in a statement (two rows updating one command would both record
    // history); a second save of the same command waits for the next statement.
    const batch: Waiting[] = [];
    const later: Waiting[] = [];
    const ids = new Set<string>();
    for (const entry of this.waiting) {
      if (batch.length < MAX_BATCH && !ids.has(entry.command.id)) {
        ids.add(entry.command.id);
        batch.push(entry);
      } else {
        later.push(entry);
      }
    }
    this.waiting = later;
    if (later.length) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    void this.write(batch);
  }

  private async write(batch: Waiting[]): Promise<void> {
    try {
      const saved = await this.run(batch);
      for (const entry of batch) entry.resolve(saved.get(entry.command.id) ?? null);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      this.logger.warn({ err: error, saves: batch.length }, 'a batch of command saves failed; trying them one by one');
      await Promise.all(batch.map((entry) => this.write([entry])));
    }
  }

  private async run(batch: Waiting[]): Promise<Map<string, string>> {
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
    return new Map(rows.map((row) => [row.id, row.version]));
  }
}
