import { Decimal } from 'decimal.js';
import type { Economics } from './economics.js';
import type { KeepaFeatures } from './keepa-features.js';
import { type DecimalLike, ZERO, jsonNumber, round2, toDecimal } from './money.js';
import {
  type DailySalesRow,
  conversionRate,
  daysOfCover,
  salesVelocity30d,
  stockoutRisk,
  sumWindow,
  utcDateKey,
  utcDateMinusDays,
} from './sales.js';

/**
 * Feature rows of the feature store (docs/domain-rules.md §4): pure functions from live data to
 * `features_json`. Money is computed in decimal and stored as JSON numbers (2 dp), as the listing
 * orderings read them; ratios at 4 dp unless §4 says otherwise.
 */

export const LISTING_FEATURE_VERSION = 1;
export const ASIN_FEATURE_VERSION = 1;

const DAY_MS = 86_400_000;
const ANOMALY_MIN_BASELINE_DAYS = 14;

export type PricePosition = 'BELOW_BAND' | 'IN_BAND' | 'ABOVE_BAND';
export type BuyBoxStatus = 'WON' | 'LOST' | 'PARTIAL' | 'UNKNOWN';

// The Keepa-derived features (price band, rank trend) live in keepa-features.ts; importing them
// from here keeps working.
export { jsonNumber } from './money.js';
export * from './keepa-features.js';

/** price < p25 BELOW_BAND, > p75 ABOVE_BAND, else IN_BAND; null without the band or a price. */
export function competitorPricePosition(price: DecimalLike | null, p25: DecimalLike | null, p75: DecimalLike | null): PricePosition | null {
  const [x, lo, hi] = [toDecimal(price), toDecimal(p25), toDecimal(p75)];
  if (x === null || lo === null || hi === null) return null;
  if (x.lessThan(lo)) return 'BELOW_BAND';
  if (x.greaterThan(hi)) return 'ABOVE_BAND';
  return 'IN_BAND';
}

export function buyBoxRisk(status: string | null | undefined): 'LOW' | 'MEDIUM' | 'HIGH' | 'UNKNOWN' {
  if (status === 'WON') return 'LOW';
  if (status === 'LOST') return 'HIGH';
  if (status === 'PARTIAL') return 'MEDIUM';
  return 'UNKNOWN';
}

/** `round2(min(1, 1 − e^(−|z|/2)))` for z < 0, else 0 (§4.1: z −1 → 0.39, −2 → 0.63, −3 → 0.78). */
export function anomalyScoreFromZ(z: DecimalLike): Decimal {
  const value = toDecimal(z)!;
  if (value.greaterThanOrEqualTo(0)) return ZERO;
  const score = Decimal.min(1, new Decimal(1).minus(value.abs().dividedBy(2).negated().exp()));
  return round2(score);
}

/** Score of a current velocity against a baseline mean and sample sd; sd 0 → 0. */
export function salesAnomalyFromStats(velocity: DecimalLike, mean: DecimalLike, sd: DecimalLike): Decimal {
  const s = toDecimal(sd)!;
  if (s.lessThanOrEqualTo(0)) return ZERO;
  return anomalyScoreFromZ(toDecimal(velocity)!.minus(toDecimal(mean)!).dividedBy(s));
}

/**
 * §4.1 sales anomaly: baseline = daily units D−90 ≤ date < D−7, days without a row counting as 0
 * from the first sales date on; fewer than 14 baseline days or sample sd 0 → 0.
 */
export function salesAnomalyScore(rows: readonly DailySalesRow[], asOf: Date, velocity30d: DecimalLike): Decimal {
  const from = utcDateMinusDays(asOf, 90);
  const to = utcDateMinusDays(asOf, 7);
  const byDay = new Map<string, number>();
  for (const row of rows) {
    const key = utcDateKey(row.date);
    if (key >= from && key < to) byDay.set(key, (byDay.get(key) ?? 0) + (row.units ?? 0));
  }
  if (byDay.size === 0) return ZERO;
  const first = [...byDay.keys()].sort()[0]!;
  const units: number[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    units.push(byDay.get(new Date(t).toISOString().slice(0, 10)) ?? 0);
  }
  if (units.length < ANOMALY_MIN_BASELINE_DAYS) return ZERO;
  const mean = units.reduce((s, u) => s.plus(u), ZERO).dividedBy(units.length);
  const variance = units.reduce((s, u) => s.plus(mean.minus(u).pow(2)), ZERO).dividedBy(units.length - 1);
  return salesAnomalyFromStats(velocity30d, mean, variance.sqrt());
}

export interface ListingFeatureInput {
  asOf: Date;
  economics: Economics | null;
  sales: readonly DailySalesRow[];
  availableQuantity: number | null;
  leadTimeDays: number;
  buyBoxStatus: string | null;
  buyBoxPercentage30d: DecimalLike | null;
  keepa: KeepaFeatures | null;
  /** The previous feature row, for the buy-box transition score. */
  previous?: Record<string, unknown> | null;
}

const money = (value: Decimal | null | undefined) => jsonNumber(value === null || value === undefined ? null : round2(value));

