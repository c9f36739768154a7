import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { REDIS, RedisConnections, type RedisClient } from '../platform/redis/redis.module.js';
import { sendTogether } from '../platform/redis/send-together.js';
import { ProfileConfigurationCache } from '../profiles/profile-configuration-cache.js';
import { TenantSuspensions } from '../tenants/tenant-suspensions.js';
import type { GatewayStatus } from './gateway-status.js';
import type { GatewayEntity } from './gateway.entity.js';

/**
 * The hot state of live gateways, in Redis (one hash per gateway):
 *   s   status            ss  status sequence (orders transitions; Postgres ignores older ones)
 *   b   boot id           q   last applied heartbeat sequence of that boot
 *   pb  boot id, and h  node-report hash, as last written to Postgres (updated after the write)
 *   ls  last heartbeat (ms, server receive time)   sk  clock skew (s)
 *   g   credential generation (access tokens of an older one are refused)
 * plus a sorted set of liveness deadlines, a hash of last-seen values not yet written through,
 * and a sorted set of status transitions decided here but not yet confirmed in Postgres.
 *
 * Why: a heartbeat whose report is unchanged must not write the gateway's Postgres rows. Every
 * decision about a heartbeat (stale? new boot? changed report? status change?) is made by one
 * Lua script, atomically, so concurrent heartbeats and liveness sweeps on many processes agree.
 *
 * Redis Cluster: a script may only touch keys of one slot, and the heartbeat script touches the
 * gateway's hash, its commands flag and the three fleet-wide liveness structures. One hash tag for
 * all of it would put every heartbeat of the fleet on one node. Instead the fleet is split into
 * LIVENESS_SHARDS shards by a hash of the gateway id: each shard has its own deadlines, last-seen
 * and pending sets, and its gateways' hashes and flags carry the shard's tag (`gcp:{lv:7}:gw:<id>`),
 * so a script's keys always share a slot while the shards (and the heartbeat load) spread over
 * the cluster's nodes. The sweeps visit every shard, concurrently. The profile's cached
 * configuration version is per profile, not per shard: it is read beside the script, not in it.
 * On one Redis primary the layout is the same, so both run the same code.
 */

/**
 * Shards of the liveness state. Fixed: changing it moves every gateway to another shard (the
 * reconcile job would rebuild the state, but transitions in flight would be lost). 64 spreads
 * evenly over clusters of up to a few dozen primaries and costs a sweep 64 small scripts.
 */
export const LIVENESS_SHARDS = 64;

/** Which liveness shard a gateway belongs to: FNV-1a of its id, its bits mixed (murmur3's finaliser). */
export function livenessShard(gatewayId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < gatewayId.length; i++) {
    hash ^= gatewayId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV's low bits depend only on the inputs' low bits: ids that differ in a few digits would
  // crowd a few shards without this.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % LIVENESS_SHARDS;
}

const HEARTBEAT = `
local st = redis.call('HMGET', KEYS[1], 's', 'ss', 'b', 'q', 'pb', 'h', 'g')
if not st[1] then return {'UNKNOWN'} end
if st[1] == 'DEREGISTERED' then return {'DEREGISTERED'} end
if st[7] and st[7] ~= ARGV[8] then return {'CREDENTIAL_REVOKED'} end
local seq = tonumber(ARGV[3])
if st[3] == ARGV[2] and tonumber(st[4]) >= seq then return {'STALE', st[1]} end
redis.call('HSET', KEYS[1], 'b', ARGV[2], 'q', ARGV[3], 'ls', ARGV[5], 'sk', ARGV[7])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[5] .. ':' .. ARGV[7])
local previous = ''
local ss = st[2]
if st[1] ~= 'CONNECTED' then
  ss = tostring(tonumber(st[2]) + 1)
  redis.call('HSET', KEYS[1], 's', 'CONNECTED', 'ss', ss)
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
  previous = st[1]
end
local needsWrite = (st[5] ~= ARGV[2] or st[6] ~= ARGV[4]) and '1' or '0'
local cmd = redis.call('EXISTS', KEYS[5])
return {'OK', previous, ss, needsWrite, st[5] or '', tostring(cmd)}
`;

