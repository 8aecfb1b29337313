/**
 * Partner row limits: the one home of "which rows a key limited to marketplaces may see". Every
 * path applies these in SQL (root lists, nested lists, counts, node lookups), so a count, a list
 * and a node never disagree, and the per-object checks on the marketplace-bound types (see
 * `objectVisible`) are a second line behind them.
 */
import { memo, type Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Viewer } from './viewer.js';

/** The marketplace ids a viewer is limited to; null = not limited. */
export function marketplaceLimit(viewer: Viewer): readonly number[] | null {
  return viewer.marketplaceIds;
}

/**
 * SQL predicate limiting a marketplace id column (e.g. `l.marketplace_id`) for hand-written
 * statements; `addParam` returns the placeholder of a new parameter. Null = no predicate needed.
 */
export function marketplaceLimitSql(viewer: Viewer, column: string, addParam: (value: unknown) => string): string | null {
  const ids = marketplaceLimit(viewer);
  return ids === null ? null : `${column} = ANY(${addParam([...ids])}::int[])`;
}

/** Per-object check for rows that carry their marketplace: a limited viewer needs it present and allowed. */
export function objectVisible(viewer: Viewer, marketplaceId: number | null | undefined): boolean {
  const ids = marketplaceLimit(viewer);
  return ids === null || (marketplaceId != null && ids.includes(marketplaceId));
}

type In = { in: number[] };

const listingIn = (m: In): Prisma.ListingWhereInput => ({ marketplaceId: m });
const bomIn = (m: In): Prisma.BomWhereInput => ({ OR: [{ listing: listingIn(m) }, { asinEntity: { marketplaceId: m } }] });

/** Prisma `where` of the rows of each marketplace-bound model a limited viewer may see. */
const SYNC_LIMITS = {
  Listing: listingIn,
  Marketplace: (m: In): Prisma.MarketplaceWhereInput => ({ id: m }),
  ListingOfferCurrent: (m: In): Prisma.ListingOfferCurrentWhereInput => ({ listing: listingIn(m) }),
  ListingCostOverride: (m: In): Prisma.ListingCostOverrideWhereInput => ({ listing: listingIn(m) }),
  FeeSnapshot: (m: In): Prisma.FeeSnapshotWhereInput => ({ listing: listingIn(m) }),
  ListingSalesDaily: (m: In): Prisma.ListingSalesDailyWhereInput => ({ listing: listingIn(m) }),
  ListingEvent: (m: In): Prisma.ListingEventWhereInput => ({ listing: listingIn(m) }),
  AsinEntity: (m: In): Prisma.AsinEntityWhereInput => ({ marketplaceId: m }),
  KeepaSnapshot: (m: In): Prisma.KeepaSnapshotWhereInput => ({ marketplaceId: m }),
  AmazonCatalogSnapshot: (m: In): Prisma.AmazonCatalogSnapshotWhereInput => ({ marketplaceId: m }),
  Bom: bomIn,
  BomLine: (m: In): Prisma.BomLineWhereInput => ({ bom: bomIn(m) }),
  // A GLOBAL job belongs to no marketplace, so a limited key sees none.
  Job: (m: In): Prisma.JobWhereInput => ({ OR: [{ listing: listingIn(m) }, { asinEntity: { marketplaceId: m } }] }),
};
type SyncModel = keyof typeof SYNC_LIMITS;
type WhereOf<M extends SyncModel> = ReturnType<(typeof SYNC_LIMITS)[M]>;

/** The row limit of a model for this viewer, as a Prisma `where` (undefined = not limited). */
export function rowLimitWhere<M extends SyncModel>(viewer: Viewer, model: M): WhereOf<M> | undefined {
  const ids = marketplaceLimit(viewer);
  return ids === null ? undefined : (SYNC_LIMITS[model](({ in: [...ids] })) as WhereOf<M>);
}

/** `where` AND the viewer's row limit. */
export function limited<M extends SyncModel>(viewer: Viewer, model: M, where: WhereOf<M> | undefined): WhereOf<M> {
  const limit = rowLimitWhere(viewer, model);
  if (!limit) return (where ?? {}) as WhereOf<M>;
  return (where && Object.keys(where).length ? { AND: [where, limit] } : limit) as WhereOf<M>;
}

/**
 * Recommendations and feature rows point at a listing or ASIN entity without a foreign key
 * (entity_type, entity_id), so their limit is the ids of the visible entities, loaded once per request.
 */
async function visibleEntityIds(ctx: Context): Promise<{ listings: number[]; asins: number[] }> {
  return memo(ctx, 'row-limits:entities', async () => {
    const [listings, asins] = await Promise.all([
      ctx.prisma.listing.findMany({ where: rowLimitWhere(ctx.viewer, 'Listing'), select: { id: true } }),
      ctx.prisma.asinEntity.findMany({ where: rowLimitWhere(ctx.viewer, 'AsinEntity'), select: { id: true } }),
    ]);
    return { listings: listings.map((r) => r.id), asins: asins.map((r) => r.id) };
  });
}

