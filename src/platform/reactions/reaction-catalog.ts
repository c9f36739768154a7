import type { CommandType } from '../../commands/command-types.js';
import type { CommandEntity } from '../../commands/command.entity.js';
import type { GatewayStatusChangedEvent } from '../../gateways/gateway-status-writer.service.js';
import type { DeregisteredGateway, Registered, Registering, RestartedGateways } from '../../gateways/gateway-changes.js';
import type { ConfigurationChange } from '../../profiles/configuration-change.js';
import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '../database/after-commit.js';
import type { EventEnvelope } from '../events/topics.js';

/**
 * Every reaction of one part of the domain to a change made by another, in this one table: what
 * the raising part passes (its transaction's `manager` where the reaction must commit with the
 * change), who raises it and who reacts. Callers above two parts call both directly; this is only
 * for work that must run inside another part's transaction (or, for `outbox.*`, after its event
 * commits) where the raising part sits below the reacting one and cannot import it.
 *
 * Start-up fails when a reaction here has no handler (`@ReactsTo`) or two (see Reactions).
 */
export interface ReactionPayloads {
  'gateway.registering': Registering;
  'gateway.registered': Registered;
  'gateway.deregistered': DeregisteredGateway;
  'gateway.restarted': RestartedGateways;
  'command.ended': { manager: EntityManager; after: AfterCommit; command: CommandEntity };
  'profile.configuration-changed': ConfigurationChange;
  /** Outside any transaction: a gateway status change was published (the outbox relay). */
  'outbox.gateway-status-changed': GatewayStatusChangedEvent;
  /** In the outbox relay's transaction: a batch of events is about to count as published. */
  'outbox.published': { manager: EntityManager; after: AfterCommit; events: (EventEnvelope & { occurredAt: Date })[] };
  /** After the relay's commit: a batch was published (metrics; a failure only loses a count). */
  'outbox.relayed.fleet-metrics': { events: EventEnvelope[] };
  /** After the relay's commit: a batch was published (metrics; a failure only loses a count). */
  'outbox.relayed.command-metrics': { events: EventEnvelope[] };
}

export type ReactionName = keyof ReactionPayloads;

export interface ReactionSpec {
  raisedBy: string;
  handledBy: string;
  why: string;
}

export const REACTION_CATALOG: { [N in ReactionName]: ReactionSpec } = {
  'gateway.registering': {
    raisedBy: 'gateways (RegistrationService)',
    handledBy: 'gateway-migrations (MigrationWorkflow)',
    why: 'a running migration admits only its own token and target type, and first de-registers its source',
  },
  'gateway.registered': {
    raisedBy: 'gateways (RegistrationService)',
    handledBy: 'gateway-migrations (MigrationWorkflow)',
    why: "a migration's target registered: the migration moves to TARGET_REGISTERED",
  },
  'gateway.deregistered': {
    raisedBy: 'gateways (DeregistrationService)',
    handledBy: 'commands (CommandSystemEvents)',
    why: 'every command not over ends ABORTED with the de-registration',
  },
  'gateway.restarted': {
    raisedBy: 'gateways (NodeReportWriter)',
    handledBy: 'commands (CommandSystemEvents)',
    why: 'work acknowledged or running under the old boot ends FAILED, INTERRUPTED',
  },
  'command.ended': {
    raisedBy: 'commands (CommandLifecycle)',
    handledBy: 'gateway-migrations (MigrationWorkflow)',
    why: "a migration's APPLY_CONFIGURATION ended: the migration moves on or fails",
  },
  'profile.configuration-changed': {
    raisedBy: 'profiles (ProfilesService)',
    handledBy: 'commands (ConfigurationRollout)',
    why: 'the new configuration goes to the active gateway as an APPLY_CONFIGURATION command',
  },
  'outbox.gateway-status-changed': {
    raisedBy: 'platform (EventRelay)',
    handledBy: 'gateways (DeregistrationService)',
    why: 'the Redis tombstone of a de-registration is applied from the outbox too, so it survives a crash right after the commit',
  },
  'outbox.published': {
    raisedBy: 'platform (EventRelay)',
    handledBy: 'webhooks (WebhookFanout)',
    why: "each event becomes a delivery row per subscribed endpoint in the relay's transaction, so none is lost or doubled (at least once)",
  },
  'outbox.relayed.fleet-metrics': {
    raisedBy: 'platform (EventRelay)',
    handledBy: 'gateways (FleetMetrics)',
    why: 'status transitions are counted where every status change passes once: the relay, after its batch commits',
  },
  'outbox.relayed.command-metrics': {
    raisedBy: 'platform (EventRelay)',
    handledBy: 'commands (CommandMetrics)',
    why: 'commands queued and ended, and their latencies, are counted where every command change passes once: the relay',
  },
};

/**
 * The command types whose end `command.ended` is raised for. Their ends must be written in a
 * transaction (CommandLifecycle.canMoveUnlocked); every other type's end takes the optimistic path.
 */
export const COMMAND_TYPES_WITH_END_REACTION: ReadonlySet<CommandType> = new Set<CommandType>(['APPLY_CONFIGURATION']);
