import { describe, expect, it } from 'vitest';
import type { EconomicsInput } from '../../src/domain/economics.js';
import {
  DEFAULT_GUARDRAILS,
  GUARDRAIL_SETTING_KEYS,
  evaluatePriceChange,
  evaluateStockChange,
  guardrailSettingsToRows,
  parseGuardrailSettings,
  validateGuardrailSettings,
} from '../../src/domain/guardrails.js';
import { daysOfCover, salesVelocity30d } from '../../src/domain/sales.js';

/** §3.4: current 24.00, bom 6.00, ship 2.00, pack 0.50; qty 12, units_30d 90. */
const base: EconomicsInput = {
  priceIncVat: '24.00',
  vatRate: '0.20',
  bomLines: [{ quantity: 1, unitCostExVat: '6.00' }],
  overrides: { shipping: '2.00', packaging: '0.50' },
  fulfillmentChannel: 'FBM',
};
const velocity = salesVelocity30d(90);
const coverAt12 = daysOfCover(12, velocity);

const byRule = <T extends { rule: string }>(checks: T[], rule: string): T => {
  const found = checks.find((c) => c.rule === rule);
  if (!found) throw new Error(`no check ${rule}`);
  return found;
};

describe('§3.4 price examples', () => {
  it('derives velocity 3.0 and cover 4.0 from qty 12 and 90 units', () => {
    expect(velocity.toFixed(2)).toBe('3.00');
    expect(coverAt12!.toFixed(1)).toBe('4.0');
  });

  it('22.00 fails with two violations: daily change and cover', () => {
    const result = evaluatePriceChange(
      { economicsBase: base, currentPriceIncVat: '24.00', newPriceIncVat: '22.00', daysOfCover: coverAt12 },
      DEFAULT_GUARDRAILS,
    );
    expect(result.passed).toBe(false);
    expect(result.economicsAfter.priceExVat!.toFixed(2)).toBe('18.33');
    expect(result.economicsAfter.fees.totalFeeExVat!.toFixed(2)).toBe('2.75');
    expect(result.economicsAfter.profitExVat!.toFixed(2)).toBe('7.08');
    expect(result.checks.map((c) => c.rule)).toEqual([
      'min_margin',
      'price_below_break_even',
      'max_price_change_pct_per_day',
      'min_days_of_cover_before_price_change',
    ]);
    expect(byRule(result.checks, 'min_margin')).toMatchObject({ passed: true, severity: 'BLOCK', threshold: '0.15', actual: '0.3863' });
    expect(byRule(result.checks, 'price_below_break_even')).toMatchObject({ passed: true, threshold: '12.00', actual: '22.00' });
    expect(byRule(result.checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: false, threshold: '0.05', actual: '0.0833' });
    expect(byRule(result.checks, 'min_days_of_cover_before_price_change')).toMatchObject({ passed: false, threshold: '7', actual: '4' });
    expect(result.violations.map((v) => v.rule)).toEqual(['max_price_change_pct_per_day', 'min_days_of_cover_before_price_change']);
  });

  it('23.00 passes margin and change but fails on cover', () => {
    const result = evaluatePriceChange({ economicsBase: base, currentPriceIncVat: '24.00', newPriceIncVat: '23.00', daysOfCover: coverAt12 }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(false);
    expect(byRule(result.checks, 'min_margin')).toMatchObject({ passed: true, actual: '0.4064' });
    expect(byRule(result.checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: true, actual: '0.0417' });
    expect(result.violations.map((v) => v.rule)).toEqual(['min_days_of_cover_before_price_change']);
  });

  it('23.00 passes with qty 30 (cover 10)', () => {
    const cover = daysOfCover(30, velocity);
    expect(cover!.toFixed(1)).toBe('10.0');
    const result = evaluatePriceChange({ economicsBase: base, currentPriceIncVat: '24.00', newPriceIncVat: '23.00', daysOfCover: cover }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(true);
    expect(result.violations).toEqual([]);
    expect(byRule(result.checks, 'min_days_of_cover_before_price_change')).toMatchObject({ passed: true, actual: '10' });
  });
});

describe('price rules', () => {
  const evaluate = (newPrice: string, extra: Partial<Parameters<typeof evaluatePriceChange>[0]> = {}, settings = DEFAULT_GUARDRAILS) =>
    evaluatePriceChange({ economicsBase: base, currentPriceIncVat: '24.00', newPriceIncVat: newPrice, daysOfCover: null, ...extra }, settings);

  it('blocks a margin below the minimum (compared unrounded)', () => {
    // 14.57 has margin 0.1499…; 14.58 has 0.1506 (§1.6 A). Daily change is measured from 14.60 here.
    const low = evaluate('14.57', { currentPriceIncVat: '14.60' });
    expect(byRule(low.checks, 'min_margin')).toMatchObject({ passed: false, actual: '0.1499' });
    expect(low.passed).toBe(false);
    const ok = evaluate('14.58', { currentPriceIncVat: '14.60' });
    expect(byRule(ok.checks, 'min_margin')).toMatchObject({ passed: true, actual: '0.1506' });
    expect(ok.passed).toBe(true);
  });

  it('blocks a price below break-even unless allowed', () => {
    const settings = { ...DEFAULT_GUARDRAILS, minMargin: 0, maxPriceChangePctPerDay: 1 };
    const below = evaluate('11.99', {}, settings);
    expect(byRule(below.checks, 'price_below_break_even')).toMatchObject({ passed: false, threshold: '12.00', actual: '11.99' });
    expect(byRule(below.checks, 'min_margin')).toMatchObject({ passed: false, threshold: '0' });
    expect(below.passed).toBe(false);
    const at = evaluate('12.00', {}, settings);
    expect(byRule(at.checks, 'price_below_break_even').passed).toBe(true);
    expect(at.passed).toBe(true);
    const allowed = evaluate('11.99', {}, { ...settings, allowPriceBelowBreakEven: true });
    const check = byRule(allowed.checks, 'price_below_break_even');
    expect(check.passed).toBe(true);
    expect(check.message).toMatch(/^skipped: /);
  });

  it('measures the daily change from the reference price when given', () => {
    // A second 4 % step after an earlier one today: 24.00 → 23.04 passes from 24.00 but not from 25.00.
    const fromCurrent = evaluate('23.04');
    expect(byRule(fromCurrent.checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: true, actual: '0.0400' });
    const fromReference = evaluate('23.04', { referencePriceIncVat: '25.00' });
    expect(byRule(fromReference.checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: false, actual: '0.0784' });
  });

  it('allows exactly the maximum change and blocks a penny more', () => {
    expect(byRule(evaluate('25.20').checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: true, actual: '0.0500' });
    expect(byRule(evaluate('25.21').checks, 'max_price_change_pct_per_day')).toMatchObject({ passed: false, actual: '0.0504' });
  });

  it('skips the daily rule without a positive current price', () => {
    const result = evaluate('20.00', { currentPriceIncVat: null });
    const check = byRule(result.checks, 'max_price_change_pct_per_day');
    expect(check).toMatchObject({ passed: true, actual: null });
    expect(check.message).toMatch(/^skipped: /);
    const zero = byRule(evaluate('20.00', { currentPriceIncVat: '0' }).checks, 'max_price_change_pct_per_day');
    expect(zero.message).toMatch(/^skipped: /);
  });

  it('applies the cover rule to decreases only, and skips it without cover', () => {
    const increase = byRule(evaluate('24.50', { daysOfCover: 2 }).checks, 'min_days_of_cover_before_price_change');
    expect(increase.passed).toBe(true);
    expect(increase.message).toBe('skipped: not a price decrease');
    const noCover = byRule(evaluate('23.50', { daysOfCover: null }).checks, 'min_days_of_cover_before_price_change');
    expect(noCover.passed).toBe(true);
    expect(noCover.message).toMatch(/^skipped: days of cover unknown/);
    const exactly = byRule(evaluate('23.50', { daysOfCover: '7.0' }).checks, 'min_days_of_cover_before_price_change');
    expect(exactly).toMatchObject({ passed: true, actual: '7' });
    const short = byRule(evaluate('23.50', { daysOfCover: '6.9' }).checks, 'min_days_of_cover_before_price_change');
    expect(short).toMatchObject({ passed: false, actual: '6.9' });
  });

  it('skips the margin rule when the margin is null (zero price, §1.4/§3.3); break-even still blocks it', () => {
    const result = evaluate('0', { currentPriceIncVat: null });
    const margin = byRule(result.checks, 'min_margin');
    expect(margin).toMatchObject({ passed: true, severity: 'BLOCK', threshold: '0.15', actual: null });
    expect(margin.message).toMatch(/^skipped: /);
    expect(result.violations.map((v) => v.rule)).toEqual(['price_below_break_even']);
    expect(result.passed).toBe(false);
    // With break-even allowed and no current price, nothing is left to block a zero price.
    const allowed = evaluate('0', { currentPriceIncVat: null }, { ...DEFAULT_GUARDRAILS, allowPriceBelowBreakEven: true });
    expect(allowed.violations).toEqual([]);
    expect(allowed.passed).toBe(true);
  });
});

describe('§3.4 stock examples', () => {
  it('−1 blocks', () => {
    const result = evaluateStockChange({ currentQuantity: 12, newQuantity: -1 }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(false);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ rule: 'invalid_quantity', severity: 'BLOCK', threshold: '0', actual: '-1' });
  });

  it('3 warns min_stock_threshold and passes', () => {
    const result = evaluateStockChange({ currentQuantity: 12, newQuantity: 3 }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(true);
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toMatchObject({ rule: 'min_stock_threshold', severity: 'WARN', threshold: '5', actual: '3' });
  });

  it('0 warns zero_stock only and passes', () => {
    const result = evaluateStockChange({ currentQuantity: 12, newQuantity: 0 }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(true);
    expect(result.violations.map((v) => v.rule)).toEqual(['zero_stock']);
    expect(result.violations[0]!.severity).toBe('WARN');
  });

  it('5 and above pass without violations; every rule is listed', () => {
    for (const quantity of [5, 280]) {
      const result = evaluateStockChange({ currentQuantity: 12, newQuantity: quantity }, DEFAULT_GUARDRAILS);
      expect(result.passed).toBe(true);
      expect(result.violations).toEqual([]);
      expect(result.checks.map((c) => c.rule)).toEqual(['invalid_quantity', 'min_stock_threshold', 'zero_stock']);
    }
  });

  it('blocks a fractional quantity', () => {
    const result = evaluateStockChange({ currentQuantity: 12, newQuantity: 2.5 }, DEFAULT_GUARDRAILS);
    expect(result.passed).toBe(false);
    expect(result.violations.map((v) => v.rule)).toEqual(['invalid_quantity']);
  });
});

describe('guardrail settings', () => {
  it('defaults to the seeded values', () => {
    expect(DEFAULT_GUARDRAILS).toEqual({
      minMargin: 0.15,
      maxPriceChangePctPerDay: 0.05,
      minDaysOfCoverBeforePriceChange: 7,
      minStockThreshold: 5,
      allowPriceBelowBreakEven: false,
    });
    expect(GUARDRAIL_SETTING_KEYS.minMargin).toBe('guardrails.min_margin');
  });

  it('parses settings rows, ignoring unknown keys and falling back on bad values', () => {
    const settings = parseGuardrailSettings([
      { key: 'guardrails.min_margin', value: 0.2 },
      { key: 'guardrails.max_price_change_pct_per_day', value: '0.1' },
      { key: 'guardrails.min_days_of_cover_before_price_change', value: 3 },
      { key: 'guardrails.min_stock_threshold', value: -4 },
      { key: 'guardrails.allow_price_below_break_even', value: true },
      { key: 'default_vat_rate', value: 0.2 },
    ]);
    expect(settings).toEqual({
      minMargin: 0.2,
      maxPriceChangePctPerDay: 0.1,
      minDaysOfCoverBeforePriceChange: 3,
      minStockThreshold: 5,
      allowPriceBelowBreakEven: true,
    });
    expect(parseGuardrailSettings([])).toEqual(DEFAULT_GUARDRAILS);
    expect(parseGuardrailSettings([{ key: 'guardrails.allow_price_below_break_even', value: 'false' }]).allowPriceBelowBreakEven).toBe(false);
  });

  it('validates ranges field by field', () => {
    expect(validateGuardrailSettings({ minMargin: 0, maxPriceChangePctPerDay: 1, minDaysOfCoverBeforePriceChange: 0, minStockThreshold: 0, allowPriceBelowBreakEven: true })).toEqual([]);
    expect(validateGuardrailSettings({})).toEqual([]);
    const errors = validateGuardrailSettings({
      minMargin: 1,
      maxPriceChangePctPerDay: 0,
      minDaysOfCoverBeforePriceChange: 1.5,
      minStockThreshold: -1,
      allowPriceBelowBreakEven: 'yes',
    });
    expect(errors.map((e) => e.field)).toEqual([
      'minMargin',
      'maxPriceChangePctPerDay',
      'minDaysOfCoverBeforePriceChange',
      'minStockThreshold',
      'allowPriceBelowBreakEven',
    ]);
    expect(validateGuardrailSettings({ minMargin: -0.01 })).toEqual([{ field: 'minMargin', message: 'must be a number in [0, 1)' }]);
    expect(validateGuardrailSettings({ maxPriceChangePctPerDay: 1.01 })[0]!.field).toBe('maxPriceChangePctPerDay');
  });

  it('turns a partial update into settings rows', () => {
    expect(guardrailSettingsToRows({ minMargin: 0.2, allowPriceBelowBreakEven: false })).toEqual([
      { key: 'guardrails.min_margin', value: 0.2 },
      { key: 'guardrails.allow_price_below_break_even', value: false },
    ]);
  });
});
