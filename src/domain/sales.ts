import { Decimal } from 'decimal.js';
import { type DecimalLike, ZERO, round2, toDecimal, toDecimalOrZero } from './money.js';

/** Sales windows, velocity, days of cover and stockout risk (docs/domain-rules.md §4, §4.1). */

const DAY_MS = 86_400_000;

/** Used when no supplier of the active BOM has a positive lead time (§4.1). */
export const DEFAULT_LEAD_TIME_DAYS = 14;

export type StockoutRisk = 'HIGH' | 'MEDIUM' | 'LOW';

/** A `listing_sales_daily` row; `date` is a SQL date (a Date at UTC midnight, or 'YYYY-MM-DD'). */
export interface DailySalesRow {
  date: Date | string;
  units?: number | null;
  revenueIncVat?: DecimalLike | null;
  sessions?: number | null;
}

/** 'YYYY-MM-DD' of a UTC instant or date string. */
export function utcDateKey(value: Date | string): string {
  if (typeof value === 'string') return value.slice(0, 10);
  return value.toISOString().slice(0, 10);
}

/** `D − days` as 'YYYY-MM-DD', D being the UTC date of `asOf`. */
export function utcDateMinusDays(asOf: Date, days: number): string {
  const midnight = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  return new Date(midnight - days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * `window_N` = the N complete days D−N … D−1 (§4 ⚑; REF's `date ≥ D−N` took N+1 days including the
 * incomplete today). `from` is inclusive, `to` exclusive.
 */
export function salesWindow(asOf: Date, days: number): { from: string; to: string } {
  return { from: utcDateMinusDays(asOf, days), to: utcDateMinusDays(asOf, 0) };
}

export function isInWindow(date: Date | string, window: { from: string; to: string }): boolean {
  const key = utcDateKey(date);
  return key >= window.from && key < window.to;
}

export interface WindowTotals {
  days: number;
  units: number;
  /** VAT-inclusive, 2 dp. */
  revenueIncVat: Decimal;
  sessions: number;
  /** Rows that fell into the window (days without a row count as zero sales). */
  rowCount: number;
}

export function sumWindow(rows: readonly DailySalesRow[], asOf: Date, days: number): WindowTotals {
  const window = salesWindow(asOf, days);
  let units = 0;
  let sessions = 0;
  let rowCount = 0;
  let revenue = ZERO;
  for (const row of rows) {
    if (!isInWindow(row.date, window)) continue;
    rowCount += 1;
    units += row.units ?? 0;
    sessions += row.sessions ?? 0;
    revenue = revenue.plus(toDecimalOrZero(row.revenueIncVat));
  }
  return { days, units, revenueIncVat: round2(revenue), sessions, rowCount };
}

/** `units_30d / 30`, 2 dp (units per day). */
export function salesVelocity30d(units30d: number): Decimal {
  return new Decimal(units30d).dividedBy(30).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/**
 * `quantity / velocity`, 1 dp; null without a quantity or with zero velocity (no sales means no
 * meaningful cover). Uses the 2 dp velocity that is stored as a feature, so the two agree.
 */
export function daysOfCover(quantity: number | null | undefined, velocity: DecimalLike | null | undefined): Decimal | null {
  const v = toDecimal(velocity);
  if (quantity === null || quantity === undefined || v === null || v.lessThanOrEqualTo(0)) return null;
  return new Decimal(quantity).dividedBy(v).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
}

/** Lead time L: the longest positive supplier lead time over the active BOM's components, else 14. */
export function leadTimeDays(supplierLeadTimes: ReadonlyArray<number | null | undefined>): number {
  const positive = supplierLeadTimes.filter((days): days is number => typeof days === 'number' && days > 0);
  return positive.length > 0 ? Math.max(...positive) : DEFAULT_LEAD_TIME_DAYS;
}

/** HIGH if cover ≤ L/2, MEDIUM if ≤ L, else LOW; unknown cover → LOW (§4.1). */
export function stockoutRisk(cover: DecimalLike | null | undefined, lead: number | null | undefined = DEFAULT_LEAD_TIME_DAYS): StockoutRisk {
  const days = toDecimal(cover);
  if (days === null) return 'LOW';
  const l = new Decimal(lead !== null && lead !== undefined && lead > 0 ? lead : DEFAULT_LEAD_TIME_DAYS);
  if (days.lessThanOrEqualTo(l.dividedBy(2))) return 'HIGH';
  if (days.lessThanOrEqualTo(l)) return 'MEDIUM';
  return 'LOW';
}

/** Σunits / Σsessions over the window, 4 dp; null without sessions (§4.1 ⚑). */
export function conversionRate(units: number, sessions: number): Decimal | null {
  if (sessions <= 0) return null;
  return new Decimal(units).dividedBy(sessions).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
}
