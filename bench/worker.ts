// npm run bench:worker — seeds N listings into a fresh PostgreSQL database (created here and dropped
// afterwards), then measures the job worker: jobs/s of COMPUTE_FEATURES_LISTING and of
// GENERATE_RECOMMENDATIONS_LISTING with 1, 2 and 4 workers, and the wall time of a nightly run of
// all listings (the nightly slot job: fan-out, features, chained recommendations). Prints figures;
// asserts nothing.
//
// Workers run in this process, each with its own connection pool (as separate processes would
// have) and one job at a time; they share this process's CPU with each other.
//
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), BENCH_LISTINGS (10000),
//   BENCH_SAMPLE (jobs per measurement, default 1000), BENCH_WORKERS (1,2,4)
import pg from 'pg';
import pino from 'pino';
import { attachPrisma, type Database } from '../src/db/client.js';
import { seed } from '../src/db/seed.js';
import { PostgresDriver } from '../src/db/sql.js';
import type { JobType } from '../src/generated/prisma/enums.js';
import { SimulatedMarketplace } from '../src/jobs/adapters.js';
import { enqueueSlot } from '../src/jobs/scheduler.js';
import { Worker } from '../src/jobs/worker.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const listings = Number(process.env.BENCH_LISTINGS ?? 10_000);
const sample = Math.min(listings, Number(process.env.BENCH_SAMPLE ?? 1_000));
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);

const name = `lh_bench_worker_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const config = { kind: 'postgres' as const, url: url.toString() };
const logger = pino({ level: 'silent' });
const pools: Database[] = [];

const main = await attachPrisma(config, PostgresDriver.fromUrl(config.url, 4), { migrate: true });
pools.push(main);

function workers(count: number, types?: JobType[]): Promise<Worker[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const db = await attachPrisma(config, PostgresDriver.fromUrl(config.url, 3));
      pools.push(db);
      return new Worker({ db, logger, clock: () => new Date(), marketplace: new SimulatedMarketplace(), keepa: null, publishEnabled: true, live: null }, { types, schedule: null });
    }),
  );
}

const sql = (text: string, ...params: unknown[]) => main.prisma.$executeRawUnsafe(text, ...params);

/** Queues one job of `type` for each of the first `n` listings (by id). */
async function enqueueFor(type: JobType, n: number): Promise<void> {
  await sql(
    `INSERT INTO jobs (job_type, scope_type, listing_id, status, priority, input_json, scheduled_for)
     SELECT $1::job_type, 'LISTING', id, 'PENDING', 3, jsonb_build_object('listing_id', id), now() - interval '1 second'
     FROM listings ORDER BY id LIMIT $2`,
    type,
    n,
  );
}

async function measure(type: JobType, count: number): Promise<{ jobsPerSecond: number; seconds: number; done: number }> {
  const pool = await workers(count, [type]);
  const started = performance.now();
  const summaries = await Promise.all(pool.map((w) => w.drain()));
  const seconds = (performance.now() - started) / 1000;
  const done = summaries.reduce((n, s) => n + (s.counts[`${type} SUCCEEDED`] ?? 0), 0);
  return { jobsPerSecond: done / seconds, seconds, done };
}

try {
  const seedStart = performance.now();
  await seed(main.driver, { listings, log: () => undefined });
  console.log(`seeded ${listings} listings in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  // The seed's own queued jobs are not part of the measurement.
  await sql(`UPDATE jobs SET status = 'CANCELLED' WHERE status IN ('PENDING', 'RUNNING')`);

  console.log(`\njobs/s over ${sample} jobs each (PostgreSQL, workers in one process, one job at a time each)`);
  console.log('workers | COMPUTE_FEATURES_LISTING | GENERATE_RECOMMENDATIONS_LISTING');
  for (const count of workerCounts) {
    await enqueueFor('COMPUTE_FEATURES_LISTING', sample);
    const features = await measure('COMPUTE_FEATURES_LISTING', count);
    // Each features job queued its recommendation run (deduplicated): measure those next.
    const recs = await measure('GENERATE_RECOMMENDATIONS_LISTING', count);
    console.log(
      `${String(count).padStart(7)} | ${features.jobsPerSecond.toFixed(1).padStart(6)} jobs/s (${features.done} in ${features.seconds.toFixed(1)} s) | ${recs.jobsPerSecond.toFixed(1).padStart(6)} jobs/s (${recs.done} in ${recs.seconds.toFixed(1)} s)`,
    );
    await sql(`UPDATE jobs SET status = 'CANCELLED' WHERE status = 'PENDING'`);
  }

  const nightlyWorkers = Math.max(...workerCounts);
  const nightStart = new Date();
  await enqueueSlot({ db: main } as never, 'nightly', new Date(Math.floor(nightStart.getTime() / 60_000) * 60_000), nightStart);
  const pool = await workers(nightlyWorkers);
  const started = performance.now();
  const summaries = await Promise.all(pool.map((w) => w.drain()));
  const seconds = (performance.now() - started) / 1000;
  const counts: Record<string, number> = {};
  for (const s of summaries) for (const [k, v] of Object.entries(s.counts)) counts[k] = (counts[k] ?? 0) + v;
  console.log(`\nnightly run of all ${listings} listings with ${nightlyWorkers} workers: ${seconds.toFixed(1)} s`);
  console.log(`  ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(', ')}`);

  const [check] = await main.prisma.$queryRawUnsafe<Array<{ stale: bigint; pending_old: bigint; due: bigint }>>(
    `SELECT
       (SELECT count(*) FROM listings l WHERE COALESCE(l.status, 'active') <> 'archived' AND NOT EXISTS (
          SELECT 1 FROM feature_store f WHERE f.entity_type = 'LISTING' AND f.entity_id = l.id AND f.computed_at >= $1::timestamp)) AS stale,
       (SELECT count(*) FROM recommendations r WHERE r.status = 'PENDING' AND r.entity_type = 'LISTING' AND r.generated_at < $1::timestamp) AS pending_old,
       (SELECT count(*) FROM jobs WHERE status IN ('PENDING', 'RUNNING') AND scheduled_for <= now()) AS due`,
    nightStart.toISOString(),
  );
  console.log(`  after the run: ${check!.stale} active listings without a fresh feature row, ${check!.pending_old} PENDING listing recommendations from before the run, ${check!.due} due jobs left`);
} finally {
  for (const db of pools) await db.close().catch(() => undefined);
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
