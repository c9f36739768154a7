import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

const valid = {
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      role: 'all',
      http: { port: 3000, bodyLimitBytes: 1024 * 1024 },
      heartbeat: { intervalSeconds: 30, missedLimit: 3 },
      registration: { failureLimit: 20, failureWindowSeconds: 600 },
      bootstrap: null,
      logLevel: 'info',
    });
    expect(config.auth.secretHashKey).toBe(valid.JWT_SECRET);
  });

  it.each([
    [{ DATABASE_URL: undefined }, 'configuration error: DATABASE_URL is required'],
    [{ DATABASE_URL: 'mysql://x' }, 'configuration error: DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ REDIS_URL: 'nope' }, 'configuration error: REDIS_URL must be a URL'],
    [{ REDIS_URL: undefined }, 'configuration error: REDIS_URL is required (or REDIS_CLUSTER_NODES for Redis Cluster)'],
    [{ REDIS_CLUSTER_NODES: '127.0.0.1:7000' }, 'configuration error: REDIS_URL and REDIS_CLUSTER_NODES cannot both be set'],
    [{ REDIS_URL: undefined, REDIS_CLUSTER_NODES: '127.0.0.1' }, 'configuration error: REDIS_CLUSTER_NODES must be host:port,host:port,…'],
    [{ JWT_SECRET: 'short' }, 'configuration error: JWT_SECRET must be at least 32 characters'],
    [{ PORT: 'eighty' }, 'configuration error: PORT'],
    [{ HEARTBEAT_INTERVAL_SECONDS: '0' }, 'configuration error: HEARTBEAT_INTERVAL_SECONDS'],
    [{ ROLE: 'both' }, 'configuration error: ROLE'],
    [{ LOG_LEVEL: 'loud' }, 'configuration error: LOG_LEVEL'],
    [
      { BOOTSTRAP_CLIENT_ID: 'partner' },
      'configuration error: BOOTSTRAP_CLIENT_SECRET BOOTSTRAP_CLIENT_ID and BOOTSTRAP_CLIENT_SECRET are set together',
    ],
    [{ LOG_QUIET_REQUESTS_SAMPLE: '2' }, 'configuration error: LOG_QUIET_REQUESTS_SAMPLE'],
    [{ METRICS_TOKEN: 'short' }, 'configuration error: METRICS_TOKEN must be at least 16 characters'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }, 'configuration error: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be a URL'],
  ])('names the bad variable in one line: %o', (override, message) => {
    let thrown: Error | undefined;
    try {
      loadConfig({ ...valid, ...override });
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toContain(message);
    expect(thrown?.message).not.toContain('\n');
  });

  it('reads Redis Cluster seed nodes instead of one Redis URL', () => {
    const config = loadConfig({ ...valid, REDIS_URL: undefined, REDIS_CLUSTER_NODES: 'redis-a:7000,10.0.0.2:7001' });
    expect(config.redis).toEqual({
      url: null,
      clusterNodes: [
        { host: 'redis-a', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      keyPrefix: 'gcp',
    });
  });

  it('lists every bad variable at once, each once', () => {
    let thrown: ConfigError | undefined;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', REDIS_URL: 'nope', PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      thrown = error as ConfigError;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown!.problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'DATABASE_URL',
      'JWT_SECRET',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
    ]);
    expect(thrown!.problems).toContain('JWT_SECRET is required');
    expect(thrown!.message).not.toContain('\n');
  });

  it('reads the bootstrap credentials as a pair', () => {
    const config = loadConfig({ ...valid, BOOTSTRAP_CLIENT_ID: 'partner', BOOTSTRAP_CLIENT_SECRET: 's'.repeat(16) });
    expect(config.bootstrap).toEqual({ clientId: 'partner', clientSecret: 's'.repeat(16), tenantName: 'Bootstrap partner' });
  });
});
