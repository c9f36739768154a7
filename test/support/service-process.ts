import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../src/config/app-config.js';
import { claimPort } from '../../scripts/lib/ports.js';
import type { TestApp } from './test-app.js';
import { TEST_ENV } from './test-env.js';

export interface ServiceProcess {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The built service (dist/) as a separate OS process, sharing a test app's database and Redis
 * prefix: a second process of the same deployment. `npm test` builds before it runs the tests.
 */
export async function startServiceProcess(shareWith: TestApp, env: Record<string, string> = {}): Promise<ServiceProcess> {
  if (!existsSync('dist/src/main.js')) throw new Error('dist/src/main.js is missing: run `npm run build` first (npm test does)');
  // A fixed PORT (a load balancer's configuration names it; a restart under a client that keeps its URL), or any free one.
  const port = env.PORT ? Number(env.PORT) : await claimPort();
  loadConfig({ ...TEST_ENV, ...env }); // fail here, not in the child, on a bad setting
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      ...process.env,
      ...TEST_ENV,
      DATABASE_URL: shareWith.config.database.url,
      REDIS_KEY_PREFIX: shareWith.config.redis.keyPrefix,
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Never outlive the test run, even when a test times out before it stops the process.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  const url = `http://127.0.0.1:${port}`;
  // Ready when it says so (a worker process has no HTTP to probe); its warnings and errors are shown,
  // and the last error is in the failure when it exits before it is ready.
  await new Promise<void>((resolve, reject) => {
    let lastError = '';
    const timer = setTimeout(() => reject(new Error('the service process did not become ready in 60 s')), 60_000);
    child.once('close', (code) =>
      reject(new Error(`the service process on port ${port} exited with ${code}${lastError ? `: ${lastError}` : ''}`)),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        if (line.includes('"msg":"ready: ')) {
          clearTimeout(timer);
          resolve();
        } else if (/"level":(40|50|60)/.test(line)) {
          process.stderr.write(`[service ${child.pid}] ${line}\n`);
          if (/"level":(50|60)/.test(line)) lastError = line;
        }
      }
    });
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
