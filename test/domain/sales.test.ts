import { describe, expect, it } from 'vitest';
import {
  conversionRate,
  daysOfCover,
  leadTimeDays,
  salesVelocity30d,
  salesWindow,
  stockoutRisk,
  sumWindow,
} from '../../src/domain/sales.js';

const asOf = new Date('2024-03-10T15:30:00Z'); // D = 2024-03-10

describe('windows (complete days D−N … D−1, UTC)', () => {
  it('bounds window_7 and window_30', () => {
    expect(salesWindow(asOf, 7)).toEqual({ from: '2024-03-03', to: '2024-03-10' });
    expect(salesWindow(asOf, 30)).toEqual({ from: '2024-02-09', to: '2024-03-10' });
  });

  it('uses the UTC date even late in the day elsewhere', () => {
    expect(salesWindow(new Date('2024-03-10T23:59:59.999Z'), 1)).toEqual({ from: '2024-03-09', to: '2024-03-10' });
    expect(salesWindow(new Date('2024-03-01T00:00:00Z'), 1)).toEqual({ from: '2024-02-29', to: '2024-03-01' });
  });

  it('sums only rows inside the window, excluding today and D−N−1', () => {
    const rows = [
      { date: '2024-03-10', units: 100, revenueIncVat: '999.00', sessions: 1000 }, // today: incomplete
      { date: new Date('2024-03-09T00:00:00Z'), units: 2, revenueIncVat: '39.98', sessions: 20 },
      { date: '2024-03-03', units: 3, revenueIncVat: '59.97', sessions: 30 }, // D−7: first day of window_7
      { date: '2024-03-02', units: 5, revenueIncVat: '99.95', sessions: 50 }, // D−8: only in window_30
      { date: '2024-02-09', units: 7, revenueIncVat: '0.105', sessions: null }, // D−30
      { date: '2024-02-08', units: 11, revenueIncVat: '1.00', sessions: 1 }, // D−31: outside
    ];
    const w7 = sumWindow(rows, asOf, 7);
    expect(w7).toMatchObject({ days: 7, units: 5, sessions: 50, rowCount: 2 });
    expect(w7.revenueIncVat.toFixed(2)).toBe('99.95');
    const w30 = sumWindow(rows, asOf, 30);
    expect(w30).toMatchObject({ days: 30, units: 17, sessions: 100, rowCount: 4 });
    // Summed exactly, rounded once: 39.98 + 59.97 + 99.95 + 0.105 = 200.005 → 200.01
    expect(w30.revenueIncVat.toFixed(2)).toBe('200.01');
  });

  it('returns zeros for an empty window', () => {
    const w = sumWindow([], asOf, 30);
    expect(w.units).toBe(0);
    expect(w.revenueIncVat.toFixed(2)).toBe('0.00');
  });
});

describe('velocity and days of cover', () => {
  it('velocity_30d = units_30d / 30 at 2 dp', () => {
    expect(salesVelocity30d(90).toFixed(2)).toBe('3.00');
    expect(salesVelocity30d(10).toFixed(2)).toBe('0.33');
    expect(salesVelocity30d(20).toFixed(2)).toBe('0.67');
    expect(salesVelocity30d(0).toFixed(2)).toBe('0.00');
  });

  it('days_of_cover = qty / velocity at 1 dp, null with no velocity or no quantity', () => {
    expect(daysOfCover(12, salesVelocity30d(90))!.toFixed(1)).toBe('4.0');
    expect(daysOfCover(30, '3.00')!.toFixed(1)).toBe('10.0');
    expect(daysOfCover(10, '0.33')!.toFixed(1)).toBe('30.3');
    expect(daysOfCover(0, '2')!.toFixed(1)).toBe('0.0');
    expect(daysOfCover(12, '0')).toBeNull();
    expect(daysOfCover(12, null)).toBeNull();
    expect(daysOfCover(null, '3')).toBeNull();
  });

  it('conversion = Σunits / Σsessions, null without sessions', () => {
    expect(conversionRate(17, 100)!.toFixed(4)).toBe('0.1700');
    expect(conversionRate(1, 3)!.toFixed(4)).toBe('0.3333');
    expect(conversionRate(5, 0)).toBeNull();
  });
});

describe('stockout risk (L = lead time)', () => {
  it('HIGH at or below L/2, MEDIUM at or below L, LOW above', () => {
    expect(stockoutRisk('4.0', 14)).toBe('HIGH');
    expect(stockoutRisk('7.0', 14)).toBe('HIGH');
    expect(stockoutRisk('7.1', 14)).toBe('MEDIUM');
    expect(stockoutRisk('14', 14)).toBe('MEDIUM');
    expect(stockoutRisk('14.1', 14)).toBe('LOW');
    expect(stockoutRisk(0, 14)).toBe('HIGH');
  });

  it('uses the derived lead time, not a fixed 14', () => {
    expect(stockoutRisk('10', 30)).toBe('HIGH');
    expect(stockoutRisk('20', 30)).toBe('MEDIUM');
    expect(stockoutRisk('10', 7)).toBe('LOW');
    expect(stockoutRisk('3.5', 7)).toBe('HIGH');
  });

  it('unknown cover is LOW; a missing lead time means 14', () => {
    expect(stockoutRisk(null, 14)).toBe('LOW');
    expect(stockoutRisk('10')).toBe('MEDIUM');
    expect(stockoutRisk('10', null)).toBe('MEDIUM');
    expect(stockoutRisk('10', 0)).toBe('MEDIUM');
  });

  it('lead time = max positive supplier lead time, else 14', () => {
    expect(leadTimeDays([5, 21, null, 10])).toBe(21);
    expect(leadTimeDays([0, null])).toBe(14);
    expect(leadTimeDays([])).toBe(14);
  });
});
