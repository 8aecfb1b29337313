/**
 * The jobs table as a queue (DOMAIN.md §6.1): claim in one statement with FOR UPDATE SKIP LOCKED,
 * guarded terminal updates, retry with backoff and jitter, and the reaper for stuck RUNNING jobs.
 *
 * `jobs` timestamps are `timestamp` (UTC, no zone): instants travel as ISO strings cast to
 * `::timestamp`, which drops the trailing "Z" and keeps the UTC wall time, as Prisma does.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
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

type Queryable = Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

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

const RETURNING = `RETURNING id, job_type::text AS job_type, scope_type::text AS scope_type, listing_id, asin_entity_id, attempts, max_attempts, priority, input_json`;

/**
 * Claims the next due job (PENDING, scheduled_for ≤ now, attempts < max_attempts; priority DESC then
 * scheduled_for ASC) in one statement: concurrent workers skip each other's locked rows.
 */
export async function claimNextJob(db: Queryable, now: Date, types?: readonly JobType[]): Promise<ClaimedJob | null> {
  const typeFilter = types?.length ? `AND job_type::text = ANY($2::text[])` : '';
  const rows = await db.$queryRawUnsafe<JobRow[]>(
    `UPDATE jobs SET status = 'RUNNING', attempts = COALESCE(attempts, 0) + 1, started_at = $1::timestamp,
              finished_at = NULL, updated_at = $1::timestamp
       WHERE id = (
         SELECT id FROM jobs
         WHERE status = 'PENDING' AND COALESCE(scheduled_for, '-infinity'::timestamp) <= $1::timestamp
           AND COALESCE(attempts, 0) < COALESCE(max_attempts, 5) ${typeFilter}
         ORDER BY priority DESC, scheduled_for ASC, id ASC
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
       ${RETURNING}`,
    iso(now),
    ...(types?.length ? [[...types]] : []),
  );
  return rows[0] ? toClaimed(rows[0]) : null;
}

/** SUCCEEDED, on the handler's own transaction; LostClaimError (→ rollback) when the claim is gone. */
export async function completeJob(tx: Queryable, job: ClaimedJob, result: unknown, now: Date): Promise<void> {
  const updated = await tx.$executeRawUnsafe(
    `UPDATE jobs SET status = 'SUCCEEDED', result_json = $3::jsonb, error_message = NULL, finished_at = $4::timestamp, updated_at = $4::timestamp
     WHERE id = $1 AND status = 'RUNNING' AND attempts = $2`,
    job.id,
    job.attempts,
    JSON.stringify(result ?? null),
    iso(now),
  );
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
  const updated = await tx.$executeRawUnsafe(
    `UPDATE jobs SET status = $3::job_status, error_message = $4, log_json = COALESCE(log_json, '[]'::jsonb) || jsonb_build_array($5::jsonb),
            scheduled_for = CASE WHEN $3 = 'PENDING' THEN $6::timestamp ELSE scheduled_for END,
            finished_at = CASE WHEN $3 = 'FAILED' THEN $7::timestamp ELSE NULL END, updated_at = $7::timestamp
     WHERE id = $1 AND status = 'RUNNING' AND attempts = $2`,
    job.id,
    job.attempts,
    retry ? 'PENDING' : 'FAILED',
    error.message.slice(0, 2000),
    JSON.stringify(entry),
    iso(retryAt),
    iso(now),
  );
  if (updated !== 1) return { status: 'LOST' };
  return retry ? { status: 'PENDING', retryAt } : { status: 'FAILED' };
}

/**
 * RUNNING jobs started more than 2 × their type's timeout ago (their worker died or hung). The
 * caller fails each as an attempt (JOB_TIMEOUT) with failJob, whose guard lets one reaper win.
 */
export async function findStuckJobs(tx: Queryable, now: Date, limit = 100): Promise<ClaimedJob[]> {
  const cases = Object.entries(JOB_TIMEOUT_MS)
    .map(([type, ms]) => `WHEN '${type}' THEN ${(2 * ms) / 1000}`)
    .join(' ');
  const rows = await tx.$queryRawUnsafe<JobRow[]>(
    `SELECT id, job_type::text AS job_type, scope_type::text AS scope_type, listing_id, asin_entity_id, attempts, max_attempts, priority, input_json
     FROM jobs
     WHERE status = 'RUNNING'
       AND started_at < $1::timestamp - make_interval(secs => CASE job_type::text ${cases} ELSE 600 END)
     ORDER BY id LIMIT $2`,
    iso(now),
    limit,
  );
  return rows.map(toClaimed);
}

/** PENDING rows that can never be claimed again (attempts already at the limit) become FAILED. */
export async function failExhaustedJobs(tx: Queryable, now: Date): Promise<number> {
  return tx.$executeRawUnsafe(
    `UPDATE jobs SET status = 'FAILED', finished_at = $1::timestamp, updated_at = $1::timestamp,
            error_message = COALESCE(error_message, 'attempts exhausted')
     WHERE status = 'PENDING' AND COALESCE(attempts, 0) >= COALESCE(max_attempts, 5)`,
    iso(now),
  );
}

/** The earliest scheduled_for among PENDING jobs that may still run, for the idle sleep. */
export async function nextDueAt(db: Queryable): Promise<Date | null> {
  const rows = await db.$queryRawUnsafe<Array<{ at: Date | null }>>(
    `SELECT min(scheduled_for) AS at FROM jobs WHERE status = 'PENDING' AND COALESCE(attempts, 0) < COALESCE(max_attempts, 5)`,
  );
  return rows[0]?.at ? new Date(rows[0].at) : null;
}

