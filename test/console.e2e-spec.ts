import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewaySession } from '@gateway-control-plane/agent';
import { Api } from './support/api.js';
import { launchChromium } from './support/browser.js';
import { Fleet } from './support/fleet.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { TEST_ENV } from './support/test-env.js';

/**
 * The fleet console (console/, served at /console) in headless Chromium against the real service
 * and a simulated fleet: gateways that heartbeat every half second and run what they are sent.
 * `npm run screenshots` keeps the pages' screenshots in docs/screenshots/.
 */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;
/** How long a page may take to show a change: generous, for a loaded 2-core machine. */
const PATIENT = { timeout: 30_000, interval: 100 };

/** The simulated fleet: each live gateway heartbeats and runs its commands (they succeed). */
class SimulatedFleet {
  readonly live = new Set<GatewaySession>();
  readonly errors: string[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;

  start(): void {
    this.timer = setInterval(() => void this.tick(), 500);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.all([...this.live].map((gw) => this.step(gw)));
    } catch (error) {
      this.errors.push(String(error));
    } finally {
      this.busy = false;
    }
  }

  private async step(gw: GatewaySession): Promise<void> {
    // A heartbeat's answer hands out the waiting commands, as a poll does.
    const beat = await gw.heartbeat();
    const polled = await gw.pollCommands(0);
    const commands = [...(beat.body?.commands ?? []), ...(polled.body?.commands ?? [])];
    for (const command of commands.filter((c, i) => commands.findIndex((d) => d.commandId === c.commandId) === i)) {
      for (const update of [
        { state: 'ACKNOWLEDGED' },
        { state: 'RUNNING', progressPercent: 50 },
        { state: 'SUCCEEDED', result: { ok: true } },
      ] as const) {
        const answer = await gw.updateCommand(command.commandId, update);
        if (answer.status >= 300) throw new Error(`${command.type} ${update.state}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      if (command.type === 'APPLY_CONFIGURATION') gw.configurationVersion = command.parameters.version as number;
    }
  }
}

describe('fleet console in a real browser', { timeout: 120_000 }, () => {
  let t: TestApp;
  let api: Api;
  let fleet: Fleet;
  let tenantId: string;
  const simulated = new SimulatedFleet();
  const gateways: { gw: GatewaySession; profileId: string; name: string }[] = [];
  let spareProfile: string;
  let browser: Browser;
  let page: Page;

  const shot = async (name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };
  /** axe-core's WCAG 2 A and AA rules on the page as it is: no serious or critical violation. */
  const accessible = async () => {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const violations = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(violations).toEqual([]);
  };
  const row = (name: string) => page.getByTestId(`profile-row-${name}`);

  beforeAll(async () => {
    if (!existsSync('console/dist/index.html')) throw new Error('console/dist is missing: run `npm run build` first (npm test does)');
    // Liveness in seconds, not minutes: a gateway silent for 2 s is DISCONNECTED.
    t = await startTestApp({ env: { HEARTBEAT_INTERVAL_SECONDS: '1', HEARTBEAT_MISSED_LIMIT: '2' } });
    api = new Api(t);
    const partner = await api.partner();
    tenantId = await api.createClientTenant(partner.token, 'Acme Monitoring', { gatewayClustering: true });
    const admin = await api.clientToken(partner.token, tenantId, ['admin']);
    fleet = new Fleet(api, tenantId, admin, t.url);
    for (let i = 0; i < 3; i++) {
      const made = await fleet.gateway(i === 0 ? { profile: { labels: { site: 'dc1' } } } : {});
      const profile = await api.get(admin, `/api/v1/tenants/${tenantId}/management-profiles/${made.profileId}`);
      gateways.push({ gw: made.gw, profileId: made.profileId, name: profile.body.name });
      simulated.live.add(made.gw);
    }
    spareProfile = (await fleet.profile()).name; // a profile with no gateway yet
    simulated.start();
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (message) => logged.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => logged.push(`pageerror: ${error.message}`));
  }, 120_000);

  // A failed test leaves the page as it was in .tmp/console-failures/ (the errors it logged too).
  const logged: string[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    mkdirSync('.tmp/console-failures', { recursive: true });
    const name = context.task.name.replace(/\W+/g, '-').slice(0, 60);
    await page.screenshot({ path: `.tmp/console-failures/${name}.png`, fullPage: true }).catch(() => undefined);
    console.error(
      `[console] page ${page.url()} logged:\n${logged.join('\n')}\nsimulated fleet: ${simulated.errors.slice(0, 5).join('\n')}`,
    );
  });

  afterAll(async () => {
    simulated.stop();
    await browser?.close();
    await t?.close();
  });

  it('serves the console with its own content security policy, and the API keeps its own', async () => {
    const index = await t.http().get('/console/fleet');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    const asset = await t.http().get(script!);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await t.http().get('/console/assets/nothing.js')).status).toBe(404);
    expect((await t.http().get('/healthz')).headers['content-security-policy']).toBe("default-src 'self';frame-ancestors 'none'");
  });

  it('signs in with API client credentials, switches to a client tenant and shows its fleet', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${t.url}/console/`);
    await page.getByLabel('Client id').fill(TEST_ENV.BOOTSTRAP_CLIENT_ID!);
    await page.getByLabel('Client secret').fill('wrong secret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('error-code').textContent(), PATIENT).toBe('invalid_client');
    // By keyboard: the secret field, then Enter submits.
    await page.getByLabel('Client secret').fill(TEST_ENV.BOOTSTRAP_CLIENT_SECRET!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Fleet of Test Partner/ }).waitFor();
    expect(page.url()).not.toContain('secret');
    // The partner's own fleet is empty; its client's has the gateways.
    await page.getByTestId('tenant-switcher').click();
    await page.getByRole('option', { name: 'Acme Monitoring' }).click();
    await page.getByRole('heading', { name: 'Fleet of Acme Monitoring' }).waitFor();
    for (const g of gateways) await expect.poll(() => row(g.name).getByTestId('gateway-status').textContent(), PATIENT).toBe('CONNECTED');
    await expect.poll(() => page.getByTestId('count-profiles').textContent(), PATIENT).toBe('4');
    expect(await row(gateways[0]!.name).textContent()).toContain('site=dc1');
    expect(await page.getByTestId('count-connected').textContent()).toBe('3');
    expect(await page.getByTestId('count-not-registered').textContent()).toBe('1');
    await shot('fleet');
    await accessible();
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('fleet-narrow');
    await accessible();
    // Narrow: the navigation waits off screen behind the menu button.
    const auditLink = page.getByRole('link', { name: 'Audit log' });
    const rightEdge = () => auditLink.evaluate((element) => element.getBoundingClientRect().right);
    expect(await rightEdge()).toBeLessThanOrEqual(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(rightEdge, PATIENT).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(rightEdge, PATIENT).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(errors).toEqual([]);
  });

  it('shows a gateway turn DISCONNECTED live when it falls silent, without a reload', async () => {
    const silent = gateways[2]!;
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    simulated.live.delete(silent.gw);
    await expect.poll(() => row(silent.name).getByTestId('gateway-status').textContent(), { timeout: 30_000 }).toBe('DISCONNECTED');
    expect(await row(silent.name).getByTestId('profile-status').textContent()).toBe('DISCONNECTED');
    expect(await row(gateways[0]!.name).getByTestId('gateway-status').textContent()).toBe('CONNECTED');
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect.poll(() => page.getByTestId('count-disconnected').textContent(), PATIENT).toBe('1');
  });

  it('queues a command with typed parameters and follows it live to SUCCEEDED', async () => {
    const target = gateways[0]!;
    await row(target.name).getByRole('link').nth(1).click();
    await page.getByRole('heading', { name: /^Gateway / }).waitFor();
    expect(await page.getByTestId('gateway-status').textContent()).toBe('CONNECTED');
    await page.getByRole('textbox', { name: 'Command' }).click();
    await page.getByRole('option', { name: 'COLLECT_LOGS' }).click();
    await page.getByLabel('Minutes of logs').fill('30');
    await page.getByRole('button', { name: 'Queue command' }).click();
    await page.getByRole('dialog').getByText('{"sinceMinutes":30}').waitFor();
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await expect.poll(() => page.getByTestId('followed-state').textContent(), { timeout: 30_000 }).toBe('SUCCEEDED');
    const commands = await api.get(
      await api.partner().then((p) => p.token),
      `/api/v1/tenants/${tenantId}/gateways/${target.gw.gatewayId}/commands`,
    );
    expect(commands.body.items[0]).toMatchObject({ type: 'COLLECT_LOGS', parameters: { sinceMinutes: 30 }, state: 'SUCCEEDED' });
    // Its history, as the gateway reported it.
    await page.getByTestId(`command-${commands.body.items[0].id}`).getByRole('button', { name: 'History' }).click();
    await page
      .getByRole('list', { name: 'History' })
      .getByText(/SUCCEEDED/)
      .waitFor();
    const history = await page.getByRole('list', { name: 'History' }).textContent();
    expect(history).toMatch(/QUEUED.*DELIVERED.*ACKNOWLEDGED.*RUNNING.*50 %.*SUCCEEDED/s);
    // A refusal is shown by its code: a version the service does not take.
    await page.getByRole('textbox', { name: 'Command' }).click();
    await page.getByRole('option', { name: 'UPGRADE_FIRMWARE' }).click();
    await page.getByLabel('Firmware version').fill('latest');
    await page.getByRole('button', { name: 'Queue command' }).click();
    await page.getByRole('button', { name: 'Queue', exact: true }).click();
    await expect.poll(() => page.getByRole('dialog').getByTestId('error-code').textContent(), PATIENT).toBe('INVALID_REQUEST');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await shot('gateway');
    await accessible();
  });

  it('mints an activation token shown once, which registers a gateway', async () => {
    const profileName = spareProfile;
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('link', { name: profileName }).click();
    await page.getByRole('heading', { name: `Profile ${profileName}` }).waitFor();
    await page.getByRole('button', { name: 'Mint activation token' }).click();
    await page.getByRole('button', { name: 'Mint', exact: true }).click();
    const token = (await page.getByTestId('minted-token').textContent())!;
    expect(token).toMatch(/^gwat_/);
    await page.getByRole('button', { name: 'Copy' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('minted-token').count(), PATIENT).toBe(0);
    expect(await page.content()).not.toContain(token);
    const gw = fleet.session();
    expect((await gw.register(token)).status).toBe(201);
    simulated.live.add(gw);
    await expect.poll(() => page.getByTestId('profile-status').textContent(), { timeout: 30_000 }).toBe('CONNECTED');
    gateways.push({ gw, profileId: '', name: profileName });
  });

  it('runs a migration to a cluster and watches its steps to COMPLETED', async () => {
    const source = gateways[1]!;
    await page.getByRole('link', { name: 'Fleet' }).click();
    await page.getByRole('link', { name: source.name }).click();
    await page.getByRole('heading', { name: `Profile ${source.name}` }).waitFor();
    await page.getByRole('button', { name: 'Migrate to cluster' }).click();
    await page.getByRole('button', { name: 'Start migration' }).click();
    const token = (await page.getByTestId('migration-token').textContent())!;
    expect(token).toMatch(/^gwat_/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('migration-state').textContent(), { timeout: 30_000 }).toBe('AWAITING_TARGET');
    simulated.live.delete(source.gw);
    const cluster = fleet.session('CLUSTER');
    expect((await cluster.register(token)).status).toBe(201);
    simulated.live.add(cluster);
    await expect.poll(() => page.getByTestId('migration-state').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    await expect.poll(() => page.getByTestId('active-gateway').textContent(), PATIENT).toContain('CLUSTER');
    await shot('profile-migration');
    await accessible();
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('cell', { name: 'migration.completed' }).waitFor();
    await shot('audit');
  });

  it('sends a bulk command to the connected gateways and shows its progress', async () => {
    await page.getByRole('link', { name: 'Bulk commands' }).click();
    await page.getByRole('button', { name: /^Select all/ }).click();
    await page.getByRole('button', { name: /^Run on \d+ gateways/ }).click();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => page.getByTestId('bulk-state').textContent(), { timeout: 30_000 }).toBe('COMPLETED');
    expect(simulated.errors).toEqual([]);
    expect(await page.getByTestId('bulk-percent').textContent()).toMatch(/^(\d+) of \1 ended \(100 %\)$/);
    await shot('bulk');
    await page.getByRole('link', { name: 'Tenants' }).click();
    await page.getByRole('switch', { name: 'Acme Monitoring gateway clustering' }).waitFor();
    await shot('tenants');
  });
});
