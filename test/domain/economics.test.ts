import { describe, expect, it } from 'vitest';
import {
  type EconomicsInput,
  bomCost,
  computeEconomics,
  economicsAtPrice,
  economicsToStrings,
  lineCost,
  minMarginPriceIncVat,
} from '../../src/domain/economics.js';

const money = (value: { toFixed(dp: number): string } | null) => (value === null ? null : value.toFixed(2));

/** §1.6 A: 24.00, BOM 6.00, shipping 2.00, packaging 0.50, FBM, estimate fees. */
const exampleA: EconomicsInput = {
  priceIncVat: '24.00',
  vatRate: '0.20',
  bomLines: [{ quantity: '1', wastageRate: '0', unitCostExVat: '6.00' }],
  overrides: { shipping: '2.00', packaging: '0.50' },
  fulfillmentChannel: 'FBM',
  category: 'Home',
  minMargin: '0.15',
};

/** §1.6 B: three lines with wastage, 19.99, shipping 2.10, packaging 0.35. */
const exampleBLines = [
  { quantity: '2', wastageRate: '0.05', unitCostExVat: '1.20' },
  { quantity: '1.5', wastageRate: '0.10', unitCostExVat: '0.07' },
  { quantity: '1', wastageRate: '0', unitCostExVat: '3.00' },
];
const exampleB: EconomicsInput = {
  priceIncVat: '19.99',
  vatRate: '0.20',
  bomLines: exampleBLines,
  overrides: { shipping: '2.10', packaging: '0.35' },
  fulfillmentChannel: 'FBM',
};

describe('§1.6 A (SPEC acceptance)', () => {
  const e = computeEconomics(exampleA);

  it('computes every figure at the current price', () => {
    expect(money(e.priceIncVat)).toBe('24.00');
    expect(money(e.priceExVat)).toBe('20.00');
    expect(money(e.bomCostExVat)).toBe('6.00');
    expect(money(e.shippingCostExVat)).toBe('2.00');
    expect(money(e.packagingCostExVat)).toBe('0.50');
    expect(money(e.handlingCostExVat)).toBe('0.00');
    expect(money(e.otherCostExVat)).toBe('0.00');
    expect(money(e.fees.referralFeeExVat)).toBe('3.00');
    expect(money(e.fees.fixedFeeExVat)).toBe('0.00');
    expect(money(e.fees.totalFeeExVat)).toBe('3.00');
    expect(e.fees.source).toBe('ESTIMATE');
    expect(e.fees.feeSnapshotId).toBeNull();
    expect(e.fees.referralRate.toFixed(4)).toBe('0.1500');
    expect(money(e.totalCostExVat)).toBe('11.50');
    expect(money(e.profitExVat)).toBe('8.50');
    expect(e.margin!.toFixed(4)).toBe('0.4250');
    expect(e.vatRate.toString()).toBe('0.2');
  });

  it('solves break-even at 12.00 with the fee recomputed there (fee 1.50, profit 0.00)', () => {
    expect(money(e.breakEvenPriceIncVat)).toBe('12.00');
    const atBreakEven = economicsAtPrice(e, '12.00');
    expect(money(atBreakEven.priceExVat)).toBe('10.00');
    expect(money(atBreakEven.fees.totalFeeExVat)).toBe('1.50');
    expect(money(atBreakEven.profitExVat)).toBe('0.00');
    expect(money(economicsAtPrice(e, '11.99').profitExVat)).toBe('-0.01');
  });

  it("shows REF's 13.80 break-even really makes 1.27 profit", () => {
    const atRef = economicsAtPrice(e, '13.80');
    expect(money(atRef.priceExVat)).toBe('11.50');
    expect(money(atRef.fees.totalFeeExVat)).toBe('1.73');
    expect(money(atRef.profitExVat)).toBe('1.27');
  });

  it('solves the 0.15 minimum-margin price at 14.58 (14.57 falls short)', () => {
    expect(money(e.minMarginPriceIncVat)).toBe('14.58');
    expect(money(minMarginPriceIncVat(exampleA, '0.15'))).toBe('14.58');
    const at1458 = economicsAtPrice(e, '14.58');
    expect(money(at1458.priceExVat)).toBe('12.15');
    expect(money(at1458.fees.totalFeeExVat)).toBe('1.82');
    expect(money(at1458.profitExVat)).toBe('1.83');
    expect(at1458.margin!.toFixed(4)).toBe('0.1506');
    expect(economicsAtPrice(e, '14.57').margin!.toFixed(4)).toBe('0.1499');
    expect(economicsAtPrice(e, '14.57').marginExact!.lessThan('0.15')).toBe(true);
  });

  it('serialises to decimal strings', () => {
    const s = economicsToStrings(e);
    expect(s).toMatchObject({
      priceIncVat: '24.00',
      priceExVat: '20.00',
      bomCostExVat: '6.00',
      totalCostExVat: '11.50',
      profitExVat: '8.50',
      margin: '0.4250',
      breakEvenPriceIncVat: '12.00',
      minMarginPriceIncVat: '14.58',
      fees: { referralFeeExVat: '3.00', fixedFeeExVat: '0.00', totalFeeExVat: '3.00', source: 'ESTIMATE', referralRate: '0.1500' },
    });
  });
});

