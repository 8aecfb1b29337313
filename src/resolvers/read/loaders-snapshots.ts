/** The latest Keepa and catalog snapshot of each ASIN entity, for a whole page of entities at once. */
import type { Context } from '../../context.js';
import { Prisma, type AmazonCatalogSnapshot, type KeepaSnapshot } from '../../generated/prisma/client.js';
import { newestIdsPerParent } from './newest-per-parent.js';
import { requestLoader } from './request-loader.js';

const NEWEST_FIRST = Prisma.sql`captured_at DESC, id DESC`;

/** The latest Keepa snapshot of each ASIN entity (captured_at DESC, id DESC). */
export function latestKeepaSnapshotLoader(ctx: Context) {
  return requestLoader<number, KeepaSnapshot | null>(ctx, 'latestKeepaSnapshot', async (entityIds) => {
    const ids = await newestIdsPerParent(ctx.prisma, 'keepa_snapshots', { parentIds: entityIds, perParent: 1, orderBy: NEWEST_FIRST });
    const rows = ids.length ? await ctx.prisma.keepaSnapshot.findMany({ where: { id: { in: ids } } }) : [];
    const byEntity = new Map(rows.map((row) => [row.asinEntityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}

/** The latest catalog snapshot of each ASIN entity (captured_at DESC, id DESC). */
export function latestCatalogSnapshotLoader(ctx: Context) {
  return requestLoader<number, AmazonCatalogSnapshot | null>(ctx, 'latestCatalogSnapshot', async (entityIds) => {
    const ids = await newestIdsPerParent(ctx.prisma, 'amazon_catalog_snapshots', { parentIds: entityIds, perParent: 1, orderBy: NEWEST_FIRST });
    const rows = ids.length ? await ctx.prisma.amazonCatalogSnapshot.findMany({ where: { id: { in: ids } } }) : [];
    const byEntity = new Map(rows.map((row) => [row.asinEntityId, row]));
    return entityIds.map((id) => byEntity.get(id) ?? null);
  });
}
