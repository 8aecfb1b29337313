/**
 * The jobs table as a queue (docs/domain-rules.md §6.1): claim in one statement with FOR UPDATE SKIP LOCKED,
 * guarded terminal updates, retry with backoff and jitter, and the reaper for stuck RUNNING jobs.
 *
 * `jobs` timestamps are `timestamp` (UTC, no zone): instants travel as ISO strings cast to
 * `::timestamp`, which drops the trailing "Z" and keeps the UTC wall time, as Prisma does.
 */
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { JobType } from '../generated/prisma/enums.js';

export interface ClaimedJob {
  id: number;
  jobType: JobType;
  scopeType: 'LISTING' | 'ASIN' | 'GLOBAL';
  listingId: number | null;
  asinEntityId: number | null;
  /** After the claim's +1: 1 on the first run. */
  attempts: number;
  maxAttempts: number;
  priority: number;
  input: Record<string, unknown>;
}

/** A handler's failure: `retryable` failures go back to PENDING until attempts run out (§6.1). */
export class JobError extends Error {
  override name = 'JobError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** The job was reaped (or cancelled) while this worker ran it: its effect must roll back. */
export class LostClaimError extends Error {
  override name = 'LostClaimError';
}

/** REF timeouts per type (§6.1), in ms; 300 s otherwise. */
export const JOB_TIMEOUT_MS: Record<JobType, number> = {
  PUBLISH_PRICE_CHANGE: 60_000,
  PUBLISH_STOCK_CHANGE: 60_000,
  SYNC_KEEPA_ASIN: 120_000,
  COMPUTE_FEATURES_LISTING: 30_000,
  COMPUTE_FEATURES_ASIN: 30_000,
  SYNC_AMAZON_OFFER: 300_000,
  SYNC_AMAZON_SALES: 300_000,
  SYNC_AMAZON_CATALOG: 300_000,
  GENERATE_RECOMMENDATIONS_LISTING: 60_000,
  GENERATE_RECOMMENDATIONS_ASIN: 60_000,
};

const iso = (at: Date) => at.toISOString();

/** `min(3600, 30 × 2^(attempts−1)) s × U[0.5, 1.5)`: nominal 30/60/120/240 s (§6.1). */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.5 + random()) * 1000);
}

type Queryable = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

interface JobRow {
  id: number;
  job_type: JobType;
  scope_type: ClaimedJob['scopeType'];
  listing_id: number | null;
  asin_entity_id: number | null;
  attempts: number;
  max_attempts: number | null;
  priority: number | null;
  input_json: unknown;
}

function toClaimed(row: JobRow): ClaimedJob {
  const input = row.input_json && typeof row.input_json === 'object' && !Array.isArray(row.input_json) ? (row.input_json as Record<string, unknown>) : {};
  return {
    id: Number(row.id),
    jobType: row.job_type,
    scopeType: row.scope_type,
    listingId: row.listing_id === null ? null : Number(row.listing_id),
    asinEntityId: row.asin_entity_id === null ? null : Number(row.asin_entity_id),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts ?? 5),
    priority: Number(row.priority ?? 5),
    input,
  };
}

const JOB_COLUMNS = Prisma.sql`id, job_type::text AS job_type, scope_type::text AS scope_type, listing_id, asin_entity_id, attempts, max_attempts, priority, input_json`;

/**
 * Claims the next due job (PENDING, scheduled_for ≤ now, attempts < max_attempts; priority DESC then
 * scheduled_for ASC) in one statement: concurrent workers skip each other's locked rows.
 */
export async function claimNextJob(db: Queryable, now: Date, types?: readonly JobType[]): Promise<ClaimedJob | null> {
  const at = iso(now);
  const typeFilter = types?.length ? Prisma.sql`AND job_type::text = ANY(${[...types]}::text[])` : Prisma.empty;
  const rows = await db.$queryRaw<JobRow[]>`
    UPDATE jobs SET status = 'RUNNING', attempts = COALESCE(attempts, 0) + 1, started_at = ${at}::timestamp,
           finished_at = NULL, updated_at = ${at}::timestamp
    WHERE id = (
      SELECT id FROM jobs
      WHERE status = 'PENDING' AND COALESCE(scheduled_for, '-infinity'::timestamp) <= ${at}::timestamp
        AND COALESCE(attempts, 0) < COALESCE(max_attempts, 5) ${typeFilter}
      ORDER BY priority DESC, scheduled_for ASC, id ASC
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
    RETURNING ${JOB_COLUMNS}`;
  return rows[0] ? toClaimed(rows[0]) : null;
}