describe('§1.6 B (BOM roll-up and rounding)', () => {
  it('costs each line unrounded', () => {
    expect(lineCost(exampleBLines[0]!).toString()).toBe('2.52');
    expect(lineCost(exampleBLines[1]!).toString()).toBe('0.1155');
    expect(lineCost(exampleBLines[2]!).toString()).toBe('3');
  });

  it('rounds the BOM only once: 5.6355 → 5.64', () => {
    expect(bomCost(exampleBLines).toFixed(2)).toBe('5.64');
  });

  it('gives ex 16.66, fee 2.50, total 10.59, profit 6.07, margin 0.3643', () => {
    const e = computeEconomics(exampleB);
    expect(money(e.bomCostExVat)).toBe('5.64');
    expect(money(e.priceExVat)).toBe('16.66');
    expect(money(e.fees.referralFeeExVat)).toBe('2.50');
    expect(money(e.fees.totalFeeExVat)).toBe('2.50');
    expect(money(e.totalCostExVat)).toBe('10.59');
    expect(money(e.profitExVat)).toBe('6.07');
    expect(e.margin!.toFixed(4)).toBe('0.3643');
    // The DTO adds up to the penny: price_ex_vat − total = profit.
    expect(e.priceExVat!.minus(e.totalCostExVat!).eq(e.profitExVat!)).toBe(true);
  });
});

describe('BOM edge cases', () => {
  it('costs an empty or absent BOM at 0', () => {
    expect(bomCost([]).toFixed(2)).toBe('0.00');
    expect(bomCost(null).toFixed(2)).toBe('0.00');
  });

  it('treats wastage as a mark-up, not 1/(1−w), and missing wastage as 0', () => {
    expect(lineCost({ quantity: '10', wastageRate: '0.5', unitCostExVat: '1' }).toString()).toBe('15');
    expect(lineCost({ quantity: '3', unitCostExVat: '0.333' }).toString()).toBe('0.999');
  });

  it('applies a scenario BOM multiplier to the rounded BOM cost and re-rounds', () => {
    const e = computeEconomics({ ...exampleB, bomCostMultiplier: '1.1' });
    expect(money(e.bomCostExVat)).toBe('6.20'); // 5.64 × 1.1 = 6.204
  });
});

