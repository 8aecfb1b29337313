/**
 * PUBLISH_PRICE_CHANGE / PUBLISH_STOCK_CHANGE (docs/domain-rules.md §6.2, §7, §5.4). An attempt: guardrails
 * re-checked on the state read now (failure → non-retryable), *_PUBLISHED (+ ACTION_STARTED once
 * per job) committed, the marketplace call (`simulate`: nothing), then in the transaction that marks
 * the job SUCCEEDED: listing and current offer updated, *_SUCCEEDED, ACTION_COMPLETED and the
 * features job (priority 3). A final failure writes *_FAILED and ACTION_FAILED.
 */
import { evaluateStockChange } from '../../domain/guardrails.js';
import { Decimal } from '../../domain/money.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { ListingEventType } from '../../generated/prisma/enums.js';
import { loadPricingState, type PricingState } from '../../resolvers/read/pricing-state.js';
import { priceGuardrails } from '../../resolvers/pricing.js';
import { recordListingEvent } from '../../resolvers/core/audit-events.js';
import { enqueueFollowUpJob } from '../../resolvers/core/job-enqueueing.js';
import { lockRows } from '../../resolvers/core/row-locks.js';
import type { Tx } from '../../resolvers/core/run-mutation.js';
import type { MarketplaceListingRef } from '../adapters.js';
import { listingTopic, recommendationTopic } from '../live-updates.js';
import { type ClaimedJob, JobError } from '../queue.js';
import type { Emit, JobHandler, JobRun } from '../runner.js';

type Kind = 'PRICE' | 'STOCK';

interface Spec {
  field: 'price_inc_vat' | 'available_quantity';
  previousField: 'previous_price_inc_vat' | 'previous_quantity';
  events: { published: 'PRICE_CHANGE_PUBLISHED' | 'STOCK_CHANGE_PUBLISHED'; succeeded: 'PRICE_CHANGE_SUCCEEDED' | 'STOCK_CHANGE_SUCCEEDED'; failed: 'PRICE_CHANGE_FAILED' | 'STOCK_CHANGE_FAILED' };
}

const SPECS: Record<Kind, Spec> = {
  PRICE: { field: 'price_inc_vat', previousField: 'previous_price_inc_vat', events: { published: 'PRICE_CHANGE_PUBLISHED', succeeded: 'PRICE_CHANGE_SUCCEEDED', failed: 'PRICE_CHANGE_FAILED' } },
  STOCK: { field: 'available_quantity', previousField: 'previous_quantity', events: { published: 'STOCK_CHANGE_PUBLISHED', succeeded: 'STOCK_CHANGE_SUCCEEDED', failed: 'STOCK_CHANGE_FAILED' } },
};

interface Target {
  listingId: number;
  value: string | number;
  previous: string | number | null;
  reason: string | null;
  correlationId: string | null;
  recommendationId: number | null;
}

function targetOf(job: ClaimedJob, kind: Kind): Target {
  const spec = SPECS[kind];
  const raw = job.input[spec.field];
  if (job.listingId === null) throw new JobError('INVALID_INPUT', `${job.jobType} needs a listing`, false);
  let value: string | number;
  if (kind === 'PRICE') {
    if (typeof raw !== 'string' && typeof raw !== 'number') throw new JobError('INVALID_INPUT', 'input.price_inc_vat is missing', false);
    value = new Decimal(String(raw)).toFixed(2);
  } else {
    if (typeof raw !== 'number' || !Number.isInteger(raw)) throw new JobError('INVALID_INPUT', 'input.available_quantity must be a whole number', false);
    value = raw;
  }
  const previous = job.input[spec.previousField];
  const recId = job.input.recommendation_id;
  return {
    listingId: job.listingId,
    value,
    previous: typeof previous === 'string' || typeof previous === 'number' ? previous : null,
    reason: typeof job.input.reason === 'string' ? job.input.reason : null,
    correlationId: typeof job.input.correlation_id === 'string' ? job.input.correlation_id : null,
    recommendationId: typeof recId === 'number' ? recId : null,
  };
}

/** §3.1 / §3.2 at execution time: a BLOCK failure is final. */
function recheckGuardrails(kind: Kind, state: PricingState, target: Target): void {
  const result =
    kind === 'PRICE'
      ? priceGuardrails(state, new Decimal(String(target.value)))
      : evaluateStockChange({ currentQuantity: state.currentQuantity, newQuantity: Number(target.value) }, state.settings);
  if (!result.passed) {
    const rules = result.violations.filter((v) => v.severity === 'BLOCK').map((v) => `${v.rule} (${v.message})`);
    throw new JobError('GUARDRAIL_VIOLATION', `guardrails failed at execution: ${rules.join('; ')}`, false);
  }
}

