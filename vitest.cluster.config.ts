import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * `npm run test:cluster`: the gateway, command, liveness and subscription e2e files, plus the
 * cluster's own checks, against a local Redis Cluster (scripts/redis-cluster.sh). The service
 * reads REDIS_CLUSTER_NODES instead of REDIS_URL. (The list replaces the base config's, not merged.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Some tests start the built service as another process; on a cluster it also learns the slot map first.
    testTimeout: 90_000,
    include: ['test/gateway-heartbeats.e2e-spec.ts', 'test/commands.e2e-spec.ts', 'test/cluster/*.cluster-spec.ts'],
  },
});
