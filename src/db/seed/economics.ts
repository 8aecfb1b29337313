/**
 * The economics of seeded rows, computed by src/domain/economics.ts — the one home of the rule, so
 * the feature rows the MARGIN ordering reads agree with what the API computes from the same rows.
 * The seed works in integer pence; this module converts at the boundary (2 dp values, exact).
 */
import { bomCost, computeEconomics, type BomLineInput } from '../../domain/economics.js';
import type { Decimal } from '../../domain/money.js';
import type { BomLineDraft } from './boms.js';
import type { Ctx } from './context.js';

/** A listing's economics in pence (margin as a ratio), the shape the feature and recommendation rows use. */
export interface Econ {
  vatBp: number;
  priceInc: number;
  priceEx: number;
  bom: number;
  ship: number;
  pack: number;
  handling: number;
  other: number;
  fees: number;
  profit: number;
  margin: number;
  breakEvenInc: number;
}

export interface CostsPence {
  ship: number;
  pack: number;
  handling: number;
  other: number;
}

const pounds = (pence: number): string => (pence / 100).toFixed(2);
const pence = (value: Decimal | null): number => (value === null ? 0 : value.times(100).toNumber());
const vatRateOf = (vatBp: number): string => (vatBp / 10_000).toFixed(4);

/** The drawn lines as the domain reads them (the components' current cost, §1.2). */
export function bomLinesOf(ctx: Ctx, lines: readonly BomLineDraft[]): BomLineInput[] {
  return lines.map((l) => ({
    quantity: (l.q4 / 10_000).toFixed(4),
    wastageRate: (l.w4 / 10_000).toFixed(4),
    unitCostExVat: pounds(ctx.components[l.componentIdx]!.costPence),
  }));
}

export function bomCostPence(ctx: Ctx, lines: readonly BomLineDraft[]): number {
  return pence(bomCost(bomLinesOf(ctx, lines)));
}

/** Economics of a listing from its price, active BOM, cost overrides and latest fee snapshot. */
export function listingEconomics(args: {
  vatBp: number;
  priceInc: number;
  bomLines: BomLineInput[];
  costs: CostsPence;
  feeSnapshot: { priceInc: number; referral: number; total: number };
  fulfillmentChannel: 'FBA' | 'FBM';
  category: string;
}): Econ {
  const { vatBp, priceInc, costs } = args;
  const e = computeEconomics({
    priceIncVat: pounds(priceInc),
    vatRate: vatRateOf(vatBp),
    bomLines: args.bomLines,
    overrides: { shipping: pounds(costs.ship), packaging: pounds(costs.pack), handling: pounds(costs.handling), other: pounds(costs.other) },
    feeSnapshot: { priceIncVat: pounds(args.feeSnapshot.priceInc), referralFeeExVat: pounds(args.feeSnapshot.referral), totalFeeExVat: pounds(args.feeSnapshot.total) },
    fulfillmentChannel: args.fulfillmentChannel,
    category: args.category,
  });
  return {
    vatBp,
    priceInc,
    priceEx: pence(e.priceExVat),
    bom: pence(e.bomCostExVat),
    ship: costs.ship,
    pack: costs.pack,
    handling: costs.handling,
    other: costs.other,
    fees: pence(e.fees.totalFeeExVat),
    profit: pence(e.profitExVat),
    margin: e.marginExact?.toNumber() ?? 0,
    breakEvenInc: pence(e.breakEvenPriceIncVat),
  };
}

/** An ASIN scenario at Keepa's current price (estimated fees, §1.3), as the ASIN features job computes it. */
export function opportunityEconomics(args: { priceCurrent: number; vatBp: number; bomLines: BomLineInput[]; category: string }): { profit: number; margin: Decimal | null } {
  const e = computeEconomics({ priceIncVat: String(args.priceCurrent), vatRate: vatRateOf(args.vatBp), bomLines: args.bomLines, category: args.category });
  return { profit: pence(e.profitExVat), margin: e.marginExact };
}
