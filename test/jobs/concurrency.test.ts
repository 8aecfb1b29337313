import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { attachPrisma, type Database } from '../../src/db/client.js';
import { PostgresDriver } from '../../src/db/sql.js';
import type { HandlerRegistry } from '../../src/jobs/runner.js';
import { testDatabaseUrl } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { testWorker } from '../support/worker.js';

/**
 * Concurrency and faults on PostgreSQL: several workers, each with its own connection pool (as
 * separate processes would have), against one queue.
 */
describe.skipIf(!testDatabaseUrl)('job queue under concurrency (PostgreSQL)', () => {
  let app: TestApp;
  const extra: Database[] = [];
  const openWorkerDb = async () => {
    const url = app.testDb.config.kind === 'postgres' ? app.testDb.config.url : '';
    const db = await attachPrisma({ kind: 'postgres', url }, PostgresDriver.fromUrl(url, 3));
    extra.push(db);
    return db;
  };

  beforeAll(async () => {
    app = await createTestApp('postgres');
    await app.db.prisma.$executeRawUnsafe('CREATE TABLE job_runs (job_id int NOT NULL, worker int NOT NULL)');
  });
  afterAll(async () => {
    for (const db of extra) await db.close().catch(() => undefined);
    await app?.close();
  });

  /** A cheap handler: records (job, worker) in the transaction that completes the job. */
  const recording = (worker: number): HandlerRegistry => ({
    SYNC_AMAZON_OFFER: {
      run: (run) => run.finish((tx) => tx.$executeRawUnsafe('INSERT INTO job_runs (job_id, worker) VALUES ($1, $2)', run.job.id, worker)),
    },
  });

  test('4 workers on 1,000 due jobs: each runs exactly once to SUCCEEDED, none lost, none left RUNNING', async () => {
    await app.db.prisma.$executeRawUnsafe(
      `INSERT INTO jobs (job_type, scope_type, status, priority, input_json, scheduled_for)
       SELECT 'SYNC_AMAZON_OFFER', 'GLOBAL', 'PENDING', 1 + (g % 10), '{}'::jsonb, now() - interval '1 minute' FROM generate_series(1, 1000) g`,
    );
    const workers = await Promise.all([0, 1, 2, 3].map(async (i) => testWorker(await openWorkerDb(), { handlers: recording(i), concurrency: 2, types: ['SYNC_AMAZON_OFFER'] })));
    await Promise.all(workers.map((w) => w.drain()));

    const [runs] = await app.db.prisma.$queryRawUnsafe<Array<{ total: bigint; distinct_jobs: bigint; workers: bigint }>>(
      'SELECT count(*) AS total, count(DISTINCT job_id) AS distinct_jobs, count(DISTINCT worker) AS workers FROM job_runs',
    );
    expect(Number(runs!.total)).toBe(1000);
    expect(Number(runs!.distinct_jobs)).toBe(1000);
    expect(Number(runs!.workers)).toBeGreaterThan(1);
    const statuses = await app.db.prisma.job.groupBy({ by: ['status'], where: { jobType: 'SYNC_AMAZON_OFFER' }, _count: true });
    expect(statuses.map((s) => [s.status, s._count])).toEqual([['SUCCEEDED', 1000]]);
    const attempts = await app.db.prisma.job.aggregate({ where: { jobType: 'SYNC_AMAZON_OFFER' }, _max: { attempts: true }, _min: { attempts: true } });
    expect([attempts._min.attempts, attempts._max.attempts]).toEqual([1, 1]);
  });

  test('a worker killed mid-job (its connection terminated) → the reaper fails the attempt and another worker runs it once', async () => {
    const job = await app.db.prisma.job.create({ data: { jobType: 'SYNC_AMAZON_CATALOG', scopeType: 'GLOBAL', status: 'PENDING', inputJson: {} } });
    const victimDb = await openWorkerDb();
    let backendPid = 0;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const victim = testWorker(victimDb, {
      types: ['SYNC_AMAZON_CATALOG'],
      handlers: {
        SYNC_AMAZON_CATALOG: {
          run: (run) =>
            run.finish(async (tx) => {
              backendPid = Number((await tx.$queryRawUnsafe<Array<{ pid: number }>>('SELECT pg_backend_pid() AS pid'))[0]!.pid);
              await tx.$executeRawUnsafe('INSERT INTO job_runs (job_id, worker) VALUES ($1, 99)', run.job.id);
              started();
              await tx.$executeRawUnsafe('SELECT pg_sleep(30)');
            }),
        },
      },
    });
    const victimRun = victim.runOne();
    await running;
    // The process dies: its session is terminated and it never records anything again.
    await app.db.prisma.$queryRawUnsafe('SELECT pg_terminate_backend($1)', backendPid);
    await victimDb.close().catch(() => undefined);
    await victimRun.catch(() => undefined);
    const orphan = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([orphan.status, orphan.attempts]).toEqual(['RUNNING', 1]);

    // Another worker, 2 × 300 s later, reaps it (retryable JOB_TIMEOUT) and then runs it.
    let now = new Date(orphan.startedAt!.getTime() + 601_000);
    const rescuer = testWorker(await openWorkerDb(), { handlers: { SYNC_AMAZON_CATALOG: recording(1).SYNC_AMAZON_OFFER! }, types: ['SYNC_AMAZON_CATALOG'], clock: () => now, random: () => 0 });
    expect(await rescuer.reap()).toBe(1);
    now = new Date(now.getTime() + 15_000);
    expect((await rescuer.runOne())?.status).toBe('SUCCEEDED');
    const done = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([done.status, done.attempts]).toEqual(['SUCCEEDED', 2]);
    expect((done.logJson as Array<{ code: string }>).map((e) => e.code)).toEqual(['JOB_TIMEOUT']);
    // The killed attempt's writes rolled back with its session: exactly one run is recorded.
    const runs = await app.db.prisma.$queryRawUnsafe<Array<{ worker: number }>>('SELECT worker FROM job_runs WHERE job_id = $1', job.id);
    expect(runs).toEqual([{ worker: 1 }]);
  });
});
