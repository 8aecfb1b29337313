/**
 * Runs one claimed job: the handler's transactions publish their live updates after commit, the
 * last one commits the handler's effect together with SUCCEEDED (a reaped claim rolls both back),
 * and a failure is recorded as an attempt (§6.1) with the handler's final-failure events.
 */
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { JobType } from '../generated/prisma/enums.js';
import type { Tx } from '../resolvers/core/run-mutation.js';
import type { KeepaClient, MarketplaceClient } from './adapters.js';
import { type LiveEvent, type LiveUpdates, jobTopic, publishAll } from './live-updates.js';
import { type ClaimedJob, type FailureOutcome, JOB_TIMEOUT_MS, JobError, LostClaimError, completeJob, failJob } from './queue.js';

export type Emit = (event: LiveEvent) => void;

export interface JobEnv {
  db: Database;
  logger: Logger;
  clock: () => Date;
  marketplace: MarketplaceClient;
  /** Null when no Keepa credentials are configured. */
  keepa: KeepaClient | null;
  /** §6.2 "publish enabled" gate. */
  publishEnabled: boolean;
  live: LiveUpdates | null;
  /** Backoff jitter source (tests inject one). */
  random?: () => number;
}

export interface JobRun {
  job: ClaimedJob;
  /** The clock at claim time: every computation of the run uses it (docs/domain-rules.md §0). */
  now: Date;
  env: JobEnv;
  prisma: PrismaClient;
  /** A transaction whose emitted events are published once it has committed. */
  transaction<T>(fn: (tx: Tx, emit: Emit) => Promise<T>): Promise<T>;
  /** The last transaction: `fn`'s writes and the job's SUCCEEDED (with fn's result) commit together. */
  finish(fn: (tx: Tx, emit: Emit) => Promise<unknown>): Promise<void>;
}

export interface JobHandler {
  run(run: JobRun): Promise<void>;
  /** Events of a final failure (FAILED), written in the transaction that marks the job FAILED. */
  onFinalFailure?(tx: Tx, job: ClaimedJob, error: JobError, emit: Emit, now: Date): Promise<void>;
}

export type HandlerRegistry = Partial<Record<JobType, JobHandler>>;

export type RunStatus = 'SUCCEEDED' | 'FAILED' | 'RETRY' | 'LOST';

function transactionOptions(job: ClaimedJob) {
  return { maxWait: 15_000, timeout: JOB_TIMEOUT_MS[job.jobType] ?? 300_000 };
}

async function inTransaction<T>(prisma: PrismaClient, job: ClaimedJob, live: LiveUpdates | null, fn: (tx: Tx, emit: Emit) => Promise<T>): Promise<T> {
  const events: LiveEvent[] = [];
  const result = await prisma.$transaction((tx) => fn(tx, (event) => events.push(event)), transactionOptions(job));
  publishAll(live, events);
  return result;
}

/** Any thrown value as a JobError: unknown errors are retryable (network, deadlock, a bug fixed by a deploy). */
export function asJobError(error: unknown): JobError {
  if (error instanceof JobError) return error;
  const e = error as { message?: unknown; code?: unknown } | null;
  const message = e && typeof e.message === 'string' && e.message ? e.message : String(error);
  const code = e && typeof e.code === 'string' ? e.code : 'UNEXPECTED';
  const wrapped = new JobError(code, message, true);
  if (error instanceof Error && error.stack) wrapped.stack = error.stack;
  return wrapped;
}

function withTimeout<T>(promise: Promise<T>, ms: number, job: ClaimedJob): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobError('JOB_TIMEOUT', `${job.jobType} job ${job.id} ran longer than ${ms / 1000} s`, true)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Executes a claimed job to its next state. Never throws. */
export async function executeJob(env: JobEnv, handlers: HandlerRegistry, job: ClaimedJob, now: Date): Promise<RunStatus> {
  const prisma = env.db.prisma;
  const handler = handlers[job.jobType];
  let finished = false;
  const run: JobRun = {
    job,
    now,
    env,
    prisma,
    transaction: (fn) => inTransaction(prisma, job, env.live, fn),
    finish: async (fn) => {
      await inTransaction(prisma, job, env.live, async (tx, emit) => {
        const result = await fn(tx, emit);
        await completeJob(tx, job, result ?? null, env.clock());
        emit({ topic: jobTopic(job.id), payload: { id: job.id } });
      });
      finished = true;
    },
  };
  try {
    if (!handler) throw new JobError('UNKNOWN_JOB_TYPE', `no handler for job type ${job.jobType}`, false);
    await withTimeout(handler.run(run), JOB_TIMEOUT_MS[job.jobType] ?? 300_000, job);
    if (!finished) await run.finish(async () => null);
    return 'SUCCEEDED';
  } catch (error) {
    if (error instanceof LostClaimError) {
      env.logger.warn({ jobId: job.id }, 'job claim lost (reaped or cancelled while running); its effect was rolled back');
      return 'LOST';
    }
    const jobError = asJobError(error);
    const outcome = await recordFailure(env, handler, job, jobError).catch((recordError: unknown) => {
      env.logger.error({ err: recordError, jobId: job.id }, 'could not record a job failure; the reaper will retry it');
      return { status: 'LOST' } as FailureOutcome;
    });
    env.logger[outcome.status === 'FAILED' ? 'warn' : 'info']({ jobId: job.id, jobType: job.jobType, code: jobError.code, outcome: outcome.status }, jobError.message);
    return outcome.status === 'PENDING' ? 'RETRY' : outcome.status;
  }
}

/** One failed attempt, in its own transaction with the handler's final-failure events. */
export async function recordFailure(env: JobEnv, handler: JobHandler | undefined, job: ClaimedJob, error: JobError): Promise<FailureOutcome> {
  return inTransaction(env.db.prisma, job, env.live, async (tx, emit) => {
    const now = env.clock();
    const outcome = await failJob(tx, job, { code: error.code, message: error.message, retryable: error.retryable, stack: error.stack }, now, env.random);
    if (outcome.status === 'FAILED' && handler?.onFinalFailure) await handler.onFinalFailure(tx, job, error, emit, now);
    if (outcome.status !== 'LOST') emit({ topic: jobTopic(job.id), payload: { id: job.id } });
    return outcome;
  });
}

