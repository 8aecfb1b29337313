import { Decimal } from 'decimal.js';
import { type Economics, economicsAtPrice } from './economics.js';
import { type GuardrailSettings, evaluatePriceChange, evaluateStockChange, guardrailResultToJson } from './guardrails.js';
import { type DecimalLike, ZERO, ceilToPenny, floorToPenny, formatMoney, formatRatio, toDecimal } from './money.js';
import { DEFAULT_LEAD_TIME_DAYS } from './sales.js';

/**
 * The recommendation generator (docs/domain-rules.md §5.1 table, §5.2 fixes): pure functions from an entity's
 * latest features and live economics to candidate recommendations. Persisting them (the §5.3 run)
 * is the job handler's part.
 */

export type RecommendationType =
  | 'PRICE_DECREASE_REGAIN_BUYBOX'
  | 'PRICE_INCREASE_MARGIN_OPPORTUNITY'
  | 'STOCK_INCREASE_STOCKOUT_RISK'
  | 'STOCK_DECREASE_OVERSTOCK'
  | 'MARGIN_AT_RISK_COMPONENT_COST'
  | 'ANOMALY_SALES_DROP'
  | 'ANOMALY_CONVERSION_DROP'
  | 'ANOMALY_BUY_BOX_LOSS'
  | 'OPPORTUNITY_CREATE_LISTING';

export type Confidence = 'HIGH' | 'MEDIUM' | 'LOW';
type Json = Record<string, unknown>;

export interface Candidate {
  type: RecommendationType;
  actionPayload: Json;
  evidence: Json;
  guardrails: Json | null;
  impact: Json;
  confidence: Confidence;
  /** 4 dp decimal string. */
  confidenceScore: string;
}

/** ⚑ STOCK_DECREASE_OVERSTOCK trigger (§5.1): cover above this many days. */
export const DEFAULT_OVERSTOCK_DAYS = 120;
const ANOMALY_TRIGGER = new Decimal('0.7');
const OPPORTUNITY_MARGIN = new Decimal('0.20');
const OPPORTUNITY_HIGH_MARGIN = new Decimal('0.30');
const MARGIN_HEADROOM = new Decimal('0.05');
const INCREASE_CAP = new Decimal('1.05');
const INCREASE_MIN = new Decimal('1.01');

const num = (features: Json, key: string): Decimal | null => {
  const value = features[key];
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  try {
    return toDecimal(value);
  } catch {
    return null;
  }
};
const text = (features: Json, key: string): string | null => (typeof features[key] === 'string' ? (features[key] as string) : null);
const money = (value: Decimal | null) => (value === null ? null : formatMoney(value));
const ratio = (value: Decimal | null) => (value === null ? null : formatRatio(value));
const score = (band: Confidence, value: string) => ({ confidence: band, confidenceScore: value });

/**
 * §5.2: a price suggestion moves at most `maxPct` from the current price, rounded toward the
 * current price (a decrease ceils, an increase floors): 19.99 −5 % → 19.00, +5 % → 20.98.
 */
export function clampPriceSuggestion(current: DecimalLike, target: DecimalLike, maxPct: DecimalLike): Decimal {
  const [c, t, pct] = [toDecimal(current)!, toDecimal(target)!, toDecimal(maxPct)!];
  if (t.lessThan(c)) return Decimal.max(t, ceilToPenny(c.times(new Decimal(1).minus(pct))));
  if (t.greaterThan(c)) return Decimal.min(t, floorToPenny(c.times(new Decimal(1).plus(pct))));
  return t;
}

/** §5.1 STOCK_INCREASE target: ceil(velocity × 2L). */
export function stockTarget(velocity: DecimalLike, leadTimeDays: number): number {
  return toDecimal(velocity)!.times(2 * leadTimeDays).ceil().toNumber();
}

export interface ListingRuleInput {
  features: Json;
  /** Live economics at the current price (the same code as the `economics` field). */
  economics: Economics;
  currentPriceIncVat: Decimal | null;
  /** §3.1 daily-limit reference price. */
  referencePriceIncVat: Decimal | null;
  daysOfCover: Decimal | null;
  currentQuantity: number | null;
  settings: GuardrailSettings;
  previousFeatures?: Json | null;
  overstockDays?: number;
}