async function entityWhere(ctx: Context): Promise<Prisma.RecommendationWhereInput & Prisma.FeatureSnapshotWhereInput> {
  const ids = await visibleEntityIds(ctx);
  return {
    OR: [
      { entityType: 'LISTING', entityId: { in: ids.listings } },
      { entityType: 'ASIN', entityId: { in: ids.asins } },
    ],
  };
}

/** Row limit of recommendations for this request's viewer (undefined = not limited). */
export async function recommendationLimit(ctx: Context): Promise<Prisma.RecommendationWhereInput | undefined> {
  return marketplaceLimit(ctx.viewer) === null ? undefined : entityWhere(ctx);
}

export async function featureSnapshotLimit(ctx: Context): Promise<Prisma.FeatureSnapshotWhereInput | undefined> {
  return marketplaceLimit(ctx.viewer) === null ? undefined : entityWhere(ctx);
}

/** Node typename → how to count one visible row of it. Types not listed are not marketplace-bound. */
const NODE_CHECKS: Record<string, (ctx: Context, id: number) => Promise<number>> = {
  Listing: (ctx, id) => ctx.prisma.listing.count({ where: limited(ctx.viewer, 'Listing', { id }) }),
  Marketplace: (ctx, id) => ctx.prisma.marketplace.count({ where: limited(ctx.viewer, 'Marketplace', { id }) }),
  ListingOffer: (ctx, id) => ctx.prisma.listingOfferCurrent.count({ where: limited(ctx.viewer, 'ListingOfferCurrent', { listingId: id }) }),
  ListingCostOverride: (ctx, id) => ctx.prisma.listingCostOverride.count({ where: limited(ctx.viewer, 'ListingCostOverride', { id }) }),
  FeeSnapshot: (ctx, id) => ctx.prisma.feeSnapshot.count({ where: limited(ctx.viewer, 'FeeSnapshot', { id }) }),
  SalesDay: (ctx, id) => ctx.prisma.listingSalesDaily.count({ where: limited(ctx.viewer, 'ListingSalesDaily', { id }) }),
  ListingEvent: (ctx, id) => ctx.prisma.listingEvent.count({ where: limited(ctx.viewer, 'ListingEvent', { id }) }),
  AsinEntity: (ctx, id) => ctx.prisma.asinEntity.count({ where: limited(ctx.viewer, 'AsinEntity', { id }) }),
  KeepaSnapshot: (ctx, id) => ctx.prisma.keepaSnapshot.count({ where: limited(ctx.viewer, 'KeepaSnapshot', { id }) }),
  CatalogSnapshot: (ctx, id) => ctx.prisma.amazonCatalogSnapshot.count({ where: limited(ctx.viewer, 'AmazonCatalogSnapshot', { id }) }),
  Bom: (ctx, id) => ctx.prisma.bom.count({ where: limited(ctx.viewer, 'Bom', { id }) }),
  BomLine: (ctx, id) => ctx.prisma.bomLine.count({ where: limited(ctx.viewer, 'BomLine', { id }) }),
  Job: (ctx, id) => ctx.prisma.job.count({ where: limited(ctx.viewer, 'Job', { id }) }),
  Recommendation: async (ctx, id) => ctx.prisma.recommendation.count({ where: { AND: [{ id }, (await recommendationLimit(ctx))!] } }),
  RecommendationEvent: async (ctx, id) =>
    ctx.prisma.recommendationEvent.count({ where: { id, recommendation: (await recommendationLimit(ctx))! } }),
  FeatureSnapshot: async (ctx, id) => ctx.prisma.featureSnapshot.count({ where: { AND: [{ id }, (await featureSnapshotLimit(ctx))!] } }),
};

/** Whether the node `typename:id` is within the viewer's marketplaces (always true when not limited). */
export async function isRowVisible(ctx: Context, typename: string, id: string): Promise<boolean> {
  if (marketplaceLimit(ctx.viewer) === null) return true;
  const check = NODE_CHECKS[typename];
  if (!check) return true;
  return (await check(ctx, Number(id))) > 0;
}

/**
 * Mutations a partner may be granted (pricing:write, recommendations:write) act only on rows of its
 * marketplaces: a foreign target is as unknown as a missing one. Returns false when the global id
 * names a row the viewer may not see; a malformed id is left to the mutation's own validation.
 */
export async function mayWriteTarget(ctx: Context, globalId: string, decode: (id: string) => { typename: string; id: string } | null): Promise<boolean> {
  if (marketplaceLimit(ctx.viewer) === null) return true;
  const decoded = decode(globalId);
  if (!decoded) return true;
  return isRowVisible(ctx, decoded.typename, decoded.id);
}
