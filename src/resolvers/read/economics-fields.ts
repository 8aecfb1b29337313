/**
 * The `economics` field on the compiled read path: the docs/domain-rules.md §1 inputs of a listing read as
 * PostgreSQL's text in the listing's statement, computed by the same `computeEconomics` as the
 * resolver path (src/resolvers/economics.ts), and shown as src/schema/listing.ts shows them.
 */
import { computeEconomics, type Economics } from '../../domain/economics.js';
import type { Runtime } from './fields.js';
import type { ColumnSql } from './values.js';

type Text = string | null;

const money = (value: { toFixed(dp: number): string } | null) => (value === null ? null : value.toFixed(2));

/** docs/domain-rules.md §1 inputs of a listing (alias `p`), each as PostgreSQL's text, in the order `economicsOf` reads them. */
export const ECONOMICS_INPUTS: ColumnSql[] = [
  (p) => `${p}.price_inc_vat::text`,
  (p) => `(SELECT o.price_inc_vat::text FROM "listing_offer_current" o WHERE o.listing_id = ${p}.id)`,
  (p) => `(SELECT m.vat_rate::text FROM "marketplaces" m WHERE m.id = ${p}.marketplace_id)`,
  (p) => `(SELECT json_build_array(co.shipping_cost_ex_vat::text, co.packaging_cost_ex_vat::text, co.handling_cost_ex_vat::text, co.other_cost_ex_vat::text)
      FROM "listing_cost_overrides" co WHERE co.listing_id = ${p}.id)`,
  (p) => `(SELECT json_agg(json_build_array(bl.quantity::text, bl.wastage_rate::text, cm.unit_cost_ex_vat::text))
      FROM "boms" b JOIN "bom_lines" bl ON bl.bom_id = b.id JOIN "components" cm ON cm.id = bl.component_id
      WHERE b.listing_id = ${p}.id AND b.is_active AND b.scope_type = 'LISTING')`,
  (p) => `(SELECT json_build_array(fs.id, fs.price_inc_vat::text, fs.referral_fee_ex_vat::text, fs.total_fee_ex_vat::text)
      FROM "fee_snapshots" fs WHERE fs.listing_id = ${p}.id ORDER BY fs.captured_at DESC NULLS LAST, fs.id DESC LIMIT 1)`,
  (p) => `${p}.fulfillment_channel`,
  (p) => `${p}.category`,
];


export function economicsOf(raw: unknown[], rt: Runtime): Economics {
  const [price, offerPrice, vatRate, override, lines, fee, fulfillmentChannel, category] = raw as [
    Text, Text, Text, Text[] | null, Array<[string, Text, string]> | null, [number, string, Text, string] | null, Text, Text,
  ];
  return computeEconomics({
    // docs/domain-rules.md §1.1: the current offer's price wins over the listing's own column.
    priceIncVat: offerPrice ?? price,
    vatRate: vatRate ?? rt.settings.defaultVatRate,
    bomLines: (lines ?? []).map(([quantity, wastageRate, unitCostExVat]) => ({ quantity, wastageRate, unitCostExVat })),
    overrides: override && { shipping: override[0], packaging: override[1], handling: override[2], other: override[3] },
    feeSnapshot: fee && { id: fee[0], priceIncVat: fee[1], referralFeeExVat: fee[2], totalFeeExVat: fee[3] },
    fulfillmentChannel,
    category,
    minMargin: rt.settings.minMargin,
  });
}

/** The types under `economics`, computed in JS from the domain's result. */
export const ECONOMICS_TYPES: Record<string, Record<string, (value: any) => unknown>> = {
  Economics: {
    vatRate: (e: Economics) => e.vatRate.toFixed(),
    priceIncVat: (e: Economics) => money(e.priceIncVat),
    priceExVat: (e: Economics) => money(e.priceExVat),
    bomCostExVat: (e: Economics) => e.bomCostExVat.toFixed(2),
    shippingCostExVat: (e: Economics) => e.shippingCostExVat.toFixed(2),
    packagingCostExVat: (e: Economics) => e.packagingCostExVat.toFixed(2),
    handlingCostExVat: (e: Economics) => e.handlingCostExVat.toFixed(2),
    otherCostExVat: (e: Economics) => e.otherCostExVat.toFixed(2),
    fees: (e: Economics) => e.fees,
    totalCostExVat: (e: Economics) => money(e.totalCostExVat),
    profitExVat: (e: Economics) => money(e.profitExVat),
    margin: (e: Economics) => e.margin?.toFixed(4) ?? null,
    breakEvenPriceIncVat: (e: Economics) => money(e.breakEvenPriceIncVat),
    minMarginPriceIncVat: (e: Economics) => money(e.minMarginPriceIncVat),
  },
  EconomicsFees: {
    referralFeeExVat: (f: Economics['fees']) => f.referralFeeExVat?.toFixed(2) ?? null,
    fixedFeeExVat: (f: Economics['fees']) => f.fixedFeeExVat.toFixed(2),
    totalFeeExVat: (f: Economics['fees']) => f.totalFeeExVat?.toFixed(2) ?? null,
    referralRate: (f: Economics['fees']) => f.referralRate.toFixed(4),
    source: (f: Economics['fees']) => f.source,
    feeSnapshotId: (f: Economics['fees']) => f.feeSnapshotId,
  },
};