/** A clamped CHANGE_PRICE candidate, or null when the clamped price fails §3.1 (REF would publish-fail). */
function priceCandidate(input: ListingRuleInput, type: RecommendationType, target: Decimal, extra: { evidence: Json; confidence: Confidence; score: string }): Candidate | null {
  const current = input.currentPriceIncVat!;
  const suggested = clampPriceSuggestion(current, target, input.settings.maxPriceChangePctPerDay);
  if (suggested.equals(current)) return null;
  const result = evaluatePriceChange(
    { economicsBase: input.economics, currentPriceIncVat: current, referencePriceIncVat: input.referencePriceIncVat, newPriceIncVat: suggested, daysOfCover: input.daysOfCover },
    input.settings,
  );
  if (!result.passed) return null;
  const after = result.economicsAfter;
  const before = input.economics;
  return {
    type,
    actionPayload: {
      action: 'CHANGE_PRICE',
      suggested_price_inc_vat: formatMoney(suggested),
      current_price_inc_vat: formatMoney(current),
      price_change: formatMoney(suggested.minus(current)),
    },
    evidence: { ...extra.evidence, unclamped_target_price_inc_vat: formatMoney(target) },
    guardrails: guardrailResultToJson(result),
    impact: {
      margin_before: ratio(before.marginExact),
      margin_after: ratio(after.marginExact),
      margin_change: before.marginExact && after.marginExact ? ratio(after.marginExact.minus(before.marginExact)) : null,
      profit_before: money(before.profitExVat),
      profit_after: money(after.profitExVat),
      profit_change: before.profitExVat && after.profitExVat ? money(after.profitExVat.minus(before.profitExVat)) : null,
    },
    ...score(extra.confidence, extra.score),
  };
}

function regainBuyBox(input: ListingRuleInput): Candidate | null {
  const f = input.features;
  const p25 = num(f, 'price_p25_90d');
  const price = input.currentPriceIncVat;
  if (text(f, 'buy_box_status') !== 'LOST' || p25 === null || price === null || !p25.lessThan(price)) return null;
  const atP25 = economicsAtPrice(input.economics, p25);
  if (atP25.marginExact === null || atP25.marginExact.lessThan(input.settings.minMargin)) return null;
  const volatility = num(f, 'price_volatility_90d');
  const [band, value]: [Confidence, string] =
    volatility !== null && volatility.lessThan('0.10') ? ['HIGH', '0.8500'] : volatility !== null && volatility.lessThan('0.20') ? ['MEDIUM', '0.6500'] : ['LOW', '0.4500'];
  const bbPct = f.buy_box_percentage_30d ?? null;
  const candidate = priceCandidate(input, 'PRICE_DECREASE_REGAIN_BUYBOX', p25, {
    evidence: {
      buy_box_status: 'LOST',
      buy_box_percentage_30d: bbPct,
      price_p25_90d: money(p25),
      price_median_90d: money(num(f, 'price_median_90d')),
      competitor_price_position: f.competitor_price_position ?? null,
      note: 'Pricing at the 90-day 25th percentile of NEW offers is likely to win back the Buy Box.',
      ...(bbPct === null ? { disclaimer: 'Buy Box percentage unknown: likelihood estimated from price position only.' } : {}),
    },
    confidence: band,
    score: value,
  });
  if (candidate) candidate.impact.buy_box_recovery_likelihood = band;
  return candidate;
}

function increaseMargin(input: ListingRuleInput): Candidate | null {
  const f = input.features;
  const median = num(f, 'price_median_90d');
  const price = input.currentPriceIncVat;
  const margin = input.economics.marginExact;
  if (text(f, 'buy_box_status') !== 'WON' || median === null || price === null || margin === null) return null;
  if (!margin.greaterThan(new Decimal(input.settings.minMargin).plus(MARGIN_HEADROOM)) || !median.greaterThan(price)) return null;
  const target = Decimal.min(median, price.times(INCREASE_CAP));
  if (target.lessThanOrEqualTo(price.times(INCREASE_MIN))) return null;
  const candidate = priceCandidate(input, 'PRICE_INCREASE_MARGIN_OPPORTUNITY', target, {
    evidence: { buy_box_status: 'WON', margin: ratio(margin), price_median_90d: money(median), competitor_price_position: f.competitor_price_position ?? null },
    confidence: 'MEDIUM',
    score: '0.6000',
  });
  if (candidate) candidate.impact.buy_box_risk = 'LOW';
  return candidate;
}

