import { describe, expect, it } from 'vitest';
import { computeEconomics, type EconomicsInput } from '../../src/domain/economics.js';
import {
  anomalyScoreFromZ,
  competitorPricePosition,
  computeAsinFeatures,
  computeListingFeatures,
  keepaFeatures,
  priceStats,
  salesAnomalyFromStats,
  salesAnomalyScore,
} from '../../src/domain/features.js';
import { daysOfCover, salesVelocity30d, stockoutRisk } from '../../src/domain/sales.js';

const asOf = new Date('2026-06-15T10:00:00Z');
const KEEPA_EPOCH_MINUTES = 21_564_000;
const keepaMinutes = (d: Date) => Math.floor(d.getTime() / 60_000) - KEEPA_EPOCH_MINUTES;

const exampleA: EconomicsInput = {
  priceIncVat: '24.00',
  vatRate: '0.20',
  bomLines: [{ quantity: '2', unitCostExVat: '3.00' }],
  overrides: { shipping: '2.00', packaging: '0.50' },
  fulfillmentChannel: 'FBM',
  minMargin: '0.15',
};
const exampleB: EconomicsInput = {
  priceIncVat: '19.99',
  vatRate: '0.20',
  bomLines: [
    { quantity: '2', wastageRate: '0.05', unitCostExVat: '1.20' },
    { quantity: '1.5', wastageRate: '0.10', unitCostExVat: '0.07' },
    { quantity: '1', wastageRate: '0', unitCostExVat: '3.00' },
  ],
  overrides: { shipping: '2.10', packaging: '0.35' },
  fulfillmentChannel: 'FBM',
};

function dailyRows(units: number[], endDaysAgo = 1): Array<{ date: string; units: number }> {
  // units[units.length - 1] is D − endDaysAgo.
  return units.map((u, i) => {
    const d = new Date(Date.UTC(2026, 5, 15) - (units.length - 1 - i + endDaysAgo) * 86_400_000);
    return { date: d.toISOString().slice(0, 10), units: u };
  });
}

const base = { asOf, sales: [], availableQuantity: 12, leadTimeDays: 14, buyBoxStatus: 'WON', buyBoxPercentage30d: null, keepa: null };

describe('listing features carry the §1.6 economics', () => {
  it('example A: ex 20.00, fees 3.00, profit 8.50, margin 0.4250, break-even 12.00, min-margin price 14.58', () => {
    const f = computeListingFeatures({ ...base, economics: computeEconomics(exampleA) });
    expect(f).toMatchObject({
      vat_rate: 0.2,
      price_inc_vat: 24,
      price_ex_vat: 20,
      bom_cost_ex_vat: 6,
      shipping_cost_ex_vat: 2,
      packaging_cost_ex_vat: 0.5,
      amazon_fees_ex_vat: 3,
      total_cost_ex_vat: 11.5,
      profit_ex_vat: 8.5,
      margin: 0.425,
      break_even_price_inc_vat: 12,
      min_margin_price_inc_vat: 14.58,
      fee_source: 'ESTIMATE',
    });
  });

  it('example B: BOM 5.64, ex 16.66, fees 2.50, total 10.59, profit 6.07, margin 0.3643', () => {
    const f = computeListingFeatures({ ...base, economics: computeEconomics(exampleB) });
    expect(f).toMatchObject({ bom_cost_ex_vat: 5.64, price_ex_vat: 16.66, amazon_fees_ex_vat: 2.5, total_cost_ex_vat: 10.59, profit_ex_vat: 6.07, margin: 0.3643 });
  });

  it('without economics every money feature is null, never zero (§4.1 ⚑)', () => {
    const f = computeListingFeatures({ ...base, economics: null });
    expect(f.margin).toBeNull();
    expect(f.profit_ex_vat).toBeNull();
    expect(f.price_inc_vat).toBeNull();
  });
});

describe('Keepa features (§4.1 example)', () => {
  it('[17.99 … 21.99] → p25 18.99, median 19.99, p75 20.99, volatility 0.071', () => {
    const s = priceStats(['17.99', '18.99', '19.99', '20.99', '21.99']);
    expect(s.p25!.toFixed(2)).toBe('18.99');
    expect(s.median!.toFixed(2)).toBe('19.99');
    expect(s.p75!.toFixed(2)).toBe('20.99');
    expect(s.volatility!.toFixed(3)).toBe('0.071');
  });

  it('reads the NEW price series of a snapshot (pence, 90 days, price > 0) and places 19.99 IN_BAND', () => {
    const at = (daysAgo: number) => keepaMinutes(new Date(asOf.getTime() - daysAgo * 86_400_000));
    const csv1 = [at(200), 999, at(80), 1799, at(60), 1899, at(50), -1, at(40), 1999, at(20), 2099, at(5), 2199];
    const k = keepaFeatures({ metrics: { offers_count_current: 7, buy_box_price: 19.5 }, csv: { '1': csv1, '3': [at(80), 1000, at(60), 1000, at(30), 1200, at(10), 1400] } }, asOf);
    expect(k).toMatchObject({ price_p25_90d: 18.99, price_median_90d: 19.99, price_p75_90d: 20.99, price_volatility_90d: 0.071, price_current: 21.99, offers_count_current: 7 });
    // ranks: (mean(1200, 1400) − mean(1000, 1000)) / 1000 = 0.3
    expect(k.sales_rank_trend_90d).toBe(0.3);
    expect(competitorPricePosition('19.99', k.price_p25_90d, k.price_p75_90d)).toBe('IN_BAND');
    expect(competitorPricePosition('18.98', k.price_p25_90d, k.price_p75_90d)).toBe('BELOW_BAND');
    expect(competitorPricePosition('21.00', k.price_p25_90d, k.price_p75_90d)).toBe('ABOVE_BAND');
    const f = computeListingFeatures({ ...base, economics: computeEconomics({ ...exampleA, priceIncVat: '19.99' }), keepa: k });
    expect(f.competitor_price_position).toBe('IN_BAND');
  });
});

