/** Feature-store rows of a listing and of an ASIN entity. */
import type { BomLineInput } from '../../domain/economics.js';
import { Decimal } from '../../domain/money.js';
import { opportunityEconomics, type Econ } from './economics.js';
import { type KeepaMetrics } from './snapshots.js';
import { gbp, r1, r2, r4 } from './units.js';

export interface SalesDay { units: number; revenue: number }

export function listingFeatures(
  e: Econ, sales: SalesDay[], end: number, qty: number, leadTime: number, bb: { status: string; pct: number | null }, k: KeepaMetrics,
): Record<string, unknown> {
  // sales[i] is day D−90+i; `end` = index one past the last complete day of the window.
  const sum = (from: number, to: number, f: (d: SalesDay) => number) => {
    let s = 0;
    for (let i = Math.max(0, from); i < to; i++) s += f(sales[i]!);
    return s;
  };
  const units7 = sum(end - 7, end, (d) => d.units);
  const units30 = sum(end - 30, end, (d) => d.units);
  const rev7 = sum(end - 7, end, (d) => d.revenue);
  const rev30 = sum(end - 30, end, (d) => d.revenue);
  const velocity = units30 / 30;
  const cover = velocity > 0 ? r1(qty / velocity) : null;
  const risk = cover === null ? 'LOW' : cover <= leadTime / 2 ? 'HIGH' : cover <= leadTime ? 'MEDIUM' : 'LOW';
  const baseline = sales.slice(0, Math.max(0, end - 7)).map((d) => d.units);
  let anomaly = 0;
  if (baseline.length >= 14) {
    const mean = baseline.reduce((s, u) => s + u, 0) / baseline.length;
    const sd = Math.sqrt(baseline.reduce((s, u) => s + (u - mean) ** 2, 0) / (baseline.length - 1));
    if (sd > 0) {
      const z = (velocity - mean) / sd;
      anomaly = z >= 0 ? 0 : r2(Math.min(1, 1 - Math.exp(-Math.abs(z) / 2)));
    }
  }
  const price = e.priceInc / 100;
  return {
    vat_rate: e.vatBp / 10_000,
    price_inc_vat: gbp(e.priceInc),
    price_ex_vat: gbp(e.priceEx),
    bom_cost_ex_vat: gbp(e.bom),
    shipping_cost_ex_vat: gbp(e.ship),
    packaging_cost_ex_vat: gbp(e.pack),
    handling_cost_ex_vat: gbp(e.handling),
    other_cost_ex_vat: gbp(e.other),
    amazon_fees_ex_vat: gbp(e.fees),
    profit_ex_vat: gbp(e.profit),
    margin: r4(e.margin),
    break_even_price_inc_vat: gbp(e.breakEvenInc),
    units_7d: units7,
    units_30d: units30,
    revenue_inc_vat_7d: gbp(rev7),
    revenue_inc_vat_30d: gbp(rev30),
    sales_velocity_units_per_day_30d: r2(velocity),
    available_quantity: qty,
    days_of_cover: cover,
    lead_time_days: leadTime,
    stockout_risk: risk,
    buy_box_status: bb.status,
    buy_box_percentage_30d: bb.pct,
    buy_box_risk: bb.status === 'WON' ? 'LOW' : bb.status === 'LOST' ? 'HIGH' : 'UNKNOWN',
    competitor_price_position: price < k.price_p25_90d ? 'BELOW_BAND' : price > k.price_p75_90d ? 'ABOVE_BAND' : 'IN_BAND',
    price_median_90d: k.price_median_90d,
    price_p25_90d: k.price_p25_90d,
    price_p75_90d: k.price_p75_90d,
    price_volatility_90d: k.volatility_90d,
    offers_count_current: k.offers_count_current,
    sales_rank_trend_90d: k.sales_rank_trend_90d,
    sales_anomaly_score: anomaly,
  };
}

export function asinFeatures(
  asin: string, marketplaceId: number, title: string, brand: string, category: string, k: KeepaMetrics,
  scenario: { bomPence: number; lines: BomLineInput[] } | null, vatBp: number,
): Record<string, unknown> {
  const scenarioBomPence = scenario?.bomPence ?? null;
  let profit: number | null = null;
  let margin: number | null = null;
  if (scenario !== null) {
    const o = opportunityEconomics({ priceCurrent: k.price_current, vatBp, bomLines: scenario.lines, category });
    profit = o.profit;
    // 3 dp as the ASIN features job stores it (src/domain/features.ts).
    margin = o.margin === null ? null : o.margin.toDecimalPlaces(3, Decimal.ROUND_HALF_UP).toNumber();
  }
  return {
    asin, marketplace_id: marketplaceId, title, brand, category,
    price_current: k.price_current, price_median_90d: k.price_median_90d, price_p25_90d: k.price_p25_90d,
    price_p75_90d: k.price_p75_90d, price_volatility_90d: k.volatility_90d, sales_rank_current: k.sales_rank_current,
    sales_rank_trend_90d: k.sales_rank_trend_90d, offers_count_current: k.offers_count_current, buy_box_price: k.buy_box_price,
    scenario_bom_cost_ex_vat: scenarioBomPence === null ? null : gbp(scenarioBomPence), has_scenario_bom: scenarioBomPence !== null,
    opportunity_profit: profit === null ? null : gbp(profit), opportunity_margin: margin,
  };
}
