/**
 * Feature-store loaders: `feature_store.entity_id` is polymorphic (a listing or an ASIN entity), so
 * Prisma has no relation for it; each loader answers a whole page of entities with one SQL
 * statement plus one Prisma statement, never one per row.
 */
import type { Context } from '../../context.js';
import { Prisma, type FeatureSnapshot } from '../../generated/prisma/client.js';
import type { FeatureEntityType } from '../../generated/prisma/enums.js';
import { newestIdsPerParent } from './newest-per-parent.js';
import { groupByParent, requestLoader } from './request-loader.js';

const NEWEST_FIRST = Prisma.sql`computed_at DESC, id DESC`;

/** The current feature row of each entity: latest by computed_at DESC, id DESC (docs/domain-rules.md §4). */
export function latestFeaturesLoader(ctx: Context, entityType: FeatureEntityType) {
  return requestLoader<number, FeatureSnapshot | null>(ctx, `latestFeatures:${entityType}`, async (entityIds) => {
    const ids = await newestIdsPerParent(ctx.prisma, 'feature_store', {
      parentIds: entityIds,
      perParent: 1,
      orderBy: NEWEST_FIRST,
      conditions: [Prisma.sql`entity_type = ${entityType}::feature_entity_type`],
    });
    const rows = ids.length ? await ctx.prisma.featureSnapshot.findMany({ where: { id: { in: ids } } }) : [];
    const byEntity = new Map(rows.map((row) => [row.entityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}

/** The newest `first` feature rows of each entity (optionally of one feature_version), newest first. */
export function featureHistoryLoader(ctx: Context, entityType: FeatureEntityType, options: { featureVersion?: number | null; first: number }) {
  const { featureVersion, first } = options;
  return requestLoader<number, FeatureSnapshot[]>(ctx, `featureHistory:${entityType}:${featureVersion ?? '*'}:${first}`, async (entityIds) => {
    const conditions = [Prisma.sql`entity_type = ${entityType}::feature_entity_type`];
    if (featureVersion != null) conditions.push(Prisma.sql`feature_version = ${featureVersion}`);
    const ids = await newestIdsPerParent(ctx.prisma, 'feature_store', { parentIds: entityIds, perParent: first, orderBy: NEWEST_FIRST, conditions });
    const rows = ids.length
      ? await ctx.prisma.featureSnapshot.findMany({ where: { id: { in: ids } }, orderBy: [{ computedAt: 'desc' }, { id: 'desc' }] })
      : [];
    const groups = groupByParent(rows, (row) => row.entityId);
    return entityIds.map((id) => groups.get(id) ?? []);
  });
}
