import {
  acceptRecommendation,
  markRecommendationViewed,
  rejectRecommendation,
  snoozeRecommendation,
  type RecommendationMutationPayload,
} from '../../resolvers/recommendation-actions.js';
import { sweepRecommendations, type SweepCounts } from '../../resolvers/recommendation-transitions.js';
import { mayWriteTarget } from '../../auth/row-limits.js';
import type { Context } from '../../context.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { safeDecodeGlobalID } from '../global-id.js';
import {
  ConflictError,
  DuplicateJobError,
  GuardrailViolationError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';
import { ListingEventRef } from '../events.js';
import { JobRef } from '../job.js';
import { RecommendationEventRef, RecommendationRef } from '../recommendation.js';

const TRANSITION_ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];
const ACCEPT_ERRORS = [...TRANSITION_ERRORS, GuardrailViolationError, DuplicateJobError];

const RecommendationIdInput = builder.inputType('MarkRecommendationViewedInput', {
  fields: (t) => ({
    recommendationId: t.id({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const AcceptRecommendationInput = builder.inputType('AcceptRecommendationInput', {
  fields: (t) => ({
    recommendationId: t.id({ required: true }),
    reason: t.string({ required: false }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const RejectRecommendationInput = builder.inputType('RejectRecommendationInput', {
  fields: (t) => ({
    recommendationId: t.id({ required: true }),
    reason: t.string({ required: true, description: 'Why (required, not blank).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const SnoozeRecommendationInput = builder.inputType('SnoozeRecommendationInput', {
  fields: (t) => ({
    recommendationId: t.id({ required: true }),
    until: t.field({ type: 'DateTime', required: true, description: 'now < until ≤ now + 365 days.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const SweepRecommendationsInput = builder.inputType('SweepRecommendationsInput', {
  fields: (t) => ({
    limit: t.int({ required: false, description: 'At most this many due rows (default 1000, max 10000).' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

function transitionPayload(name: string, description: string, withJob: boolean) {
  return builder.objectRef<RecommendationMutationPayload>(name).implement({
    authScopes: AUTHENTICATED,
    description,
    fields: (t) => ({
      recommendation: t.field({ type: RecommendationRef, resolve: (p) => p.recommendation }),
      event: t.field({
        type: RecommendationEventRef,
        nullable: true,
        description: 'The recommendation event this call appended (the first VIEWED event for a repeat view).',
        resolve: (p) => p.event,
      }),
      ...(withJob
        ? {
            job: t.field({ type: JobRef, nullable: true, description: 'The publish job (publishable actions only).', resolve: (p) => p.job }),
            listingEvent: t.field({
              type: ListingEventRef,
              nullable: true,
              description: 'The *_CHANGE_DRAFTED listing event of the publish job.',
              resolve: (p) => p.listingEvent,
            }),
          }
        : {}),
      replayed: t.exposeBoolean('replayed', { description: 'True when an idempotency key returned an earlier result.' }),
    }),
  });
}

const MarkRecommendationViewedPayload = transitionPayload('MarkRecommendationViewedPayload', 'The viewed recommendation.', false);
const AcceptRecommendationPayload = transitionPayload('AcceptRecommendationPayload', 'The accepted recommendation and its publish job.', true);
const RejectRecommendationPayload = transitionPayload('RejectRecommendationPayload', 'The rejected recommendation.', false);
const SnoozeRecommendationPayload = transitionPayload('SnoozeRecommendationPayload', 'The snoozed recommendation.', false);

const SweepRecommendationsPayload = builder.objectRef<SweepCounts & { replayed: boolean }>('SweepRecommendationsPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    expired: t.exposeInt('expired', { description: 'PENDING recommendations past expires_at, now EXPIRED.' }),
    unsnoozed: t.exposeInt('unsnoozed', { description: 'SNOOZED recommendations whose time came, now PENDING.' }),
    skippedLocked: t.exposeInt('skippedLocked', { description: 'Due rows a concurrent action held; the next sweep takes them.' }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

/** Partner row limits: a recommendation about another marketplace's listing is not found. */
async function ownRecommendation(ctx: Context, recommendationId: string): Promise<void> {
  if (!(await mayWriteTarget(ctx, recommendationId, safeDecodeGlobalID))) throw new NotFoundError('Recommendation', recommendationId);
}

builder.mutationFields((t) => ({
  markRecommendationViewed: t.field({
    authScopes: { scope: 'recommendations:write' },
    type: MarkRecommendationViewedPayload,
    description: 'Records the first view of a PENDING recommendation (VIEWED event).',
    errors: mutationResult('markRecommendationViewed', TRANSITION_ERRORS),
    args: { input: t.arg({ type: RecommendationIdInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownRecommendation(ctx, String(input.recommendationId));
      return markRecommendationViewed(ctx, input);
    },
  }),
  acceptRecommendation: t.field({
    authScopes: { scope: 'recommendations:write' },
    type: AcceptRecommendationPayload,
    description:
      'PENDING → ACCEPTED. A CHANGE_PRICE / CHANGE_STOCK action re-runs the guardrails on the current state and creates its publish job (priority 7) with a *_CHANGE_DRAFTED listing event.',
    errors: mutationResult('acceptRecommendation', ACCEPT_ERRORS),
    args: { input: t.arg({ type: AcceptRecommendationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownRecommendation(ctx, String(input.recommendationId));
      return acceptRecommendation(ctx, input);
    },
  }),
  rejectRecommendation: t.field({
    authScopes: { scope: 'recommendations:write' },
    type: RejectRecommendationPayload,
    description: 'PENDING → REJECTED with a reason.',
    errors: mutationResult('rejectRecommendation', TRANSITION_ERRORS),
    args: { input: t.arg({ type: RejectRecommendationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownRecommendation(ctx, String(input.recommendationId));
      return rejectRecommendation(ctx, input);
    },
  }),
  snoozeRecommendation: t.field({
    authScopes: { scope: 'recommendations:write' },
    type: SnoozeRecommendationPayload,
    description: 'PENDING → SNOOZED until a date; expires_at becomes at least until + 7 days.',
    errors: mutationResult('snoozeRecommendation', TRANSITION_ERRORS),
    args: { input: t.arg({ type: SnoozeRecommendationInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      await ownRecommendation(ctx, String(input.recommendationId));
      return snoozeRecommendation(ctx, input);
    },
  }),
  sweepRecommendations: t.field({
    authScopes: { scope: 'recommendations:sweep' },
    type: SweepRecommendationsPayload,
    description: 'Admin: persists due expiries (PENDING → EXPIRED) and ended snoozes (SNOOZED → PENDING).',
    errors: mutationResult('sweepRecommendations', [ValidationError, ConflictError, IdempotencyKeyReuseError]),
    args: { input: t.arg({ type: SweepRecommendationsInput, required: false }) },
    resolve: (_root, { input }, ctx) => sweepRecommendations(ctx, input ?? {}),
  }),
}));
