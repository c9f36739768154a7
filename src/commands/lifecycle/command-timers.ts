import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { REDIS, RedisConnections, type RedisClient } from '../../platform/redis/redis.module.js';
import type { CommandEvent } from '../command-state.js';
import { SortedSetWrites } from './sorted-set-writes.js';

/**
 * Shards of the deadline sets. Fixed: a deadline written under another count would sit in a set
 * the sweep no longer reads (the Postgres sweep would still catch it, 5 s late). 16 spreads the
 * sets over a Redis Cluster's primaries and costs a sweep 16 small scripts.
 */
export const DEADLINE_SHARDS = 16;

/** Which deadline set a command's deadlines go to: its id is a random UUID, so its first 8 hex digits spread evenly. */
export const deadlineShard = (commandId: string): number => (Number.parseInt(commandId.slice(0, 8), 16) >>> 0) % DEADLINE_SHARDS;

/** A deadline as a sorted-set member: `<commandId>|d` (deliver-by), `<commandId>|a|<delivery>` (acknowledgement), `<commandId>|t` (time limit). */
export type DeadlineKind = 'd' | 'a' | 't';

export interface DueDeadline {
  /** The member as stored, to remove once handled. */
  member: string;
  commandId: string;
  /** The timer event the deadline raises (the state machine decides whether it still applies). */
  event: CommandEvent;
}

/** Parses a member; null for one this code did not write. */
export function parseDeadline(member: string): DueDeadline | null {
  const [commandId, kind, delivery] = member.split('|');
  if (!commandId) return null;
  if (kind === 'd') return { member, commandId, event: { type: 'DELIVER_BY_PASSED' } };
  if (kind === 't') return { member, commandId, event: { type: 'TIME_LIMIT_PASSED' } };
  const deliveries = Number(delivery);
  if (kind === 'a' && Number.isInteger(deliveries) && deliveries > 0)
    return { member, commandId, event: { type: 'REDELIVER_TIMEOUT', deliveries } };
  return null;
}

/**
 * Takes up to ARGV[2] members due by ARGV[1] (epoch ms) and pushes each to ARGV[3] (a lease): a
 * sweep that dies holding them leaves them to the next sweep after the lease, and two sweeps at
 * once (another process, or a slow one overlapping the next) never take the same member.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], member) end
return due
`;

type DeadlineRedis = RedisClient & {
  gcpClaimDueDeadlines(key: string, nowMs: number, limit: number, leaseUntilMs: number): Promise<string[]>;
};

/**
 * A command's deadlines (pick-up, acknowledgement, time limit) as members of a Redis sorted set
 * scored by when they fall due, swept every second (CommandDeadlinesProcessor.due). Why not one
 * BullMQ delayed job per deadline, as before: three jobs per command (each a Lua script writing a
 * job hash, the delayed set and the events stream, and a job run with a Postgres transaction when
 * it fell due even for a deadline long met) were a visible share of a bulk command's CPU; a ZADD
 * is one small write, the acknowledgement's and the end's ZREM keep the sets to the open commands,
 * and the sweep reads the rows of everything due in one statement and locks only those a
 * deadline still moves. A member's name is deterministic (a retry or the rebuild never doubles
 * one), Redis keeps the sets as it kept the jobs (same persistence), CommandRedisRebuild writes
 * them again from Postgres when Redis lost its data, and the Postgres sweep applies any deadline
 * overdue by 5 s whose member was lost with a process.
 */
