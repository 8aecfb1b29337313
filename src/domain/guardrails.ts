import { Decimal } from 'decimal.js';
import { type Economics, type EconomicsBasis, type EconomicsInput, economicsAtPrice } from './economics.js';
import { DEFAULT_GUARDRAILS, type GuardrailSettings } from './guardrail-settings.js';
import { type DecimalLike, requireDecimal, toDecimal } from './money.js';

/**
 * Guardrails (docs/domain-rules.md §3): one deterministic function per kind of change, used by preview,
 * publish (always recomputed server-side), recommendation generation and accept.
 */

// The settings the checks read (defaults, validation, settings rows) live in guardrail-settings.ts;
// importing them from here keeps working.
export * from './guardrail-settings.js';

export type PriceGuardrailRule =
  | 'min_margin'
  | 'price_below_break_even'
  | 'max_price_change_pct_per_day'
  | 'min_days_of_cover_before_price_change';
export type StockGuardrailRule = 'invalid_quantity' | 'min_stock_threshold' | 'zero_stock';
export type GuardrailRule = PriceGuardrailRule | StockGuardrailRule;
export type GuardrailSeverity = 'BLOCK' | 'WARN';

export interface GuardrailCheck<R extends GuardrailRule = GuardrailRule> {
  rule: R;
  passed: boolean;
  severity: GuardrailSeverity;
  /** Decimal string, or null when the rule has no threshold to show. */
  threshold: string | null;
  /** Decimal string, or null when the input was missing. */
  actual: string | null;
  message: string;
}

export interface GuardrailResult<R extends GuardrailRule = GuardrailRule> {
  /** False only when a BLOCK check failed; WARN failures are reported but do not block. */
  passed: boolean;
  /** Every rule, in a fixed order; skipped rules are passed with a "skipped: …" message. */
  checks: GuardrailCheck<R>[];
  /** The failed checks (BLOCK and WARN). */
  violations: GuardrailCheck<R>[];
}

export interface PriceGuardrailResult extends GuardrailResult<PriceGuardrailRule> {
  /** Economics at the new price, fees recomputed. */
  economicsAfter: Economics;
}

function summarize<R extends GuardrailRule>(checks: GuardrailCheck<R>[]): GuardrailResult<R> {
  const violations = checks.filter((check) => !check.passed);
  return { passed: !violations.some((check) => check.severity === 'BLOCK'), checks, violations };
}

export interface PriceChangeInput {
  economicsBase: EconomicsInput | Economics | EconomicsBasis;
  currentPriceIncVat: DecimalLike | null;
  /**
   * Price the daily limit is measured from (§3.1 ⚑): the before price of the earliest
   * PRICE_CHANGE_SUCCEEDED in the trailing 24 h; absent → the current price.
   */
  referencePriceIncVat?: DecimalLike | null;
  newPriceIncVat: DecimalLike;
  /** qty / velocity_30d (§4); null (no velocity) skips the cover rule. */
  daysOfCover: DecimalLike | null;
}

const ratioText = (value: Decimal): string => value.toFixed(4);
const moneyText = (value: Decimal): string => value.toFixed(2);

function checkMinMargin(economics: Economics, settings: GuardrailSettings): GuardrailCheck<'min_margin'> {
  const threshold = new Decimal(settings.minMargin);
  const base = { rule: 'min_margin' as const, severity: 'BLOCK' as const, threshold: threshold.toString() };
  // §1.4/§3.3: a null margin (no ex-VAT revenue) skips the rule; a zero price is still refused by
  // the break-even rule. Compared unrounded (§1.5 (3)); shown at 4 dp.
  if (economics.marginExact === null) {
    return { ...base, passed: true, actual: null, message: 'skipped: margin unknown (the new price has no ex-VAT revenue)' };
  }
  const actual = ratioText(economics.marginExact);
  return economics.marginExact.lessThan(threshold)
    ? { ...base, passed: false, actual, message: `margin ${actual} is below the minimum ${base.threshold}` }
    : { ...base, passed: true, actual, message: `margin ${actual} meets the minimum ${base.threshold}` };
}

function checkBreakEven(economics: Economics, newPrice: Decimal, settings: GuardrailSettings): GuardrailCheck<'price_below_break_even'> {
  const breakEven = economics.breakEvenPriceIncVat;
  const base = {
    rule: 'price_below_break_even' as const,
    severity: 'BLOCK' as const,
    threshold: breakEven === null ? null : moneyText(breakEven),
    actual: moneyText(newPrice),
  };
  if (settings.allowPriceBelowBreakEven) {
    return { ...base, passed: true, message: 'skipped: allow_price_below_break_even is enabled' };
  }
  if (breakEven === null) {
    return { ...base, passed: false, message: 'no price breaks even: fees take the whole ex-VAT price' };
  }
  return newPrice.lessThan(breakEven)
    ? { ...base, passed: false, message: `new price ${base.actual} is below the break-even price ${base.threshold}` }
    : { ...base, passed: true, message: `new price ${base.actual} is at or above the break-even price ${base.threshold}` };
}

