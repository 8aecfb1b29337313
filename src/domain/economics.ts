import { Decimal } from 'decimal.js';
import {
  type DecimalLike,
  ONE,
  PENNY,
  ZERO,
  ceilToPenny,
  maxDecimal,
  ratio4,
  requireDecimal,
  round2,
  toDecimal,
  toDecimalOrZero,
} from './money.js';
import { type FeeModel, type FeeSnapshotInput, type FeeSource, estimatedFeeModel, feesAtPriceExVat, priceExVat, snapshotFeeModel } from './fees.js';

/**
 * Unit economics of a listing (docs/domain-rules.md §1).
 *
 * Rounding policy (§1.5): each derived money component is rounded once, when it is derived
 * (price_ex_vat, BOM cost, each fee part, fee total); sums and differences of 2 dp values are then
 * exact, so `price_ex_vat − total_cost = profit` holds to the penny. Ratios are kept at full
 * precision for comparisons and returned at 4 dp.
 */

/** Safety net for the ceil-and-verify loops: rounding makes them need one or two steps, never thousands. */
const MAX_VERIFY_STEPS = 10_000;

// Fees (§1.3) and the string form live in their own files; importing from here keeps working.
export * from './fees.js';
export * from './economics-strings.js';

export interface BomLineInput {
  quantity: DecimalLike;
  /** Mark-up for waste, 0 ≤ w < 1; missing → 0. */
  wastageRate?: DecimalLike | null;
  /** The component's live cost (§1.2: costs are not frozen per BOM version). */
  unitCostExVat: DecimalLike | null;
}

export interface CostOverridesInput {
  shipping?: DecimalLike | null;
  packaging?: DecimalLike | null;
  handling?: DecimalLike | null;
  other?: DecimalLike | null;
}

export interface EconomicsInput {
  /** What the customer pays; null/absent = the listing has no price. */
  priceIncVat?: DecimalLike | null;
  vatRate: DecimalLike;
  /** Lines of the active LISTING BOM; empty or absent → BOM cost 0. */
  bomLines?: readonly BomLineInput[] | null;
  /** Scenario knob (§1.1): multiplies the rounded BOM cost, which is then re-rounded. */
  bomCostMultiplier?: DecimalLike | null;
  overrides?: CostOverridesInput | null;
  /** Latest fee snapshot by captured_at, if any. */
  feeSnapshot?: FeeSnapshotInput | null;
  fulfillmentChannel?: 'FBA' | 'FBM' | string | null;
  category?: string | null;
  /** When set, the result carries the minimum-margin price for it (§1.4). */
  minMargin?: DecimalLike | null;
}

/** The VAT rate and the price-independent costs, as both the basis and the result carry them. */
export interface EconomicsCosts {
  vatRate: Decimal;
  bomCostExVat: Decimal;
  shippingCostExVat: Decimal;
  packagingCostExVat: Decimal;
  handlingCostExVat: Decimal;
  otherCostExVat: Decimal;
  /** C in §1.4: BOM + shipping + packaging + handling + other. */
  nonFeeCostExVat: Decimal;
}

/** Everything about a listing's economics that does not depend on its price. */
export interface EconomicsBasis extends EconomicsCosts {
  feeModel: FeeModel;
  minMargin: Decimal | null;
}

export interface Fees {
  /** Null when there is no price to apply the rate to. */
  referralFeeExVat: Decimal | null;
  fixedFeeExVat: Decimal;
  /** Null when there is no price. */
  totalFeeExVat: Decimal | null;
  source: FeeSource;
  feeSnapshotId: number | null;
  /** 4 dp, for display; `basis.feeModel.referralRate` has full precision. */
  referralRate: Decimal;
}

export interface Economics extends EconomicsCosts {
  priceIncVat: Decimal | null;
  priceExVat: Decimal | null;
  fees: Fees;
  /** Null without a price (fees are unknown). */
  totalCostExVat: Decimal | null;
  profitExVat: Decimal | null;
  /** 4 dp; null without a price or when price_ex_vat ≤ 0. */
  margin: Decimal | null;
  /** Full precision, for comparing with thresholds (§1.5 (3)). */
  marginExact: Decimal | null;
  /**
   * Analytic break-even ceiled to the penny, stepped up until profit ≥ 0 (§1.4); null if fees eat
   * every extra pound (r ≥ 1). Rounding can make a penny below it break even as well; §1.4 only
   * steps up, so this errs on the safe side.
   */
  breakEvenPriceIncVat: Decimal | null;
  /** Same ceil-and-verify for margin ≥ input.minMargin; null when no minMargin was given or unreachable. */
  minMarginPriceIncVat: Decimal | null;
  /** Lets callers re-price the same listing (fees recomputed) without the original input. */
  basis: EconomicsBasis;
}