/**
 * On one Redis primary (no slots to respect): the same script, which also reads the profile's
 * cached configuration version (KEYS[6]) and the tenant's suspension mark (KEYS[7]) and puts them
 * before its answer. One command per heartbeat instead of three: each command costs the service
 * a few microseconds of ioredis work (and Redis its own), a tenth of a steady heartbeat's CPU.
 */
const HEARTBEAT_WITH_MARKS = `
local function beat()
${HEARTBEAT}
end
local reply = beat()
table.insert(reply, 1, redis.call('EXISTS', KEYS[7]))
table.insert(reply, 1, redis.call('GET', KEYS[6]) or '')
return reply
`;

/**
 * The credential check of every authenticated protocol call on one Redis primary: the gateway's
 * status and credential generation and the tenant's suspension mark in one command (HMGET and
 * EXISTS were two: on a bulk command's five requests per command, ten of its fourteen Redis
 * commands). Answers [status or false, generation or false, 1 when suspended].
 */
const CREDENTIAL_STATE = `
local st = redis.call('HMGET', KEYS[1], 's', 'g')
return {st[1], st[2], redis.call('EXISTS', KEYS[2])}
`;

const SEED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'ss', ARGV[2], 'b', ARGV[3], 'q', '-1', 'pb', ARGV[3], 'h', ARGV[4], 'g', ARGV[7])
if ARGV[1] == 'REGISTERED' or ARGV[1] == 'CONNECTED' then redis.call('ZADD', KEYS[2], ARGV[5], ARGV[6]) end
return 1
`;

const CLAIM_EXPIRED = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local key = ARGV[3] .. id
  local st = redis.call('HMGET', key, 's', 'ss')
  if st[1] == 'CONNECTED' or st[1] == 'REGISTERED' then
    redis.call('HSET', key, 's', 'DISCONNECTED', 'ss', tostring(tonumber(st[2]) + 1))
    redis.call('ZADD', KEYS[2], ARGV[1], id)
    table.insert(out, id)
  end
end
return out
`;

/** Forgets a confirmed transition unless a newer one was decided meanwhile. */
const CONFIRM = `
local done = 0
for i = 1, #ARGV, 2 do
  local ss = redis.call('HGET', KEYS[2] .. ARGV[i], 'ss')
  if ss == false or tonumber(ss) <= tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    done = done + 1
  end
end
return done
`;

/**
 * The same for gateways of any shards, on one Redis primary (no slots to respect): KEYS are pairs
 * (the shard's pending set, the gateway's hash), ARGV pairs (gateway id, sequence). A batch of a
 * reconnect storm confirms its transitions in one command instead of one per shard it touches
 * (up to 64: about one Redis command per transition at a storm's batch sizes).
 */
const CONFIRM_ANY_SHARDS = `
local done = 0
for i = 1, #ARGV, 2 do
  local ss = redis.call('HGET', KEYS[i + 1], 'ss')
  if ss == false or tonumber(ss) <= tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[i], ARGV[i])
    done = done + 1
  end
end
return done
`;

// One step of a scan: at most about ARGV[2] entries from cursor ARGV[1], deleted as they are taken.
// Taking the whole hash at once (HGETALL of 10,000 gateways) held Redis for 15 ms, and every
// heartbeat of the fleet waited behind it. Entries deleted during a scan do not disturb it.
const TAKE_LAST_SEEN = `
local step = redis.call('HSCAN', KEYS[1], ARGV[1], 'COUNT', ARGV[2])
local flat = step[2]
local fields = {}
for i = 1, #flat, 2 do fields[#fields + 1] = flat[i] end
if #fields > 0 then redis.call('HDEL', KEYS[1], unpack(fields)) end
return {step[1], flat}
`;

const DEREGISTER = `
redis.call('HSET', KEYS[1], 's', 'DEREGISTERED')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return 1
`;