@Injectable()
export class CommandTimers {
  private readonly redis: DeadlineRedis;
  private readonly keys: string[];
  /** The requests' deadline writes (queue, hand-out, acknowledgement, end), merged per set and turn. */
  private readonly writes: SortedSetWrites;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(RedisConnections) connections: RedisConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = redis as DeadlineRedis;
    this.writes = new SortedSetWrites(redis);
    if (!('gcpClaimDueDeadlines' in redis)) redis.defineCommand('gcpClaimDueDeadlines', { numberOfKeys: 1, lua: CLAIM_DUE });
    // Each set under its own hash tag: one slot per set, the sets spread over a cluster.
    this.keys = Array.from({ length: DEADLINE_SHARDS }, (_, shard) => connections.tagged(`cmd-deadlines:${shard}`, 'due'));
  }

  get ackTimeoutMs(): number {
    return this.config.commands.ackTimeoutSeconds * 1000;
  }

  /** The set that holds the command's deadlines (tests look into it). */
  keyOf(commandId: string): string {
    return this.keys[deadlineShard(commandId)]!;
  }

  get allKeys(): readonly string[] {
    return this.keys;
  }

  async deliverBy(commands: { id: string; deliverBy: Date }[]): Promise<void> {
    await this.add(commands.map((command) => ({ id: command.id, member: `${command.id}|d`, at: command.deliverBy.getTime() })));
  }

  /** `delayMs`: the time left of the acknowledgement window (a rebuild after Redis lost the set); a full window by default. */
  async redelivery(commands: { id: string; deliveries: number; delayMs?: number }[]): Promise<void> {
    const now = Date.now();
    await this.add(
      commands.map((command) => ({
        id: command.id,
        member: `${command.id}|a|${command.deliveries}`,
        at: now + (command.delayMs ?? this.ackTimeoutMs),
      })),
    );
  }

  /** The time limit runs from the acknowledgement; the acknowledgement window of the delivery (`deliveries`) is over. */
  async timeLimit(command: { id: string; acknowledgedAt: Date; timeoutSeconds: number; deliveries?: number }): Promise<void> {
    const key = this.keyOf(command.id);
    await Promise.all([
      this.writes.add(key, [command.acknowledgedAt.getTime() + command.timeoutSeconds * 1000, `${command.id}|t`]),
      ...(command.deliveries ? [this.writes.remove(key, [`${command.id}|a|${command.deliveries}`])] : []),
    ]);
  }

  /** An ended command has no deadline left: its members go (a missed one is found ended by the sweep and dropped). */
  async ended(command: { id: string; deliveries: number }): Promise<void> {
    const members = [`${command.id}|d`, `${command.id}|t`];
    for (let delivery = 1; delivery <= command.deliveries; delivery++) members.push(`${command.id}|a|${delivery}`);
    await this.writes.remove(this.keyOf(command.id), members);
  }

  /**
   * Claims up to `limit` deadlines due by `nowMs` from each set, leased for `leaseMs` (see
   * CLAIM_DUE): the caller handles them and then `done`s them; one it could not handle falls due
   * again when the lease ends.
   */
  async claimDue(nowMs: number, limit: number, leaseMs: number): Promise<{ key: string; due: DueDeadline[]; full: boolean }[]> {
    return Promise.all(this.keys.map((key) => this.claimDueIn(key, nowMs, limit, leaseMs)));
  }

  /** `claimDue` of one set. */
  async claimDueIn(
    key: string,
    nowMs: number,
    limit: number,
    leaseMs: number,
  ): Promise<{ key: string; due: DueDeadline[]; full: boolean }> {
    const members = await this.redis.gcpClaimDueDeadlines(key, nowMs, limit, nowMs + leaseMs);
    const due: DueDeadline[] = [];
    for (const member of members) {
      const parsed = parseDeadline(member);
      if (parsed) due.push(parsed);
      // Not ours to handle: dropped, so it does not come back every lease.
      else await this.redis.zrem(key, member);
    }
    return { key, due, full: members.length >= limit };
  }

  /** Handled deadlines leave their set (in order with this turn's other writes to it). */
  async done(key: string, members: string[]): Promise<void> {
    await this.writes.remove(key, members);
  }

  /** Writes members, one ZADD per set and turn of the event loop (merged by SortedSetWrites). */
  private async add(entries: { id: string; member: string; at: number }[]): Promise<void> {
    if (!entries.length) return;
    const bySet = new Map<string, (string | number)[]>();
    for (const entry of entries) {
      const key = this.keyOf(entry.id);
      let args = bySet.get(key);
      if (!args) bySet.set(key, (args = []));
      args.push(Math.max(0, Math.round(entry.at)), entry.member);
    }
    await Promise.all([...bySet].map(([key, args]) => this.writes.add(key, args)));
  }
}