/** One BOM line, unrounded: `quantity × (1 + wastage) × unit cost` (wastage is a mark-up, not 1/(1−w)). */
export function lineCost(line: BomLineInput): Decimal {
  const quantity = requireDecimal(line.quantity, 'quantity');
  const wastage = toDecimalOrZero(line.wastageRate);
  const unitCost = toDecimalOrZero(line.unitCostExVat);
  return quantity.times(ONE.plus(wastage)).times(unitCost);
}

/** BOM cost: the sum of unrounded line costs, rounded once (no per-line rounding, §1.2). */
export function bomCost(lines: readonly BomLineInput[] | null | undefined): Decimal {
  const total = (lines ?? []).reduce<Decimal>((sum, line) => sum.plus(lineCost(line)), ZERO);
  return round2(total);
}

export function resolveFeeModel(input: Pick<EconomicsInput, 'feeSnapshot' | 'fulfillmentChannel' | 'category' | 'vatRate'>): FeeModel {
  const fromSnapshot = input.feeSnapshot ? snapshotFeeModel(input.feeSnapshot, input.vatRate) : null;
  return fromSnapshot ?? estimatedFeeModel(input.fulfillmentChannel, input.category);
}

export function computeBasis(input: EconomicsInput): EconomicsBasis {
  const vatRate = requireDecimal(input.vatRate, 'vatRate');
  let bomCostExVat = bomCost(input.bomLines);
  const multiplier = toDecimal(input.bomCostMultiplier);
  if (multiplier !== null) bomCostExVat = round2(bomCostExVat.times(multiplier));
  // Overrides are numeric(12,2) already; round2 only guards against callers passing more digits.
  const overrides = input.overrides ?? {};
  const shippingCostExVat = round2(toDecimalOrZero(overrides.shipping));
  const packagingCostExVat = round2(toDecimalOrZero(overrides.packaging));
  const handlingCostExVat = round2(toDecimalOrZero(overrides.handling));
  const otherCostExVat = round2(toDecimalOrZero(overrides.other));
  return {
    vatRate,
    bomCostExVat,
    shippingCostExVat,
    packagingCostExVat,
    handlingCostExVat,
    otherCostExVat,
    nonFeeCostExVat: bomCostExVat.plus(shippingCostExVat).plus(packagingCostExVat).plus(handlingCostExVat).plus(otherCostExVat),
    feeModel: resolveFeeModel({ ...input, vatRate }),
    minMargin: toDecimal(input.minMargin),
  };
}

interface PricePoint {
  priceExVat: Decimal;
  referralFeeExVat: Decimal;
  totalFeeExVat: Decimal;
  totalCostExVat: Decimal;
  profitExVat: Decimal;
  marginExact: Decimal | null;
}

function evaluateAt(basis: EconomicsBasis, priceIncVat: Decimal): PricePoint {
  const exVat = priceExVat(priceIncVat, basis.vatRate);
  const fees = feesAtPriceExVat(basis.feeModel, exVat);
  const totalCostExVat = basis.nonFeeCostExVat.plus(fees.totalFeeExVat);
  const profitExVat = exVat.minus(totalCostExVat);
  // A margin on zero (or negative) revenue is meaningless; null lets rules skip it (§1.4).
  const marginExact = exVat.greaterThan(0) ? profitExVat.dividedBy(exVat) : null;
  return { priceExVat: exVat, ...fees, totalCostExVat, profitExVat, marginExact };
}

/**
 * First penny price (inc VAT) whose economics satisfy `accepts`, starting from the analytic
 * solution `P_ex = (C + fixed) / denominator`: ceil to the penny, then step up while rounding of
 * price_ex_vat and fees still leaves it short (§1.4 "ceil-and-verify").
 */