async function recommendationEvent(
  tx: Tx,
  emit: Emit,
  target: Target,
  job: ClaimedJob,
  eventType: 'ACTION_STARTED' | 'ACTION_COMPLETED' | 'ACTION_FAILED',
  now: Date,
  details?: Record<string, unknown>,
): Promise<void> {
  if (!target.recommendationId) return;
  const rec = await tx.recommendation.findUnique({ where: { id: target.recommendationId }, select: { entityType: true, entityId: true } });
  if (!rec) return;
  if (eventType === 'ACTION_STARTED') {
    const seen = await tx.recommendationEvent.findFirst({ where: { recommendationId: target.recommendationId, jobId: job.id, eventType }, select: { id: true } });
    if (seen) return;
  }
  const event = await tx.recommendationEvent.create({
    data: { recommendationId: target.recommendationId, eventType, jobId: job.id, createdBy: 'worker', createdAt: now, detailsJson: (details ?? { job_type: job.jobType }) as Prisma.InputJsonObject },
  });
  emit({ topic: recommendationTopic(rec.entityType, rec.entityId), payload: { id: event.id } });
}

async function listingEvent(tx: Tx, emit: Emit, target: Target, job: ClaimedJob, eventType: ListingEventType, after: Record<string, unknown>, now: Date, field: string) {
  const event = await recordListingEvent(tx, {
    listingId: target.listingId,
    eventType,
    jobId: job.id,
    before: { [field]: target.previous },
    after: after as Prisma.InputJsonObject,
    reason: target.reason,
    correlationId: target.correlationId,
    createdBy: 'worker',
    now,
  });
  emit({ topic: listingTopic(target.listingId), payload: { id: event.id } });
}

async function applyChange(tx: Tx, kind: Kind, target: Target, now: Date): Promise<void> {
  const change = kind === 'PRICE' ? { priceIncVat: String(target.value) } : { availableQuantity: Number(target.value) };
  await tx.listing.update({ where: { id: target.listingId }, data: { ...change, updatedAt: now } });
  await tx.listingOfferCurrent.upsert({
    where: { listingId: target.listingId },
    create: { listingId: target.listingId, ...change, observedAt: now, createdAt: now, updatedAt: now },
    update: { ...change, updatedAt: now },
  });
}

function publishHandler(kind: Kind): JobHandler {
  const spec = SPECS[kind];
  return {
    async run(run: JobRun) {
      const { job, now, env } = run;
      const target = targetOf(job, kind);
      if (!env.publishEnabled) throw new JobError('PUBLISH_DISABLED', 'publishing is disabled (PUBLISH_ENABLED=false)', false);
      const ref = await run.transaction(async (tx, emit) => {
        if ((await lockRows(tx, 'listings', [target.listingId])).length === 0) throw new JobError('NOT_FOUND', `listing ${target.listingId} does not exist`, false);
        const state = (await loadPricingState(tx, target.listingId, now))!;
        if (state.listing.status === 'archived') throw new JobError('LISTING_ARCHIVED', 'the listing was archived', false);
        if (kind === 'STOCK' && (state.listing.fulfillmentChannel ?? '').toUpperCase() === 'FBA') {
          throw new JobError('FBA_STOCK', 'Amazon manages the stock of an FBA listing: a quantity cannot be published', false);
        }
        recheckGuardrails(kind, state, target);
        await listingEvent(tx, emit, target, job, spec.events.published, { [spec.field]: target.value, write_mode: env.marketplace.mode }, now, spec.field);
        await recommendationEvent(tx, emit, target, job, 'ACTION_STARTED', now);
        const listing = state.listing;
        return { listingId: listing.id, sellerSku: listing.sellerSku, asin: listing.asin, marketplaceCode: null } satisfies MarketplaceListingRef;
      });
      if (kind === 'PRICE') await env.marketplace.publishPrice(ref, String(target.value));
      else await env.marketplace.publishQuantity(ref, Number(target.value));
      await run.finish(async (tx, emit) => {
        await lockRows(tx, 'listings', [target.listingId]);
        await applyChange(tx, kind, target, now);
        await listingEvent(tx, emit, target, job, spec.events.succeeded, { [spec.field]: target.value }, now, spec.field);
        await recommendationEvent(tx, emit, target, job, 'ACTION_COMPLETED', now);
        const follow = await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId: target.listingId, priority: 3, createdBy: 'worker', now });
        return { [spec.field]: target.value, write_mode: env.marketplace.mode, features_job_id: follow.job.id };
      });
    },
    async onFinalFailure(tx, job, error, emit, now) {
      let target: Target;
      try {
        target = targetOf(job, kind);
      } catch {
        return; // unusable input: nothing to attach the failure to
      }
      if ((await lockRows(tx, 'listings', [target.listingId])).length === 0) return;
      await listingEvent(tx, emit, target, job, spec.events.failed, { [spec.field]: target.value, error: error.message }, now, spec.field);
      await recommendationEvent(tx, emit, target, job, 'ACTION_FAILED', now, { job_type: job.jobType, error: error.message });
    },
  };
}

export const publishPriceHandler = publishHandler('PRICE');
export const publishStockHandler = publishHandler('STOCK');
