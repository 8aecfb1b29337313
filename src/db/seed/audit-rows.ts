/** Job, listing-event and recommendation-event rows, and the GLOBAL jobs of every status. */
import { type Ctx } from './context.js';
import { Rng } from './random.js';
import { DAY, HOUR, MIN, ts } from './units.js';

export function addJob(
  ctx: Ctx,
  j: {
    type: string; scope?: 'LISTING' | 'ASIN' | 'GLOBAL'; listingId?: number | null; asinEntityId?: number | null;
    status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; priority?: number; createdAt: number;
    input?: unknown; result?: unknown; error?: string; createdBy?: string; maxAttempts?: number; attempts?: number;
    durationMs?: number; scheduledFor?: number;
  },
): number {
  const id = ctx.ids.take('jobs');
  const max = j.maxAttempts ?? 5;
  const created = j.createdAt;
  const scheduled = j.scheduledFor ?? created;
  const started = scheduled + 2_000;
  const finished = started + (j.durationMs ?? 1_500);
  let attempts = j.attempts ?? 1;
  let startedAt: number | null = started;
  let finishedAt: number | null = finished;
  let log: unknown[] = [];
  let result: unknown = null;
  let error: string | null = null;
  switch (j.status) {
    case 'PENDING':
      attempts = Math.min(j.attempts ?? 0, max - 1);
      startedAt = attempts > 0 ? started : null;
      finishedAt = null;
      if (attempts > 0) {
        error = j.error ?? 'ETIMEDOUT: upstream did not answer';
        log = [{ error, code: 'NETWORK', timestamp: new Date(started + 5_000).toISOString() }];
      }
      break;
    case 'RUNNING':
      attempts = Math.max(1, Math.min(attempts, max));
      finishedAt = null;
      break;
    case 'SUCCEEDED':
      attempts = Math.max(1, Math.min(attempts, max));
      result = j.result ?? { ok: true };
      break;
    case 'FAILED':
      attempts = j.attempts ?? max;
      error = j.error ?? 'Marketplace rejected the request (HTTP 400)';
      log = Array.from({ length: attempts }, (_, k) => ({
        error, code: 'MARKETPLACE_ERROR', timestamp: new Date(started + k * 60_000).toISOString(),
      }));
      break;
    case 'CANCELLED':
      attempts = 0;
      startedAt = null;
      finishedAt = scheduled + 10 * MIN;
      break;
  }
  ctx.tables.jobs.push({
    id, job_type: j.type, scope_type: j.scope ?? 'LISTING', listing_id: j.listingId ?? null, asin_entity_id: j.asinEntityId ?? null,
    status: j.status, priority: j.priority ?? 5, attempts, max_attempts: max, input_json: j.input ?? {}, result_json: result,
    log_json: log, error_message: error, scheduled_for: ts(scheduled), started_at: startedAt === null ? null : ts(startedAt),
    finished_at: finishedAt === null ? null : ts(finishedAt), created_by: j.createdBy ?? 'system', created_at: ts(created),
    updated_at: ts(finishedAt ?? startedAt ?? created),
  });
  return id;
}

export function addListingEvent(
  ctx: Ctx,
  e: { listingId: number; type: string; at: number; jobId?: number | null; before?: unknown; after?: unknown; reason?: string; correlationId?: string; by?: string },
): number {
  const id = ctx.ids.take('listing_events');
  ctx.tables.listing_events.push({
    id, listing_id: e.listingId, event_type: e.type, job_id: e.jobId ?? null, before_json: e.before ?? null,
    after_json: e.after ?? null, reason: e.reason ?? null, correlation_id: e.correlationId ?? null, created_by: e.by ?? 'system',
    created_at: ts(e.at),
  });
  return id;
}

export function addRecEvent(
  ctx: Ctx,
  e: { recId: number; type: string; at: number; jobId?: number | null; details?: unknown; reason?: string; by?: string },
): void {
  ctx.tables.recommendation_events.push({
    id: ctx.ids.take('recommendation_events'), recommendation_id: e.recId, event_type: e.type, job_id: e.jobId ?? null,
    details_json: e.details ?? null, reason: e.reason ?? null, created_by: e.by ?? 'system', created_at: ts(e.at),
  });
}

/** GLOBAL jobs in every status, plus a removed job type failing non-retryably. */
export function generateGlobalJobs(ctx: Ctx, rng: Rng): void {
  const { D } = ctx;
  for (let d = 14; d >= 1; d--) {
    for (const hour of [0, 6, 12, 18]) addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'SUCCEEDED', createdAt: D - d * DAY + hour * HOUR, input: { asins: null }, durationMs: rng.int(20_000, 200_000), result: { listings_updated: rng.int(1, 500) } });
  }
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'FAILED', createdAt: D - 3 * DAY + 12 * HOUR + 30 * MIN, input: { asins: null }, error: 'HTTP 503 from Selling Partner API', attempts: 5 });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'RUNNING', createdAt: D - DAY + 23 * HOUR + 55 * MIN, input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'PENDING', createdAt: D - DAY + 23 * HOUR + 56 * MIN, scheduledFor: D + 6 * HOUR, input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'PENDING', createdAt: D - DAY + 23 * HOUR, input: { asins: null }, attempts: 2, error: 'ETIMEDOUT: Selling Partner API' });
  addJob(ctx, { type: 'SYNC_AMAZON_CATALOG', scope: 'GLOBAL', status: 'CANCELLED', createdAt: D - 2 * DAY + 9 * HOUR, createdBy: 'user', input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_SALES', scope: 'GLOBAL', status: 'FAILED', createdAt: D - 30 * DAY + 2 * HOUR, attempts: 1, error: 'SYNC_AMAZON_SALES was removed (needs Brand Analytics); not retried', input: {} });
}