describe('sales anomaly (§4.1)', () => {
  it('z −1 → 0.39, −2 → 0.63, −3 → 0.78; z ≥ 0 → 0', () => {
    expect(anomalyScoreFromZ(-1).toFixed(2)).toBe('0.39');
    expect(anomalyScoreFromZ(-2).toFixed(2)).toBe('0.63');
    expect(anomalyScoreFromZ(-3).toFixed(2)).toBe('0.78');
    expect(anomalyScoreFromZ(0.5).toFixed(2)).toBe('0.00');
  });

  it('mean 5.0, sd 1.5: units_30d 60 → 0.63 (no rec), units_30d 39 → 0.71 (rec)', () => {
    expect(salesAnomalyFromStats(salesVelocity30d(60), '5.0', '1.5').toFixed(2)).toBe('0.63');
    expect(salesAnomalyFromStats(salesVelocity30d(39), '5.0', '1.5').toFixed(2)).toBe('0.71');
  });

  it('baseline D−90 ≤ date < D−7 with missing days as 0; fewer than 14 days or sd 0 → 0', () => {
    // 20 baseline days alternating 4 and 6 (mean 5, sample sd 1.026), then 7 recent days.
    const baseline = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 4 : 6));
    const rows = dailyRows([...baseline, 0, 0, 0, 0, 0, 0, 0]);
    // velocity 2.0: z = (2 − 5) / 1.026 = −2.92 → 0.77
    expect(salesAnomalyScore(rows, asOf, '2.0').toFixed(2)).toBe('0.77');
    expect(salesAnomalyScore(dailyRows([...baseline.slice(0, 13), 0, 0, 0, 0, 0, 0, 0]), asOf, '2.0').toFixed(2)).toBe('0.00');
    expect(salesAnomalyScore(dailyRows([...Array(20).fill(5), 0, 0, 0, 0, 0, 0, 0]), asOf, '2.0').toFixed(2)).toBe('0.00');
    // A day without a row inside the baseline counts as 0: mean 94/20 = 4.7, sample sd 1.490,
    // z = −1.81 → 0.60 (ignoring the day, as REF does, would keep mean ≈ 4.95 and give 0.76).
    const gap = rows.filter((_, i) => i !== 5);
    expect(salesAnomalyScore(gap, asOf, '2.0').toFixed(2)).toBe('0.60');
  });
});

describe('stock (§3.4, §4.1)', () => {
  it('qty 12, units_30d 90 → velocity 3.00, cover 4.0, HIGH with L 14; sales windows are D−N … D−1', () => {
    const sales = dailyRows(Array(30).fill(3));
    const f = computeListingFeatures({ ...base, economics: computeEconomics(exampleA), sales: [...sales, { date: '2026-06-15', units: 50 }] });
    expect(f).toMatchObject({ units_30d: 90, units_7d: 21, sales_velocity_units_per_day_30d: 3, days_of_cover: 4, stockout_risk: 'HIGH', lead_time_days: 14 });
    expect(daysOfCover(30, '3.00')!.toString()).toBe('10');
    expect(stockoutRisk('10', 14)).toBe('MEDIUM');
    expect(stockoutRisk('14.1', 14)).toBe('LOW');
  });
});

describe('ASIN features (§4.2)', () => {
  it('24.00 with BOM 6.00 → opportunity profit 11.00, margin 0.550', () => {
    const opportunity = computeEconomics({ priceIncVat: '24.00', vatRate: '0.20', bomLines: [{ quantity: '1', unitCostExVat: '6.00' }] });
    const f = computeAsinFeatures({
      asin: 'B0TEST',
      marketplaceId: 1,
      title: null,
      brand: null,
      category: null,
      keepa: null,
      scenarioBomCostExVat: opportunity.bomCostExVat,
      opportunity,
    });
    expect(f).toMatchObject({ opportunity_profit: 11, opportunity_margin: 0.55, has_scenario_bom: true, scenario_bom_cost_ex_vat: 6 });
  });
});
