/**
 * User actions on recommendations (docs/domain-rules.md §5.4): mark viewed, accept, reject, snooze. The rules
 * live in src/domain/recommendation-lifecycle.ts; this file persists a plan: lock the row
 * (SELECT … FOR UPDATE), plan from the locked state, update the row and append its
 * recommendation_events row, all in one transaction (runMutation), throwing typed errors.
 *
 * Lock order: the listing (only for an accept that creates a publish job), then the recommendation.
 * Nothing locks a recommendation before a listing, so these never deadlock with BOM or publish writes.
 *
 * A user action on a PENDING rec whose expires_at has passed persists the expiry (status EXPIRED +
 * EXPIRED event) and then returns InvalidTransitionError(currentStatus: EXPIRED); a due snooze is
 * woken (no event) before the action is applied. The system transitions (expire, supersede,
 * unsnooze, sweep) are in recommendation-transitions.ts.
 */
import type { Context } from '../context.js';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../domain/errors.js';
import { Decimal } from '../domain/money.js';
import { actionTypeOf, isPublishable, planTransition, type LifecycleAction } from '../domain/recommendation-lifecycle.js';
import type { Job, ListingEvent, Recommendation, RecommendationEvent } from '../generated/prisma/client.js';
import { afterCommit } from './core/after-commit.js';
import { decodeId } from './global-id.js';
import { publishDedupErrors } from './core/job-enqueueing.js';
import { lockRows } from './core/row-locks.js';
import { runMutation, type Tx } from './core/run-mutation.js';
import { draftPriceChange, draftStockChange } from './pricing.js';
import { applyPlan } from './recommendation-transitions.js';

export interface RecommendationActionArgs {
  recommendationId: string;
  reason?: string | null;
  until?: Date | null;
  idempotencyKey?: string | null;
}

export interface RecommendationMutationRef {
  [key: string]: unknown;
  recommendationId: number;
  eventId: number | null;
  jobId: number | null;
  listingEventId: number | null;
  /** Set when the call persisted a due expiry and must report InvalidTransitionError. */
  invalid?: { currentStatus: string; attemptedAction: string } | null;
}

export interface RecommendationMutationPayload {
  recommendation: Recommendation;
  event: RecommendationEvent | null;
  job: Job | null;
  listingEvent: ListingEvent | null;
  replayed: boolean;
}

const MUTATION_NAMES: Record<'VIEW' | 'ACCEPT' | 'REJECT' | 'SNOOZE', string> = {
  VIEW: 'markRecommendationViewed',
  ACCEPT: 'acceptRecommendation',
  REJECT: 'rejectRecommendation',
  SNOOZE: 'snoozeRecommendation',
};

// ── Shared steps ───────────────────────────────────────────────────────────────────────────────

async function lockRecommendation(tx: Tx, id: number, shownId: string): Promise<Recommendation> {
  const found = await lockRows(tx, 'recommendations', [id]);
  if (found.length === 0) throw new NotFoundError('Recommendation', shownId);
  return (await tx.recommendation.findUnique({ where: { id } }))!;
}

/** Persists a due expiry (rec.status still PENDING/SNOOZED but past its time) and returns its event. */
async function persistDueExpiry(tx: Tx, rec: Recommendation, now: Date): Promise<RecommendationEvent | null> {
  const plan = planTransition(rec, 'EXPIRE', { now });
  if (!plan.ok) return null;
  return (await applyPlan(tx, rec, plan, { now, createdBy: 'system' })).event;
}

function payloadNumber(payload: unknown, key: string, field: string): string {
  const value = payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) return String(value);
  throw new ValidationError(field, `the recommendation's action payload has no ${key}`);
}

/**
 * Accept of a publishable rec (§5.4): the same guarded manual-publish step as publishPriceChange /
 * publishStockChange (guardrails re-run on the state read now, previous value read now), with the
 * recommendation's id in the job input. Returns the job and its DRAFTED listing event.
 */
async function acceptPublishable(
  tx: Tx,
  rec: Recommendation,
  args: { now: Date; reason: string | null; actor: string },
): Promise<{ jobId: number; jobType: 'PUBLISH_PRICE_CHANGE' | 'PUBLISH_STOCK_CHANGE'; listingEventId: number }> {
  const actionType = actionTypeOf(rec.actionPayloadJson)!;
  if (rec.entityType !== 'LISTING') throw new ValidationError('recommendationId', `a ${actionType} recommendation must be about a listing`);
  const request = {
    listingId: rec.entityId,
    reason: args.reason ?? `Accepted recommendation ${rec.id}`,
    recommendationId: rec.id,
    now: args.now,
    actor: args.actor,
  };
  const payload = rec.actionPayloadJson;
  if (actionType === 'CHANGE_PRICE') {
    const priceIncVat = new Decimal(payloadNumber(payload, 'suggested_price_inc_vat', 'recommendationId'));
    const drafted = await draftPriceChange(tx, { ...request, priceIncVat });
    return { jobId: drafted.jobId, jobType: 'PUBLISH_PRICE_CHANGE', listingEventId: drafted.listingEventId };
  }
  const availableQuantity = Number(payloadNumber(payload, 'suggested_quantity', 'recommendationId'));
  const drafted = await draftStockChange(tx, { ...request, availableQuantity });
  return { jobId: drafted.jobId, jobType: 'PUBLISH_STOCK_CHANGE', listingEventId: drafted.listingEventId };
}

// ── User actions ───────────────────────────────────────────────────────────────────────────────

