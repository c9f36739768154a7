import 'reflect-metadata';
import { ConfigError, loadConfig, runsApi, type AppConfig } from './config/app-config.js';
import { createHttpApp, createWorkerContext } from './platform/http/create-app.js';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Boots the API (HTTP) and/or the workers, as ROLE says. SIGTERM and SIGINT shut down gracefully. */
async function main(): Promise<void> {
  const config = configOrExit();
  if (runsApi(config)) {
    const app = await createHttpApp(config);
    await app.listen({ port: config.http.port, host: config.http.host });
  } else {
    await createWorkerContext(config);
  }
}

main().catch((error: unknown) => {
  console.error('start-up failed:', error);
  process.exit(1);
});
