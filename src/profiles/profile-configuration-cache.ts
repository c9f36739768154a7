import { Inject, Injectable } from '@nestjs/common';
import { REDIS, type RedisClient, RedisConnections } from '../platform/redis/redis.module.js';

/** Sets the version unless a newer one is cached (two updates' writes may arrive out of order); renews its expiry either way. */
const SET_VERSION = `
local current = redis.call('GET', KEYS[1])
if current and tonumber(current) > tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`;

type ScriptRedis = RedisClient & { gcpSetProfileVersion(key: string, version: number, ttl: number): Promise<number> };

export type ProfileSettings = Record<string, unknown>;

/**
 * Each profile's configuration version and settings, cached for the heartbeat answer (which says
 * whether a gateway's configuration is behind and, when it is, carries the settings): a heartbeat
 * whose configuration is behind costs no Postgres statement.
 *
 * - The version (one Redis key per profile, read beside every heartbeat's script) says which
 *   settings are current. A configuration change sets it after its commit (never back to an older
 *   one); it expires, so a missed update heals itself, and a cold key is read from Postgres once.
 * - The settings of one version never change (a change always takes the next version), so they are
 *   cached under (profile, version): in Redis, written by the change beside the version, and in
 *   this process's memory. Nothing needs invalidating across processes: a change moves the shared
 *   version, and every process then asks for the new version's settings, which it finds in Redis.
 */
@Injectable()
export class ProfileConfigurationCache {
  static readonly TTL_SECONDS = 600;
  /** The settings outlive the version key: a heartbeat that finds the version finds its settings. */
  static readonly SETTINGS_TTL_SECONDS = 86_400;
  /** Settings of this many (profile, version) pairs are kept in memory, the oldest dropped first. */
  static readonly MEMORY_ENTRIES = 20_000;

  private readonly memory = new Map<string, ProfileSettings>();
  private readonly redis: ScriptRedis;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    @Inject(RedisConnections) private readonly connections: RedisConnections,
  ) {
    this.redis = redis as ScriptRedis;
    if (!('gcpSetProfileVersion' in redis)) redis.defineCommand('gcpSetProfileVersion', { numberOfKeys: 1, lua: SET_VERSION });
  }

  key(profileId: string): string {
    return this.connections.key('profile-cv', profileId);
  }

  settingsKey(profileId: string, version: number): string {
    return this.connections.key('profile-cs', profileId, String(version));
  }

  /** The cached version, or null when the cache is cold. */
  async get(profileId: string): Promise<number | null> {
    return ProfileConfigurationCache.versionOf(await this.redis.get(this.key(profileId)));
  }

  /** The version stored under `key()` (read by `get` or by the heartbeat's script): null for a cold cache. */
  static versionOf(cached: string | null): number | null {
    return cached ? Number(cached) : null;
  }

  /** The profile's current version and its settings (after a change or a read from Postgres). */
  async set(profileId: string, version: number, settings: ProfileSettings): Promise<void> {
    this.remember(profileId, version, settings);
    await this.redis.set(
      this.settingsKey(profileId, version),
      JSON.stringify(settings),
      'EX',
      ProfileConfigurationCache.SETTINGS_TTL_SECONDS,
    );
    await this.redis.gcpSetProfileVersion(this.key(profileId), version, ProfileConfigurationCache.TTL_SECONDS);
  }

  /** The settings of this version of the profile's configuration, or null when neither this process nor Redis has them. */
  async settings(profileId: string, version: number): Promise<ProfileSettings | null> {
    const id = `${profileId}:${version}`;
    const remembered = this.memory.get(id);
    if (remembered) return remembered;
    const text = await this.redis.get(this.settingsKey(profileId, version));
    if (text === null) return null;
    const settings = JSON.parse(text) as ProfileSettings;
    this.remember(profileId, version, settings);
    return settings;
  }

  private remember(profileId: string, version: number, settings: ProfileSettings): void {
    const id = `${profileId}:${version}`;
    this.memory.delete(id);
    this.memory.set(id, settings);
    if (this.memory.size > ProfileConfigurationCache.MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }
}
