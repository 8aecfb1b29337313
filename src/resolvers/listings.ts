import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * The listing screen's page query: filters and orderings that involve derived metrics (margin,
 * profit per unit, units over 30 days, stock risk) read them from each listing's latest feature
 * snapshot (feature_store, docs/domain-rules.md §4), and Buy Box from listing_offer_current. It returns ids
 * only; the nodes and everything nested under them are then loaded by Prisma in a few batched
 * queries. Pagination is keyset on (sort key, id), so cursors stay stable when rows are added.
 */

export type ListingOrderField = 'CREATED_AT' | 'MARGIN' | 'PROFIT_PER_UNIT' | 'UNITS_30D' | 'BUY_BOX_PERCENTAGE' | 'SELLER_SKU';
export type SortDirection = 'ASC' | 'DESC';
export type MarginBand = 'NEGATIVE' | 'BELOW_TARGET' | 'HEALTHY' | 'UNKNOWN';

export interface ListingFilter {
  search?: string | null;
  marketplaceId?: number | null;
  /** The caller's partner row limit (src/auth/row-limits.ts): only these marketplaces; null = all. */
  marketplaceIds?: readonly number[] | null;
  status?: string[] | null;
  buyBoxStatus?: string[] | null;
  marginBand?: MarginBand[] | null;
  stockRisk?: string[] | null;
}

export interface ListingPageArgs {
  filter: ListingFilter;
  orderBy: { field: ListingOrderField; direction: SortDirection };
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  defaultSize: number;
  /** Band edge between BELOW_TARGET and HEALTHY: the guardrail minimum margin. */
  minMargin: string;
}

