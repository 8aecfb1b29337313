import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError } from 'graphql';
import { actionState, effectiveStatus } from '../domain/recommendation-lifecycle.js';
import type { Prisma } from '../generated/prisma/client.js';
import {
  ConfidenceBand,
  RecommendationEventType,
  RecommendationStatus,
  RecommendationType,
} from '../generated/prisma/enums.js';
import {
  recommendationOrderBy,
  recommendationsByEntityLoader,
  type RecommendationOrder,
} from '../resolvers/read/loaders-recommendations.js';
import { asinEntityByIdLoader, listingByIdLoader } from '../resolvers/read/loaders-entities.js';
import { effectiveStatusWhere } from '../resolvers/read/recommendation-status.js';
import { valuePolicy } from '../auth/policy.js';
import { recommendationLimit } from '../auth/row-limits.js';
import type { Context } from '../context.js';
import { AsinEntityRef } from './asin.js';
import { builder, DEFAULT_PAGE_SIZE, pageSizeOf } from './builder.js';
import { FeatureEntityTypeEnum } from './features.js';
import { databaseIdOf, safeDecodeGlobalID } from './global-id.js';
import { ListingRef } from './listing.js';

export const RecommendationTypeEnum = builder.enumType(RecommendationType, { name: 'RecommendationType' });
export const RecommendationStatusEnum = builder.enumType(RecommendationStatus, { name: 'RecommendationStatus' });
export const ConfidenceBandEnum = builder.enumType(ConfidenceBand, { name: 'ConfidenceBand' });
export const RecommendationEventTypeEnum = builder.enumType(RecommendationEventType, { name: 'RecommendationEventType' });

export const RecommendationActionStateEnum = builder.enumType('RecommendationActionState', {
  description: 'Outcome of the job an accepted recommendation started: the latest ACTION_* event (docs/domain-rules.md §5.4).',
  values: ['NONE', 'STARTED', 'COMPLETED', 'FAILED'] as const,
});

export const RecommendationOrderEnum = builder.enumType('RecommendationOrder', {
  values: {
    CONFIDENCE_SCORE_DESC: { description: 'confidence_score DESC NULLS LAST, generated_at DESC, id DESC' },
    GENERATED_AT_DESC: { description: 'generated_at DESC, id DESC' },
  } as const,
});

/** Events oldest first; `actionState` selects the same so both share one load. */
const eventsQuery = { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } satisfies Prisma.Recommendation$eventsArgs;

export const RecommendationEventRef = builder.prismaNode('RecommendationEvent', {
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    eventType: t.expose('eventType', { type: RecommendationEventTypeEnum }),
    detailsJson: t.expose('detailsJson', { type: 'JSON', nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    createdBy: t.exposeString('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    job: t.relation('job', { nullable: true, authScopes: { scope: 'internal:read' } }),
    recommendation: t.relation('recommendation', { authScopes: { scope: 'read' } }),
  }),
});

/** Actions whose payload holds only prices and quantities; any other (REVIEW_COSTS, CREATE_LISTING…) carries margins or profit. */
const COST_FREE_ACTIONS: ReadonlySet<unknown> = new Set(['CHANGE_PRICE', 'CHANGE_STOCK', 'REVIEW_STOCK', 'INVESTIGATE']);
const actionPayloadScope = valuePolicy({ scope: 'costs:read' }, (rec: { actionPayloadJson: unknown }) => ({
  scope: COST_FREE_ACTIONS.has((rec.actionPayloadJson as { action?: unknown } | null)?.action) ? 'read' : 'costs:read',
}));

export const RecommendationEntityUnion = builder.unionType('RecommendationEntity', {
  description: 'What a recommendation is about: a listing or an ASIN entity.',
  types: [ListingRef, AsinEntityRef],
  resolveType: (entity) => ('sellerSku' in entity ? ListingRef : AsinEntityRef),
});

export const RecommendationRef = builder.prismaNode('Recommendation', {
  // Reached through visible listings / ASIN entities or the row-limited root list; node() checks the entity.
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    recommendationType: t.expose('recommendationType', { type: RecommendationTypeEnum }),
    entityType: t.expose('entityType', { type: FeatureEntityTypeEnum }),
    entityId: t.exposeInt('entityId', { description: 'Database id of the listing or ASIN entity (no foreign key).' }),
    status: t.expose('status', { type: RecommendationStatusEnum, description: 'The stored status.' }),
    effectiveStatus: t.field({
      type: RecommendationStatusEnum,
      description: 'The status as of now: a due snooze is PENDING again, a PENDING rec past expiresAt is EXPIRED.',
      resolve: (rec, _args, ctx) => effectiveStatus(rec, ctx.now),
    }),
    actionState: t.field({
      type: RecommendationActionStateEnum,
      select: { events: eventsQuery },
      resolve: (rec) => actionState(rec.events),
    }),
    actionPayload: t.expose('actionPayloadJson', { type: 'JSON', nullable: true, authScopes: actionPayloadScope }),
    // Evidence, guardrail results and impact are computed from costs (margin, profit, BOM cost).
    evidence: t.expose('evidenceJson', { type: 'JSON', nullable: true, authScopes: { scope: 'costs:read' } }),
    guardrails: t.expose('guardrailsJson', { type: 'JSON', nullable: true, authScopes: { scope: 'costs:read' } }),
    impact: t.expose('impactJson', { type: 'JSON', nullable: true, authScopes: { scope: 'costs:read' } }),
    confidence: t.expose('confidence', { type: ConfidenceBandEnum }),
    confidenceScore: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'numeric(5,4), always with its 4 decimal places ("0.8500").',
      resolve: (rec) => rec.confidenceScore?.toFixed(4) ?? null,
    }),
    generatedAt: t.expose('generatedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    rejectedAt: t.expose('rejectedAt', { type: 'DateTime', nullable: true }),
    snoozedUntil: t.expose('snoozedUntil', { type: 'DateTime', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    generationJob: t.relation('generationJob', { nullable: true, authScopes: { scope: 'internal:read' } }),
    acceptedJob: t.relation('acceptedJob', { nullable: true, authScopes: { scope: 'internal:read' } }),
    events: t.relation('events', { query: eventsQuery, authScopes: { scope: 'read' } }),
    entity: t.field({
      type: RecommendationEntityUnion,
      nullable: true,
      authScopes: { scope: 'read' },
      description: 'The listing or ASIN entity (null if it has been deleted: entity_id has no foreign key).',
      resolve: (rec, _args, ctx) =>
        rec.entityType === 'LISTING' ? listingByIdLoader(ctx).load(rec.entityId) : asinEntityByIdLoader(ctx).load(rec.entityId),
    }),
  }),
});

