/**
 * `npm run worker`: runs jobs until SIGTERM/SIGINT, then finishes the jobs in hand and exits 0.
 * `npm run -s worker -- --drain`: runs every due job (follow-ups included), prints one summary line
 * (counts per job type and outcome) and exits 0.
 */
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { loadConfig } from './config.js';
import { describeStartupError } from './db/cli.js';
import { openDatabase } from './db/client.js';
import { createJobEnv, createWorker } from './jobs/index.js';
import { createLiveUpdates } from './jobs/live-updates.js';
import { formatDrainSummary } from './jobs/worker.js';

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const drain = argv.includes('--drain');
  const config = loadConfig();
  // Drain prints exactly one line on stdout; logs go to stderr.
  const logger = pino({ level: config.logLevel }, pino.destination(2));
  const db = await openDatabase(config.database, { migrate: true, log: (line) => logger.info(line) });
  const live = createLiveUpdates({ redisUrl: config.redisUrl, prefix: config.redisChannelPrefix });
  try {
    const env = createJobEnv(config, db, logger, live);
    if (drain) {
      const worker = createWorker({ ...config, worker: { ...config.worker, scheduleEnabled: false } }, env);
      console.log(formatDrainSummary(await worker.drain()));
      return 0;
    }
    const worker = createWorker(config, env);
    await worker.start();
    logger.info(`worker started (${db.driver.kind}, concurrency ${config.worker.concurrency}, live updates ${live.kind})`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info(`${signal}: finishing the jobs in hand`);
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await worker.stop();
    return 0;
  } finally {
    await live.close();
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const line = describeStartupError(error);
      if (!line) throw error;
      console.error(`error: ${line}`);
      process.exit(1);
    },
  );
}