function solvePrice(basis: EconomicsBasis, denominator: Decimal, accepts: (point: PricePoint) => boolean): Decimal | null {
  // With r (+ m) ≥ 1 every extra pound of price is eaten by fees (and margin): unreachable.
  if (denominator.lessThanOrEqualTo(0)) return null;
  const numerator = basis.nonFeeCostExVat.plus(basis.feeModel.fixedFeeExVat);
  const exVat = numerator.dividedBy(denominator);
  let candidate = maxDecimal(ZERO, ceilToPenny(exVat.times(ONE.plus(basis.vatRate))));
  for (let step = 0; step < MAX_VERIFY_STEPS; step += 1) {
    if (accepts(evaluateAt(basis, candidate))) return candidate;
    candidate = candidate.plus(PENNY);
  }
  return null;
}

/** Break-even price inc VAT with fees recomputed at that price (not frozen at the current one, unlike REF). */
export function solveBreakEvenPrice(basis: EconomicsBasis): Decimal | null {
  return solvePrice(basis, ONE.minus(basis.feeModel.referralRate), (point) => point.profitExVat.greaterThanOrEqualTo(0));
}

/** Price inc VAT (ceil-and-verify, §1.4) at which the unrounded margin reaches `minMargin`. */
export function solveMinMarginPrice(basis: EconomicsBasis, minMargin: DecimalLike): Decimal | null {
  const m = requireDecimal(minMargin, 'minMargin');
  return solvePrice(basis, ONE.minus(basis.feeModel.referralRate).minus(m), (point) =>
    point.marginExact !== null && point.marginExact.greaterThanOrEqualTo(m),
  );
}

function economicsFromBasis(basis: EconomicsBasis, price: Decimal | null): Economics {
  const point = price === null ? null : evaluateAt(basis, price);
  return {
    vatRate: basis.vatRate,
    priceIncVat: price,
    priceExVat: point?.priceExVat ?? null,
    bomCostExVat: basis.bomCostExVat,
    shippingCostExVat: basis.shippingCostExVat,
    packagingCostExVat: basis.packagingCostExVat,
    handlingCostExVat: basis.handlingCostExVat,
    otherCostExVat: basis.otherCostExVat,
    nonFeeCostExVat: basis.nonFeeCostExVat,
    fees: {
      referralFeeExVat: point?.referralFeeExVat ?? null,
      fixedFeeExVat: basis.feeModel.fixedFeeExVat,
      totalFeeExVat: point?.totalFeeExVat ?? null,
      source: basis.feeModel.source,
      feeSnapshotId: basis.feeModel.feeSnapshotId,
      referralRate: ratio4(basis.feeModel.referralRate),
    },
    totalCostExVat: point?.totalCostExVat ?? null,
    profitExVat: point?.profitExVat ?? null,
    margin: point?.marginExact == null ? null : ratio4(point.marginExact),
    marginExact: point?.marginExact ?? null,
    breakEvenPriceIncVat: solveBreakEvenPrice(basis),
    minMarginPriceIncVat: basis.minMargin === null ? null : solveMinMarginPrice(basis, basis.minMargin),
    basis,
  };
}

/** Economics of a listing at its own price (§1). */
export function computeEconomics(input: EconomicsInput): Economics {
  return economicsFromBasis(computeBasis(input), toDecimal(input.priceIncVat));
}

/** The same listing at a hypothetical price: fees are recomputed there (§1.3), costs are unchanged. */
export function economicsAtPrice(base: EconomicsInput | Economics | EconomicsBasis, newPriceIncVat: DecimalLike | null): Economics {
  return economicsFromBasis(basisOf(base), toDecimal(newPriceIncVat));
}

/** Minimum-margin price for any base (§1.4), e.g. `price_increase_needed = this − price` (§5.2). */
export function minMarginPriceIncVat(base: EconomicsInput | Economics | EconomicsBasis, minMargin: DecimalLike): Decimal | null {
  return solveMinMarginPrice(basisOf(base), minMargin);
}

export function basisOf(base: EconomicsInput | Economics | EconomicsBasis): EconomicsBasis {
  if ('basis' in base) return base.basis;
  if ('feeModel' in base) return base;
  return computeBasis(base);
}
