/** Listings and ASIN entities by id: the targets of the polymorphic `entity_id` columns. */
import type { Context } from '../../context.js';
import type { AsinEntity, Listing } from '../../generated/prisma/client.js';
import { requestLoader } from './request-loader.js';

export function listingByIdLoader(ctx: Context) {
  return requestLoader<number, Listing | null>(ctx, 'listingById', async (ids) => {
    const rows = await ctx.prisma.listing.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

export function asinEntityByIdLoader(ctx: Context) {
  return requestLoader<number, AsinEntity | null>(ctx, 'asinEntityById', async (ids) => {
    const rows = await ctx.prisma.asinEntity.findMany({ where: { id: { in: [...ids] } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}