describe('edge cases', () => {
  it('without a price: price, fee and profit fields null, costs still computed', () => {
    const e = computeEconomics({ ...exampleA, priceIncVat: null });
    expect(e.priceIncVat).toBeNull();
    expect(e.priceExVat).toBeNull();
    expect(e.fees.referralFeeExVat).toBeNull();
    expect(e.fees.totalFeeExVat).toBeNull();
    expect(e.totalCostExVat).toBeNull();
    expect(e.profitExVat).toBeNull();
    expect(e.margin).toBeNull();
    expect(e.marginExact).toBeNull();
    expect(money(e.bomCostExVat)).toBe('6.00');
    expect(money(e.nonFeeCostExVat)).toBe('8.50');
    // Price-independent thresholds are still known.
    expect(money(e.breakEvenPriceIncVat)).toBe('12.00');
    expect(money(e.minMarginPriceIncVat)).toBe('14.58');
  });

  it('at a zero price: costs and a negative profit, margin null', () => {
    const e = computeEconomics({ ...exampleA, priceIncVat: '0', fulfillmentChannel: 'FBA' });
    expect(money(e.priceExVat)).toBe('0.00');
    expect(money(e.fees.referralFeeExVat)).toBe('0.00');
    expect(money(e.fees.totalFeeExVat)).toBe('2.50');
    expect(money(e.totalCostExVat)).toBe('11.00');
    expect(money(e.profitExVat)).toBe('-11.00');
    expect(e.margin).toBeNull();
  });

  it('with no BOM and no overrides: only fees count', () => {
    const e = computeEconomics({ priceIncVat: '12.00', vatRate: '0.20', fulfillmentChannel: 'FBM' });
    expect(money(e.bomCostExVat)).toBe('0.00');
    expect(money(e.totalCostExVat)).toBe('1.50');
    expect(money(e.profitExVat)).toBe('8.50');
    expect(e.margin!.toFixed(4)).toBe('0.8500');
    expect(money(e.breakEvenPriceIncVat)).toBe('0.00');
    expect(e.minMarginPriceIncVat).toBeNull(); // no minMargin asked for
  });

  it('counts handling and other overrides in the total', () => {
    const e = computeEconomics({ ...exampleA, overrides: { shipping: '2.00', packaging: '0.50', handling: '0.40', other: '0.10' } });
    expect(money(e.nonFeeCostExVat)).toBe('9.00');
    expect(money(e.totalCostExVat)).toBe('12.00');
    expect(money(e.profitExVat)).toBe('8.00');
    // 9.00 / 0.85 × 1.2 = 12.7058… → 12.71
    expect(money(e.breakEvenPriceIncVat)).toBe('12.71');
  });

  it('accepts Prisma-style decimal objects as inputs', () => {
    const d = (text: string) => ({ toString: () => text });
    const e = computeEconomics({
      priceIncVat: d('24.00'),
      vatRate: d('0.2'),
      bomLines: [{ quantity: d('1.0000'), wastageRate: null, unitCostExVat: d('6.00') }],
      overrides: { shipping: d('2.00'), packaging: d('0.50'), handling: null },
    });
    expect(money(e.profitExVat)).toBe('8.50');
  });

  it('honours another VAT rate', () => {
    const e = computeEconomics({ ...exampleA, vatRate: '0.05' });
    expect(money(e.priceExVat)).toBe('22.86'); // 24 / 1.05 = 22.857…
    expect(money(e.fees.referralFeeExVat)).toBe('3.43'); // 3.4290
    expect(money(e.profitExVat)).toBe('10.93');
  });
});

describe('estimated fee model (§1.3 REF)', () => {
  it('adds 2.50 for FBA', () => {
    const e = computeEconomics({ ...exampleA, fulfillmentChannel: 'FBA' });
    expect(money(e.fees.fixedFeeExVat)).toBe('2.50');
    expect(money(e.fees.totalFeeExVat)).toBe('5.50');
    expect(money(e.profitExVat)).toBe('6.00');
    // (8.50 + 2.50) / 0.85 × 1.2 = 15.529… → 15.53
    expect(money(e.breakEvenPriceIncVat)).toBe('15.53');
    expect(money(economicsAtPrice(e, '15.53').profitExVat)).toBe('0.00');
    expect(money(economicsAtPrice(e, '15.52').profitExVat)).toBe('-0.01');
  });

  it.each(['Books', 'Music', 'Video', 'DVD', 'Software', 'books'])('adds 0.50 for the %s category', (category) => {
    const e = computeEconomics({ ...exampleA, category });
    expect(money(e.fees.fixedFeeExVat)).toBe('0.50');
    expect(money(e.fees.totalFeeExVat)).toBe('3.50');
  });

  it('adds both for FBA media', () => {
    const e = computeEconomics({ ...exampleA, category: 'DVD', fulfillmentChannel: 'FBA' });
    expect(money(e.fees.totalFeeExVat)).toBe('6.00');
  });

  it('adds nothing for other categories or a null channel', () => {
    const e = computeEconomics({ ...exampleA, category: 'Kitchen', fulfillmentChannel: null });
    expect(money(e.fees.totalFeeExVat)).toBe('3.00');
  });
});

