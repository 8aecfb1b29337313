import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { ensureLocalAdminKey } from './auth/local-admin.js';
import { loadConfig, type AppConfig } from './config.js';
import { describeStartupError } from './db/cli.js';
import { openDatabase, type Database } from './db/client.js';
import { seed } from './db/seed.js';
import { createMetrics } from './graphql/metrics.js';
import { attachGraphqlWs } from './graphql/ws.js';
import { serveMetrics } from './http/metrics-server.js';
import { startInlineWorker } from './jobs/index.js';
import { createLiveUpdates } from './jobs/live-updates.js';
import { httpDrain, Lifecycle, type ShutdownResult } from './lifecycle.js';
import { createLogger } from './logger.js';
import { closeRedis, openRedis } from './redis.js';

/** Listings the embedded database is filled with on first start, so a newcomer sees real data. */
const DEMO_LISTINGS = 200;

export interface RunningServer {
  server: Server;
  db: Database;
  logger: Logger;
  port: number;
  /** Where /metrics is served; undefined when METRICS_PORT=off. */
  metricsPort: number | undefined;
  /** Register things to drain on stop here (an inline job worker). */
  lifecycle: Lifecycle;
  stop(): Promise<ShutdownResult>;
}

/** config -> database -> migrate -> (demo data) -> yoga -> listen; resolves once listening. */
export async function startServer(config: AppConfig = loadConfig()): Promise<RunningServer> {
  const logger = createLogger(config);
  const lifecycle = new Lifecycle();
  const db = await openDatabase(config.database, { migrate: true, log: (line) => logger.info(line) });
  lifecycle.closeAfterDrains({ name: 'database', close: () => db.close() });
  try {
    await seedEmptyDatabase(db, config, (line) => logger.info(line));
    const redis = config.redisUrl ? openRedis(config.redisUrl, (error) => logger.warn(`redis: ${error.message}`)) : undefined;
    if (redis) lifecycle.closeAfterDrains({ name: 'redis', close: () => closeRedis(redis) });
    const live = createLiveUpdates({ redisUrl: config.redisUrl, prefix: config.redisChannelPrefix });
    lifecycle.closeAfterDrains({ name: 'live updates', close: () => live.close() });
    const metrics = config.metrics ? createMetrics({ db }) : undefined;
    const graphiqlKey = await localAdminKey(db, config, (line) => logger.info(line));
    const app = createApp({
      db,
      logger,
      metrics,
      redis,
      isStopping: () => lifecycle.isStopping,
      live,
      limits: config.limits,
      graphiql: config.graphiql,
      graphiqlKey,
      corsOrigins: config.corsOrigins,
      rateLimits: { ...config.rateLimits, redis },
    });
    const server = createServer(app);
    lifecycle.drain(httpDrain(server));
    lifecycle.drain({ name: 'graphql-ws', stop: attachGraphqlWs(server, app) });
    await listen(server, config.port, config.host);
    const worker = await startInlineWorker(config, db, logger, live);
    if (worker) lifecycle.drain({ name: 'job worker', stop: () => worker.stop() });
    let metricsPort: number | undefined;
    if (metrics && config.metrics) {
      const listener = await serveMetrics(metrics.registry, config.metrics);
      lifecycle.closeAfterDrains({ name: 'metrics listener', close: () => closeListener(listener.server) });
      metricsPort = listener.port;
      logger.info(`metrics at http://${config.metrics.host}:${metricsPort}/metrics`);
    }
    const port = (server.address() as AddressInfo).port;
    logger.info(`GraphQL ready at http://${config.host}:${port}/graphql (GraphiQL in a browser; probes at /health and /ready)`);
    return { server, db, logger, port, metricsPort, lifecycle, stop: () => lifecycle.shutdown(config.shutdownGraceMs) };
  } catch (error) {
    await lifecycle.shutdown(0);
    throw error;
  }
}

/**
 * Only the embedded database is filled automatically; PostgreSQL is never seeded unless someone
 * runs `npm run db:seed` (or sets SEED_DEMO_DATA=true).
 */
async function seedEmptyDatabase(db: Database, config: AppConfig, log: (line: string) => void): Promise<void> {
  if (!config.seedDemoData) return;
  const existing = await db.prisma.listing.count();
  if (existing > 0) return;
  log(`empty database: seeding ${DEMO_LISTINGS} demo listings`);
  await seed(db.driver, { listings: DEMO_LISTINGS, log });
}

/** Where the embedded database keeps its local admin key: next to the PGlite folder, mode 0600. */
export function localAdminKeyFile(dataDir: string): string {
  return path.join(path.dirname(dataDir), 'local-admin.key');
}

/**
 * The embedded database gets a local admin key on first start, so GraphiQL works at once
 * (newcomer path). PostgreSQL never gets a default key: create one with `npm run keys -- create`.
 */
async function localAdminKey(db: Database, config: AppConfig, log: (line: string) => void): Promise<string | undefined> {
  if (config.database.kind !== 'pglite') return undefined;
  const file = config.database.dataDir === 'memory' ? null : localAdminKeyFile(config.database.dataDir);
  const { secret, created } = await ensureLocalAdminKey(db.prisma, file);
  if (created) log(file ? `created the local admin API key; its secret is in ${file} (mode 0600)` : 'created a local admin API key (in-memory database)');
  return secret;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeListener(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}

/** SIGTERM/SIGINT: drain, close, exit 0; past the grace period (or on a second signal) exit 1. */
function stopOnSignals(running: RunningServer, graceMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (running.lifecycle.isStopping) {
      running.logger.warn(`${signal} again: ending what remains now`);
    } else {
      running.logger.info(`${signal}: no new connections; requests in flight have ${graceMs} ms to finish`);
    }
    void running.stop().then((result) => {
      if (result.unfinished.length) running.logger.error({ unfinished: result.unfinished }, 'stopped before these finished: grace period over');
      for (const failure of result.failures) running.logger.error({ err: failure.error }, `stopping ${failure.name} failed`);
      if (result.clean) running.logger.info('stopped cleanly');
      process.exit(result.clean ? 0 : 1);
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function main(): Promise<void> {
  let config: AppConfig;
  let running: RunningServer;
  try {
    config = loadConfig();
    running = await startServer(config);
  } catch (error) {
    const line = describeStartupError(error);
    if (!line) throw error;
    console.error(`error: ${line}`);
    process.exit(1);
  }
  stopOnSignals(running, config.shutdownGraceMs);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
