import { Cluster } from 'ioredis';
import type { RedisClient } from './redis.module.js';

/** One command: its name (a Redis command, or a script defined on the connection) and arguments. */
export type RedisCommandLine = [name: string, ...args: (string | number)[]];

/**
 * Sends many commands at once and answers their replies in order (the first failure is thrown, as
 * `Promise.all` would). On one Redis primary they go as one explicit pipeline: one write and one
 * read instead of one per command, since the shared connection does not auto-pipeline
 * (redis.module.ts says why). On a cluster, where a pipeline must stay within one slot, each is
 * its own command, all sent in the same tick.
 */
export async function sendTogether(redis: RedisClient, commands: RedisCommandLine[]): Promise<unknown[]> {
  if (!commands.length) return [];
  if (redis instanceof Cluster) {
    const methods = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
    return Promise.all(commands.map(([name, ...args]) => methods[name]!.call(redis, ...args)));
  }
  const replies = (await redis.pipeline(commands).exec()) ?? [];
  return replies.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
