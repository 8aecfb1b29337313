/**
 * What a listing or an ASIN entity accumulates over time, the same under both: its latest feature
 * row, its feature history and its recommendations. The list fields (`featureHistory`, and
 * `recommendations` in recommendation.ts) give the first page of every entity of a dashboard page
 * in one batched statement; the connections page through one entity's whole history with cursors
 * and a `totalCount` (docs/schema-decisions.md, "Lists and connections").
 */
import type { FeatureEntityType, Prisma } from '../generated/prisma/client.js';
import { recommendationLimit } from '../auth/row-limits.js';
import type { Context } from '../context.js';
import { recommendationOrderBy, type RecommendationOrder } from '../resolvers/read/loaders-recommendations.js';
import { featureHistoryLoader, latestFeaturesLoader } from '../resolvers/read/loaders-features.js';
import { effectiveStatusWhere } from '../resolvers/read/recommendation-status.js';
import { AsinEntityRef } from './asin.js';
import { builder, DEFAULT_PAGE_SIZE, pageSizeOf, type AnyFieldBuilder } from './builder.js';
import { FeatureSnapshotRef } from './features.js';
import { RecommendationOrderEnum, RecommendationStatusEnum } from './recommendation.js';

type Status = Parameters<typeof effectiveStatusWhere>[0][number];

async function recommendationsOf(ctx: Context, entityType: FeatureEntityType, entityId: number, statuses: readonly Status[] | null | undefined): Promise<Prisma.RecommendationWhereInput> {
  const and: Prisma.RecommendationWhereInput[] = [{ entityType, entityId }];
  if (statuses?.length) and.push(effectiveStatusWhere([...statuses], ctx.now));
  const limit = await recommendationLimit(ctx);
  if (limit) and.push(limit);
  return { AND: and };
}

function featuresOf(entityType: FeatureEntityType, entityId: number, featureVersion: number | null | undefined): Prisma.FeatureSnapshotWhereInput {
  return { entityType, entityId, ...(featureVersion != null ? { featureVersion } : {}) };
}

const NEWEST_FEATURES_FIRST: Prisma.FeatureSnapshotOrderByWithRelationInput[] = [{ computedAt: 'desc' }, { id: 'desc' }];

function historyFields(entityType: FeatureEntityType, what: string) {
  return (t: AnyFieldBuilder) => ({
    latestFeatures: t.field({
      type: FeatureSnapshotRef,
      nullable: true,
      authScopes: { scope: 'read' },
      description: 'The current feature row: latest by computedAt, then id.',
      resolve: (parent: { id: number }, _args: object, ctx: Context) => latestFeaturesLoader(ctx, entityType).load(parent.id),
    }),
    featureHistory: t.field({
      type: [FeatureSnapshotRef],
      authScopes: { scope: 'read' },
      description: 'Feature rows newest first (computedAt DESC, id DESC).',
      args: {
        featureVersion: t.arg.int(),
        first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
      },
      resolve: (parent: { id: number }, args: { featureVersion?: number | null; first?: number | null }, ctx: Context) =>
        featureHistoryLoader(ctx, entityType, { featureVersion: args.featureVersion, first: pageSizeOf(args.first) }).load(parent.id),
    }),
    recommendationsConnection: t.prismaConnection({
      type: 'Recommendation',
      cursor: 'id',
      authScopes: { scope: 'read' },
      description: `Every recommendation about this ${what}, best first by default, paged with cursors (\`recommendations\` gives the first page as a list).`,
      args: {
        status: t.arg({ type: [RecommendationStatusEnum], description: 'Matches the effective status.' }),
        orderBy: t.arg({ type: RecommendationOrderEnum, defaultValue: 'CONFIDENCE_SCORE_DESC', description: 'Sort order; default CONFIDENCE_SCORE_DESC.' }),
      },
      resolve: async (query: object, parent: { id: number }, args: { status?: Status[] | null; orderBy?: RecommendationOrder | null }, ctx: Context) =>
        ctx.prisma.recommendation.findMany({
          ...query,
          where: await recommendationsOf(ctx, entityType, parent.id, args.status),
          orderBy: recommendationOrderBy(args.orderBy ?? 'CONFIDENCE_SCORE_DESC'),
        }),
      totalCount: async (parent: { id: number }, args: { status?: Status[] | null }, ctx: Context) =>
        ctx.prisma.recommendation.count({ where: await recommendationsOf(ctx, entityType, parent.id, args.status) }),
    }),
    featureHistoryConnection: t.prismaConnection({
      type: 'FeatureSnapshot',
      cursor: 'id',
      authScopes: { scope: 'read' },
      description: `Every feature row of this ${what}, newest first (computedAt DESC, id DESC), paged with cursors (\`featureHistory\` gives the first page as a list).`,
      args: { featureVersion: t.arg.int({ description: 'Only rows of this feature version.' }) },
      resolve: (query: object, parent: { id: number }, args: { featureVersion?: number | null }, ctx: Context) =>
        ctx.prisma.featureSnapshot.findMany({ ...query, where: featuresOf(entityType, parent.id, args.featureVersion), orderBy: NEWEST_FEATURES_FIRST }),
      totalCount: (parent: { id: number }, args: { featureVersion?: number | null }, ctx: Context) =>
        ctx.prisma.featureSnapshot.count({ where: featuresOf(entityType, parent.id, args.featureVersion) }),
    }),
  });
}

builder.prismaObjectFields('Listing', historyFields('LISTING', 'listing'));
builder.prismaObjectFields(AsinEntityRef, historyFields('ASIN', 'ASIN entity'));
