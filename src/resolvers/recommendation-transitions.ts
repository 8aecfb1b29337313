/**
 * System transitions of recommendations (docs/domain-rules.md §5.4): expire, supersede, unsnooze, and the sweep
 * of due expiries and snoozes. They take the caller's transaction client — the job worker calls
 * them inside its own transaction — and return `{applied: false, currentStatus}` instead of
 * throwing when the state no longer allows them (a user acted first). applyPlan, the one way a
 * planned transition is persisted, is shared with the user actions (recommendation-actions.ts).
 */
import { dueSystemAction, planTransition, type LifecycleAction, type TransitionPlan } from '../domain/recommendation-lifecycle.js';
import { ValidationError } from '../domain/errors.js';
import type { Prisma, Recommendation, RecommendationEvent } from '../generated/prisma/client.js';
import type { RecommendationEventType } from '../generated/prisma/enums.js';
import { recommendationTopic } from '../jobs/live-updates.js';
import { lockFreeRows, lockRows } from './core/row-locks.js';
import { dueTransitionWhere } from './read/recommendation-status.js';
import { queueLiveUpdate, runMutation, type MutationContext, type Tx } from './core/run-mutation.js';

/** Applies a plan: row update + its event (if the transition has one). */
export async function applyPlan(
  tx: Tx,
  rec: Recommendation,
  plan: TransitionPlan,
  extra: { now: Date; createdBy: string; jobId?: number | null; details?: Record<string, unknown> | null; recChanges?: Prisma.RecommendationUpdateInput },
): Promise<{ rec: Recommendation; event: RecommendationEvent | null }> {
  const changes = plan.changes;
  const updated = await tx.recommendation.update({
    where: { id: rec.id },
    data: {
      ...(changes.status ? { status: changes.status } : {}),
      ...(changes.acceptedAt ? { acceptedAt: changes.acceptedAt } : {}),
      ...(changes.rejectedAt ? { rejectedAt: changes.rejectedAt } : {}),
      ...(changes.snoozedUntil ? { snoozedUntil: changes.snoozedUntil } : {}),
      ...(changes.expiresAt ? { expiresAt: changes.expiresAt } : {}),
      ...extra.recChanges,
      updatedAt: extra.now,
    },
  });
  if (!plan.eventType) return { rec: updated, event: null };
  const details = { ...(plan.eventDetails ?? {}), ...(extra.details ?? {}) };
  const event = await tx.recommendationEvent.create({
    data: {
      recommendationId: rec.id,
      eventType: plan.eventType as RecommendationEventType,
      jobId: extra.jobId ?? null,
      detailsJson: Object.keys(details).length > 0 ? (details as Prisma.InputJsonObject) : undefined,
      reason: plan.eventReason,
      createdBy: extra.createdBy,
      createdAt: extra.now,
    },
  });
  queueLiveUpdate({ topic: recommendationTopic(rec.entityType, rec.entityId), payload: { id: event.id } });
  return { rec: updated, event };
}

export type SystemTransitionOutcome =
  | { applied: true; recommendation: Recommendation; event: RecommendationEvent | null }
  | { applied: false; currentStatus: string; reason: string };

async function applySystemAction(
  tx: Tx,
  recId: number,
  action: Extract<LifecycleAction, 'EXPIRE' | 'SUPERSEDE' | 'UNSNOOZE'>,
  options: { now: Date; jobId?: number | null; details?: Record<string, unknown> | null },
): Promise<SystemTransitionOutcome> {
  const found = await lockRows(tx, 'recommendations', [recId]);
  if (found.length === 0) return { applied: false, currentStatus: 'MISSING', reason: `recommendation ${recId} does not exist` };
  const rec = (await tx.recommendation.findUnique({ where: { id: recId } }))!;
  const plan = planTransition(rec, action, { now: options.now });
  if (!plan.ok) {
    return { applied: false, currentStatus: plan.kind === 'INVALID_TRANSITION' ? plan.currentStatus : rec.status, reason: plan.message };
  }
  const { rec: updated, event } = await applyPlan(tx, rec, plan, {
    now: options.now,
    createdBy: options.jobId ? 'worker' : 'system',
    jobId: options.jobId ?? null,
    details: options.details ?? null,
  });
  return { applied: true, recommendation: updated, event };
}

