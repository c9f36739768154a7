import { CommandEntity } from '../command.entity.js';

/** How many commands a process remembers: a bulk command's concurrency and then some (about 1 KiB each). */
const CAPACITY = 20_000;

/** A command as this process last wrote it, and the row version (`xmin`) that write made. */
export interface KnownCommand {
  command: CommandEntity;
  version: string;
}

/**
 * The commands this process handed out or updated last, with the row version its write made, so
 * that a gateway's next update usually needs no read: the change is decided on the remembered
 * command and written only if the row is still that version (CommandLifecycle.moveIfUnchanged),
 * else read and decided again. A stale entry (another process, a timer or a user changed the row)
 * costs one wasted statement, never a wrong change. Only changes are decided this way: an update
 * that would change nothing, or be refused, is decided again on a fresh read.
 */
export class RecentCommands {
  /** Oldest first (a Map keeps insertion order), so eviction drops the least recently written. */
  private readonly known = new Map<string, { snapshot: CommandEntity; version: string }>();

  constructor(private readonly capacity = CAPACITY) {}

  remember(command: CommandEntity, version: string): void {
    this.known.delete(command.id);
    // A copy: the caller goes on changing its entity, and each use gets its own.
    this.known.set(command.id, { snapshot: Object.assign(new CommandEntity(), command), version });
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
  }

  /** The remembered command, if it is this gateway's: a copy to change. */
  find(commandId: string, gatewayId: string): KnownCommand | undefined {
    const entry = this.known.get(commandId);
    if (!entry || entry.snapshot.gatewayId !== gatewayId) return undefined;
    return { command: Object.assign(new CommandEntity(), entry.snapshot), version: entry.version };
  }

  forget(commandId: string): void {
    this.known.delete(commandId);
  }

  get size(): number {
    return this.known.size;
  }
}
