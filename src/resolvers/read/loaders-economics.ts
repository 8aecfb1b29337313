/** The inputs of a listing's economics, read in one batch for many listings, and the request's economics loader. */
import type DataLoader from 'dataloader';
import type { Context } from '../../context.js';
import { computeEconomics, type Economics, type EconomicsInput } from '../../domain/economics.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { loadGuardrailSettings, requestSettings, type EffectiveSettings } from '../settings.js';
import { requestLoader } from './request-loader.js';

type Db = Pick<PrismaClient, 'listing' | 'setting'>;

/** Everything docs/domain-rules.md §1 needs for one listing, read in one batched Prisma query for many listings. */
export async function loadEconomicsInputs(
  db: Db,
  listingIds: readonly number[],
  knownSettings?: EffectiveSettings,
): Promise<Map<number, EconomicsInput>> {
  // Sequential: inside a transaction both would share one connection anyway.
  const settings = knownSettings ?? (await loadGuardrailSettings(db));
  const listings = await db.listing.findMany({
    where: { id: { in: [...listingIds] } },
    select: {
      id: true,
      priceIncVat: true,
      fulfillmentChannel: true,
      category: true,
      marketplace: { select: { vatRate: true } },
      offer: { select: { priceIncVat: true } },
      costOverride: {
        select: { shippingCostExVat: true, packagingCostExVat: true, handlingCostExVat: true, otherCostExVat: true },
      },
      boms: {
        where: { isActive: true, scopeType: 'LISTING' },
        select: { lines: { select: { quantity: true, wastageRate: true, component: { select: { unitCostExVat: true } } } } },
      },
      feeSnapshots: {
        orderBy: [{ capturedAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
        take: 1,
        select: { id: true, priceIncVat: true, referralFeeExVat: true, totalFeeExVat: true },
      },
    },
  });
  const inputs = new Map<number, EconomicsInput>();
  for (const listing of listings) {
    const override = listing.costOverride;
    inputs.set(listing.id, {
      // docs/domain-rules.md §1.1: the current offer's price wins over the listing's own column.
      priceIncVat: listing.offer?.priceIncVat ?? listing.priceIncVat,
      vatRate: listing.marketplace?.vatRate ?? settings.defaultVatRate,
      bomLines: (listing.boms[0]?.lines ?? []).map((line) => ({
        quantity: line.quantity,
        wastageRate: line.wastageRate,
        unitCostExVat: line.component.unitCostExVat,
      })),
      overrides: override && {
        shipping: override.shippingCostExVat,
        packaging: override.packagingCostExVat,
        handling: override.handlingCostExVat,
        other: override.otherCostExVat,
      },
      feeSnapshot: listing.feeSnapshots[0] ?? null,
      fulfillmentChannel: listing.fulfillmentChannel,
      category: listing.category,
      minMargin: settings.minMargin,
    });
  }
  return inputs;
}

/** Request-scoped loader: a page of 50 listings asking for `economics` costs one batch, not 50. */
export function economicsLoader(ctx: Context): DataLoader<number, Economics | null> {
  return requestLoader<number, Economics | null>(ctx, 'economics', async (ids) => {
    const inputs = await loadEconomicsInputs(ctx.prisma, ids, await requestSettings(ctx));
    return ids.map((id) => {
      const input = inputs.get(id);
      return input ? computeEconomics(input) : null;
    });
  });
}
