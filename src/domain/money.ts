import { Decimal } from 'decimal.js';

/**
 * Decimal helpers for money and ratios (docs/domain-rules.md §0, §1.5).
 *
 * Every rounding mode is passed explicitly instead of configuring decimal.js globally: other code
 * (Prisma ships its own decimal.js copy) must not see its defaults change under it.
 */

export { Decimal };

/** Anything that prints as a decimal number: decimal.js values, Prisma.Decimal, numeric strings. */
export type DecimalLike = Decimal.Value | { toString(): string };

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
export const PENNY = new Decimal('0.01');

/**
 * Converts a value to a decimal.js `Decimal`; `null`/`undefined` stay `null` so callers decide what
 * "missing" means. Foreign decimal objects (Prisma.Decimal is a different decimal.js class, so
 * `instanceof` fails) go through their string form, which is exact.
 */
export function toDecimal(value: DecimalLike | null | undefined): Decimal | null {
  if (value === null || value === undefined) return null;
  // decimal.js values are immutable, so our own class can be returned as is.
  if (value instanceof Decimal) return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return new Decimal(value);
  }
  const text = typeof value === 'string' ? value.trim() : value.toString().trim();
  if (text === '') throw new RangeError('empty decimal string');
  const parsed = new Decimal(text);
  if (!parsed.isFinite()) throw new RangeError(`not a finite decimal: ${text}`);
  return parsed;
}

/** Like {@link toDecimal} but for values that may not be missing. */
export function requireDecimal(value: DecimalLike | null | undefined, what = 'value'): Decimal {
  const parsed = toDecimal(value);
  if (parsed === null) throw new RangeError(`${what} is required`);
  return parsed;
}

/** Missing money inputs (no cost override row, no column value) count as zero (§1.2). */
export function toDecimalOrZero(value: DecimalLike | null | undefined): Decimal {
  return toDecimal(value) ?? ZERO;
}

/**
 * Money to 2 dp, ties away from zero: the same result as PostgreSQL `round(numeric, 2)`, so a value
 * rounded here and one rounded in SQL never disagree (2.675 → 2.68, −10.125 → −10.13).
 */
export function round2(value: DecimalLike): Decimal {
  return requireDecimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** Up to the next penny: threshold prices (break-even, minimum-margin price) must err on the safe side. */
export function ceilToPenny(value: DecimalLike): Decimal {
  return requireDecimal(value).toDecimalPlaces(2, Decimal.ROUND_CEIL);
}

/** Down to the penny below: used when a price increase is clamped toward the current price. */
export function floorToPenny(value: DecimalLike): Decimal {
  return requireDecimal(value).toDecimalPlaces(2, Decimal.ROUND_FLOOR);
}

/** Ratios (margin, price change, referral rate) are computed at full precision and returned at 4 dp. */
export function ratio4(value: DecimalLike): Decimal {
  return requireDecimal(value).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}

/** Fixed 2 dp string for the API and JSON columns ("12" → "12.00"); rounds ties away from zero. */
export function formatMoney(value: DecimalLike): string {
  return round2(value).toFixed(2);
}

/** Fixed 4 dp string for ratios. */
export function formatRatio(value: DecimalLike): string {
  return ratio4(value).toFixed(4);
}

/** Larger of two decimals (decimal.js's `Decimal.max` returns the class of the global constructor). */
export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return a.greaterThanOrEqualTo(b) ? a : b;
}

/** A decimal as a JSON number (its shortest decimal text round-trips), or null. */
export function jsonNumber(value: Decimal | null | undefined): number | null {
  return value === null || value === undefined ? null : Number(value.toString());
}
