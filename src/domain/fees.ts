import { Decimal } from 'decimal.js';
import { type DecimalLike, ONE, ZERO, requireDecimal, round2, toDecimal } from './money.js';

/**
 * Amazon fees per unit (docs/domain-rules.md §1.3): REF's estimate, or a model split from a captured
 * fee quote, and the fees at a given ex-VAT price. Re-exported by economics.ts.
 */

/** REF's estimated referral rate, applied to the ex-VAT price (§1.3). */
export const ESTIMATED_REFERRAL_RATE = new Decimal('0.15');
/** REF's flat FBA fulfilment fee estimate. */
export const ESTIMATED_FBA_FEE = new Decimal('2.50');
/** REF's closing fee for media categories. */
export const ESTIMATED_MEDIA_CLOSING_FEE = new Decimal('0.50');
export const MEDIA_CATEGORIES: readonly string[] = ['Books', 'Music', 'Video', 'DVD', 'Software'];

export type FeeSource = 'SNAPSHOT' | 'ESTIMATE';

/** `fees(P) = round2(r × P_ex) + fixed`: the price-independent part of the fee schedule. */
export interface FeeModel {
  source: FeeSource;
  /** Full precision: it is reused at every hypothetical price. */
  referralRate: Decimal;
  fixedFeeExVat: Decimal;
  feeSnapshotId: number | null;
}

export interface FeeSnapshotInput {
  id?: number | null;
  priceIncVat: DecimalLike;
  referralFeeExVat: DecimalLike | null;
  totalFeeExVat: DecimalLike;
}

/** `price_inc_vat / (1 + vat)`, rounded once as a derived money component: the price fees apply to. */
export function priceExVat(priceIncVat: DecimalLike, vatRate: DecimalLike): Decimal {
  return round2(requireDecimal(priceIncVat).dividedBy(ONE.plus(requireDecimal(vatRate))));
}

function isMediaCategory(category: string | null | undefined): boolean {
  if (!category) return false;
  const wanted = category.trim().toLowerCase();
  return MEDIA_CATEGORIES.some((media) => media.toLowerCase() === wanted);
}

/** REF's estimate: 15 % of the ex-VAT price plus flat FBA and media fees. */
export function estimatedFeeModel(fulfillmentChannel: string | null | undefined, category: string | null | undefined): FeeModel {
  let fixed = ZERO;
  if ((fulfillmentChannel ?? '').trim().toUpperCase() === 'FBA') fixed = fixed.plus(ESTIMATED_FBA_FEE);
  if (isMediaCategory(category)) fixed = fixed.plus(ESTIMATED_MEDIA_CLOSING_FEE);
  return { source: 'ESTIMATE', referralRate: ESTIMATED_REFERRAL_RATE, fixedFeeExVat: fixed, feeSnapshotId: null };
}

/**
 * Fee model from a captured fee quote: the referral part scales with price, the rest is flat.
 * Returns null when the snapshot cannot be split (no referral figure, or a non-positive price), in
 * which case the caller falls back to the estimate rather than freezing fees at one price.
 */
export function snapshotFeeModel(snapshot: FeeSnapshotInput, vatRate: DecimalLike): FeeModel | null {
  const referral = toDecimal(snapshot.referralFeeExVat);
  if (referral === null) return null;
  const snapshotPriceExVat = priceExVat(snapshot.priceIncVat, vatRate);
  if (snapshotPriceExVat.lessThanOrEqualTo(0)) return null;
  const total = requireDecimal(snapshot.totalFeeExVat, 'totalFeeExVat');
  return {
    source: 'SNAPSHOT',
    referralRate: round2(referral).dividedBy(snapshotPriceExVat),
    fixedFeeExVat: round2(total).minus(round2(referral)),
    feeSnapshotId: snapshot.id ?? null,
  };
}

/** Fees at a given ex-VAT price: each part rounded once; the total of 2 dp parts is exact. */
export function feesAtPriceExVat(model: FeeModel, priceExVatValue: Decimal): { referralFeeExVat: Decimal; totalFeeExVat: Decimal } {
  const referralFeeExVat = round2(model.referralRate.times(priceExVatValue));
  return { referralFeeExVat, totalFeeExVat: referralFeeExVat.plus(model.fixedFeeExVat) };
}
