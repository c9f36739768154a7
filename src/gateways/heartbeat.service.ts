import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { GatewayPrincipal } from '../platform/auth/principal.js';
import { invalidRequest } from '../platform/errors/domain-error.js';
import { Metrics } from '../platform/metrics/catalog.js';
import { ManagementProfileEntity } from '../profiles/management-profile.entity.js';
import { ProfileConfigurationCache } from '../profiles/profile-configuration-cache.js';
import { TenantErrors } from '../tenants/tenants.errors.js';
import { GatewayLiveState, type HeartbeatVerdict } from './gateway-live-state.js';
import { GatewayStatusWriter } from './gateway-status-writer.service.js';
import { GatewayEntity } from './gateway.entity.js';
import { GatewayErrors } from './gateways.errors.js';
import { NodeReportWriter } from './node-report-writer.service.js';
import { reportHash, type NodeReport } from './node-report.js';
import type { ProtocolCommand } from './protocol-command.js';

export interface Heartbeat {
  bootId: string;
  sequence: number;
  sentAt: string;
  softwareVersion: string;
  configurationVersion?: number;
  nodes: NodeReport[];
}

/** A received heartbeat: its answer, and whether commands wait for the gateway (the answer then carries them). */
export interface HeartbeatReceipt {
  answer: HeartbeatAnswer;
  commandsWaiting: boolean;
}

export interface HeartbeatAnswer {
  nextHeartbeatSeconds: number;
  commands: ProtocolCommand[];
  configuration: { version: number; settings: Record<string, unknown> } | null;
}

/**
 * Section 3: liveness, clock skew, the node report and the answer. The common case (an unchanged
 * report from a connected gateway) is one Redis script and no Postgres write at all; changes,
 * restarts and status transitions are written to Postgres at once.
 */
