/**
 * Input checks the mutation use cases share: each turns a client value into the stored value or
 * throws ValidationError naming the field.
 */
import { ValidationError } from '../../domain/errors.js';
import { Decimal, toDecimal } from '../../domain/money.js';

/** Trimmed text; '' clears a nullable column (null/undefined = leave unchanged, handled by callers). */
export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null | undefined {
  if (value === undefined || value === null) return undefined;
  const text = value.trim();
  if (text.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return text === '' ? null : text;
}

export function requiredText(value: string | null | undefined, field: string, maxLength: number): string {
  const text = (value ?? '').trim();
  if (text === '') throw new ValidationError(field, 'must not be empty');
  if (text.length > maxLength) throw new ValidationError(field, `must be at most ${maxLength} characters`);
  return text;
}

/** Money ≥ 0 with at most 2 decimals, below the column's numeric(p,2) limit. */
export function optionalMoney(value: string | null | undefined, field: string, integerDigits = 10): string | undefined {
  if (value === undefined || value === null) return undefined;
  let amount;
  try {
    amount = toDecimal(value);
  } catch {
    throw new ValidationError(field, 'must be a decimal number such as "2.50"');
  }
  if (amount === null) return undefined;
  if (amount.isNegative()) throw new ValidationError(field, 'must be ≥ 0');
  if (amount.decimalPlaces() > 2) throw new ValidationError(field, 'must have at most 2 decimal places');
  if (amount.greaterThanOrEqualTo(new Decimal(10).pow(integerDigits))) {
    throw new ValidationError(field, `must be less than 10^${integerDigits}`);
  }
  return amount.toFixed(2);
}

export function optionalInt(value: number | null | undefined, field: string, min: number, max = 2_147_483_647): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, max === 2_147_483_647 ? `must be an integer ≥ ${min}` : `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** listings.price_inc_vat is numeric(10,2): 8 digits before the decimal point. */
export const PRICE_INTEGER_DIGITS = 8;
/** The highest price the column holds (99 999 999.99). */
export const MAX_PRICE = new Decimal(10).pow(PRICE_INTEGER_DIGITS).minus('0.01');