/** SUCCEEDED, on the handler's own transaction; LostClaimError (→ rollback) when the claim is gone. */
export async function completeJob(tx: Queryable, job: ClaimedJob, result: unknown, now: Date): Promise<void> {
  const at = iso(now);
  const updated = await tx.$executeRaw`
    UPDATE jobs SET status = 'SUCCEEDED', result_json = ${JSON.stringify(result ?? null)}::jsonb, error_message = NULL,
           finished_at = ${at}::timestamp, updated_at = ${at}::timestamp
    WHERE id = ${job.id} AND status = 'RUNNING' AND attempts = ${job.attempts}`;
  if (updated !== 1) throw new LostClaimError(`job ${job.id} is no longer RUNNING attempt ${job.attempts}`);
}

export interface LogEntry {
  error: string;
  code: string;
  stack?: string;
  timestamp: string;
  attempt: number;
}

export type FailureOutcome = { status: 'PENDING'; retryAt: Date } | { status: 'FAILED' } | { status: 'LOST' };

/**
 * Records a failed attempt: a log_json entry and error_message; back to PENDING with backoff while
 * the error is retryable and attempts remain, else FAILED. Guarded like completion.
 */
export async function failJob(
  tx: Queryable,
  job: ClaimedJob,
  error: { code: string; message: string; retryable: boolean; stack?: string },
  now: Date,
  random: () => number = Math.random,
): Promise<FailureOutcome> {
  const entry: LogEntry = { error: error.message, code: error.code, timestamp: iso(now), attempt: job.attempts };
  if (error.stack) entry.stack = error.stack;
  const retry = error.retryable && job.attempts < job.maxAttempts;
  const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts, random));
  const at = iso(now);
  // Retried: due again after the backoff, not finished. Failed: finished now, schedule kept.
  const status = retry ? 'PENDING' : 'FAILED';
  const scheduledFor = retry ? Prisma.sql`${iso(retryAt)}::timestamp` : Prisma.sql`scheduled_for`;
  const finishedAt = retry ? Prisma.sql`NULL` : Prisma.sql`${at}::timestamp`;
  const updated = await tx.$executeRaw`
    UPDATE jobs SET status = ${status}::job_status, error_message = ${error.message.slice(0, 2000)},
           log_json = COALESCE(log_json, '[]'::jsonb) || jsonb_build_array(${JSON.stringify(entry)}::jsonb),
           scheduled_for = ${scheduledFor}, finished_at = ${finishedAt}, updated_at = ${at}::timestamp
    WHERE id = ${job.id} AND status = 'RUNNING' AND attempts = ${job.attempts}`;
  if (updated !== 1) return { status: 'LOST' };
  return retry ? { status: 'PENDING', retryAt } : { status: 'FAILED' };
}

/**
 * RUNNING jobs started more than 2 × their type's timeout ago (their worker died or hung). The
 * caller fails each as an attempt (JOB_TIMEOUT) with failJob, whose guard lets one reaper win.
 */
export async function findStuckJobs(tx: Queryable, now: Date, limit = 100): Promise<ClaimedJob[]> {
  // Each type's limit in seconds, as parameters of one CASE.
  const cases = Prisma.join(
    Object.entries(JOB_TIMEOUT_MS).map(([type, ms]) => Prisma.sql`WHEN ${type} THEN ${(2 * ms) / 1000}::double precision`),
    ' ',
  );
  const rows = await tx.$queryRaw<JobRow[]>`
    SELECT ${JOB_COLUMNS}
    FROM jobs
    WHERE status = 'RUNNING'
      AND started_at < ${iso(now)}::timestamp - make_interval(secs => CASE job_type::text ${cases} ELSE 600 END)
    ORDER BY id LIMIT ${limit}`;
  return rows.map(toClaimed);
}

/** PENDING rows that can never be claimed again (attempts already at the limit) become FAILED. */
export async function failExhaustedJobs(tx: Queryable, now: Date): Promise<number> {
  const at = iso(now);
  return tx.$executeRaw`
    UPDATE jobs SET status = 'FAILED', finished_at = ${at}::timestamp, updated_at = ${at}::timestamp,
           error_message = COALESCE(error_message, 'attempts exhausted')
    WHERE status = 'PENDING' AND COALESCE(attempts, 0) >= COALESCE(max_attempts, 5)`;
}

