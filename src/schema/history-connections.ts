/**
 * Cursor connections over what grows without bound under one listing or ASIN entity: its
 * recommendations and its feature history. The list fields beside them (`recommendations`,
 * `featureHistory`) stay: they give the first page of every listing of a dashboard page in one
 * batched statement, while these page through one entity's whole history with cursors and a
 * `totalCount` (docs/schema-decisions.md, "Lists and connections").
 */
import type { FeatureEntityType, Prisma } from '../generated/prisma/client.js';
import { recommendationLimit } from '../auth/row-limits.js';
import type { Context } from '../context.js';
import { recommendationOrderBy, type RecommendationOrder } from '../resolvers/read/loaders-recommendations.js';
import { effectiveStatusWhere } from '../resolvers/read/recommendation-status.js';
import { AsinEntityRef } from './asin.js';
import { builder } from './builder.js';
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

// Pothos types each model's field builder apart; these two fields are the same under both parents,
// so one definition serves both, typed at its resolvers' parameters instead.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFieldBuilder = any;

function historyFields(entityType: FeatureEntityType, what: string) {
  return (t: AnyFieldBuilder) => ({
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
