import pino from 'pino';
import type { Database } from '../../src/db/client.js';
import { type KeepaClient, type MarketplaceClient, SimulatedMarketplace } from '../../src/jobs/adapters.js';
import type { LiveUpdates } from '../../src/jobs/live-updates.js';
import type { HandlerRegistry, JobEnv } from '../../src/jobs/runner.js';
import { Worker, type WorkerOptions } from '../../src/jobs/worker.js';

export interface TestWorkerOptions extends WorkerOptions {
  clock?: () => Date;
  random?: () => number;
  marketplace?: MarketplaceClient;
  keepa?: KeepaClient | null;
  live?: LiveUpdates | null;
  publishEnabled?: boolean;
  handlers?: HandlerRegistry;
}

/** A worker on a test database: simulate marketplace, no Keepa, silent logs, no scheduler. */
export function testWorker(db: Database, options: TestWorkerOptions = {}): Worker {
  const env: JobEnv = {
    db,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    clock: options.clock ?? (() => new Date()),
    marketplace: options.marketplace ?? new SimulatedMarketplace(),
    keepa: options.keepa ?? null,
    publishEnabled: options.publishEnabled ?? true,
    live: options.live ?? null,
    random: options.random,
  };
  return new Worker(env, { schedule: null, pollMs: 50, ...options });
}
