import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ceilToPenny, floorToPenny, formatMoney, formatRatio, ratio4, round2, toDecimal, toDecimalOrZero } from '../../src/domain/money.js';

describe('toDecimal', () => {
  it('keeps null and undefined as null', () => {
    expect(toDecimal(null)).toBeNull();
    expect(toDecimal(undefined)).toBeNull();
  });

  it('parses strings, numbers and Decimals exactly', () => {
    expect(toDecimal('19.99')!.toString()).toBe('19.99');
    expect(toDecimal(0.15)!.toString()).toBe('0.15');
    expect(toDecimal(new Decimal('1.005'))!.toString()).toBe('1.005');
  });

  it('accepts foreign decimal objects (Prisma.Decimal) through their string form', () => {
    const prismaLike = { toString: () => '12.34', d: [12, 3400000], e: 1, s: 1 };
    const parsed = toDecimal(prismaLike)!;
    expect(parsed).toBeInstanceOf(Decimal);
    expect(parsed.toFixed(2)).toBe('12.34');
  });

  it('rejects empty strings, garbage and non-finite numbers', () => {
    expect(() => toDecimal('')).toThrow();
    expect(() => toDecimal('abc')).toThrow();
    expect(() => toDecimal(Number.NaN)).toThrow();
    expect(() => toDecimal(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('treats missing money as zero where asked to', () => {
    expect(toDecimalOrZero(null).toString()).toBe('0');
    expect(toDecimalOrZero('2.5').toString()).toBe('2.5');
  });
});

describe('round2 (ties away from zero, like PostgreSQL round(numeric, 2))', () => {
  it.each([
    ['2.675', '2.68'],
    ['-10.125', '-10.13'],
    ['1.005', '1.01'],
    ['0.285', '0.29'],
    ['2.499', '2.50'],
    ['-2.674', '-2.67'],
    ['16.6583333', '16.66'],
    ['5.6355', '5.64'],
  ])('%s → %s', (input, expected) => {
    expect(round2(input).toFixed(2)).toBe(expected);
  });

  it('rounds float inputs by their decimal text, not their binary value', () => {
    // 1.005 is 1.00499999… in binary; decimal rounding must still give 1.01.
    expect(round2(1.005).toFixed(2)).toBe('1.01');
  });
});

describe('penny rounding in a direction', () => {
  it('ceils up to the next penny and leaves exact pennies alone', () => {
    expect(ceilToPenny('14.5714').toFixed(2)).toBe('14.58');
    expect(ceilToPenny('12.00').toFixed(2)).toBe('12.00');
    expect(ceilToPenny('12.001').toFixed(2)).toBe('12.01');
    expect(ceilToPenny('-1.019').toFixed(2)).toBe('-1.01');
  });

  it('floors down to the penny below', () => {
    expect(floorToPenny('20.9895').toFixed(2)).toBe('20.98');
    expect(floorToPenny('20.98').toFixed(2)).toBe('20.98');
    expect(floorToPenny('-1.011').toFixed(2)).toBe('-1.02');
  });
});

describe('ratios and formatting', () => {
  it('returns ratios at 4 dp', () => {
    expect(ratio4('0.364345738').toString()).toBe('0.3643');
    expect(ratio4('0.08333333').toString()).toBe('0.0833');
    expect(ratio4('0.00005').toString()).toBe('0.0001');
  });

  it('formats money with exactly two decimals', () => {
    expect(formatMoney('12')).toBe('12.00');
    expect(formatMoney(new Decimal('2.675'))).toBe('2.68');
    expect(formatMoney('-10.125')).toBe('-10.13');
    expect(formatRatio('0.425')).toBe('0.4250');
  });
});