export interface ListingPage {
  rows: Array<{ id: number; cursor: string }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * SQL of each ordering's key; NULLs sort last in the requested direction via a sentinel. The
 * derived metrics come from `listing_read_keys` (migration 009): one row per listing, kept current
 * by triggers with the latest feature row's values and the offer's Buy Box share, indexed per
 * ordering, so a page walks an index instead of probing every listing's latest feature row.
 * `id` is the tiebreak column the same index holds (equal to l.id through the join).
 */
const ORDER_KEYS: Record<ListingOrderField, { sql: string; type: 'numeric' | 'timestamp' | 'text'; id: string }> = {
  CREATED_AT: { sql: 'l.created_at', type: 'timestamp', id: 'l.id' },
  MARGIN: { sql: 'rk.margin', type: 'numeric', id: 'rk.listing_id' },
  PROFIT_PER_UNIT: { sql: 'rk.profit_ex_vat', type: 'numeric', id: 'rk.listing_id' },
  UNITS_30D: { sql: 'rk.units_30d', type: 'numeric', id: 'rk.listing_id' },
  BUY_BOX_PERCENTAGE: { sql: 'rk.buy_box_percentage_30d', type: 'numeric', id: 'rk.listing_id' },
  SELLER_SKU: { sql: 'l.seller_sku', type: 'text', id: 'l.id' },
};

function sortKeySql(field: ListingOrderField, direction: SortDirection): string {
  const key = ORDER_KEYS[field];
  if (key.type === 'text') return key.sql;
  const sentinel = direction === 'DESC' ? '-infinity' : 'infinity';
  return `COALESCE(${key.sql}, '${sentinel}'::${key.type})`;
}

const OFFER_JOIN = 'LEFT JOIN listing_offer_current o ON o.listing_id = l.id';
// Every listing has its row (an insert trigger adds it), so an inner join loses none.
const READ_KEYS_JOIN = 'JOIN listing_read_keys rk ON rk.listing_id = l.id';

/**
 * Joins only what the ordering and filters read. With `search` (a clause over alias l) the page
 * reads only the matches, found through the trigram indexes before anything is sorted: OFFSET 0
 * keeps PostgreSQL from walking an ordering's index instead, testing row after row against the
 * pattern until a small page fills, which reads the whole table when matches are rare.
 */
export function fromSql(filter: ListingFilter, orderField?: ListingOrderField, search?: string | null): string {
  const joins = [search ? `FROM (SELECT * FROM listings l WHERE ${search} OFFSET 0) l` : 'FROM listings l'];
  if (filter.buyBoxStatus) joins.push(OFFER_JOIN);
  const keyOrdering = orderField !== undefined && ORDER_KEYS[orderField].id === 'rk.listing_id';
  if (keyOrdering || filter.marginBand || filter.stockRisk) joins.push(READ_KEYS_JOIN);
  return joins.join('\n  ');
}

/**
 * A page size written into the statement rather than bound: a prepared statement's generic plan
 * cannot see a bound LIMIT, guesses a large page and hash-joins the whole table; with the number
 * in the text every page size keeps its small plan. Only a validated integer is ever written.
 */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The `search` filter as a clause over alias l (SKU, ASIN or title contains the text), or null. */
function searchSql(filter: ListingFilter, params: SqlParams): string | null {
  const search = filter.search?.trim();
  if (!search) return null;
  const pattern = params.add(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return `(l.seller_sku ILIKE ${pattern} OR l.asin ILIKE ${pattern} OR l.title ILIKE ${pattern})`;
}

/** List filters match any of their values; an empty list matches nothing (as `in: []` does elsewhere). */
export function whereSql(filter: ListingFilter, minMargin: string, params: SqlParams): string[] {
  const clauses: string[] = [];
  const search = searchSql(filter, params);
  if (search) clauses.push(search);
  if (filter.marketplaceId != null) clauses.push(`l.marketplace_id = ${params.add(filter.marketplaceId)}`);
  if (filter.marketplaceIds) clauses.push(`l.marketplace_id = ANY(${params.add([...filter.marketplaceIds])}::int[])`);
  if (filter.status) clauses.push(`l.status = ANY(${params.add(filter.status)}::text[])`);
  if (filter.buyBoxStatus) {
    clauses.push(`COALESCE(o.buy_box_status::text, 'UNKNOWN') = ANY(${params.add(filter.buyBoxStatus)}::text[])`);
  }
  if (filter.marginBand) {
    const margin = 'rk.margin';
    let min: string | undefined;
    const minParam = () => (min ??= params.add(minMargin));
    const bands: Record<MarginBand, () => string> = {
      NEGATIVE: () => `${margin} < 0`,
      BELOW_TARGET: () => `(${margin} >= 0 AND ${margin} < ${minParam()}::numeric)`,
      HEALTHY: () => `${margin} >= ${minParam()}::numeric`,
      UNKNOWN: () => `${margin} IS NULL`,
    };
    clauses.push(filter.marginBand.length ? `(${filter.marginBand.map((band) => bands[band]()).join(' OR ')})` : 'false');
  }
  if (filter.stockRisk) clauses.push(`rk.stockout_risk = ANY(${params.add(filter.stockRisk)}::text[])`);
  return clauses;
}

interface CursorValue {
  /** The ordering the cursor was issued for: a cursor is only valid under the same field and direction. */
  f: ListingOrderField;
  d: SortDirection;
  k: string | null;
  id: number;
}

/**
 * Whether a cursor key is a text form `(key)::text` produces for the key's type (numeric, or a
 * timestamp in the ISO DateStyle), so that casting it back in SQL cannot fail.
 */
function isValidCursorKey(type: 'numeric' | 'timestamp' | 'text', key: string): boolean {
  if (type === 'text') return true;
  if (/^-?infinity$/i.test(key)) return true;
  if (type === 'numeric') return /^-?\d+(\.\d+)?$/.test(key);
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?$/.exec(key);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  return (
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d &&
    date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === sec
  );
}

export function encodeCursor(value: CursorValue): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor(cursor: string, argument: string, orderBy: { field: ListingOrderField; direction: SortDirection }): CursorValue {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorValue;
    if (
      value !== null &&
      typeof value === 'object' &&
      value.f === orderBy.field &&
      value.d === orderBy.direction &&
      Number.isInteger(value.id) &&
      Math.abs(value.id) <= 2_147_483_647 &&
      (value.k === null || (typeof value.k === 'string' && isValidCursorKey(ORDER_KEYS[orderBy.field].type, value.k)))
    ) {
      return value;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError(`${argument} is not a cursor of this connection`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

export async function countListings(prisma: PrismaClient, filter: ListingFilter, minMargin: string): Promise<number> {
  const params = new SqlParams();
  const rows = await prisma.$queryRawUnsafe<Array<{ count: number }>>(`SELECT ${countSql(filter, minMargin, params)} AS count`, ...params.values);
  return Number(rows[0]?.count ?? 0);
}

/**
 * The filter's listing count as one SQL expression (shared with the compiled read path). A filter
 * on nothing but marketplace and status adds up listing_counts (migration 010, kept by triggers),
 * whose size does not grow with the table; any other filter counts the matching rows.
 */
export function countSql(filter: ListingFilter, minMargin: string, params: SqlParams): string {
  if (!filter.search?.trim() && !filter.buyBoxStatus && !filter.marginBand && !filter.stockRisk) {
    const where: string[] = [];
    if (filter.marketplaceId != null) where.push(`c.marketplace_id = ${params.add(filter.marketplaceId)}`);
    if (filter.marketplaceIds) where.push(`c.marketplace_id = ANY(${params.add([...filter.marketplaceIds])}::int[])`);
    if (filter.status) where.push(`c.status = ANY(${params.add(filter.status)}::text[])`);
    return `(SELECT coalesce(sum(c.listings), 0)::int FROM listing_counts c${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
  }
  const where = whereSql(filter, minMargin, params);
  return `(SELECT count(*)::int ${fromSql(filter)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
}

/** The page statement of `findListingPage` (ids and sort keys, one row past the page), shared with the compiled read path. */
export interface ListingPageSql {
  sql: string;
  size: number;
  backwards: boolean;
  /** The rows come in scan order: DESC when true. */
  scanDesc: boolean;
}

export function listingPageSql(args: ListingPageArgs, params: SqlParams): ListingPageSql {
  if (args.after && args.before) throw new GraphQLError('Use either after or before, not both', { extensions: { code: 'BAD_USER_INPUT' } });
  if (args.first != null && args.last != null) throw new GraphQLError('Use either first or last, not both', { extensions: { code: 'BAD_USER_INPUT' } });
  // Keyset paging walks one way: a cursor against the direction would be silently ignored.
  if (args.first != null && args.before) {
    throw new GraphQLError('before pages backwards: use it with last, not first', { extensions: { code: 'BAD_USER_INPUT', argument: 'before' } });
  }
  if (args.last != null && args.after) {
    throw new GraphQLError('after pages forwards: use it with first, not last', { extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
  }
  const backwards = args.last != null || (args.before != null && args.first == null);
  const size = (backwards ? args.last : args.first) ?? args.defaultSize;

  const { field, direction } = args.orderBy;
  const key = sortKeySql(field, direction);
  const type = ORDER_KEYS[field].type;
  // Walking backwards reads the same order reversed, then flips the page back.
  const forwardDesc = direction === 'DESC';
  const scanDesc = backwards ? !forwardDesc : forwardDesc;

  const search = searchSql(args.filter, params);
  const where = whereSql({ ...args.filter, search: null }, args.minMargin, params);
  const order = scanDesc ? 'DESC' : 'ASC';
  const idSql = ORDER_KEYS[field].id;
  const cursorArg = backwards ? args.before : args.after;
  if (cursorArg) {
    const cursor = decodeCursor(cursorArg, backwards ? 'before' : 'after', args.orderBy);
    const keyParam = cursor.k === null ? 'NULL' : `${params.add(cursor.k)}::${type}`;
    where.push(`(${key}, ${ORDER_KEYS[field].id}) ${scanDesc ? '<' : '>'} (${keyParam}, ${params.add(cursor.id)}::int)`);
  }
  // o: the row's place in scan order, for the compiled path's json_agg (src/resolvers/read/).
  const sql = `SELECT l.id, (${key})::text AS k, row_number() OVER (ORDER BY ${key} ${order}, ${idSql} ${order}) AS o ${fromSql(args.filter, field, search)}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${key} ${order}, ${idSql} ${order}
    LIMIT ${sqlInteger(size + 1)}`;
  return { sql, size, backwards, scanDesc };
}

export async function findListingPage(prisma: PrismaClient, args: ListingPageArgs): Promise<ListingPage> {
  const params = new SqlParams();
  const { sql, size, backwards } = listingPageSql(args, params);
  const { field, direction } = args.orderBy;
  const found = await prisma.$queryRawUnsafe<Array<{ id: number; k: string | null }>>(sql, ...params.values);

  const hasMore = found.length > size;
  const page = found.slice(0, size);
  if (backwards) page.reverse();
  const rows = page.map((row) => ({ id: Number(row.id), cursor: encodeCursor({ f: field, d: direction, k: row.k, id: Number(row.id) }) }));
  return {
    rows,
    hasNextPage: backwards ? Boolean(args.before) : hasMore,
    hasPreviousPage: backwards ? hasMore : Boolean(args.after),
  };
}
