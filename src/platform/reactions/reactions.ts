import { Global, Inject, Injectable, Module, SetMetadata, type OnModuleInit } from '@nestjs/common';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { REACTION_CATALOG, type ReactionName, type ReactionPayloads } from './reaction-catalog.js';

const REACTS_TO = Symbol('REACTS_TO');

/** Marks the provider method that handles one reaction of the catalog; it receives the typed payload. */
export const ReactsTo = (name: ReactionName) => SetMetadata(REACTS_TO, name);

type Handler = (payload: unknown) => Promise<void>;

/** What is wrong with the handlers found (by reaction, where each is): a reaction without one, with two, or unknown. */
export function reactionWiringProblems(found: ReadonlyMap<string, readonly string[]>): string[] {
  return [
    ...Object.keys(REACTION_CATALOG)
      .filter((name) => !found.has(name))
      .map((name) => `reaction ${name} has no handler`),
    ...[...found]
      .filter(([, where]) => where.length > 1)
      .map(([name, where]) => `reaction ${name} has ${where.length} handlers: ${where.join(', ')}`),
    ...[...found.keys()].filter((name) => !(name in REACTION_CATALOG)).map((name) => `handler for unknown reaction ${name}`),
  ];
}

/**
 * Runs the reactions of reaction-catalog.ts. At start-up it finds every @ReactsTo and fails the
 * start unless each reaction of the catalog has exactly one handler (so a reaction can never be
 * silently skipped, as an empty registry would).
 */
@Injectable()
export class Reactions implements OnModuleInit {
  private readonly handlers = new Map<ReactionName, Handler>();

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<ReactionName | undefined>(REACTS_TO, prototype[method]);
        if (!name) continue;
        found.set(name, [...(found.get(name) ?? []), `${wrapper.name}.${method}`]);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const problems = reactionWiringProblems(found);
    if (problems.length) throw new Error(`reaction wiring is wrong: ${problems.join('; ')}`);
  }

  /** Runs the reaction's handler (in the caller's transaction when the payload carries its manager). */
  async run<N extends ReactionName>(name: N, payload: ReactionPayloads[N]): Promise<void> {
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`reaction ${name} has no handler`);
    await handler(payload);
  }
}

@Global()
@Module({ imports: [DiscoveryModule], providers: [Reactions], exports: [Reactions] })
export class ReactionsModule {}
