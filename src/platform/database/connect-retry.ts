import { Logger } from '@nestjs/common';

/**
 * Runs `connect` until it succeeds or `timeoutSeconds` have passed, waiting longer after each
 * failure (0.25 s, 0.5 s, 1 s … at most 8 s, with jitter so a fleet of restarting processes does
 * not retry in step). Every failure is a warning line naming the attempt and the next wait.
 */
export async function connectWithRetry<T>(
  what: string,
  timeoutSeconds: number,
  connect: () => Promise<T>,
  logger = new Logger('Startup'),
): Promise<T> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      const delayMs = Math.round(Math.min(8_000, 250 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5));
      if (Date.now() + delayMs > deadline) throw error;
      logger.warn({ what, attempt, delayMs, err: (error as Error).message }, `cannot connect to ${what}; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
