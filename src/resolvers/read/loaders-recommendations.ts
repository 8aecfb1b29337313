/**
 * The recommendations of a page of entities (listings or ASIN entities: `entity_id` is
 * polymorphic, so Prisma has no relation for it), ordered and filtered by effective status.
 */
import type { Context } from '../../context.js';
import { Prisma, type Recommendation } from '../../generated/prisma/client.js';
import type { FeatureEntityType, RecommendationStatus } from '../../generated/prisma/enums.js';
import { newestIdsPerParent } from './newest-per-parent.js';
import { effectiveStatusSql } from './recommendation-status.js';
import { groupByParent, requestLoader } from './request-loader.js';

export type RecommendationOrder = 'CONFIDENCE_SCORE_DESC' | 'GENERATED_AT_DESC';

/** Prisma orderBy of each ordering; `id` breaks ties so cursors are stable. */
export function recommendationOrderBy(order: RecommendationOrder): Prisma.RecommendationOrderByWithRelationInput[] {
  return order === 'GENERATED_AT_DESC'
    ? [{ generatedAt: 'desc' }, { id: 'desc' }]
    : [{ confidenceScore: { sort: 'desc', nulls: 'last' } }, { generatedAt: 'desc' }, { id: 'desc' }];
}

function recommendationOrderSql(order: RecommendationOrder): Prisma.Sql {
  return order === 'GENERATED_AT_DESC'
    ? Prisma.sql`generated_at DESC, id DESC`
    : Prisma.sql`confidence_score DESC NULLS LAST, generated_at DESC, id DESC`;
}

/** Rows sorted in JS the way `recommendationOrderBy` sorts them in SQL. */
function compareRecommendations(order: RecommendationOrder) {
  return (a: Recommendation, b: Recommendation): number => {
    if (order === 'CONFIDENCE_SCORE_DESC') {
      const sa = a.confidenceScore;
      const sb = b.confidenceScore;
      if (sa == null && sb != null) return 1;
      if (sa != null && sb == null) return -1;
      if (sa != null && sb != null) {
        const c = sb.comparedTo(sa);
        if (c !== 0) return c;
      }
    }
    const t = b.generatedAt.getTime() - a.generatedAt.getTime();
    return t !== 0 ? t : b.id - a.id;
  };
}

/**
 * The recommendations of each entity (at most `first`, in `order`, filtered by effective status),
 * loaded for a whole page of entities at once. `query` is the Pothos selection (include of
 * events, jobs …) for the rows, so nested relations load in the same batch; it is part of the
 * loader key because every entity in a batch must share it.
 */
export function recommendationsByEntityLoader(
  ctx: Context,
  entityType: FeatureEntityType,
  options: { statuses?: readonly RecommendationStatus[] | null; first: number; order: RecommendationOrder; query: object },
) {
  const { statuses, first, order, query } = options;
  const key = `recommendationsByEntity:${entityType}:${statuses?.join(',') ?? '*'}:${first}:${order}:${JSON.stringify(query)}`;
  return requestLoader<number, Recommendation[]>(ctx, key, async (entityIds) => {
    const conditions = [Prisma.sql`entity_type = ${entityType}::feature_entity_type`];
    if (statuses?.length) conditions.push(Prisma.sql`${effectiveStatusSql(ctx.now)} = ANY(${[...statuses]}::text[])`);
    const ids = await newestIdsPerParent(ctx.prisma, 'recommendations', {
      parentIds: entityIds,
      perParent: first,
      orderBy: recommendationOrderSql(order),
      conditions,
    });
    const rows = ids.length ? await ctx.prisma.recommendation.findMany({ ...(query as Record<string, unknown>), where: { id: { in: ids } } }) : [];
    rows.sort(compareRecommendations(order));
    const groups = groupByParent(rows, (row) => row.entityId);
    return entityIds.map((id) => groups.get(id) ?? []);
  });
}
