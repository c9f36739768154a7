import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { healthySession } from './support/fleet.js';
import { Api } from './support/api.js';
import { parseMetrics } from './support/prometheus-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

const RULES = 'deploy/prometheus/alerts.yml';
const DASHBOARDS = readdirSync('deploy/grafana')
  .filter((file) => file.endsWith('.json'))
  .map((file) => `deploy/grafana/${file}`);

/** Every PromQL expression of the alert rules and the dashboards. */
function expressions(): { where: string; expr: string }[] {
  const rules = parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  const fromRules = rules.groups.flatMap((group) => group.rules.map((rule) => ({ where: `${RULES} ${rule.alert}`, expr: rule.expr })));
  const fromDashboards = DASHBOARDS.flatMap((file) => {
    const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    return dashboard.panels.flatMap((panel) => panel.targets.map((target) => ({ where: `${file} "${panel.title}"`, expr: target.expr })));
  });
  return [...fromRules, ...fromDashboards];
}

/** The metric names an expression reads (label names, functions and keywords left out). */
function metricNames(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const withoutGrouping = withoutStrings.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...withoutGrouping.matchAll(/\b(gcp_\w+|process_\w+|nodejs_\w+|up)\b/g)].map((match) => match[1]!);
}

describe('alert rules', () => {
  it('promtool accepts them, and their unit tests pass', () => {
    expect(execFileSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' })).toMatch(/SUCCESS: \d+ rules found/);
    expect(execFileSync('promtool', ['test', 'rules', 'deploy/prometheus/alerts.test.yml'], { encoding: 'utf8' })).toContain('SUCCESS');
  });

  it('each has a runbook section in docs/operations-monitoring.md', () => {
    const doc = readFileSync('docs/operations-monitoring.md', 'utf8');
    const rules = parse(readFileSync(RULES, 'utf8')) as { groups: { rules: { alert: string; annotations: { runbook: string } }[] }[] };
    for (const rule of rules.groups.flatMap((group) => group.rules)) {
      expect(rule.annotations.runbook).toBe(`docs/operations-monitoring.md#${rule.alert.toLowerCase()}`);
      expect(doc).toContain(`### ${rule.alert}`);
    }
  });
});

describe('every metric the dashboards and alert rules use is on /metrics after a short simulated run', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('a fleet registers, heartbeats and runs a command; then each name is exported', async () => {
    const api = new Api(t);
    const partner = await api.partner();
    const gateways: GatewaySession[] = [];
    for (let i = 0; i < 3; i++) {
      const { token } = await api.profileWithToken(partner.token, partner.tenantId, `dash-${i}`);
      const gw = healthySession(t.url, 'CLASSIC');
      expect((await gw.register(token)).status).toBe(201);
      expect((await gw.heartbeat()).status).toBe(200);
      gateways.push(gw);
    }
    const command = await api.post(partner.token, `/api/v1/tenants/${partner.tenantId}/gateways/${gateways[0]!.gatewayId}/commands`, {
      type: 'PING',
    });
    expect(command.status).toBe(201);
    await gateways[0]!.pollCommands(0);
    await gateways[0]!.updateCommand(command.body.id, { state: 'SUCCEEDED' });
    const scrape = async () => (await t.http().get('/metrics').set('authorization', `Bearer ${t.config.metrics.token}`)).text;
    const text = await waitFor(scrape, (body) => /gcp_command_delivery_to_end_seconds_count\{[^}]*\} [1-9]/.test(body));

    const { declared, samples } = parseMetrics(text);
    const exported = new Set([...declared, ...samples.map((sample) => sample.name)]);
    const missing: string[] = [];
    const used = expressions();
    expect(used.length).toBeGreaterThan(20);
    for (const { where, expr } of used) {
      for (const name of metricNames(expr)) {
        if (name === 'up') continue; // Prometheus's own, per scrape target
        const base = name.replace(/_(bucket|count|sum)$/, '');
        if (!exported.has(name) && !declared.has(base)) missing.push(`${name} (${where})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
