/**
 * Column-major row buffers, the `unnest` bulk insert, and the id allocation that lets a seed append
 * to a database that already holds data (see the decisions in src/db/seed.ts).
 */
import { raw, sql, type SqlSession } from '../sql.js';

export type ColType = string; // PostgreSQL element type of the array: int, text, numeric, timestamp, date, jsonb, boolean, or an enum

export class Table {
  readonly data: unknown[][];
  constructor(
    readonly name: string,
    readonly cols: readonly (readonly [string, ColType])[],
  ) {
    this.data = cols.map(() => []);
  }
  get size(): number {
    return this.data[0]!.length;
  }
  push(row: Record<string, unknown>): void {
    for (let i = 0; i < this.cols.length; i++) {
      const v = row[this.cols[i]![0]];
      this.data[i]!.push(v === undefined ? null : v);
    }
  }
}

export function arrayLiteral(values: unknown[], type: ColType): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      parts[i] = 'NULL';
      continue;
    }
    let s: string;
    if (type === 'jsonb') s = JSON.stringify(v);
    else if (typeof v === 'boolean') s = v ? 't' : 'f';
    else s = String(v);
    if (type === 'int' || type === 'numeric' || type === 'boolean') parts[i] = s;
    else parts[i] = `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  return `{${parts.join(',')}}`;
}

export async function insertTable(s: SqlSession, t: Table, maxRows = 30_000): Promise<void> {
  const n = t.size;
  // One array parameter per column ($1…$n, in column order); table, column and type names come
  // from the fixed table definitions below (identifiers, not values).
  const names = t.cols.map(([c]) => c).join(', ');
  const args = t.cols.map(([, type], i) => `$${i + 1}::text::${type}[]`).join(', ');
  const statement = `INSERT INTO ${t.name} (${names}) SELECT * FROM unnest(${args})`;
  for (let from = 0; from < n; from += maxRows) {
    const to = Math.min(n, from + maxRows);
    const params = t.cols.map(([, type], i) => arrayLiteral(t.data[i]!.slice(from, to), type));
    await s.query(statement, params);
  }
}

export const T = {
  listings: [
    ['id', 'int'], ['seller_sku', 'text'], ['asin', 'text'], ['title', 'text'], ['description', 'text'],
    ['bullet_points', 'jsonb'], ['price_inc_vat', 'numeric'], ['available_quantity', 'int'], ['category', 'text'],
    ['status', 'text'], ['current_score', 'int'], ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
    ['marketplace_id', 'int'], ['fulfillment_channel', 'text'],
  ],
  asin_entities: [
    ['id', 'int'], ['asin', 'text'], ['marketplace_id', 'int'], ['title', 'text'], ['brand', 'text'], ['category', 'text'],
    ['subcategory', 'text'], ['main_image_url', 'text'], ['listing_id', 'int'], ['is_tracked', 'boolean'],
    ['tracked_at', 'timestamp'], ['notes', 'text'], ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ],
  boms: [
    ['id', 'int'], ['listing_id', 'int'], ['asin_entity_id', 'int'], ['scope_type', 'bom_scope_type'], ['version', 'int'],
    ['is_active', 'boolean'], ['effective_from', 'timestamp'], ['effective_to', 'timestamp'], ['notes', 'text'],
    ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ],
  bom_lines: [
    ['id', 'int'], ['bom_id', 'int'], ['component_id', 'int'], ['quantity', 'numeric'], ['wastage_rate', 'numeric'],
    ['notes', 'text'], ['created_at', 'timestamp'],
  ],
  listing_cost_overrides: [
    ['id', 'int'], ['listing_id', 'int'], ['shipping_cost_ex_vat', 'numeric'], ['packaging_cost_ex_vat', 'numeric'],
    ['handling_cost_ex_vat', 'numeric'], ['other_cost_ex_vat', 'numeric'], ['notes', 'text'], ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
  ],
  listing_offer_current: [
    ['listing_id', 'int'], ['price_inc_vat', 'numeric'], ['available_quantity', 'int'], ['buy_box_status', 'buy_box_status_type'],
    ['buy_box_percentage_30d', 'numeric'], ['buy_box_price', 'numeric'], ['is_buy_box_winner', 'boolean'],
    ['observed_at', 'timestamp'], ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ],
  fee_snapshots: [
    ['id', 'int'], ['listing_id', 'int'], ['price_inc_vat', 'numeric'], ['referral_fee_ex_vat', 'numeric'],
    ['fba_fee_ex_vat', 'numeric'], ['variable_closing_fee_ex_vat', 'numeric'], ['per_item_fee_ex_vat', 'numeric'],
    ['total_fee_ex_vat', 'numeric'], ['category', 'text'], ['fulfillment_channel', 'text'], ['raw_json', 'jsonb'],
    ['captured_at', 'timestamp'], ['created_at', 'timestamp'],
  ],
  listing_sales_daily: [
    ['id', 'int'], ['listing_id', 'int'], ['date', 'date'], ['units', 'int'], ['revenue_inc_vat', 'numeric'],
    ['sessions', 'int'], ['page_views', 'int'], ['conversion_rate', 'numeric'], ['created_at', 'timestamp'],
  ],
  keepa_snapshots: [
    ['id', 'int'], ['asin', 'text'], ['marketplace_id', 'int'], ['asin_entity_id', 'int'], ['raw_json', 'jsonb'],
    ['parsed_json', 'jsonb'], ['captured_at', 'timestamp'], ['created_at', 'timestamp'],
  ],
  amazon_catalog_snapshots: [
    ['id', 'int'], ['asin', 'text'], ['marketplace_id', 'int'], ['asin_entity_id', 'int'], ['raw_json', 'jsonb'],
    ['parsed_json', 'jsonb'], ['captured_at', 'timestamp'], ['created_at', 'timestamp'],
  ],
  feature_store: [
    ['id', 'int'], ['entity_type', 'feature_entity_type'], ['entity_id', 'int'], ['feature_version', 'int'],
    ['features_json', 'jsonb'], ['computed_at', 'timestamp'], ['created_at', 'timestamp'],
  ],
  jobs: [
    ['id', 'int'], ['job_type', 'job_type'], ['scope_type', 'job_scope_type'], ['listing_id', 'int'], ['asin_entity_id', 'int'],
    ['status', 'job_status'], ['priority', 'int'], ['attempts', 'int'], ['max_attempts', 'int'], ['input_json', 'jsonb'],
    ['result_json', 'jsonb'], ['log_json', 'jsonb'], ['error_message', 'text'], ['scheduled_for', 'timestamp'],
    ['started_at', 'timestamp'], ['finished_at', 'timestamp'], ['created_by', 'text'], ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
  ],
  recommendations: [
    ['id', 'int'], ['recommendation_type', 'recommendation_type'], ['entity_type', 'feature_entity_type'], ['entity_id', 'int'],
    ['status', 'recommendation_status'], ['action_payload_json', 'jsonb'], ['evidence_json', 'jsonb'],
    ['guardrails_json', 'jsonb'], ['impact_json', 'jsonb'], ['confidence', 'confidence_band'], ['confidence_score', 'numeric'],
    ['generated_at', 'timestamp'], ['expires_at', 'timestamp'], ['accepted_at', 'timestamp'], ['rejected_at', 'timestamp'],
    ['snoozed_until', 'timestamp'], ['generation_job_id', 'int'], ['accepted_job_id', 'int'], ['notes', 'text'],
    ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ],
  recommendation_events: [
    ['id', 'int'], ['recommendation_id', 'int'], ['event_type', 'recommendation_event_type'], ['job_id', 'int'],
    ['details_json', 'jsonb'], ['reason', 'text'], ['created_by', 'text'], ['created_at', 'timestamp'],
  ],
  listing_events: [
    ['id', 'int'], ['listing_id', 'int'], ['event_type', 'listing_event_type'], ['job_id', 'int'], ['before_json', 'jsonb'],
    ['after_json', 'jsonb'], ['reason', 'text'], ['correlation_id', 'text'], ['created_by', 'text'], ['created_at', 'timestamp'],
  ],
  suppliers: [
    ['id', 'int'], ['name', 'text'], ['contact_name', 'text'], ['email', 'text'], ['phone', 'text'], ['website', 'text'],
    ['address', 'text'], ['currency_code', 'text'], ['lead_time_days', 'int'], ['minimum_order_value', 'numeric'],
    ['payment_terms', 'text'], ['notes', 'text'], ['rating', 'int'], ['is_active', 'boolean'], ['created_at', 'timestamp'],
    ['updated_at', 'timestamp'],
  ],
  components: [
    ['id', 'int'], ['component_sku', 'text'], ['name', 'text'], ['description', 'text'], ['category', 'text'],
    ['supplier_id', 'int'], ['supplier_sku', 'text'], ['unit_cost_ex_vat', 'numeric'], ['unit_of_measure', 'text'],
    ['pack_size', 'int'], ['weight_grams', 'numeric'], ['dimensions_cm', 'jsonb'], ['min_stock_level', 'int'],
    ['current_stock', 'int'], ['reorder_point', 'int'], ['price_history', 'jsonb'], ['is_active', 'boolean'],
    ['created_at', 'timestamp'], ['updated_at', 'timestamp'],
  ],
} as const satisfies Record<string, readonly (readonly [string, ColType])[]>;

export type TableName = keyof typeof T;
/** Insert order inside a chunk (parents before children). */
export const CHUNK_TABLES: TableName[] = [
  'listings', 'asin_entities', 'boms', 'bom_lines', 'listing_cost_overrides', 'listing_offer_current', 'fee_snapshots',
  'listing_sales_daily', 'keepa_snapshots', 'amazon_catalog_snapshots', 'feature_store', 'jobs', 'recommendations',
  'recommendation_events', 'listing_events',
];

export class Ids {
  constructor(private next: Record<string, number>) {}
  take(table: TableName): number {
    const id = this.next[table]!;
    this.next[table] = id + 1;
    return id;
  }
  peek(table: TableName): number {
    return this.next[table]!;
  }
}

/**
 * Locks the tables a chunk writes and reads the next free id of each. Table names come from the
 * fixed list `T` and sequence names from pg_get_serial_sequence: identifiers, never values, so they
 * are spliced into the SQL; every value travels as a parameter.
 */
export async function lockAndReadIds(s: SqlSession, tables: TableName[]): Promise<Record<string, number>> {
  await s.query(sql`LOCK TABLE ${raw(tables.join(', '))} IN EXCLUSIVE MODE`);
  const next: Record<string, number> = {};
  for (const t of tables) {
    if (t === 'listing_offer_current') continue;
    const seq = await sequenceOf(s, t);
    const { rows } = await s.query<{ next: string | number }>(
      sql`SELECT GREATEST(
            (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ${raw(seq)}),
            (SELECT COALESCE(MAX(id), 0) + 1 FROM ${raw(t)})) AS next`,
    );
    next[t] = Number(rows[0]!.next);
  }
  return next;
}

export const sequenceNames = new WeakMap<SqlSession, Map<string, string>>();
/** The serial sequence behind `<table>.id` (normally `<table>_id_seq`). */
export async function sequenceOf(s: SqlSession, table: string): Promise<string> {
  let names = sequenceNames.get(s);
  if (!names) sequenceNames.set(s, (names = new Map()));
  let name = names.get(table);
  if (!name) {
    const { rows } = await s.query<{ seq: string | null }>(sql`SELECT pg_get_serial_sequence(${table}, 'id') AS seq`);
    name = rows[0]?.seq ?? `${table}_id_seq`;
    names.set(table, name);
  }
  return name;
}

export async function advanceSequences(s: SqlSession, ids: Ids, tables: TableName[]): Promise<void> {
  for (const t of tables) {
    if (t === 'listing_offer_current') continue;
    const last = ids.peek(t) - 1;
    if (last < 1) continue;
    const seq = await sequenceOf(s, t);
    await s.query(sql`SELECT setval(${seq}::regclass, GREATEST(${last}::bigint, (SELECT last_value FROM ${raw(seq)})))`);
  }
}

