/**
 * How a feature row's features_json becomes the typed fields of FeatureSnapshot: shared by the
 * schema's resolvers and the compiled read path, so both show the same values.
 */
import { Decimal } from 'decimal.js';

export type Features = Record<string, unknown>;

export function featuresOf(row: { featuresJson: unknown }): Features {
  const json = row.featuresJson;
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Features) : {};
}

/** The first of `keys` present with a non-null value (REF and DOMAIN spell a few keys differently). */
export function pick(features: Features, keys: readonly string[]): unknown {
  for (const key of keys) {
    const value = features[key];
    if (value !== undefined && value !== null) return value;
  }
  return null;
}

/**
 * A JSON number or numeric string as a decimal string: `String(19.99)` is "19.99", the shortest
 * text that round-trips the stored double, so no float arithmetic touches the value.
 */
export function asDecimal(value: unknown): string | null {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : null) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return null;
  // decimal.js only re-spells exponent notation (1e-7 -> 0.0000001); it does no arithmetic.
  return /[eE]/.test(text) ? new Decimal(text).toFixed() : text;
}

export function asInt(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && Math.abs(n) <= 2_147_483_647 ? n : null;
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

// Field name -> feature keys (first present wins). docs/domain-rules.md §4.1 (listing) and §4.2 (ASIN).
export const DECIMAL_FEATURES: Record<string, readonly string[]> = {
  vatRate: ['vat_rate'],
  priceIncVat: ['price_inc_vat'],
  priceExVat: ['price_ex_vat'],
  bomCostExVat: ['bom_cost_ex_vat'],
  shippingCostExVat: ['shipping_cost_ex_vat'],
  packagingCostExVat: ['packaging_cost_ex_vat'],
  handlingCostExVat: ['handling_cost_ex_vat'],
  otherCostExVat: ['other_cost_ex_vat'],
  amazonFeesExVat: ['amazon_fees_ex_vat'],
  profitExVat: ['profit_ex_vat'],
  margin: ['margin'],
  breakEvenPriceIncVat: ['break_even_price_inc_vat'],
  revenueIncVat7d: ['revenue_inc_vat_7d'],
  revenueIncVat30d: ['revenue_inc_vat_30d'],
  conversionRate30d: ['conversion_rate_30d'],
  salesVelocityUnitsPerDay30d: ['sales_velocity_units_per_day_30d'],
  daysOfCover: ['days_of_cover'],
  buyBoxPercentage30d: ['buy_box_percentage_30d'],
  priceMedian90d: ['price_median_90d'],
  priceP25_90d: ['price_p25_90d'],
  priceP75_90d: ['price_p75_90d'],
  priceVolatility90d: ['price_volatility_90d', 'volatility_90d'],
  offersTrend30d: ['offers_trend_30d'],
  salesAnomalyScore: ['sales_anomaly_score'],
  conversionAnomalyScore: ['conversion_anomaly_score'],
  buyBoxAnomalyScore: ['buy_box_anomaly_score'],
  // ASIN (§4.2)
  priceCurrent: ['price_current'],
  salesRankTrend90d: ['sales_rank_trend_90d', 'rank_trend_90d'],
  buyBoxPrice: ['buy_box_price'],
  scenarioBomCostExVat: ['scenario_bom_cost_ex_vat'],
  opportunityProfit: ['opportunity_profit'],
  opportunityMargin: ['opportunity_margin'],
};

export const INT_FEATURES: Record<string, readonly string[]> = {
  units7d: ['units_7d'],
  units30d: ['units_30d'],
  sessions30d: ['sessions_30d'],
  availableQuantity: ['available_quantity'],
  leadTimeDays: ['lead_time_days'],
  offersCountCurrent: ['offers_count_current'],
  // ASIN (§4.2)
  marketplaceId: ['marketplace_id'],
  salesRankCurrent: ['sales_rank_current'],
};

export const STRING_FEATURES: Record<string, readonly string[]> = {
  stockoutRisk: ['stockout_risk'],
  buyBoxStatus: ['buy_box_status'],
  buyBoxRisk: ['buy_box_risk'],
  competitorPricePosition: ['competitor_price_position'],
  // ASIN (§4.2)
  asin: ['asin'],
  title: ['title'],
  brand: ['brand'],
  category: ['category'],
};

/** Features that reveal a cost (costs, fees, profit, margin): `costs:read` only. */
export const COST_FEATURES = new Set([
  'bomCostExVat', 'shippingCostExVat', 'packagingCostExVat', 'handlingCostExVat', 'otherCostExVat', 'amazonFeesExVat',
  'profitExVat', 'margin', 'breakEvenPriceIncVat', 'scenarioBomCostExVat', 'opportunityProfit', 'opportunityMargin',
]);

