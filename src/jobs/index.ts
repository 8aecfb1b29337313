/**
 * Wiring of the job pipeline from the configuration: the JobEnv a worker needs, and the small
 * start/stop pair the server uses to run a worker inside its own process (WORKER_MODE=inline,
 * the default on the embedded database).
 */
import type { Logger } from 'pino';
import type { AppConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { createMarketplaceClient, type KeepaClient } from './adapters.js';
import type { LiveUpdates } from './live-updates.js';
import type { JobEnv } from './runner.js';
import { scheduleFromConfig } from './scheduler.js';
import { Worker } from './worker.js';

const INLINE_START_DELAY_MS = 3_000;

export function createJobEnv(config: AppConfig, db: Database, logger: Logger, live: LiveUpdates | null, keepa: KeepaClient | null = null): JobEnv {
  const w = config.worker;
  const marketplace = createMarketplaceClient({ mode: w.marketplaceMode, credentials: w.marketplaceCredentials });
  if (w.keepaApiKey && !keepa) logger.warn('KEEPA_API_KEY is set but this build has no Keepa HTTP client: Keepa syncs fail with NO_CREDENTIALS');
  return { db, logger, clock: () => new Date(), marketplace, keepa, publishEnabled: w.publishEnabled, live };
}

export function createWorker(config: AppConfig, env: JobEnv, extra: { startDelayMs?: number } = {}): Worker {
  const w = config.worker;
  return new Worker(env, {
    ...extra,
    concurrency: w.concurrency,
    pollMs: w.pollMs,
    schedule: scheduleFromConfig({ enabled: w.scheduleEnabled, overrides: w.scheduleOverrides }),
  });
}

/** The inline worker of `npm start`, or null when WORKER_MODE is not inline. Stop it before closing the database. */
export async function startInlineWorker(config: AppConfig, db: Database, logger: Logger, live: LiveUpdates | null): Promise<Worker | null> {
  if (config.worker.mode !== 'inline') return null;
  // A fresh server answers its first requests (and settles) before the worker's first job.
  const worker = createWorker(config, createJobEnv(config, db, logger.child({ component: 'worker' }), live), { startDelayMs: INLINE_START_DELAY_MS });
  await worker.start();
  logger.info(`job worker running in this process (WORKER_MODE=inline, ${db.driver.kind})`);
  return worker;
}

export { Worker };