function checkDailyChange(reference: Decimal | null, newPrice: Decimal, settings: GuardrailSettings): GuardrailCheck<'max_price_change_pct_per_day'> {
  const threshold = new Decimal(settings.maxPriceChangePctPerDay);
  const base = { rule: 'max_price_change_pct_per_day' as const, severity: 'BLOCK' as const, threshold: threshold.toString() };
  if (reference === null || reference.lessThanOrEqualTo(0)) {
    return { ...base, passed: true, actual: null, message: 'skipped: no positive current price to measure the change from' };
  }
  const pct = newPrice.minus(reference).abs().dividedBy(reference);
  const actual = ratioText(pct);
  return pct.greaterThan(threshold)
    ? { ...base, passed: false, actual, message: `price change ${actual} from ${moneyText(reference)} exceeds the daily maximum ${base.threshold}` }
    : { ...base, passed: true, actual, message: `price change ${actual} from ${moneyText(reference)} is within the daily maximum ${base.threshold}` };
}

function checkCoverBeforeDecrease(
  current: Decimal | null,
  newPrice: Decimal,
  daysOfCover: Decimal | null,
  settings: GuardrailSettings,
): GuardrailCheck<'min_days_of_cover_before_price_change'> {
  const threshold = String(settings.minDaysOfCoverBeforePriceChange);
  const base = {
    rule: 'min_days_of_cover_before_price_change' as const,
    severity: 'BLOCK' as const,
    threshold,
    actual: daysOfCover === null ? null : daysOfCover.toString(),
  };
  // A cut on thin stock only speeds up a stockout, so the rule guards decreases only.
  if (current === null || !newPrice.lessThan(current)) {
    return { ...base, passed: true, message: 'skipped: not a price decrease' };
  }
  if (daysOfCover === null) {
    return { ...base, passed: true, message: 'skipped: days of cover unknown (no sales velocity)' };
  }
  return daysOfCover.lessThan(threshold)
    ? { ...base, passed: false, message: `days of cover ${base.actual} is below ${threshold} before a price decrease` }
    : { ...base, passed: true, message: `days of cover ${base.actual} is at least ${threshold}` };
}

/** §3.1: every rule blocks. */
export function evaluatePriceChange(input: PriceChangeInput, settings: GuardrailSettings = DEFAULT_GUARDRAILS): PriceGuardrailResult {
  const newPrice = requireDecimal(input.newPriceIncVat, 'newPriceIncVat');
  const current = toDecimal(input.currentPriceIncVat);
  const reference = toDecimal(input.referencePriceIncVat) ?? current;
  const economicsAfter = economicsAtPrice(input.economicsBase, newPrice);
  const checks: GuardrailCheck<PriceGuardrailRule>[] = [
    checkMinMargin(economicsAfter, settings),
    checkBreakEven(economicsAfter, newPrice, settings),
    checkDailyChange(reference, newPrice, settings),
    checkCoverBeforeDecrease(current, newPrice, toDecimal(input.daysOfCover), settings),
  ];
  return { ...summarize(checks), economicsAfter };
}

export interface StockChangeInput {
  currentQuantity: number | null;
  newQuantity: number;
}

/** §3.2: a negative (or fractional) quantity blocks; low and zero stock only warn. */
export function evaluateStockChange(input: StockChangeInput, settings: GuardrailSettings = DEFAULT_GUARDRAILS): GuardrailResult<StockGuardrailRule> {
  const quantity = input.newQuantity;
  const actual = String(quantity);
  const threshold = settings.minStockThreshold;
  const valid = Number.isInteger(quantity) && quantity >= 0;
  const invalid: GuardrailCheck<'invalid_quantity'> = {
    rule: 'invalid_quantity',
    severity: 'BLOCK',
    threshold: '0',
    actual,
    passed: valid,
    message: valid ? `quantity ${actual} is a whole number ≥ 0` : `quantity ${actual} must be a whole number ≥ 0`,
  };
  const low: GuardrailCheck<'min_stock_threshold'> = {
    rule: 'min_stock_threshold',
    severity: 'WARN',
    threshold: String(threshold),
    actual,
    passed: true,
    message: `quantity ${actual} is not between 0 and ${threshold}`,
  };
  const zero: GuardrailCheck<'zero_stock'> = {
    rule: 'zero_stock',
    severity: 'WARN',
    threshold: '0',
    actual,
    passed: true,
    message: `quantity ${actual} is not zero`,
  };
  if (!valid) {
    low.message = 'skipped: invalid quantity';
    zero.message = 'skipped: invalid quantity';
  } else if (quantity === 0) {
    zero.passed = false;
    zero.message = 'quantity 0 takes the listing out of stock';
  } else if (quantity < threshold) {
    low.passed = false;
    low.message = `quantity ${actual} is below the minimum stock threshold ${threshold}`;
  }
  return summarize<StockGuardrailRule>([invalid, low, zero]);
}

/** Serialisable form of a result (drops `economicsAfter`) for `guardrails_json`. */
export function guardrailResultToJson(result: GuardrailResult): { passed: boolean; checks: GuardrailCheck[]; violations: GuardrailCheck[] } {
  return { passed: result.passed, checks: result.checks, violations: result.violations };
}