describe('fee snapshot model (§1.3 ⚑)', () => {
  const snapshot = { id: 42, priceIncVat: '24.00', referralFeeExVat: '2.40', totalFeeExVat: '5.40' };

  it('derives r = referral / snapshot price_ex_vat and fixed = total − referral', () => {
    const e = computeEconomics({ ...exampleA, feeSnapshot: snapshot });
    expect(e.fees.source).toBe('SNAPSHOT');
    expect(e.fees.feeSnapshotId).toBe(42);
    expect(e.fees.referralRate.toFixed(4)).toBe('0.1200'); // 2.40 / 20.00
    expect(money(e.fees.fixedFeeExVat)).toBe('3.00');
    expect(money(e.fees.referralFeeExVat)).toBe('2.40');
    expect(money(e.fees.totalFeeExVat)).toBe('5.40');
    expect(money(e.profitExVat)).toBe('6.10');
  });

  it('recomputes the fees at another price with the same model', () => {
    const e = economicsAtPrice({ ...exampleA, feeSnapshot: snapshot }, '30.00');
    expect(money(e.priceExVat)).toBe('25.00');
    expect(money(e.fees.referralFeeExVat)).toBe('3.00'); // 0.12 × 25.00
    expect(money(e.fees.totalFeeExVat)).toBe('6.00');
    expect(money(e.profitExVat)).toBe('10.50');
    expect(e.fees.feeSnapshotId).toBe(42);
  });

  it('solves break-even with the snapshot model', () => {
    const e = computeEconomics({ ...exampleA, feeSnapshot: snapshot });
    // (8.50 + 3.00) / 0.88 × 1.2 = 15.6818… → 15.69
    expect(money(e.breakEvenPriceIncVat)).toBe('15.69');
    expect(economicsAtPrice(e, '15.69').profitExVat!.greaterThanOrEqualTo(0)).toBe(true);
    // Rounding of price_ex_vat (13.07) and the fee (1.57) gives 15.68 a profit of 0.00 too: the
    // normative ceil-and-verify only ever steps up from the analytic 15.6818…, so it stays at 15.69.
    expect(money(economicsAtPrice(e, '15.68').profitExVat)).toBe('0.00');
    expect(economicsAtPrice(e, '15.67').profitExVat!.lessThan(0)).toBe(true);
  });

  it('keeps full precision in r for a non-round snapshot', () => {
    // §1.6 B's own fees captured as a snapshot: r = 2.50 / 16.66.
    const e = computeEconomics({ ...exampleB, feeSnapshot: { id: 7, priceIncVat: '19.99', referralFeeExVat: '2.50', totalFeeExVat: '2.50' } });
    expect(e.fees.referralRate.toFixed(4)).toBe('0.1501');
    expect(e.basis.feeModel.referralRate.toSignificantDigits(8).toString()).toBe('0.15006002');
    expect(money(e.fees.referralFeeExVat)).toBe('2.50');
    expect(money(e.profitExVat)).toBe('6.07');
  });

  it('falls back to the estimate when the snapshot has no referral split or no price', () => {
    const noReferral = computeEconomics({ ...exampleA, feeSnapshot: { ...snapshot, referralFeeExVat: null } });
    expect(noReferral.fees.source).toBe('ESTIMATE');
    expect(noReferral.fees.feeSnapshotId).toBeNull();
    expect(money(noReferral.fees.totalFeeExVat)).toBe('3.00');
    const zeroPrice = computeEconomics({ ...exampleA, feeSnapshot: { ...snapshot, priceIncVat: '0' } });
    expect(zeroPrice.fees.source).toBe('ESTIMATE');
  });
});

describe('economicsAtPrice', () => {
  it('accepts an input, a result or a basis and gives the same answer', () => {
    const fromInput = economicsAtPrice(exampleA, '22.00');
    const fromResult = economicsAtPrice(computeEconomics(exampleA), '22.00');
    const fromBasis = economicsAtPrice(computeEconomics(exampleA).basis, '22.00');
    for (const e of [fromInput, fromResult, fromBasis]) {
      expect(money(e.priceExVat)).toBe('18.33');
      expect(money(e.fees.totalFeeExVat)).toBe('2.75');
      expect(money(e.profitExVat)).toBe('7.08');
      expect(e.margin!.toFixed(4)).toBe('0.3863');
    }
  });

  it('returns null thresholds when fees and margin eat the whole price', () => {
    const e = computeEconomics({ ...exampleA, feeSnapshot: { id: 1, priceIncVat: '12.00', referralFeeExVat: '10.00', totalFeeExVat: '10.00' } });
    expect(e.fees.referralRate.toFixed(4)).toBe('1.0000');
    expect(e.breakEvenPriceIncVat).toBeNull();
    expect(e.minMarginPriceIncVat).toBeNull();
    expect(minMarginPriceIncVat(exampleA, '0.85')).toBeNull(); // 1 − 0.15 − 0.85 = 0
  });
});
