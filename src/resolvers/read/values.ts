/**
 * How a value read by the compiled statement becomes what the schema's resolvers would have
 * serialized, without building a Decimal or Date per value: PostgreSQL hands over numerics as
 * text and timestamps already formatted.
 */
import { encodeGlobalID } from '@pothos/plugin-relay';

/** SQL of a column's value for json_build_array; `a` is the row's alias. */
export type ColumnSql = (a: string) => string;

export const column = (name: string): ColumnSql => (a) => `${a}.${name}`;
/** NUMERIC as its text, so no digit is lost to a JSON number. */
export const numericText = (name: string): ColumnSql => (a) => `${a}.${name}::text`;
/**
 * `timestamp` columns hold UTC (Prisma reads them so); to_char's MS truncates the microseconds the
 * way a JS Date does, so the text equals `Date.toISOString()` of Prisma's value.
 */
export const isoTimestamp = (name: string): ColumnSql => (a) => `to_char(${a}.${name}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A Prisma-read NUMERIC as the Decimal scalar shows it: Prisma's Decimal drops trailing zeros
 * ("24.00" -> 24), the scalar pads back to at least two decimals (src/schema/scalars.ts).
 */
export function decimalText(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  let s = String(text);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  const dot = s.indexOf('.');
  if (dot === -1) return `${s}.00`;
  return s.length - dot - 1 >= 2 ? s : `${s}0`;
}

export const globalId = (typename: string) => (id: unknown) => encodeGlobalID(typename, String(id));

/** camelCase field -> snake_case column, digits as their own word (buyBoxPercentage30d -> buy_box_percentage_30d). */
export function snake(name: string): string {
  return name.replace(/([A-Z])/g, '_$1').replace(/(\d+)/g, '_$1').toLowerCase();
}