export type HeartbeatVerdict =
  | { kind: 'UNKNOWN' }
  | { kind: 'DEREGISTERED' }
  | { kind: 'CREDENTIAL_REVOKED' }
  | { kind: 'TENANT_SUSPENDED' }
  | { kind: 'STALE'; status: GatewayStatus }
  | {
      kind: 'OK';
      /** The status before this heartbeat, when it changed (to CONNECTED). */
      previousStatus: GatewayStatus | null;
      statusSeq: number;
      /** The node report (or boot) differs from what Postgres holds: write it. */
      needsWrite: boolean;
      persistedBootId: string;
      commandsWaiting: boolean;
      /** The profile's configuration version as cached, or null when the cache is cold. */
      profileConfigurationVersion: number | null;
    };

export interface HeartbeatFacts {
  gatewayId: string;
  tenantId: string;
  profileId: string;
  /** The credential generation the access token carries. */
  credentialGeneration: number;
  bootId: string;
  sequence: number;
  reportHash: string;
  receivedAtMs: number;
  clockSkewSeconds: number;
}

/** What Redis is rebuilt from: the gateway's row. A live gateway gets a fresh liveness deadline. */
export type SeedFacts = Pick<GatewayEntity, 'id' | 'status' | 'statusSeq' | 'bootId' | 'reportHash' | 'credentialGeneration'>;

/** What every authenticated protocol call checks, read in one round trip. */
export interface CredentialState {
  status: GatewayStatus | null;
  credentialGeneration: number | null;
  tenantSuspended: boolean;
}

export interface LiveValues {
  status: GatewayStatus | null;
  statusSeq: number | null;
  lastHeartbeatAt: Date | null;
  clockSkewSeconds: number | null;
}

type ScriptRedis = RedisClient & {
  gcpHeartbeat(...args: (string | number)[]): Promise<string[]>;
  gcpHeartbeatWithMarks(...args: (string | number)[]): Promise<[cachedVersion: string, suspended: number, ...reply: string[]]>;
  gcpCredentialState(
    stateKey: string,
    suspendedKey: string,
  ): Promise<[status: string | null, generation: string | null, suspended: number]>;
  gcpSeed(...args: (string | number)[]): Promise<number>;
  gcpClaimExpired(...args: (string | number)[]): Promise<string[]>;
  gcpConfirm(...args: (string | number)[]): Promise<number>;
  gcpConfirmAnyShards(...args: (string | number)[]): Promise<number>;
  gcpTakeLastSeen(...args: (string | number)[]): Promise<[cursor: string, flat: string[]]>;
  gcpDeregister(...args: (string | number)[]): Promise<number>;
};

export interface LastSeen {
  gatewayId: string;
  at: Date;
  clockSkewSeconds: number;
}

/** The keys of one liveness shard; every one carries the shard's hash tag. */
interface ShardKeys {
  /** Prefix of the gateways' hashes: `${statePrefix}${gatewayId}`. */
  statePrefix: string;
  deadlines: string;
  lastSeen: string;
  pending: string;
  commandsPrefix: string;
}