@Injectable()
export class HeartbeatService {
  private readonly logger = new Logger(HeartbeatService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewayLiveState) private readonly live: GatewayLiveState,
    @Inject(GatewayStatusWriter) private readonly statusWriter: GatewayStatusWriter,
    @Inject(NodeReportWriter) private readonly reports: NodeReportWriter,
    @Inject(ProfileConfigurationCache) private readonly configurationCache: ProfileConfigurationCache,
  ) {}

  get intervalSeconds(): number {
    return this.config.heartbeat.intervalSeconds;
  }

  /**
   * One heartbeat. Accepted ones are counted here by outcome (ok, stale), refused ones by the HTTP
   * hook (http-metrics.ts), which also sees those refused before this (body, credential): a counter
   * increment each, well under a microsecond. Answers without commands: whether commands wait is in
   * `commandsWaiting`, and the caller (the protocol controller) asks the commands part for them.
   */
  async receive(gateway: GatewayPrincipal, heartbeat: Heartbeat, receivedAt: Date = new Date()): Promise<HeartbeatReceipt> {
    if (gateway.gatewayType === 'CLASSIC' && heartbeat.nodes.length !== 1) {
      throw invalidRequest('a classic gateway reports exactly one node', [
        { field: 'nodes', message: 'a classic gateway reports exactly one node' },
      ]);
    }
    const report = {
      softwareVersion: heartbeat.softwareVersion,
      configurationVersion: heartbeat.configurationVersion ?? null,
      nodes: heartbeat.nodes,
    };
    const facts = {
      gatewayId: gateway.gatewayId,
      tenantId: gateway.tenantId,
      profileId: gateway.profileId,
      credentialGeneration: gateway.credentialGeneration,
      bootId: heartbeat.bootId,
      sequence: heartbeat.sequence,
      reportHash: reportHash(report),
      receivedAtMs: receivedAt.getTime(),
      // Liveness uses our receive time; the gateway's clock only tells how far it drifted.
      clockSkewSeconds: Math.round((receivedAt.getTime() - Date.parse(heartbeat.sentAt)) / 100) / 10,
    };
    let verdict = await this.live.heartbeat(facts);
    if (verdict.kind === 'UNKNOWN') {
      await this.seedFromPostgres(gateway.gatewayId);
      verdict = await this.live.heartbeat(facts);
    }
    if (verdict.kind === 'UNKNOWN') throw GatewayErrors.credentialInvalid();
    if (verdict.kind === 'DEREGISTERED') throw GatewayErrors.deregistered();
    if (verdict.kind === 'CREDENTIAL_REVOKED') throw GatewayErrors.credentialRevoked();
    if (verdict.kind === 'TENANT_SUSPENDED') throw TenantErrors.suspended();
    const answer: HeartbeatAnswer = { nextHeartbeatSeconds: this.config.heartbeat.intervalSeconds, commands: [], configuration: null };
    // An old or repeated heartbeat is answered but changes nothing.
    if (verdict.kind === 'STALE') {
      Metrics.heartbeats.inc({ outcome: 'stale' });
      return { answer, commandsWaiting: false };
    }

    if (verdict.previousStatus) {
      // Redis has decided; if Postgres is briefly unavailable the liveness sweep confirms it later,
      // so the gateway's heartbeat still succeeds.
      // Transitions arriving together (a reconnect storm) share one transaction.
      await this.statusWriter
        .applyOne({
          gatewayId: gateway.gatewayId,
          status: 'CONNECTED',
          statusSeq: verdict.statusSeq,
          lastHeartbeatAt: receivedAt,
          clockSkewSeconds: facts.clockSkewSeconds,
        })
        .catch((error: unknown) => this.logger.warn({ err: error, gatewayId: gateway.gatewayId }, 'status change left for the sweep'));
    }
    if (verdict.needsWrite) await this.writeReport(gateway, heartbeat, facts.reportHash, verdict, receivedAt);
    answer.configuration = await this.configurationIfBehind(
      gateway.profileId,
      heartbeat.configurationVersion,
      verdict.profileConfigurationVersion,
    );
    Metrics.heartbeats.inc({ outcome: 'ok' });
    return { answer, commandsWaiting: verdict.commandsWaiting };
  }

  /**
   * A changed report or a new boot: nodes, versions and assessment to Postgres before the answer.
   * Reports arriving together (a power cut's reconnect storm) share one transaction (NodeReportWriter).
   */
  private async writeReport(
    principal: GatewayPrincipal,
    heartbeat: Heartbeat,
    hash: string,
    verdict: Extract<HeartbeatVerdict, { kind: 'OK' }>,
    receivedAt: Date,
  ): Promise<void> {
    await this.reports.write({
      gatewayId: principal.gatewayId,
      bootId: heartbeat.bootId,
      sequence: heartbeat.sequence,
      hash,
      softwareVersion: heartbeat.softwareVersion,
      configurationVersion: heartbeat.configurationVersion ?? null,
      nodes: heartbeat.nodes,
      connecting: verdict.previousStatus !== null,
      receivedAt,
    });
    await this.live.markPersisted(principal.gatewayId, heartbeat.bootId, hash);
  }

  /**
   * The configuration to answer when the gateway's is behind the profile's. The version comes with
   * the heartbeat's script, and the settings of that version from the cache (this process's memory,
   * else Redis): no Postgres statement. Only a cold cache (expired, or Redis lost it) reads Postgres.
   */
  private async configurationIfBehind(
    profileId: string,
    reported: number | undefined,
    cached: number | null,
  ): Promise<HeartbeatAnswer['configuration']> {
    if (cached !== null) {
      if (reported !== undefined && reported >= cached) return null;
      const settings = await this.configurationCache.settings(profileId, cached);
      if (settings !== null) return { version: cached, settings };
    }
    const profile = await this.dataSource.manager.findOne(ManagementProfileEntity, {
      where: { id: profileId },
      select: { id: true, configuration: true, configurationVersion: true },
    });
    if (!profile) return null;
    await this.configurationCache.set(profile.id, profile.configurationVersion, profile.configuration);
    if (reported !== undefined && reported >= profile.configurationVersion) return null;
    return { version: profile.configurationVersion, settings: profile.configuration };
  }

  /** Redis lost this gateway's state (a restart without persistence, say): rebuild it from Postgres. */
  private async seedFromPostgres(gatewayId: string): Promise<void> {
    const gateway = await this.dataSource.manager.findOneBy(GatewayEntity, { id: gatewayId });
    if (gateway) await this.live.seed(gateway);
  }
}
