import { describe, expect, it } from 'vitest';
import { computeEconomics, type EconomicsInput } from '../../src/domain/economics.js';
import { DEFAULT_GUARDRAILS } from '../../src/domain/guardrails.js';
import { Decimal } from '../../src/domain/money.js';
import { type ListingRuleInput, clampPriceSuggestion, evaluateAsinRules, evaluateListingRules, stockTarget } from '../../src/domain/recommendation-rules.js';

/** Example-A costs (BOM 6.00, shipping 2.00, packaging 0.50, FBM) at a given price. */
const costsA = (price: string): EconomicsInput => ({
  priceIncVat: price,
  vatRate: '0.20',
  bomLines: [{ quantity: '1', unitCostExVat: '6.00' }],
  overrides: { shipping: '2.00', packaging: '0.50' },
  minMargin: '0.15',
});

function input(price: string, features: Record<string, unknown>, extra: Partial<ListingRuleInput> = {}): ListingRuleInput {
  return {
    features,
    economics: computeEconomics(costsA(price)),
    currentPriceIncVat: new Decimal(price),
    referencePriceIncVat: null,
    daysOfCover: null,
    currentQuantity: 100,
    settings: { ...DEFAULT_GUARDRAILS },
    ...extra,
  };
}

const ofType = (list: ReturnType<typeof evaluateListingRules>, type: string) => list.find((c) => c.type === type);

describe('§5.2 clamps round toward the current price', () => {
  it('19.99 −5 % → 19.00 (−4.95 %), +5 % → 20.98', () => {
    expect(clampPriceSuggestion('19.99', '18.49', '0.05').toFixed(2)).toBe('19.00');
    expect(clampPriceSuggestion('19.99', '25.00', '0.05').toFixed(2)).toBe('20.98');
    expect(clampPriceSuggestion('19.99', '19.50', '0.05').toFixed(2)).toBe('19.50');
  });
});