@Injectable()
export class GatewayLiveState {
  private readonly redis: ScriptRedis;
  private readonly shards: ShardKeys[];
  /**
   * One Redis primary, not a cluster: a script may touch keys of any shard, so the heartbeat's and
   * the guard's scripts read the profile's configuration version and the tenant's suspension mark
   * themselves, and a batch's transitions are confirmed in one script.
   */
  private readonly onePrimary: boolean;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(RedisConnections) connections: RedisConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ProfileConfigurationCache) private readonly profileConfiguration: ProfileConfigurationCache,
    @Inject(TenantSuspensions) private readonly suspensions: TenantSuspensions,
  ) {
    this.redis = redis as ScriptRedis;
    this.onePrimary = !connections.isCluster;
    this.shards = Array.from({ length: LIVENESS_SHARDS }, (_, shard) => {
      const key = (...parts: string[]) => connections.tagged(`lv:${shard}`, ...parts);
      return {
        statePrefix: key('gw', ''),
        deadlines: key('liveness', 'deadlines'),
        lastSeen: key('liveness', 'last-seen'),
        pending: key('liveness', 'pending-transitions'),
        commandsPrefix: key('gw-commands', ''),
      };
    });
    const define = (name: string, numberOfKeys: number, lua: string) => {
      if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
    };
    define('gcpHeartbeat', 5, HEARTBEAT);
    define('gcpHeartbeatWithMarks', 7, HEARTBEAT_WITH_MARKS);
    define('gcpCredentialState', 2, CREDENTIAL_STATE);
    define('gcpSeed', 2, SEED);
    define('gcpClaimExpired', 2, CLAIM_EXPIRED);
    define('gcpConfirm', 2, CONFIRM);
    // The number of keys varies: given with each call (ioredis then expects it first).
    if (!('gcpConfirmAnyShards' in redis)) redis.defineCommand('gcpConfirmAnyShards', { lua: CONFIRM_ANY_SHARDS });
    define('gcpTakeLastSeen', 1, TAKE_LAST_SEEN);
    define('gcpDeregister', 4, DEREGISTER);
  }

  /** The keys of the shard a gateway belongs to (tests reach into Redis through these). */
  shardOf(gatewayId: string): ShardKeys {
    return this.shards[livenessShard(gatewayId)];
  }

  /** Every shard's keys. */
  get allShards(): readonly ShardKeys[] {
    return this.shards;
  }

  private stateKey(gatewayId: string): string {
    return `${this.shardOf(gatewayId).statePrefix}${gatewayId}`;
  }

  /** The gateway's "commands waiting" flag. */
  commandsKey(gatewayId: string): string {
    return `${this.shardOf(gatewayId).commandsPrefix}${gatewayId}`;
  }

  /** How long silence lasts before a gateway turns DISCONNECTED. */
  get silenceLimitMs(): number {
    return this.config.heartbeat.intervalSeconds * this.config.heartbeat.missedLimit * 1000;
  }

  async heartbeat(facts: HeartbeatFacts): Promise<HeartbeatVerdict> {
    const shard = this.shardOf(facts.gatewayId);
    const keys = [
      shard.statePrefix + facts.gatewayId,
      shard.deadlines,
      shard.lastSeen,
      shard.pending,
      shard.commandsPrefix + facts.gatewayId,
    ];
    const args = [
      facts.gatewayId,
      facts.bootId,
      facts.sequence,
      facts.reportHash,
      facts.receivedAtMs,
      facts.receivedAtMs + this.silenceLimitMs,
      facts.clockSkewSeconds,
      facts.credentialGeneration,
    ];
    let reply: string[];
    let profileConfigurationVersion: number | null;
    let tenantSuspended: boolean;
    if (this.onePrimary) {
      const [cachedVersion, suspended, ...verdict] = await this.redis.gcpHeartbeatWithMarks(
        ...keys,
        this.profileConfiguration.key(facts.profileId),
        this.suspensions.key(facts.tenantId),
        ...args,
      );
      reply = verdict;
      profileConfigurationVersion = ProfileConfigurationCache.versionOf(cachedVersion);
      tenantSuspended = suspended === 1;
    } else {
      // On a cluster the profile's version and the tenant's suspension mark live in other slots:
      // read beside the script, in the same tick.
      [reply, profileConfigurationVersion, tenantSuspended] = await Promise.all([
        this.redis.gcpHeartbeat(...keys, ...args),
        this.profileConfiguration.get(facts.profileId),
        this.suspensions.isSuspended(facts.tenantId),
      ]);
    }
    if (tenantSuspended && reply[0] !== 'UNKNOWN' && reply[0] !== 'DEREGISTERED') return { kind: 'TENANT_SUSPENDED' };
    switch (reply[0]) {
      case 'UNKNOWN':
        return { kind: 'UNKNOWN' };
      case 'DEREGISTERED':
        return { kind: 'DEREGISTERED' };
      case 'CREDENTIAL_REVOKED':
        return { kind: 'CREDENTIAL_REVOKED' };
      case 'STALE':
        return { kind: 'STALE', status: reply[1] as GatewayStatus };
      default:
        return {
          kind: 'OK',
          previousStatus: (reply[1] || null) as GatewayStatus | null,
          statusSeq: Number(reply[2]),
          needsWrite: reply[3] === '1',
          persistedBootId: reply[4] ?? '',
          commandsWaiting: reply[5] === '1',
          profileConfigurationVersion,
        };
    }
  }

  /** Loads a gateway's state from Postgres facts, unless Redis already has it (then nothing changes). */
  async seed(gateway: SeedFacts): Promise<void> {
    await this.redis.gcpSeed(
      this.stateKey(gateway.id),
      this.shardOf(gateway.id).deadlines,
      gateway.status,
      gateway.statusSeq,
      gateway.bootId ?? '',
      gateway.reportHash ?? '',
      Date.now() + this.silenceLimitMs,
      gateway.id,
      gateway.credentialGeneration,
    );
  }

  /** Replaces the state after a registration (a retry starts the gateway afresh too): its first heartbeat writes its report. */
  async reset(gateway: SeedFacts): Promise<void> {
    await this.redis.del(this.stateKey(gateway.id));
    await this.seed({ ...gateway, bootId: null, reportHash: null });
  }

  /** After the report or boot was written to Postgres: later identical heartbeats write nothing. */
  async markPersisted(gatewayId: string, bootId: string, reportHash: string): Promise<void> {
    await this.redis.hset(this.stateKey(gatewayId), 'pb', bootId, 'h', reportHash);
  }

  /**
   * Gateways past their deadline that were live: now DISCONNECTED here, pending in Postgres.
   * About `limit` in all (each shard gives its share); call again until it returns none.
   */
  async claimExpired(nowMs: number, limit: number): Promise<string[]> {
    const perShard = Math.max(1, Math.ceil(limit / LIVENESS_SHARDS));
    const claimed = (await sendTogether(
      this.redis,
      this.shards.map((shard) => ['gcpClaimExpired', shard.deadlines, shard.pending, nowMs, perShard, shard.statePrefix]),
    )) as string[][];
    return claimed.flat();
  }

  /** Transitions decided more than `olderThanMs` ago that Postgres has not confirmed yet (about `limit`). */
  async pendingTransitions(olderThanMs: number, limit: number): Promise<string[]> {
    const perShard = Math.max(1, Math.ceil(limit / LIVENESS_SHARDS));
    const before = Date.now() - olderThanMs;
    const pending = (await sendTogether(
      this.redis,
      this.shards.map((shard) => ['zrangebyscore', shard.pending, '-inf', before, 'LIMIT', 0, perShard]),
    )) as string[][];
    return pending.flat();
  }

  async confirmTransitions(applied: { gatewayId: string; statusSeq: number }[]): Promise<void> {
    if (!applied.length) return;
    if (this.onePrimary) {
      const keys: string[] = [];
      const args: (string | number)[] = [];
      for (const { gatewayId, statusSeq } of applied) {
        const shard = this.shardOf(gatewayId);
        keys.push(shard.pending, shard.statePrefix + gatewayId);
        args.push(gatewayId, statusSeq);
      }
      await this.redis.gcpConfirmAnyShards(keys.length, ...keys, ...args);
      return;
    }
    const byShard = new Map<ShardKeys, (string | number)[]>();
    for (const { gatewayId, statusSeq } of applied) {
      const shard = this.shardOf(gatewayId);
      const args = byShard.get(shard);
      if (args) args.push(gatewayId, statusSeq);
      else byShard.set(shard, [gatewayId, statusSeq]);
    }
    await Promise.all([...byShard].map(([shard, args]) => this.redis.gcpConfirm(shard.pending, shard.statePrefix, ...args)));
  }

  async read(gatewayIds: string[]): Promise<Map<string, LiveValues>> {
    const replies = (await sendTogether(
      this.redis,
      gatewayIds.map((id) => ['hmget', this.stateKey(id), 's', 'ss', 'ls', 'sk']),
    )) as (string | null)[][];
    const result = new Map<string, LiveValues>();
    gatewayIds.forEach((id, index) => {
      const [status, statusSeq, lastSeen, skew] = replies[index] ?? [];
      result.set(id, {
        status: (status as GatewayStatus | null) ?? null,
        statusSeq: statusSeq ? Number(statusSeq) : null,
        lastHeartbeatAt: lastSeen ? new Date(Number(lastSeen)) : null,
        clockSkewSeconds: skew ? Number(skew) : null,
      });
    });
    return result;
  }

  async status(gatewayId: string): Promise<GatewayStatus | null> {
    return (await this.redis.hget(this.stateKey(gatewayId), 's')) as GatewayStatus | null;
  }

  /**
   * The gateway's status and credential generation, and whether its tenant is suspended: one
   * script on one Redis primary; on a cluster (the mark lives in another slot) two commands in one
   * tick.
   */
  async credentialState(gatewayId: string, tenantId: string): Promise<CredentialState> {
    let status: string | null;
    let generation: string | null;
    let tenantSuspended: boolean;
    if (this.onePrimary) {
      let suspended: number;
      [status, generation, suspended] = await this.redis.gcpCredentialState(this.stateKey(gatewayId), this.suspensions.key(tenantId));
      tenantSuspended = suspended === 1;
    } else {
      [[status, generation], tenantSuspended] = await Promise.all([
        this.redis.hmget(this.stateKey(gatewayId), 's', 'g'),
        this.suspensions.isSuspended(tenantId),
      ]);
    }
    return {
      status: (status as GatewayStatus | null) ?? null,
      credentialGeneration: generation ? Number(generation) : null,
      tenantSuspended,
    };
  }

  /**
   * Takes (and clears) the last-seen values not yet written to Postgres, a batch of about
   * `batchSize` at a time (shard by shard), each handed to `write` before the next is taken.
   * Values that arrive during the scan may wait for the next one.
   */
  async takeLastSeen(batchSize: number, write: (batch: LastSeen[]) => Promise<void>): Promise<number> {
    let taken = 0;
    for (const shard of this.shards) {
      let cursor = '0';
      do {
        const [next, flat] = await this.redis.gcpTakeLastSeen(shard.lastSeen, cursor, batchSize);
        cursor = next;
        const batch: LastSeen[] = [];
        for (let i = 0; i < flat.length; i += 2) {
          const [at, skew] = flat[i + 1].split(':');
          batch.push({ gatewayId: flat[i], at: new Date(Number(at)), clockSkewSeconds: Number(skew) });
        }
        if (batch.length) await write(batch);
        taken += batch.length;
      } while (cursor !== '0');
    }
    return taken;
  }

  async markDeregistered(gatewayId: string): Promise<void> {
    const shard = this.shardOf(gatewayId);
    await this.redis.gcpDeregister(this.stateKey(gatewayId), shard.deadlines, shard.pending, shard.lastSeen, gatewayId);
  }

  /** Which of these gateways have no state in Redis (after a Redis loss, say). */
  async missing(gatewayIds: string[]): Promise<string[]> {
    const exists = (await sendTogether(
      this.redis,
      gatewayIds.map((id) => ['exists', this.stateKey(id)]),
    )) as number[];
    return gatewayIds.filter((_, index) => exists[index] === 0);
  }

  /**
   * The flag the heartbeat script reads to know commands wait. Set after a command commits; cleared
   * before a hand-out reads the queue, so a command queued meanwhile sets it again and is not missed.
   */
  async markCommandsWaiting(gatewayIds: string[]): Promise<void> {
    await sendTogether(
      this.redis,
      gatewayIds.map((id) => ['set', this.commandsKey(id), '1']),
    );
  }

  /** Clears the gateway's "commands waiting" flag and answers whether it was set. */
  async takeCommandsWaiting(gatewayId: string): Promise<boolean> {
    return (await this.redis.del(this.commandsKey(gatewayId))) > 0;
  }
}
