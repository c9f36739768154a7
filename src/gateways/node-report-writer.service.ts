import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChangeRecorder, type RecordedChange } from '../platform/audit/change-recorder.js';
import { StatementBatcher } from '../platform/database/statement-batcher.js';
import { EventTopic } from '../platform/events/topics.js';
import { Reactions } from '../platform/reactions/reactions.js';
import { isConnected } from './gateway-status.js';
import { GatewaysStore, type WrittenReport } from './gateways.store.js';
import { NodeInventory } from './node-inventory.service.js';
import type { NodeReport } from './node-report.js';

/** A heartbeat's node report (a changed report, or a new boot) to write to Postgres. */
export interface ReportToWrite {
  gatewayId: string;
  bootId: string;
  sequence: number;
  hash: string;
  softwareVersion: string;
  configurationVersion: number | null;
  nodes: NodeReport[];
  /** The heartbeat turned the gateway CONNECTED (its transition may not be in Postgres yet). */
  connecting: boolean;
  receivedAt: Date;
}

/**
 * Writes heartbeats' node reports to Postgres: nodes, versions, boot, assessment, the audit of a
 * changed health or software version, and the `gateway.restarted` reaction of a new boot.
 *
 * Reports that arrive together share one transaction, like the status transitions
 * (GatewayStatusWriter): after a site's power cut every gateway comes back on a new boot at once,
 * and one transaction of about nine round trips per gateway made Postgres the bottleneck of that
 * storm. A batch locks its gateways in id order, writes all their nodes in one statement, their
 * rows in one, their audit rows in one and runs the restarted reaction once for all. Each report
 * is still checked against its own locked row (an older report of the same boot changes nothing),
 * so a batch writes exactly what the reports one by one would have. Two reports of one gateway
 * never share a batch.
 */
@Injectable()
export class NodeReportWriter {
  static readonly BATCHES_IN_FLIGHT = 2;
  static readonly MAX_BATCH = 500;

  private readonly reports = new StatementBatcher<ReportToWrite, void>({
    maxBatch: NodeReportWriter.MAX_BATCH,
    maxInFlight: NodeReportWriter.BATCHES_IN_FLIGHT,
    keyOf: (report) => report.gatewayId,
    run: async (reports) => {
      await this.writeAll(reports);
      return reports.map(() => undefined);
    },
    // A failed batch is retried report by report (the default), so an error reaches only its own heartbeat.
  });

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(GatewaysStore) private readonly store: GatewaysStore,
    @Inject(NodeInventory) private readonly nodes: NodeInventory,
    @Inject(Reactions) private readonly reactions: Reactions,
    @Inject(ChangeRecorder) private readonly changes: ChangeRecorder,
  ) {}

  /** One heartbeat's report, written together with the others arriving at the same time; resolves once committed. */
  write(report: ReportToWrite): Promise<void> {
    return this.reports.submit(report);
  }

  /** Many gateways' reports (at most one per gateway) in one transaction. */
  async writeAll(reports: ReportToWrite[]): Promise<void> {
    if (!reports.length) return;
    await this.dataSource.transaction(async (manager) => {
      const rows = new Map(
        (await this.store.lockForReports(manager, [...new Set(reports.map((r) => r.gatewayId))])).map((row) => [row.id, row]),
      );
      const accepted = reports.flatMap((report) => {
        const gateway = rows.get(report.gatewayId);
        if (!gateway || gateway.status === 'DEREGISTERED') return [];
        // Two heartbeats raced: never let an older report overwrite a newer one.
        if (gateway.boot_id === report.bootId && gateway.report_sequence !== null && Number(gateway.report_sequence) >= report.sequence)
          return [];
        return [{ report, gateway }];
      });
      if (!accepted.length) return;
      const assessments = await this.nodes.recordAll(
        manager,
        accepted.map(({ report, gateway }) => ({
          gateway: { id: gateway.id, tenantId: gateway.tenant_id, type: gateway.type, cluster: gateway.cluster },
          reported: report.nodes,
          connected: isConnected(gateway.status) || report.connecting,
          at: report.receivedAt,
        })),
      );
      const written = accepted.map(({ report, gateway }): WrittenReport => {
        const assessment = assessments.get(gateway.id)!;
        return {
          id: gateway.id,
          bootId: report.bootId,
          reportSequence: report.sequence,
          reportHash: report.hash,
          softwareVersion: report.softwareVersion,
          configurationVersion: report.configurationVersion ?? gateway.configuration_version,
          assessment,
          health: assessment.health,
        };
      });
      await this.store.writeReports(manager, written);
      await this.changes.recordAll(
        manager,
        accepted.flatMap(({ report, gateway }, i): RecordedChange[] => {
          const { assessment } = written[i]!;
          if (assessment.health === gateway.health && report.softwareVersion === gateway.software_version) return [];
          return [
            {
              tenantId: gateway.tenant_id,
              actor: { type: 'gateway', id: gateway.id },
              action: 'gateway.report_changed',
              targetType: 'gateway',
              targetId: gateway.id,
              before: { health: gateway.health, softwareVersion: gateway.software_version },
              after: {
                health: assessment.health,
                softwareVersion: report.softwareVersion,
                failedChecks: assessment.checks.filter((c) => !c.passed).map((c) => c.message),
              },
              ...(assessment.health !== gateway.health
                ? {
                    event: {
                      topic: EventTopic.GatewayHealthChanged,
                      payload: {
                        gatewayId: gateway.id,
                        tenantId: gateway.tenant_id,
                        health: assessment.health,
                        previousHealth: gateway.health,
                      },
                    },
                  }
                : {}),
            },
          ];
        }),
      );
      const restarted = accepted.filter(({ report, gateway }) => gateway.boot_id !== null && gateway.boot_id !== report.bootId);
      if (restarted.length)
        await this.reactions.run('gateway.restarted', {
          manager,
          gateways: restarted.map(({ report, gateway }) => ({
            id: gateway.id,
            tenantId: gateway.tenant_id,
            previousBootId: gateway.boot_id!,
            bootId: report.bootId,
          })),
        });
    });
  }
}
