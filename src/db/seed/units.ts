/** Time, money (integer pence) and formatting helpers of the seed. */

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MIN = 60_000;

/** `timestamp without time zone` literal of a UTC instant. */
export function ts(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
/** Pence → pounds as a JSON number (2 dp, exact decimal repr). */
export function gbp(pence: number): number {
  return pence / 100;
}
/** Pence → numeric literal. */
export function money(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const a = Math.abs(pence);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
/** round(num/den), ties away from zero, for non-negative integers. */
export function divRound(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}
export function r4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
export function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
export function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
export function r1(x: number): number {
  return Math.round(x * 10) / 10;
}
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export const B36 = 36n ** 8n;
/** ASIN `B0` + 8 base-36 chars, a bijection of the asin_entities id (so unique per entity). */
export function asinFor(entityId: number): string {
  const scrambled = (BigInt(entityId) * 2_654_435_761n + 1_234_567_890n) % B36;
  return `B0${scrambled.toString(36).toUpperCase().padStart(8, '0')}`;
}

/** Keepa minutes (since 2011-01-01 UTC). */
export function keepaTime(ms: number): number {
  return Math.floor(ms / MIN) - 21_564_000;
}

export function percentile(sorted: number[], p: number): number {
  const idx = p * (sorted.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (idx - lo);
}