/** PENDING past expires_at → EXPIRED (+ EXPIRED event). */
export function expireRecommendation(tx: Tx, recId: number, options: { now: Date; jobId?: number | null }): Promise<SystemTransitionOutcome> {
  return applySystemAction(tx, recId, 'EXPIRE', options);
}

/** PENDING → SUPERSEDED (+ SUPERSEDED event, details `{superseded_by_job_id, superseded_by?}`, §5.3). */
export function supersedeRecommendation(
  tx: Tx,
  recId: number,
  options: { now: Date; jobId: number | null; supersededBy?: number | null },
): Promise<SystemTransitionOutcome> {
  const details: Record<string, unknown> = { superseded_by_job_id: options.jobId };
  if (options.supersededBy) details.superseded_by = options.supersededBy;
  return applySystemAction(tx, recId, 'SUPERSEDE', { now: options.now, jobId: options.jobId, details });
}

/** SNOOZED with snoozed_until ≤ now → PENDING (no event: the enum has no UNSNOOZED). */
export function unsnoozeRecommendation(tx: Tx, recId: number, options: { now: Date }): Promise<SystemTransitionOutcome> {
  return applySystemAction(tx, recId, 'UNSNOOZE', options);
}

export interface SweepCounts {
  expired: number;
  unsnoozed: number;
  /** Due rows another transaction held; the next sweep takes them. */
  skippedLocked: number;
}

/**
 * Sweeps due expiries and snoozes (§5.4, §6.2 "every 15 min") in one transaction. Rows locked by a
 * concurrent user action are skipped (FOR UPDATE SKIP LOCKED), not waited for.
 */
export async function sweepDueRecommendations(tx: Tx, options: { now: Date; limit?: number; jobId?: number | null }): Promise<SweepCounts> {
  const limit = Math.max(1, Math.min(options.limit ?? 1000, 10_000));
  const due = await tx.recommendation.findMany({
    where: dueTransitionWhere(options.now),
    orderBy: { id: 'asc' },
    take: limit,
    select: { id: true },
  });
  const counts: SweepCounts = { expired: 0, unsnoozed: 0, skippedLocked: 0 };
  if (due.length === 0) return counts;
  const ids = due.map((row) => row.id);
  const locked = await lockFreeRows(tx, 'recommendations', ids);
  counts.skippedLocked = ids.length - locked.length;
  for (const id of locked) {
    const rec = (await tx.recommendation.findUnique({ where: { id } }))!;
    const action = dueSystemAction(rec, options.now);
    if (!action) continue;
    const plan = planTransition(rec, action, { now: options.now });
    if (!plan.ok) continue;
    await applyPlan(tx, rec, plan, { now: options.now, createdBy: options.jobId ? 'worker' : 'system', jobId: options.jobId ?? null });
    if (action === 'EXPIRE') counts.expired++;
    else counts.unsnoozed++;
  }
  return counts;
}

/** The admin mutation around sweepDueRecommendations. */
export async function sweepRecommendations(ctx: MutationContext, args: { limit?: number | null; idempotencyKey?: string | null }): Promise<SweepCounts & { replayed: boolean }> {
  if (args.limit !== null && args.limit !== undefined && (args.limit < 1 || args.limit > 10_000)) {
    throw new ValidationError('limit', 'must be between 1 and 10000');
  }
  const run = await runMutation(ctx, { name: 'sweepRecommendations', idempotencyKey: args.idempotencyKey, input: args }, async (tx, m) => {
    const counts = await sweepDueRecommendations(tx, { now: m.now, limit: args.limit ?? undefined });
    await m.checkpoint('after-first-write');
    return { expired: counts.expired, unsnoozed: counts.unsnoozed, skippedLocked: counts.skippedLocked };
  });
  return run.resultWithReplayed;
}
