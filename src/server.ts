import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { createApp } from './app.js';
import { loadConfig, type AppConfig } from './config.js';
import { describeStartupError } from './db/cli.js';
import { openDatabase, type Database } from './db/client.js';
import { seed } from './db/seed.js';
import { attachGraphqlWs } from './graphql/ws.js';
import { startInlineWorker, type Worker } from './jobs/index.js';
import { createLiveUpdates, type LiveUpdates } from './jobs/live-updates.js';

/** Listings the embedded database is filled with on first start, so a newcomer sees real data. */
const DEMO_LISTINGS = 200;
const SHUTDOWN_GRACE_MS = 10_000;

/** config -> database -> migrate -> (demo data) -> yoga -> listen; resolves once listening. */
export async function startServer(config: AppConfig = loadConfig()) {
  const logger = pino({ level: config.logLevel });
  const db = await openDatabase(config.database, { migrate: true, log: (line) => logger.info(line) });
  try {
    await seedEmptyDatabase(db, config, (line) => logger.info(line));
  } catch (error) {
    await db.close();
    throw error;
  }
  const live = createLiveUpdates({ redisUrl: config.redisUrl, prefix: config.redisChannelPrefix });
  const app = createApp({ db, logger, live });
  const server = createServer(app);
  const closeWs = attachGraphqlWs(server, app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Before "ready": a caller may signal the process as soon as it reads that line.
  const worker = await startInlineWorker(config, db, logger, live);
  logger.info(`GraphQL ready at http://${config.host}:${port}/graphql (GraphiQL in a browser; liveness at /health)`);
  return { server, db, logger, port, worker, stop: () => stopServer(server, db, { worker, live, closeWs }) };
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

/** Stops taking connections, lets requests in flight (and the inline worker's jobs) finish, then closes the database. */
async function stopServer(server: Server, db: Database, extras: { worker: Worker | null; live: LiveUpdates; closeWs: () => Promise<void> }): Promise<void> {
  await extras.closeWs();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
  await extras.worker?.stop();
  await extras.live.close();
  await db.close();
}

async function main(): Promise<void> {
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    running = await startServer();
  } catch (error) {
    const line = describeStartupError(error);
    if (!line) throw error;
    console.error(`error: ${line}`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info(`${signal}: finishing requests in flight, then closing the database`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