function leadTime(f: Json): number {
  const l = num(f, 'lead_time_days');
  return l !== null && l.greaterThan(0) ? l.toNumber() : DEFAULT_LEAD_TIME_DAYS;
}

function stockIncrease(input: ListingRuleInput): Candidate | null {
  const f = input.features;
  const risk = text(f, 'stockout_risk');
  const velocity = num(f, 'sales_velocity_units_per_day_30d');
  const qty = input.currentQuantity;
  if ((risk !== 'HIGH' && risk !== 'MEDIUM') || velocity === null || qty === null) return null;
  const L = leadTime(f);
  const target = stockTarget(velocity, L);
  if (target <= qty) return null;
  const cover = num(f, 'days_of_cover') ?? ZERO;
  const gap = Decimal.max(ZERO, new Decimal(2 * L).minus(cover));
  const guardrails = guardrailResultToJson(evaluateStockChange({ currentQuantity: qty, newQuantity: target }, input.settings));
  return {
    type: 'STOCK_INCREASE_STOCKOUT_RISK',
    actionPayload: { action: 'CHANGE_STOCK', suggested_quantity: target, current_quantity: qty, quantity_change: target - qty },
    evidence: { available_quantity: qty, days_of_cover: f.days_of_cover ?? null, sales_velocity_units_per_day_30d: velocity.toString(), lead_time_days: L, stockout_risk: risk },
    guardrails,
    impact: {
      prevented_stockout_days: gap.toString(),
      revenue_protected_inc_vat: input.currentPriceIncVat ? formatMoney(velocity.times(gap).times(input.currentPriceIncVat)) : null,
    },
    ...(risk === 'HIGH' ? score('HIGH', '0.9000') : score('MEDIUM', '0.7000')),
  };
}

function overstock(input: ListingRuleInput): Candidate | null {
  const f = input.features;
  const velocity = num(f, 'sales_velocity_units_per_day_30d');
  const cover = num(f, 'days_of_cover');
  const qty = input.currentQuantity;
  if (velocity === null || cover === null || qty === null || !velocity.greaterThan(0)) return null;
  if (!cover.greaterThan(input.overstockDays ?? DEFAULT_OVERSTOCK_DAYS)) return null;
  const L = leadTime(f);
  const suggested = Math.max(input.settings.minStockThreshold, stockTarget(velocity, L));
  return {
    type: 'STOCK_DECREASE_OVERSTOCK',
    actionPayload: { action: 'REVIEW_STOCK', suggested_quantity: suggested, current_quantity: qty },
    evidence: { available_quantity: qty, days_of_cover: cover.toString(), sales_velocity_units_per_day_30d: velocity.toString(), lead_time_days: L, overstock_days: input.overstockDays ?? DEFAULT_OVERSTOCK_DAYS },
    guardrails: null,
    impact: { excess_units: qty - suggested },
    ...score('MEDIUM', '0.6000'),
  };
}

function marginAtRisk(input: ListingRuleInput): Candidate | null {
  const e = input.economics;
  const min = new Decimal(input.settings.minMargin);
  if (e.marginExact === null || !e.marginExact.lessThan(min) || e.priceIncVat === null) return null;
  const previousBom = input.previousFeatures ? num(input.previousFeatures, 'bom_cost_ex_vat') : null;
  const minPrice = e.minMarginPriceIncVat;
  return {
    type: 'MARGIN_AT_RISK_COMPONENT_COST',
    actionPayload: { action: 'REVIEW_COSTS', current_margin: ratio(e.marginExact), min_margin: min.toString(), break_even_price_inc_vat: money(e.breakEvenPriceIncVat) },
    evidence: {
      margin: ratio(e.marginExact),
      threshold: min.toString(),
      bom_cost_ex_vat: money(e.bomCostExVat),
      total_cost_ex_vat: money(e.totalCostExVat),
      bom_cost_delta: previousBom === null ? null : money(e.bomCostExVat.minus(previousBom)),
    },
    guardrails: { violation: 'min_margin', actual: ratio(e.marginExact), threshold: min.toString() },
    impact: { margin_gap: ratio(min.minus(e.marginExact)), price_increase_needed: minPrice ? money(minPrice.minus(e.priceIncVat)) : null },
    ...score('HIGH', '0.9500'),
  };
}

