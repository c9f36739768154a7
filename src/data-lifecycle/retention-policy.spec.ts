import { describe, expect, it } from 'vitest';
import type { RetentionConfig } from '../config/app-config.js';
import { cutoffs, droppable, partitionEnd } from './retention-policy.js';

const config: RetentionConfig = {
  commandsDays: 90,
  auditDays: 400,
  auditMaxDays: 1000,
  deregisteredGatewaysDays: 60,
  activationTokensDays: 30,
  migrationsDays: 365,
  batchSize: 500,
  batchPauseMs: 0,
};
const now = new Date('2026-11-30T12:00:00Z');
const daysBefore = (date: Date) => Math.round((now.getTime() - date.getTime()) / 86_400_000);

describe('retention cutoffs', () => {
  it('each kind of data is kept its configured number of days', () => {
    const c = cutoffs(config, now, null);
    expect(daysBefore(c.commands)).toBe(90);
    expect(daysBefore(c.command_history)).toBe(90);
    expect(daysBefore(c.bulkCommands)).toBe(90);
    expect(daysBefore(c.migrations)).toBe(365);
    expect(daysBefore(c.gateways)).toBe(60);
    expect(daysBefore(c.activationTokens)).toBe(30);
    expect(daysBefore(c.audit_events)).toBe(400);
  });

  it('audit events stay as long as the longest tenant retention, never shorter than the default nor longer than the maximum', () => {
    expect(daysBefore(cutoffs(config, now, 700).audit_events)).toBe(700);
    expect(daysBefore(cutoffs(config, now, 5000).audit_events)).toBe(1000);
    expect(daysBefore(cutoffs(config, now, 10).audit_events)).toBe(400);
  });
});

describe('month partitions', () => {
  it('a partition ends at the start of the next month, UTC', () => {
    expect(partitionEnd('audit_events_p202611')?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(partitionEnd('command_history_p202612')?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(partitionEnd('audit_events_default')).toBeNull();
  });

  it('only months wholly before the cutoff are dropped, and never the default partition', () => {
    const names = ['audit_events_default', 'audit_events_p202607', 'audit_events_p202608', 'audit_events_p202609'];
    expect(droppable(names, new Date('2026-09-01T00:00:00Z'))).toEqual(['audit_events_p202607', 'audit_events_p202608']);
    expect(droppable(names, new Date('2026-08-31T23:59:59Z'))).toEqual(['audit_events_p202607']);
  });
});
