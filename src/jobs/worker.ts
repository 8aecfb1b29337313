/**
 * The worker: loops that claim and run jobs, woken by NOTIFY job_queue (migration 008's trigger)
 * and polling as a fallback, the reaper, and optionally the scheduler. `drain()` runs every due job
 * (follow-ups included) and returns counts per job type and outcome.
 */
import type pg from 'pg';
import { PgliteDriver, PostgresDriver } from '../db/sql.js';
import type { JobType } from '../generated/prisma/enums.js';
import { HANDLERS } from './handlers/index.js';
import { jobTopic } from './live-updates.js';
import { type ClaimedJob, JobError, claimNextJob, failExhaustedJobs, findStuckJobs } from './queue.js';
import { type HandlerRegistry, type JobEnv, type RunStatus, executeJob, recordFailure } from './runner.js';
import { type Schedule, Scheduler } from './scheduler.js';

/** Stuck jobs the reaper takes per pass. */
const REAP_BATCH = 100;

export interface WorkerOptions {
  handlers?: HandlerRegistry;
  /** Jobs run at once by this worker (parallel loops); PGlite has one connection, so 1 there. */
  concurrency?: number;
  /** Fallback poll while idle, ms. */
  pollMs?: number;
  reapEveryMs?: number;
  types?: readonly JobType[];
  /** Wait this long after start() before the first job (the inline worker lets a fresh server settle). */
  startDelayMs?: number;
  /** Cron schedule (§6.2); null = no scheduler in this worker. */
  schedule?: Schedule | null;
}

export interface DrainSummary {
  counts: Record<string, number>;
  attempts: number;
  elapsedMs: number;
}

export class Worker {
  private readonly handlers: HandlerRegistry;
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly reapEveryMs: number;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private sleepers = new Set<() => void>();
  private unlisten: (() => Promise<void>) | null = null;
  private reapTimer: NodeJS.Timeout | null = null;
  private launched: Promise<void> = Promise.resolve();
  private wakeLaunch: (() => void) | null = null;
  private readonly scheduler: Scheduler | null;
  readonly counts = new Map<string, number>();

  constructor(
    readonly env: JobEnv,
    private readonly options: WorkerOptions = {},
  ) {
    this.handlers = options.handlers ?? HANDLERS;
    this.concurrency = Math.max(1, env.db.driver.kind === 'pglite' ? 1 : (options.concurrency ?? 1));
    this.pollMs = options.pollMs ?? 2_000;
    this.reapEveryMs = options.reapEveryMs ?? 30_000;
    this.scheduler = options.schedule ? new Scheduler(env, options.schedule) : null;
  }

  /** Claims and runs one due job; null when none is due. */
  async runOne(): Promise<{ job: ClaimedJob; status: RunStatus } | null> {
    const job = await claimNextJob(this.env.db.prisma, this.env.clock(), this.options.types);
    if (!job) return null;
    this.env.live?.publish(jobTopic(job.id), { id: job.id });
    const status = await executeJob(this.env, this.handlers, job, this.env.clock());
    const key = `${job.jobType} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return { job, status };
  }

  /** RUNNING jobs past 2 × timeout count as a failed attempt (JOB_TIMEOUT); exhausted PENDING rows fail. */
  async reap(): Promise<number> {
    const now = this.env.clock();
    const stuck = await findStuckJobs(this.env.db.prisma, now, REAP_BATCH);
    for (const job of stuck) {
      const error = new JobError('JOB_TIMEOUT', `reaped: RUNNING since before ${now.toISOString()} minus twice the ${job.jobType} timeout`, true);
      await recordFailure(this.env, this.handlers[job.jobType], job, error);
    }
    await failExhaustedJobs(this.env.db.prisma, now);
    return stuck.length;
  }

  /** Every due job, follow-ups included; then stops. */
  async drain(): Promise<DrainSummary> {
    const started = performance.now();
    this.counts.clear();
    // Every stuck job, not one batch of the reaper: a drain leaves nothing RUNNING behind.
    while ((await this.reap()) >= REAP_BATCH);
    for (;;) {
      let ran = 0;
      await Promise.all(
        Array.from({ length: this.concurrency }, async () => {
          while (await this.runOne()) {
            ran++;
            await yieldToEventLoop();
          }
        }),
      );
      if (ran === 0) break;
    }
    const counts = Object.fromEntries([...this.counts.entries()].sort());
    return { counts, attempts: Object.values(counts).reduce((a, b) => a + b, 0), elapsedMs: performance.now() - started };
  }

  /** Runs until stop(): the loops, the LISTEN wake-up, the reaper and the scheduler. */
  async start(): Promise<void> {
    this.stopping = false;
    this.unlisten = await this.listen().catch((error: unknown) => {
      this.env.logger.warn({ err: error }, 'LISTEN job_queue failed; polling only');
      return null;
    });
    const reapSafely = () => this.reap().catch((error: unknown) => this.env.logger.error({ err: error }, 'reaper failed'));
    // The first job starts on a later event-loop turn (after startDelayMs): the caller, e.g. the
    // server installing its signal handlers, finishes its own startup before PGlite work begins.
    this.launched = new Promise<void>((resolve) => {
      const launch = () => {
        this.wakeLaunch = null;
        if (!this.stopping) {
          void reapSafely();
          this.reapTimer = setInterval(reapSafely, this.reapEveryMs);
          this.scheduler?.start();
          this.loops = Array.from({ length: this.concurrency }, () => this.loop());
        }
        resolve();
      };
      const timer = setTimeout(launch, this.options.startDelayMs ?? 0);
      this.wakeLaunch = () => {
        clearTimeout(timer);
        launch();
      };
    });
  }

  /** Stops claiming, lets the jobs in hand finish, then releases the LISTEN connection. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeLaunch?.();
    await this.launched;
    this.scheduler?.stop();
    if (this.reapTimer) clearInterval(this.reapTimer);
    this.wake();
    await Promise.all(this.loops);
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = null;
  }

  wake(): void {
    for (const resolve of this.sleepers) resolve();
    this.sleepers.clear();
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const ran = await this.runOne().catch((error: unknown) => {
        this.env.logger.error({ err: error }, 'job claim failed');
        return null;
      });
      if (!ran && !this.stopping) await this.sleep(this.pollMs);
      // PGlite answers in microtasks: without a macrotask turn between jobs, a busy queue would
      // starve the HTTP server and the timers sharing this process.
      else await yieldToEventLoop();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }

  private async listen(): Promise<() => Promise<void>> {
    const driver = this.env.db.driver;
    if (driver instanceof PostgresDriver) {
      const client: pg.PoolClient = await driver.pool.connect();
      client.on('notification', () => this.wake());
      client.on('error', () => undefined);
      await client.query('LISTEN job_queue');
      return async () => {
        await client.query('UNLISTEN job_queue').catch(() => undefined);
        client.release();
      };
    }
    if (driver instanceof PgliteDriver) {
      const unsubscribe = await driver.db.listen('job_queue', () => this.wake());
      return () => unsubscribe();
    }
    return async () => undefined;
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** "drain: N attempts in T s — TYPE STATUS=n, …" */
export function formatDrainSummary(summary: DrainSummary): string {
  const parts = Object.entries(summary.counts).map(([key, n]) => `${key}=${n}`);
  return `drain: ${summary.attempts} job attempts in ${(summary.elapsedMs / 1000).toFixed(1)} s${parts.length ? ` — ${parts.join(', ')}` : ' — nothing was due'}`;
}