describe('§5.1 rules with the §5.2 fixes', () => {
  it('PRICE_DECREASE_REGAIN_BUYBOX: p25 18.49 below 19.99 is clamped to 19.00, passes §3.1 and keeps the unclamped target', () => {
    const list = evaluateListingRules(input('19.99', { buy_box_status: 'LOST', price_p25_90d: 18.49, price_median_90d: 19.5, price_volatility_90d: 0.05 }));
    const rec = ofType(list, 'PRICE_DECREASE_REGAIN_BUYBOX')!;
    expect(rec.actionPayload).toEqual({ action: 'CHANGE_PRICE', suggested_price_inc_vat: '19.00', current_price_inc_vat: '19.99', price_change: '-0.99' });
    expect(rec.evidence.unclamped_target_price_inc_vat).toBe('18.49');
    expect((rec.guardrails as { passed: boolean }).passed).toBe(true);
    expect([rec.confidence, rec.confidenceScore]).toEqual(['HIGH', '0.8500']);
  });

  it('a clamped decrease that still fails §3.1 (cover 4 days < 7) is not generated', () => {
    const list = evaluateListingRules(input('19.99', { buy_box_status: 'LOST', price_p25_90d: 18.49 }, { daysOfCover: new Decimal('4.0') }));
    expect(ofType(list, 'PRICE_DECREASE_REGAIN_BUYBOX')).toBeUndefined();
  });

  it('PRICE_INCREASE_MARGIN_OPPORTUNITY: WON, margin 0.4250 > 0.20, median 25.00 → min(25.00, 20.9895) floored to 20.98', () => {
    const rec = ofType(evaluateListingRules(input('19.99', { buy_box_status: 'WON', price_median_90d: 25 })), 'PRICE_INCREASE_MARGIN_OPPORTUNITY')!;
    expect(rec.actionPayload.suggested_price_inc_vat).toBe('20.98');
    expect([rec.confidence, rec.confidenceScore]).toEqual(['MEDIUM', '0.6000']);
    // Median within 1 % of the price: skipped.
    expect(ofType(evaluateListingRules(input('19.99', { buy_box_status: 'WON', price_median_90d: 20.1 })), 'PRICE_INCREASE_MARGIN_OPPORTUNITY')).toBeUndefined();
  });

  it('STOCK_INCREASE_STOCKOUT_RISK: velocity 3.00, L 14 → target ceil(3 × 28) = 84 from 12', () => {
    expect(stockTarget('3.00', 14)).toBe(84);
    const rec = ofType(
      evaluateListingRules(input('24.00', { stockout_risk: 'HIGH', sales_velocity_units_per_day_30d: 3, days_of_cover: 4, lead_time_days: 14 }, { currentQuantity: 12 })),
      'STOCK_INCREASE_STOCKOUT_RISK',
    )!;
    expect(rec.actionPayload).toEqual({ action: 'CHANGE_STOCK', suggested_quantity: 84, current_quantity: 12, quantity_change: 72 });
    // prevented days 2L − cover = 24; revenue protected 3 × 24 × 24.00
    expect(rec.impact).toEqual({ prevented_stockout_days: '24', revenue_protected_inc_vat: '1728.00' });
    expect([rec.confidence, rec.confidenceScore]).toEqual(['HIGH', '0.9000']);
  });

  it('STOCK_DECREASE_OVERSTOCK: cover 150 days > 120 → REVIEW_STOCK to max(5, ceil(0.5 × 28)) = 14', () => {
    const rec = ofType(evaluateListingRules(input('24.00', { sales_velocity_units_per_day_30d: 0.5, days_of_cover: 150, lead_time_days: 14 }, { currentQuantity: 75 })), 'STOCK_DECREASE_OVERSTOCK')!;
    expect(rec.actionPayload).toEqual({ action: 'REVIEW_STOCK', suggested_quantity: 14, current_quantity: 75 });
  });

  it('MARGIN_AT_RISK_COMPONENT_COST at 13.00: price_increase_needed = min-margin price 14.58 − 13.00 = 1.58', () => {
    const rec = ofType(evaluateListingRules(input('13.00', {}, { previousFeatures: { bom_cost_ex_vat: 5.5 } })), 'MARGIN_AT_RISK_COMPONENT_COST')!;
    expect(rec.impact.price_increase_needed).toBe('1.58');
    expect(rec.actionPayload).toMatchObject({ action: 'REVIEW_COSTS', min_margin: '0.15', break_even_price_inc_vat: '12.00' });
    expect(rec.evidence.bom_cost_delta).toBe('0.50');
    expect([rec.confidence, rec.confidenceScore]).toEqual(['HIGH', '0.9500']);
  });

  it('anomalies: sales score 0.71 > 0.7 triggers, 0.63 does not; buy-box score 1 triggers', () => {
    expect(ofType(evaluateListingRules(input('24.00', { sales_anomaly_score: 0.71 })), 'ANOMALY_SALES_DROP')?.actionPayload).toEqual({ action: 'INVESTIGATE', anomaly_type: 'SALES_DROP' });
    expect(ofType(evaluateListingRules(input('24.00', { sales_anomaly_score: 0.63 })), 'ANOMALY_SALES_DROP')).toBeUndefined();
    expect(ofType(evaluateListingRules(input('24.00', { buy_box_anomaly_score: 1 })), 'ANOMALY_BUY_BOX_LOSS')).toBeDefined();
    expect(ofType(evaluateListingRules(input('24.00', { conversion_anomaly_score: null })), 'ANOMALY_CONVERSION_DROP')).toBeUndefined();
  });

  it('OPPORTUNITY_CREATE_LISTING: margin 0.550 → HIGH 0.80; 0.25 → MEDIUM 0.60; 0.20 → none', () => {
    expect(evaluateAsinRules({ opportunity_margin: 0.55, asin: 'B0X' })[0]).toMatchObject({ confidence: 'HIGH', confidenceScore: '0.8000', actionPayload: { action: 'CREATE_LISTING', asin: 'B0X' } });
    expect(evaluateAsinRules({ opportunity_margin: 0.25 })[0]!.confidence).toBe('MEDIUM');
    expect(evaluateAsinRules({ opportunity_margin: 0.2 })).toEqual([]);
  });
});