const RecommendationFilter = builder.inputType('RecommendationFilter', {
  fields: (t) => ({
    status: t.field({ type: [RecommendationStatusEnum], description: 'Matches the effective status (see Recommendation.effectiveStatus).' }),
    type: t.field({ type: [RecommendationTypeEnum] }),
    entityType: t.field({ type: FeatureEntityTypeEnum }),
    entityId: t.id({ description: 'Global ID of a Listing or an AsinEntity.' }),
    confidence: t.field({ type: [ConfidenceBandEnum] }),
  }),
});

function recommendationWhere(filter: typeof RecommendationFilter.$inferInput | null | undefined, now: Date): Prisma.RecommendationWhereInput {
  if (!filter) return {};
  const and: Prisma.RecommendationWhereInput[] = [];
  if (filter.status) and.push(effectiveStatusWhere(filter.status, now));
  if (filter.type) and.push({ recommendationType: { in: filter.type } });
  if (filter.entityType) and.push({ entityType: filter.entityType });
  if (filter.entityId != null) {
    const value = String(filter.entityId);
    const id = databaseIdOf(value, ['Listing', 'AsinEntity'], 'filter.entityId');
    const typename = safeDecodeGlobalID(value)?.typename;
    and.push({ entityType: typename === 'Listing' ? 'LISTING' : 'ASIN', entityId: id });
  }
  if (filter.confidence) and.push({ confidence: { in: filter.confidence } });
  return and.length ? { AND: and } : {};
}

builder.queryFields((t) => ({
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  recommendations: t.prismaConnection({
    nullable: true,
    type: 'Recommendation',
    cursor: 'id',
    authScopes: { scope: 'read' },
    args: {
      filter: t.arg({ type: RecommendationFilter }),
      orderBy: t.arg({ type: RecommendationOrderEnum, defaultValue: 'CONFIDENCE_SCORE_DESC' }),
    },
    resolve: async (query, _root, args, ctx) =>
      ctx.prisma.recommendation.findMany({
        ...query,
        where: await limitedRecommendationWhere(ctx, recommendationWhere(args.filter, ctx.now)),
        orderBy: recommendationOrderBy(args.orderBy ?? 'CONFIDENCE_SCORE_DESC'),
      }),
    totalCount: async (_connection, args, ctx) =>
      ctx.prisma.recommendation.count({ where: await limitedRecommendationWhere(ctx, recommendationWhere(args.filter, ctx.now)) }),
  }),
}));

async function limitedRecommendationWhere(ctx: Context, where: Prisma.RecommendationWhereInput): Promise<Prisma.RecommendationWhereInput> {
  const limit = await recommendationLimit(ctx);
  return limit ? { AND: [where, limit] } : where;
}


builder.prismaObjectFields('Listing', (t) => ({
  recommendations: t.field({
    type: [RecommendationRef],
    authScopes: { scope: 'read' },
    description: 'Recommendations about this listing (at most `first`), best first by default.',
    args: {
      status: t.arg({ type: [RecommendationStatusEnum], description: 'Matches the effective status.' }),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      orderBy: t.arg({ type: RecommendationOrderEnum, defaultValue: 'CONFIDENCE_SCORE_DESC' }),
    },
    resolve: (listing, args, ctx, info) =>
      recommendationsByEntityLoader(ctx, 'LISTING', {
        statuses: args.status,
        first: pageSizeOf(args.first),
        order: (args.orderBy ?? 'CONFIDENCE_SCORE_DESC') as RecommendationOrder,
        query: queryFromInfo({ context: ctx, info }),
      }).load(listing.id),
  }),
}));

builder.prismaObjectFields(AsinEntityRef, (t) => ({
  recommendations: t.field({
    type: [RecommendationRef],
    authScopes: { scope: 'read' },
    description: 'Recommendations about this ASIN entity (at most `first`), best first by default.',
    args: {
      status: t.arg({ type: [RecommendationStatusEnum], description: 'Matches the effective status.' }),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      orderBy: t.arg({ type: RecommendationOrderEnum, defaultValue: 'CONFIDENCE_SCORE_DESC' }),
    },
    resolve: (entity, args, ctx, info) =>
      recommendationsByEntityLoader(ctx, 'ASIN', {
        statuses: args.status,
        first: pageSizeOf(args.first),
        order: (args.orderBy ?? 'CONFIDENCE_SCORE_DESC') as RecommendationOrder,
        query: queryFromInfo({ context: ctx, info }),
      }).load(entity.id),
  }),
}));
