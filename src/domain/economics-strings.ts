import type { Decimal } from 'decimal.js';
import type { Economics } from './economics.js';
import type { FeeSource } from './fees.js';

/** String form for GraphQL and JSON columns: money at 2 dp, ratios at 4 dp, nulls kept. */
export interface EconomicsStrings {
  vatRate: string;
  priceIncVat: string | null;
  priceExVat: string | null;
  bomCostExVat: string;
  shippingCostExVat: string;
  packagingCostExVat: string;
  handlingCostExVat: string;
  otherCostExVat: string;
  nonFeeCostExVat: string;
  fees: {
    referralFeeExVat: string | null;
    fixedFeeExVat: string;
    totalFeeExVat: string | null;
    source: FeeSource;
    feeSnapshotId: number | null;
    referralRate: string;
  };
  totalCostExVat: string | null;
  profitExVat: string | null;
  margin: string | null;
  breakEvenPriceIncVat: string | null;
  minMarginPriceIncVat: string | null;
}

const money = (value: Decimal | null): string | null => (value === null ? null : value.toFixed(2));

export function economicsToStrings(e: Economics): EconomicsStrings {
  return {
    vatRate: e.vatRate.toString(),
    priceIncVat: money(e.priceIncVat),
    priceExVat: money(e.priceExVat),
    bomCostExVat: e.bomCostExVat.toFixed(2),
    shippingCostExVat: e.shippingCostExVat.toFixed(2),
    packagingCostExVat: e.packagingCostExVat.toFixed(2),
    handlingCostExVat: e.handlingCostExVat.toFixed(2),
    otherCostExVat: e.otherCostExVat.toFixed(2),
    nonFeeCostExVat: e.nonFeeCostExVat.toFixed(2),
    fees: {
      referralFeeExVat: money(e.fees.referralFeeExVat),
      fixedFeeExVat: e.fees.fixedFeeExVat.toFixed(2),
      totalFeeExVat: money(e.fees.totalFeeExVat),
      source: e.fees.source,
      feeSnapshotId: e.fees.feeSnapshotId,
      referralRate: e.fees.referralRate.toFixed(4),
    },
    totalCostExVat: money(e.totalCostExVat),
    profitExVat: money(e.profitExVat),
    margin: e.margin === null ? null : e.margin.toFixed(4),
    breakEvenPriceIncVat: money(e.breakEvenPriceIncVat),
    minMarginPriceIncVat: money(e.minMarginPriceIncVat),
  };
}