/** Every §4.1 listing feature. Economics missing (the listing could not be priced) → nulls, not zeros. */
export function computeListingFeatures(input: ListingFeatureInput): Record<string, unknown> {
  const e = input.economics;
  const w7 = sumWindow(input.sales, input.asOf, 7);
  const w30 = sumWindow(input.sales, input.asOf, 30);
  const velocity = salesVelocity30d(w30.units);
  const cover = daysOfCover(input.availableQuantity, velocity);
  const bb = input.buyBoxStatus ?? 'UNKNOWN';
  const k = input.keepa;
  const previousBb = input.previous?.buy_box_status;
  return {
    vat_rate: e ? jsonNumber(e.vatRate) : null,
    price_inc_vat: money(e?.priceIncVat),
    price_ex_vat: money(e?.priceExVat),
    bom_cost_ex_vat: money(e?.bomCostExVat),
    shipping_cost_ex_vat: money(e?.shippingCostExVat),
    packaging_cost_ex_vat: money(e?.packagingCostExVat),
    handling_cost_ex_vat: money(e?.handlingCostExVat),
    other_cost_ex_vat: money(e?.otherCostExVat),
    amazon_fees_ex_vat: money(e?.fees.totalFeeExVat),
    total_cost_ex_vat: money(e?.totalCostExVat),
    profit_ex_vat: money(e?.profitExVat),
    margin: jsonNumber(e?.margin),
    break_even_price_inc_vat: money(e?.breakEvenPriceIncVat),
    min_margin_price_inc_vat: money(e?.minMarginPriceIncVat),
    fee_source: e?.fees.source ?? null,
    fee_snapshot_id: e?.fees.feeSnapshotId ?? null,
    units_7d: w7.units,
    units_30d: w30.units,
    revenue_inc_vat_7d: jsonNumber(w7.revenueIncVat),
    revenue_inc_vat_30d: jsonNumber(w30.revenueIncVat),
    sessions_30d: w30.sessions > 0 ? w30.sessions : null,
    conversion_rate_30d: jsonNumber(conversionRate(w30.units, w30.sessions)),
    sales_velocity_units_per_day_30d: jsonNumber(velocity),
    available_quantity: input.availableQuantity,
    days_of_cover: jsonNumber(cover),
    lead_time_days: input.leadTimeDays,
    stockout_risk: stockoutRisk(cover, input.leadTimeDays),
    buy_box_status: bb,
    buy_box_percentage_30d: jsonNumber(toDecimal(input.buyBoxPercentage30d)),
    buy_box_risk: buyBoxRisk(bb),
    competitor_price_position: competitorPricePosition(e?.priceIncVat ?? null, k?.price_p25_90d ?? null, k?.price_p75_90d ?? null),
    price_median_90d: k?.price_median_90d ?? null,
    price_p25_90d: k?.price_p25_90d ?? null,
    price_p75_90d: k?.price_p75_90d ?? null,
    price_volatility_90d: k?.price_volatility_90d ?? null,
    offers_count_current: k?.offers_count_current ?? null,
    offers_trend_30d: null,
    sales_rank_trend_90d: k?.sales_rank_trend_90d ?? null,
    sales_anomaly_score: jsonNumber(salesAnomalyScore(input.sales, input.asOf, velocity)),
    conversion_anomaly_score: null,
    buy_box_anomaly_score: previousBb === 'WON' && bb === 'LOST' ? 1 : 0,
  };
}

export interface AsinFeatureInput {
  asin: string;
  marketplaceId: number;
  title: string | null;
  brand: string | null;
  category: string | null;
  keepa: KeepaFeatures | null;
  /** Active scenario BOM cost, or null. */
  scenarioBomCostExVat: Decimal | null;
  /** Economics of the scenario at Keepa's current price (§1.3 fees), or null without BOM or price. */
  opportunity: Economics | null;
}

/** §4.2 ASIN features; opportunity margin at 3 dp as REF. */
export function computeAsinFeatures(input: AsinFeatureInput): Record<string, unknown> {
  const k = input.keepa;
  const o = input.opportunity;
  const margin = o?.marginExact ?? null;
  return {
    asin: input.asin,
    marketplace_id: input.marketplaceId,
    title: input.title,
    brand: input.brand,
    category: input.category,
    price_current: k?.price_current ?? null,
    price_median_90d: k?.price_median_90d ?? null,
    price_p25_90d: k?.price_p25_90d ?? null,
    price_p75_90d: k?.price_p75_90d ?? null,
    price_volatility_90d: k?.price_volatility_90d ?? null,
    sales_rank_current: k?.sales_rank_current ?? null,
    sales_rank_trend_90d: k?.sales_rank_trend_90d ?? null,
    offers_count_current: k?.offers_count_current ?? null,
    buy_box_price: k?.buy_box_price ?? null,
    scenario_bom_cost_ex_vat: money(input.scenarioBomCostExVat),
    has_scenario_bom: input.scenarioBomCostExVat !== null,
    opportunity_profit: money(o?.profitExVat),
    opportunity_margin: margin === null ? null : jsonNumber(margin.toDecimalPlaces(3, Decimal.ROUND_HALF_UP)),
  };
}
