import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { REACTION_CATALOG, type ReactionName } from './reaction-catalog.js';
import { Reactions, ReactionsModule, ReactsTo, reactionWiringProblems } from './reactions.js';

const ALL = Object.keys(REACTION_CATALOG) as ReactionName[];
const wiredOnce = (names: string[]) => new Map(names.map((name) => [name, [`Handler.${name}`]]));

describe('reaction wiring', () => {
  it('is right when every reaction of the catalog has exactly one handler', () => {
    expect(reactionWiringProblems(wiredOnce(ALL))).toEqual([]);
  });

  it('names a reaction without a handler, one with two, and a handler of an unknown reaction', () => {
    const found = wiredOnce(ALL.filter((name) => name !== 'command.ended'));
    found.set('gateway.restarted', ['CommandSystemEvents.interrupt', 'Other.interrupt']);
    found.set('gateway.exploded', ['Other.boom']);
    expect(reactionWiringProblems(found)).toEqual([
      'reaction command.ended has no handler',
      'reaction gateway.restarted has 2 handlers: CommandSystemEvents.interrupt, Other.interrupt',
      'handler for unknown reaction gateway.exploded',
    ]);
  });
});

/** A Nest application with handlers for `names` (twice for `twice`), started as main.ts would. */
async function start(names: ReactionName[], twice: ReactionName[] = []) {
  const handlers = [...names, ...twice].map((name, i) => {
    @Injectable()
    class Handler {
      readonly seen: unknown[] = [];
      @ReactsTo(name)
      async handle(payload: unknown): Promise<void> {
        this.seen.push(payload);
      }
    }
    Object.defineProperty(Handler, 'name', { value: `Handler${i}` });
    return Handler;
  });
  @Module({ imports: [ReactionsModule], providers: handlers })
  class TestModule {}
  const app = await NestFactory.createApplicationContext(TestModule, { logger: false, abortOnError: false });
  return { app, handlers };
}

describe('Reactions at start-up', () => {
  it('fails the start when a reaction of the catalog has no handler', async () => {
    await expect(start(ALL.filter((name) => name !== 'gateway.deregistered'))).rejects.toThrow(
      'reaction gateway.deregistered has no handler',
    );
  });

  it('fails the start when a reaction has two handlers', async () => {
    await expect(start(ALL, ['profile.configuration-changed'])).rejects.toThrow('reaction profile.configuration-changed has 2 handlers');
  });

  it('starts with one handler each, and runs the one asked for with its payload', async () => {
    const { app, handlers } = await start(ALL);
    const payload = { gatewayId: 'g-1', status: 'DEREGISTERED' } as never;
    await app.get(Reactions).run('outbox.gateway-status-changed', payload);
    const seen = handlers.map((handler) => app.get(handler).seen.length);
    expect(seen).toEqual(ALL.map((name) => (name === 'outbox.gateway-status-changed' ? 1 : 0)));
    await app.close();
  });
});