function anomaly(input: ListingRuleInput, type: RecommendationType, key: string, kind: string, predicate: (value: Decimal) => boolean): Candidate | null {
  const f = input.features;
  const value = num(f, key);
  if (value === null || !predicate(value)) return null;
  return {
    type,
    actionPayload: { action: 'INVESTIGATE', anomaly_type: kind },
    evidence: {
      [key]: value.toString(),
      units_7d: f.units_7d ?? null,
      units_30d: f.units_30d ?? null,
      sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d ?? null,
      buy_box_status: f.buy_box_status ?? null,
    },
    guardrails: null,
    impact: { urgency: 'HIGH', possible_causes: ['competitor undercut', 'lost Buy Box', 'listing suppressed or changed', 'seasonality'] },
    ...score('MEDIUM', '0.7000'),
  };
}

/** Every §5.1 listing rule in table order; a rule whose inputs are missing is skipped (§5.2). */
export function evaluateListingRules(input: ListingRuleInput): Candidate[] {
  const candidates = [
    regainBuyBox(input),
    increaseMargin(input),
    stockIncrease(input),
    overstock(input),
    marginAtRisk(input),
    anomaly(input, 'ANOMALY_SALES_DROP', 'sales_anomaly_score', 'SALES_DROP', (v) => v.greaterThan(ANOMALY_TRIGGER)),
    anomaly(input, 'ANOMALY_CONVERSION_DROP', 'conversion_anomaly_score', 'CONVERSION_DROP', (v) => v.greaterThan(ANOMALY_TRIGGER)),
    anomaly(input, 'ANOMALY_BUY_BOX_LOSS', 'buy_box_anomaly_score', 'BUY_BOX_LOSS', (v) => v.equals(1)),
  ];
  return candidates.filter((c): c is Candidate => c !== null);
}

/** §5.1 OPPORTUNITY_CREATE_LISTING from ASIN features. */
export function evaluateAsinRules(features: Json): Candidate[] {
  const margin = num(features, 'opportunity_margin');
  if (margin === null || !margin.greaterThan(OPPORTUNITY_MARGIN)) return [];
  const pick = (...keys: string[]) => Object.fromEntries(keys.map((k) => [k, features[k] ?? null]));
  return [
    {
      type: 'OPPORTUNITY_CREATE_LISTING',
      actionPayload: { action: 'CREATE_LISTING', asin: features.asin ?? null, estimated_margin: margin.toString(), estimated_profit: features.opportunity_profit ?? null },
      evidence: pick('asin', 'title', 'brand', 'category', 'price_current', 'scenario_bom_cost_ex_vat', 'sales_rank_current', 'offers_count_current'),
      guardrails: null,
      impact: { estimated_margin: margin.toString(), estimated_profit: features.opportunity_profit ?? null },
      ...(margin.greaterThan(OPPORTUNITY_HIGH_MARGIN) ? score('HIGH', '0.8000') : score('MEDIUM', '0.6000')),
    },
  ];
}

/** Types whose action is a publish (§5.1): skipped while their publish job is queued (§5.3). */
export const PUBLISH_JOB_OF_TYPE: Partial<Record<RecommendationType, 'PUBLISH_PRICE_CHANGE' | 'PUBLISH_STOCK_CHANGE'>> = {
  PRICE_DECREASE_REGAIN_BUYBOX: 'PUBLISH_PRICE_CHANGE',
  PRICE_INCREASE_MARGIN_OPPORTUNITY: 'PUBLISH_PRICE_CHANGE',
  STOCK_INCREASE_STOCKOUT_RISK: 'PUBLISH_STOCK_CHANGE',
};
