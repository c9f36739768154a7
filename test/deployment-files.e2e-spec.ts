import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config.js';

/**
 * This machine has no Docker engine, so docker-compose.yml and the Dockerfile are checked here
 * for what `docker compose up` relies on: the services, their health checks, restart policies and
 * start order, no secret written inline, and a configuration the service accepts.
 */

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  restart?: string;
  env_file?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  container_name?: string;
  volumes?: string[];
}

const composeText = readFileSync('docker-compose.yml', 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const services = compose.services;
const dotEnvExample = Object.fromEntries(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
/** Compose's own ${VAR} and ${VAR:-default} interpolation, from the example env file. */
const interpolate = (value: string) =>
  value.replace(
    /\$\{([A-Z_]+)(?::-([^}]*))?\}/g,
    (_, name: string, fallback?: string) => dotEnvExample[name] ?? fallback ?? `<unset ${name}>`,
  );
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$/;

describe('docker-compose.yml', () => {
  it('has postgres, redis, a one-shot migration, api, worker and haproxy', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'haproxy', 'migrate', 'postgres', 'redis', 'worker']);
  });

  it('every long-running service has a health check and restarts on failure; the migration runs once', () => {
    for (const name of ['postgres', 'redis', 'api', 'worker', 'haproxy']) {
      expect(services[name].restart, name).toBe('unless-stopped');
      expect(services[name].healthcheck?.test?.length, name).toBeGreaterThan(1);
      expect(services[name].healthcheck?.disable, name).toBeUndefined();
    }
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('api and worker start after healthy Postgres and Redis and a finished migration; HAProxy after a healthy api', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.haproxy.depends_on).toEqual({ api: { condition: 'service_healthy' } });
  });

  it('api scales: no container name, no host port (HAProxy is the way in); the roles are api and worker', () => {
    expect(services.api.container_name).toBeUndefined();
    expect(services.api.ports).toBeUndefined();
    expect(services.worker.ports).toBeUndefined();
    expect(services.api.environment!.ROLE).toBe('api');
    expect(services.worker.environment!.ROLE).toBe('worker');
    expect(services.haproxy.ports).toHaveLength(1);
  });

  it('no secret is written inline: secrets come from the env file, referenced as ${VAR}', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (SECRET_NAME.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z_]+\}$/);
        // Credentials inside a URL are references too.
        const credentials = /:\/\/([^@/]*)@/.exec(String(value))?.[1];
        if (credentials)
          expect(
            credentials
              .split(':')
              .filter(Boolean)
              .every((part) => /^\$\{[A-Z_]+\}$/.test(part)),
            `${name}.${key}`,
          ).toBe(true);
      }
    }
    for (const name of ['postgres', 'redis', 'migrate', 'api', 'worker']) expect(services[name].env_file, name).toBe('.env');
    // Nothing that looks like a secret's value anywhere in the file.
    for (const secret of Object.entries(dotEnvExample)
      .filter(([key]) => SECRET_NAME.test(key))
      .map(([, value]) => value)) {
      expect(composeText).not.toContain(secret);
    }
    expect(readFileSync('.gitignore', 'utf8').split('\n')).toContain('.env');
  });

  it('every variable the file uses is in .env.example, and the api and worker settings are a configuration the service accepts', () => {
    const used = [...composeText.matchAll(/\$\{([A-Z_]+)(:-[^}]*)?\}/g)].filter((m) => !m[2]).map((m) => m[1]);
    for (const name of used) expect(Object.keys(dotEnvExample), name).toContain(name);
    for (const name of ['api', 'worker']) {
      const env = {
        ...dotEnvExample,
        ...Object.fromEntries(Object.entries(services[name].environment!).map(([key, value]) => [key, interpolate(String(value))])),
      };
      const config = loadConfig(env);
      expect(config.role).toBe(name);
      expect(config.database.url).toBe(`postgres://gcp:${dotEnvExample.POSTGRES_PASSWORD}@postgres:5432/gateway_control_plane`);
      expect(config.redis.url).toBe(`redis://:${dotEnvExample.REDIS_PASSWORD}@redis:6379`);
    }
  });

  it("HAProxy's configuration is the one in deploy/haproxy, and HAProxy accepts it", () => {
    expect(services.haproxy.volumes).toContain('./deploy/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    const haproxy = ['/usr/sbin/haproxy', '/usr/bin/haproxy'].find((path) => existsSync(path)) ?? 'haproxy';
    expect(execFileSync(haproxy, ['-c', '-f', 'deploy/haproxy/haproxy.cfg'], { encoding: 'utf8' })).toContain(
      'Configuration file is valid',
    );
  });
});

describe('Dockerfile', () => {
  const lines = readFileSync('Dockerfile', 'utf8').split('\n');
  const froms = lines.filter((line) => line.startsWith('FROM '));

  it('builds on a maintained Node LTS line (22 or 24)', () => {
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^FROM node:(22|24)[.-]/);
  });

  it('runs as a user that is not root, with a health check whose script the build produces', () => {
    const finalStage = lines.slice(lines.lastIndexOf(froms[froms.length - 1]));
    const user = finalStage.find((line) => line.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    const healthcheck = finalStage.find((line) => line.startsWith('HEALTHCHECK '));
    expect(healthcheck).toContain('dist/scripts/healthcheck.js');
    expect(existsSync('scripts/healthcheck.ts')).toBe(true);
  });
});
