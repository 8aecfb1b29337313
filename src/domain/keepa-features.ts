import { Decimal } from 'decimal.js';
import { type DecimalLike, ZERO, jsonNumber, round2, toDecimal } from './money.js';

/**
 * Keepa features (docs/domain-rules.md §4.1, §4.2) from a Keepa snapshot: the 90-day price band and
 * volatility, the sales-rank trend, offers and Buy Box price. Re-exported by features.ts.
 */

const DAY_MS = 86_400_000;
/** Keepa time is minutes since 2011-01-01T00:00Z. */
const KEEPA_EPOCH_MINUTES = 21_564_000;
const KEEPA_WINDOW_DAYS = 90;

export function keepaMinutesToDate(minutes: number): Date {
  return new Date((minutes + KEEPA_EPOCH_MINUTES) * 60_000);
}

/** Percentile with linear interpolation at index p·(n−1) over sorted values (not time-weighted). */
export function percentile(sorted: readonly Decimal[], p: number): Decimal | null {
  if (sorted.length === 0) return null;
  const index = new Decimal(p).times(sorted.length - 1);
  const lo = index.floor().toNumber();
  const hi = index.ceil().toNumber();
  const fraction = index.minus(lo);
  return sorted[lo]!.plus(sorted[hi]!.minus(sorted[lo]!).times(fraction));
}

export interface PriceStats {
  p25: Decimal | null;
  median: Decimal | null;
  p75: Decimal | null;
  /** Population sd / mean, 3 dp. */
  volatility: Decimal | null;
}

/** §4.1 Keepa: percentiles (2 dp) and volatility of a price series in pounds; prices ≤ 0 are ignored. */
export function priceStats(prices: readonly DecimalLike[]): PriceStats {
  const values = prices.map((p) => toDecimal(p)!).filter((p) => p.greaterThan(0)).sort((a, b) => a.comparedTo(b));
  if (values.length === 0) return { p25: null, median: null, p75: null, volatility: null };
  const mean = values.reduce((s, v) => s.plus(v), ZERO).dividedBy(values.length);
  const variance = values.reduce((s, v) => s.plus(v.minus(mean).pow(2)), ZERO).dividedBy(values.length);
  const at = (p: number) => round2(percentile(values, p)!);
  return {
    p25: at(0.25),
    median: at(0.5),
    p75: at(0.75),
    volatility: variance.sqrt().dividedBy(mean).toDecimalPlaces(3, Decimal.ROUND_HALF_UP),
  };
}

/** (mean of the 2nd half − mean of the 1st half) / 1st half, 3 dp; positive = selling worse. */
export function rankTrend(ranks: readonly number[]): Decimal | null {
  if (ranks.length < 2) return null;
  const half = Math.floor(ranks.length / 2);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s.plus(x), ZERO).dividedBy(xs.length);
  const first = mean(ranks.slice(0, half));
  if (first.isZero()) return null;
  return mean(ranks.slice(half)).minus(first).dividedBy(first).toDecimalPlaces(3, Decimal.ROUND_HALF_UP);
}

/** Keepa csv pairs `[time, value, time, value…]` within the 90 days before `asOf`. */
function seriesWithin(csv: unknown, asOf: Date): Array<{ at: Date; value: number }> {
  if (!Array.isArray(csv)) return [];
  const from = asOf.getTime() - KEEPA_WINDOW_DAYS * DAY_MS;
  const out: Array<{ at: Date; value: number }> = [];
  for (let i = 0; i + 1 < csv.length; i += 2) {
    const [t, v] = [csv[i], csv[i + 1]];
    if (typeof t !== 'number' || typeof v !== 'number') continue;
    const at = keepaMinutesToDate(t);
    if (at.getTime() >= from && at.getTime() <= asOf.getTime()) out.push({ at, value: v });
  }
  return out;
}

export interface KeepaFeatures {
  price_current: number | null;
  price_median_90d: number | null;
  price_p25_90d: number | null;
  price_p75_90d: number | null;
  price_volatility_90d: number | null;
  sales_rank_current: number | null;
  sales_rank_trend_90d: number | null;
  offers_count_current: number | null;
  offers_trend_30d: null;
  buy_box_price: number | null;
}

const metricOf = (metrics: Record<string, unknown>, key: string): number | null =>
  typeof metrics[key] === 'number' ? (metrics[key] as number) : null;

/**
 * §4.1/§4.2 Keepa features from a snapshot's `parsed_json`: the NEW price series (`csv[1]`, pence)
 * and the rank series (`csv[3]`) over 90 days; offers and buy-box price from `metrics`. Without a
 * csv the stored metrics are used as they are.
 */
export function keepaFeatures(parsed: unknown, asOf: Date): KeepaFeatures {
  const json = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const metrics = (json.metrics && typeof json.metrics === 'object' ? json.metrics : {}) as Record<string, unknown>;
  const csv = (json.csv && typeof json.csv === 'object' ? json.csv : null) as Record<string, unknown> | null;
  const base: KeepaFeatures = {
    price_current: metricOf(metrics, 'price_current'),
    price_median_90d: metricOf(metrics, 'price_median_90d'),
    price_p25_90d: metricOf(metrics, 'price_p25_90d'),
    price_p75_90d: metricOf(metrics, 'price_p75_90d'),
    price_volatility_90d: metricOf(metrics, 'volatility_90d') ?? metricOf(metrics, 'price_volatility_90d'),
    sales_rank_current: metricOf(metrics, 'sales_rank_current'),
    sales_rank_trend_90d: metricOf(metrics, 'sales_rank_trend_90d'),
    offers_count_current: metricOf(metrics, 'offers_count_current'),
    offers_trend_30d: null,
    buy_box_price: metricOf(metrics, 'buy_box_price'),
  };
  if (!csv) return base;
  const prices = seriesWithin(csv['1'], asOf).filter((p) => p.value > 0);
  const stats = priceStats(prices.map((p) => new Decimal(p.value).dividedBy(100)));
  const ranks = seriesWithin(csv['3'], asOf).filter((r) => r.value > 0).map((r) => r.value);
  const last = prices.at(-1);
  return {
    ...base,
    price_current: last ? jsonNumber(new Decimal(last.value).dividedBy(100)) : base.price_current,
    price_median_90d: jsonNumber(stats.median),
    price_p25_90d: jsonNumber(stats.p25),
    price_p75_90d: jsonNumber(stats.p75),
    price_volatility_90d: jsonNumber(stats.volatility),
    sales_rank_current: ranks.at(-1) ?? base.sales_rank_current,
    sales_rank_trend_90d: jsonNumber(rankTrend(ranks)),
  };
}
