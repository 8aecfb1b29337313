/** The jobs a mutation queues: follow-up recomputations and the manual publish of a price or stock change. */
import { randomUUID } from 'node:crypto';
import { DuplicateJobError } from '../../domain/errors.js';
import type { Job, ListingEvent, Prisma } from '../../generated/prisma/client.js';
import type { JobType } from '../../generated/prisma/enums.js';
import { recordListingEvent } from './audit-events.js';
import type { ConstraintErrors } from './database-errors.js';
import type { Tx } from './idempotency.js';

/**
 * Follow-up jobs (docs/domain-rules.md §6.3): enqueue unless an identical PENDING one exists (same type and
 * listing / asin entity). Call it while holding the parent row lock so two callers cannot both insert.
 */
export async function enqueueFollowUpJob(
  tx: Tx,
  job: {
    jobType: JobType;
    listingId?: number | null;
    asinEntityId?: number | null;
    priority?: number;
    input?: Prisma.InputJsonValue;
    createdBy?: string;
    now: Date;
  },
): Promise<{ job: Job; created: boolean }> {
  const scopeType = job.listingId ? 'LISTING' : job.asinEntityId ? 'ASIN' : 'GLOBAL';
  const existing = await tx.job.findFirst({
    where: {
      jobType: job.jobType,
      status: 'PENDING',
      listingId: job.listingId ?? null,
      asinEntityId: job.listingId ? undefined : (job.asinEntityId ?? null),
    },
    orderBy: { id: 'asc' },
  });
  if (existing) return { job: existing, created: false };
  const created = await tx.job.create({
    data: {
      jobType: job.jobType,
      scopeType,
      listingId: job.listingId ?? null,
      asinEntityId: job.asinEntityId ?? null,
      status: 'PENDING',
      priority: job.priority ?? 3,
      inputJson: job.input ?? (job.listingId ? { listing_id: job.listingId } : { asin_entity_id: job.asinEntityId ?? null }),
      scheduledFor: job.now,
      createdBy: job.createdBy ?? 'system',
      createdAt: job.now,
      updatedAt: job.now,
    },
  });
  return { job: created, created: true };
}

export interface PublishJobRequest {
  kind: 'PRICE' | 'STOCK';
  listingId: number;
  /** New price (decimal string, 2 dp) or new quantity. */
  newValue: string | number;
  /** Previous price / quantity, read now by the caller. */
  previousValue: string | number | null;
  reason?: string | null;
  correlationId?: string | null;
  recommendationId?: number | null;
  createdBy?: string;
  now: Date;
  /** The mutation's failure-injection point (MutationTools.checkpoint), run right after the job insert. */
  checkpoint?: (label: string) => Promise<void>;
}

/**
 * The manual-publish service (docs/domain-rules.md §6.2, §7): a PUBLISH_PRICE_CHANGE / PUBLISH_STOCK_CHANGE job
 * (priority 7, input with previous value, reason, correlation_id, listing_event_id and
 * recommendation_id) plus its *_CHANGE_DRAFTED listing event, both on `tx`. Guardrails are the
 * caller's job. A PENDING/RUNNING publish job of the type for the listing → DuplicateJobError
 * (checked here; a race is caught by jobs_publish_dedup_unique, which runMutation maps too — pass
 * `constraintErrors: publishDedupErrors(kind, listingId)` to name the type and listing there).
 */
export async function createPublishJob(tx: Tx, request: PublishJobRequest): Promise<{ job: Job; event: ListingEvent }> {
  const jobType: JobType = request.kind === 'PRICE' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  const existing = await tx.job.findFirst({
    where: { listingId: request.listingId, jobType, status: { in: ['PENDING', 'RUNNING'] } },
    select: { id: true },
  });
  if (existing) throw new DuplicateJobError(jobType, request.listingId, existing.id);

  const correlationId = request.correlationId ?? randomUUID();
  const field = request.kind === 'PRICE' ? 'price_inc_vat' : 'available_quantity';
  const previousField = request.kind === 'PRICE' ? 'previous_price_inc_vat' : 'previous_quantity';
  const baseInput: Record<string, Prisma.InputJsonValue | null> = {
    [field]: request.newValue,
    [previousField]: request.previousValue,
    reason: request.reason ?? null,
    correlation_id: correlationId,
  };
  if (request.recommendationId) baseInput.recommendation_id = request.recommendationId;

  const job = await tx.job.create({
    data: {
      jobType,
      scopeType: 'LISTING',
      listingId: request.listingId,
      status: 'PENDING',
      priority: 7,
      inputJson: baseInput as Prisma.InputJsonObject,
      scheduledFor: request.now,
      createdBy: request.createdBy ?? 'user',
      createdAt: request.now,
      updatedAt: request.now,
    },
  });
  await request.checkpoint?.('after-first-write');
  const event = await recordListingEvent(tx, {
    listingId: request.listingId,
    eventType: request.kind === 'PRICE' ? 'PRICE_CHANGE_DRAFTED' : 'STOCK_CHANGE_DRAFTED',
    jobId: job.id,
    before: { [field]: request.previousValue },
    after: { [field]: request.newValue },
    reason: request.reason ?? null,
    correlationId,
    createdBy: request.createdBy ?? 'user',
    now: request.now,
  });
  const updated = await tx.job.update({
    where: { id: job.id },
    data: { inputJson: { ...baseInput, listing_event_id: event.id } as Prisma.InputJsonObject },
  });
  return { job: updated, event };
}

/** constraintErrors for runMutation: names the job type and listing in DuplicateJobError. */
export function publishDedupErrors(kind: 'PRICE' | 'STOCK', listingId: number): ConstraintErrors {
  const jobType = kind === 'PRICE' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  return { jobs_publish_dedup_unique: () => new DuplicateJobError(jobType, listingId) };
}