async function runUserAction(ctx: Context, action: 'VIEW' | 'ACCEPT' | 'REJECT' | 'SNOOZE', args: RecommendationActionArgs): Promise<RecommendationMutationPayload> {
  const recId = decodeId(args.recommendationId, 'Recommendation', 'recommendationId');
  const name = MUTATION_NAMES[action];
  // Only accept can create a publish job; its listing must be known to name the job in a dedup error.
  let dedupListingId: number | null = null;
  let dedupKind: 'PRICE' | 'STOCK' = 'PRICE';
  const run = await runMutation(
    ctx,
    {
      name,
      idempotencyKey: args.idempotencyKey,
      input: { ...args, action },
      get constraintErrors() {
        return dedupListingId ? publishDedupErrors(dedupKind, dedupListingId) : {};
      },
    },
    async (tx, m) => {
      if (action === 'ACCEPT') {
        // Lock order: listing before recommendation (a publish job will be created for it).
        const peek = await tx.recommendation.findUnique({ where: { id: recId }, select: { entityType: true, entityId: true, actionPayloadJson: true } });
        if (!peek) throw new NotFoundError('Recommendation', args.recommendationId);
        if (peek.entityType === 'LISTING' && isPublishable(peek.actionPayloadJson)) {
          await lockRows(tx, 'listings', [peek.entityId]);
          dedupListingId = peek.entityId;
          dedupKind = actionTypeOf(peek.actionPayloadJson) === 'CHANGE_STOCK' ? 'STOCK' : 'PRICE';
        }
      }
      const rec = await lockRecommendation(tx, recId, args.recommendationId);
      const plan = planTransition(rec, action, { now: m.now, reason: args.reason ?? null, snoozedUntil: args.until ?? null });
      if (!plan.ok) {
        if (plan.kind === 'VALIDATION') throw new ValidationError(plan.field === 'snoozedUntil' ? 'until' : plan.field, plan.message);
        if (plan.expiryDue) {
          // The rec is past expires_at: record the expiry, then report the refused action.
          const event = await persistDueExpiry(tx, rec, m.now);
          await m.checkpoint('after-first-write');
          return {
            recommendationId: rec.id,
            eventId: event?.id ?? null,
            jobId: null,
            listingEventId: null,
            invalid: { currentStatus: 'EXPIRED', attemptedAction: action },
          } satisfies RecommendationMutationRef;
        }
        throw new InvalidTransitionError(plan.currentStatus, action);
      }

      if (action === 'VIEW') {
        // §5.4 "first view": without per-user identity, only the first VIEWED event is recorded.
        const seen = await tx.recommendationEvent.findFirst({ where: { recommendationId: rec.id, eventType: 'VIEWED' }, select: { id: true } });
        if (seen) return { recommendationId: rec.id, eventId: seen.id, jobId: null, listingEventId: null } satisfies RecommendationMutationRef;
      }

      let job: Awaited<ReturnType<typeof acceptPublishable>> | null = null;
      let details: Record<string, unknown> | null = null;
      if (action === 'ACCEPT') {
        const actionType = actionTypeOf(rec.actionPayloadJson);
        if (isPublishable(rec.actionPayloadJson)) {
          job = await acceptPublishable(tx, rec, { now: m.now, reason: plan.eventReason, actor: m.actor });
          await m.checkpoint('after-first-write');
        }
        details = { job_type: job?.jobType ?? null, job_id: job?.jobId ?? null, action: actionType };
      }
      const { event } = await applyPlan(tx, rec, plan, {
        now: m.now,
        createdBy: m.actor,
        jobId: job?.jobId ?? null,
        details,
        recChanges: job ? { acceptedJob: { connect: { id: job.jobId } } } : undefined,
      });
      if (!job) await m.checkpoint('after-first-write');
      return { recommendationId: rec.id, eventId: event?.id ?? null, jobId: job?.jobId ?? null, listingEventId: job?.listingEventId ?? null } satisfies RecommendationMutationRef;
    },
  );
  const ref = run.result;
  if (ref.invalid) throw new InvalidTransitionError(ref.invalid.currentStatus, ref.invalid.attemptedAction);
  return afterCommit(run, () => loadRecommendationPayload(ctx, ref, run.replayed));
}

export const markRecommendationViewed = (ctx: Context, args: RecommendationActionArgs) => runUserAction(ctx, 'VIEW', args);
export const acceptRecommendation = (ctx: Context, args: RecommendationActionArgs) => runUserAction(ctx, 'ACCEPT', args);
export const rejectRecommendation = (ctx: Context, args: RecommendationActionArgs) => runUserAction(ctx, 'REJECT', args);
export const snoozeRecommendation = (ctx: Context, args: RecommendationActionArgs) => runUserAction(ctx, 'SNOOZE', args);

async function loadRecommendationPayload(ctx: Context, ref: RecommendationMutationRef, replayed: boolean): Promise<RecommendationMutationPayload> {
  const recommendation = await ctx.prisma.recommendation.findUnique({ where: { id: ref.recommendationId } });
  if (!recommendation) throw new NotFoundError('Recommendation', String(ref.recommendationId), 'the recommendation of this result no longer exists');
  return {
    recommendation,
    event: ref.eventId ? await ctx.prisma.recommendationEvent.findUnique({ where: { id: ref.eventId } }) : null,
    job: ref.jobId ? await ctx.prisma.job.findUnique({ where: { id: ref.jobId } }) : null,
    listingEvent: ref.listingEventId ? await ctx.prisma.listingEvent.findUnique({ where: { id: ref.listingEventId } }) : null,
    replayed,
  };
}

