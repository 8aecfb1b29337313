/**
 * Deterministic demo/benchmark data for every table of migrations 000–005.
 *
 * Decisions (documented here because callers and tests rely on them):
 * - **Determinism.** All values come from a small seeded PRNG (mulberry32). Every listing draws from its
 *   own stream, seeded from (seed, ordinal of the listing in this call), so the data of listing k does not
 *   depend on how many listings are generated. Every timestamp is derived from `D` = the UTC midnight of
 *   `options.asOf` (default: now). Same `seed` + same UTC day of `asOf` + same starting database → identical
 *   rows, ids included. Nothing relies on column defaults such as `now()`.
 * - **Freshness.** Daily sales cover the 90 complete days D−90 … D−1, so the 7/30-day windows of DOMAIN §4
 *   (D−N … D−1) and the anomaly baseline (D−90 … D−8) are populated. Pending recommendations are generated
 *   within D−5 … D−1 (not yet expired at any time of day D); "live" jobs date from the evening of D−1.
 * - **Appending.** Seeding a database that already holds data *appends* a new batch. Ids are allocated by
 *   the seeder itself: each chunk runs in one transaction that locks the tables it writes (EXCLUSIVE: readers
 *   continue, writers wait), reads the next free id of every table (max of the sequence and MAX(id)), inserts
 *   rows with explicit ids and moves the sequences past them. SKUs (`LH-000123`), component SKUs and ASINs are
 *   derived from those ids, so they never clash with an earlier batch; a clash with a hand-made row of the
 *   same SKU is reported with a clear error (nothing is written for that chunk).
 * - **Bulk insert.** `INSERT … SELECT FROM unnest($1::text::int[], …)`: one parameter per column, so the
 *   65,535 bind-parameter limit never applies; arrays are sent as PostgreSQL array literals (text), which
 *   works the same on pg and PGlite. Sales are sent in statements of at most 30,000 rows. Listings go in
 *   chunks (`chunkSize`, default 1000) of one transaction each; on PostgreSQL the next chunk is generated while
 *   the server inserts the current one. Ids are assigned in listing order and the untracked opportunity ASINs
 *   follow the last listing, so the chunk size does not change the data.
 * - **Scope.** Every domain table gets rows; `settings` keeps what migrations 001/002 seed, and
 *   `idempotency_keys` (request bookkeeping) stays empty. Recommendation triggers follow DOMAIN §5.1 where the
 *   generated features allow and are padded with loosely triggered types otherwise: the data is illustrative.
 * - **Measured** (PostgreSQL 15, 2 vCPUs): 10,000 listings / ~1.2 M rows in about 31 s on an idle machine,
 *   35–50 s while other work loaded it.
 */
import type { SqlDriver, SqlSession } from './sql.js';

export interface SeedOptions {
  /** How many listings to create (the bulk is 90 daily sales rows per listing). */
  listings: number;
  /** Progress lines (per chunk of listings and a per-table summary). */
  log?: (line: string) => void;
  /** PRNG seed; default 42. */
  seed?: number;
  /** Reference instant; all generated dates are relative to its UTC day. Default: now. */
  asOf?: Date;
  /** Listings per transaction; default 1000. */
  chunkSize?: number;
}

export interface SeedSummary {
  /** Rows inserted per table by this call. */
  rows: Record<string, number>;
  /** Wall-clock time of the whole seed, in milliseconds. */
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x45d9f3b);
  h ^= h >>> 13;
  return h >>> 0;
}

class Rng {
  private next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    return items[items.length - 1]![0];
  }
  /** Poisson draw (Knuth for small λ, normal approximation above 30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.gauss()));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
  gauss(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

/** `timestamp without time zone` literal of a UTC instant. */
function ts(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
/** Pence → pounds as a JSON number (2 dp, exact decimal repr). */
function gbp(pence: number): number {
  return pence / 100;
}
/** Pence → numeric literal. */
function money(pence: number): string {
  const sign = pence < 0 ? '-' : '';
  const a = Math.abs(pence);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
/** round(num/den), ties away from zero, for non-negative integers. */
function divRound(num: number, den: number): number {
  return Math.floor((2 * num + den) / (2 * den));
}
function r4(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
function r3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
function r1(x: number): number {
  return Math.round(x * 10) / 10;
}
function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const B36 = 36n ** 8n;
/** ASIN `B0` + 8 base-36 chars, a bijection of the asin_entities id (so unique per entity). */
function asinFor(entityId: number): string {
  const scrambled = (BigInt(entityId) * 2_654_435_761n + 1_234_567_890n) % B36;
  return `B0${scrambled.toString(36).toUpperCase().padStart(8, '0')}`;
}

/** Keepa minutes (since 2011-01-01 UTC). */
function keepaTime(ms: number): number {
  return Math.floor(ms / MIN) - 21_564_000;
}

function percentile(sorted: number[], p: number): number {
  const idx = p * (sorted.length - 1);
  const lo = Math.floor(idx);
  const hi = Math.ceil(idx);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (idx - lo);
}

// ---------------------------------------------------------------------------------------------
// Column-major row buffers and the unnest insert

type ColType = string; // PostgreSQL element type of the array: int, text, numeric, timestamp, date, jsonb, boolean, or an enum

class Table {
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

function arrayLiteral(values: unknown[], type: ColType): string {
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

async function insertTable(s: SqlSession, t: Table, maxRows = 30_000): Promise<void> {
  const n = t.size;
  const names = t.cols.map(([c]) => c).join(', ');
  const args = t.cols.map(([, type], i) => `$${i + 1}::text::${type}[]`).join(', ');
  const sql = `INSERT INTO ${t.name} (${names}) SELECT * FROM unnest(${args})`;
  for (let from = 0; from < n; from += maxRows) {
    const to = Math.min(n, from + maxRows);
    const params = t.cols.map(([, type], i) => arrayLiteral(t.data[i]!.slice(from, to), type));
    await s.query(sql, params);
  }
}

// ---------------------------------------------------------------------------------------------
// Table definitions (final column names after migrations 000–005)

const T = {
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

type TableName = keyof typeof T;
/** Insert order inside a chunk (parents before children). */
const CHUNK_TABLES: TableName[] = [
  'listings', 'asin_entities', 'boms', 'bom_lines', 'listing_cost_overrides', 'listing_offer_current', 'fee_snapshots',
  'listing_sales_daily', 'keepa_snapshots', 'amazon_catalog_snapshots', 'feature_store', 'jobs', 'recommendations',
  'recommendation_events', 'listing_events',
];
const SERIAL_TABLES = [...CHUNK_TABLES.filter((t) => t !== 'listing_offer_current'), 'suppliers', 'components'] as TableName[];

class Ids {
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

async function lockAndReadIds(s: SqlSession, tables: TableName[]): Promise<Record<string, number>> {
  await s.query(`LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`);
  const next: Record<string, number> = {};
  for (const t of tables) {
    if (t === 'listing_offer_current') continue;
    const seq = await sequenceOf(s, t);
    const { rows } = await s.query<{ next: string | number }>(
      `SELECT GREATEST(
         (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM ${seq}),
         (SELECT COALESCE(MAX(id), 0) + 1 FROM ${t})) AS next`,
    );
    next[t] = Number(rows[0]!.next);
  }
  return next;
}

const sequenceNames = new WeakMap<SqlSession, Map<string, string>>();
/** The serial sequence behind `<table>.id` (normally `<table>_id_seq`). */
async function sequenceOf(s: SqlSession, table: string): Promise<string> {
  let names = sequenceNames.get(s);
  if (!names) sequenceNames.set(s, (names = new Map()));
  let name = names.get(table);
  if (!name) {
    const { rows } = await s.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, 'id') AS seq`, [table]);
    name = rows[0]?.seq ?? `${table}_id_seq`;
    names.set(table, name);
  }
  return name;
}

async function advanceSequences(s: SqlSession, ids: Ids, tables: TableName[]): Promise<void> {
  for (const t of tables) {
    if (t === 'listing_offer_current') continue;
    const last = ids.peek(t) - 1;
    if (last < 1) continue;
    const seq = await sequenceOf(s, t);
    await s.query(`SELECT setval($1::regclass, GREATEST($2::bigint, (SELECT last_value FROM ${seq})))`, [seq, last]);
  }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const CATEGORIES = [
  ['Home & Kitchen', ['Storage', 'Cookware', 'Cleaning']],
  ['Garden & Outdoors', ['Planters', 'Tools', 'Lighting']],
  ['Pet Supplies', ['Dog Toys', 'Cat Accessories', 'Grooming']],
  ['Arts & Crafts', ['Paints', 'Kits', 'Paper']],
  ['Toys & Games', ['Puzzles', 'Outdoor Play', 'Card Games']],
  ['Books', ['Notebooks', 'Journals']],
  ['Sports & Outdoors', ['Fitness', 'Camping', 'Cycling']],
  ['Office Products', ['Desk Organisers', 'Labels', 'Stationery']],
] as const;
const MEDIA_CATEGORIES = new Set(['Books', 'Music', 'Video', 'DVD', 'Software']);
const ADJECTIVES = ['Premium', 'Eco', 'Deluxe', 'Compact', 'Handmade', 'Classic', 'Heavy-Duty', 'Bamboo', 'Vintage', 'Foldable', 'Magnetic', 'Personalised'];
const NOUNS = ['Organiser', 'Gift Set', 'Planter', 'Storage Box', 'Candle Holder', 'Coaster Set', 'Tote Bag', 'Jigsaw', 'Bird Feeder', 'Notebook', 'Lunch Box', 'Keyring', 'Photo Frame', 'Dog Lead', 'Paint Kit'];
const BRANDS = ['Hartwell & Co', 'Northfield', 'Brambly', 'Oakcraft', 'Kittle', 'Larkspur Living', 'Pennine Goods', 'Willow Lane'];
const COMPONENT_KINDS = [
  ['Packaging', 'Cardboard box', 'each', 15, 90],
  ['Packaging', 'Bubble wrap', 'm', 8, 40],
  ['Packaging', 'Tissue paper', 'sheet', 2, 12],
  ['Raw material', 'Pine plank', 'm', 120, 480],
  ['Raw material', 'Bamboo panel', 'each', 90, 350],
  ['Raw material', 'Soy wax', 'kg', 300, 900],
  ['Raw material', 'Cotton cord', 'm', 5, 30],
  ['Hardware', 'Steel hinge', 'each', 20, 120],
  ['Hardware', 'Magnet 10mm', 'each', 5, 25],
  ['Hardware', 'Screw pack', 'pack', 30, 150],
  ['Printing', 'Printed label', 'each', 3, 20],
  ['Printing', 'Instruction card', 'each', 4, 25],
  ['Finishing', 'Varnish', 'l', 400, 1500],
  ['Finishing', 'Paint pot', 'each', 150, 600],
  ['Textile', 'Canvas fabric', 'm', 250, 900],
] as const;
const SUPPLIER_NAMES = ['Midlands Packaging', 'Anglia Timber', 'Severn Hardware', 'Clyde Print', 'Thames Textiles', 'Peak Finishing', 'Humber Supplies', 'Solent Components', 'Yorkshire Wax Co', 'Cornish Crafts Wholesale'];

const EXTRA_MARKETPLACES = [
  { amazonId: 'A1PA6795UKMFR9', name: 'Amazon DE', country: 'DE', currency: 'EUR', vat: '0.1900' },
  { amazonId: 'A13V1IB3VIYZZH', name: 'Amazon FR', country: 'FR', currency: 'EUR', vat: '0.2000' },
];
const UK_MARKETPLACE = 'A1F83G8C2ARO7P';

// ---------------------------------------------------------------------------------------------
// Generation context

interface ComponentInfo {
  id: number;
  costPence: number;
  leadTimeDays: number;
  uom: string;
}

interface Ctx {
  seed: number;
  D: number; // UTC midnight of asOf, ms
  ukId: number;
  ukVatBp: number; // vat_rate × 10,000
  otherMarketplaceIds: number[];
  components: ComponentInfo[];
  tables: Record<TableName, Table>;
  ids: Ids;
}

function newTables(): Record<TableName, Table> {
  const out = {} as Record<TableName, Table>;
  for (const name of Object.keys(T) as TableName[]) out[name] = new Table(name, T[name]);
  return out;
}

function addJob(
  ctx: Ctx,
  j: {
    type: string; scope?: 'LISTING' | 'ASIN' | 'GLOBAL'; listingId?: number | null; asinEntityId?: number | null;
    status: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; priority?: number; createdAt: number;
    input?: unknown; result?: unknown; error?: string; createdBy?: string; maxAttempts?: number; attempts?: number;
    durationMs?: number; scheduledFor?: number;
  },
): number {
  const id = ctx.ids.take('jobs');
  const max = j.maxAttempts ?? 5;
  const created = j.createdAt;
  const scheduled = j.scheduledFor ?? created;
  const started = scheduled + 2_000;
  const finished = started + (j.durationMs ?? 1_500);
  let attempts = j.attempts ?? 1;
  let startedAt: number | null = started;
  let finishedAt: number | null = finished;
  let log: unknown[] = [];
  let result: unknown = null;
  let error: string | null = null;
  switch (j.status) {
    case 'PENDING':
      attempts = Math.min(j.attempts ?? 0, max - 1);
      startedAt = attempts > 0 ? started : null;
      finishedAt = null;
      if (attempts > 0) {
        error = j.error ?? 'ETIMEDOUT: upstream did not answer';
        log = [{ error, code: 'NETWORK', timestamp: new Date(started + 5_000).toISOString() }];
      }
      break;
    case 'RUNNING':
      attempts = Math.max(1, Math.min(attempts, max));
      finishedAt = null;
      break;
    case 'SUCCEEDED':
      attempts = Math.max(1, Math.min(attempts, max));
      result = j.result ?? { ok: true };
      break;
    case 'FAILED':
      attempts = j.attempts ?? max;
      error = j.error ?? 'Marketplace rejected the request (HTTP 400)';
      log = Array.from({ length: attempts }, (_, k) => ({
        error, code: 'MARKETPLACE_ERROR', timestamp: new Date(started + k * 60_000).toISOString(),
      }));
      break;
    case 'CANCELLED':
      attempts = 0;
      startedAt = null;
      finishedAt = scheduled + 10 * MIN;
      break;
  }
  ctx.tables.jobs.push({
    id, job_type: j.type, scope_type: j.scope ?? 'LISTING', listing_id: j.listingId ?? null, asin_entity_id: j.asinEntityId ?? null,
    status: j.status, priority: j.priority ?? 5, attempts, max_attempts: max, input_json: j.input ?? {}, result_json: result,
    log_json: log, error_message: error, scheduled_for: ts(scheduled), started_at: startedAt === null ? null : ts(startedAt),
    finished_at: finishedAt === null ? null : ts(finishedAt), created_by: j.createdBy ?? 'system', created_at: ts(created),
    updated_at: ts(finishedAt ?? startedAt ?? created),
  });
  return id;
}

function addListingEvent(
  ctx: Ctx,
  e: { listingId: number; type: string; at: number; jobId?: number | null; before?: unknown; after?: unknown; reason?: string; correlationId?: string; by?: string },
): number {
  const id = ctx.ids.take('listing_events');
  ctx.tables.listing_events.push({
    id, listing_id: e.listingId, event_type: e.type, job_id: e.jobId ?? null, before_json: e.before ?? null,
    after_json: e.after ?? null, reason: e.reason ?? null, correlation_id: e.correlationId ?? null, created_by: e.by ?? 'system',
    created_at: ts(e.at),
  });
  return id;
}

function addRecEvent(
  ctx: Ctx,
  e: { recId: number; type: string; at: number; jobId?: number | null; details?: unknown; reason?: string; by?: string },
): void {
  ctx.tables.recommendation_events.push({
    id: ctx.ids.take('recommendation_events'), recommendation_id: e.recId, event_type: e.type, job_id: e.jobId ?? null,
    details_json: e.details ?? null, reason: e.reason ?? null, created_by: e.by ?? 'system', created_at: ts(e.at),
  });
}

// ---------------------------------------------------------------------------------------------
// Keepa

interface KeepaMetrics {
  price_current: number;
  price_median_90d: number;
  price_p25_90d: number;
  price_p75_90d: number;
  volatility_90d: number;
  sales_rank_current: number;
  sales_rank_trend_90d: number;
  offers_count_current: number;
  buy_box_price: number;
}

function addKeepa(ctx: Ctx, rng: Rng, entityId: number, asin: string, marketplaceId: number, centrePence: number): KeepaMetrics {
  const { D } = ctx;
  const capturedAt = D - DAY + 3 * HOUR + rng.int(0, 3599) * 1000;
  const points = rng.int(12, 40);
  const spread = rng.pick([0.02, 0.05, 0.08, 0.15, 0.25]);
  const priceCsv: number[] = [];
  const rankCsv: number[] = [];
  const prices: number[] = [];
  const ranks: number[] = [];
  let rank = rng.int(2_000, 400_000);
  for (let k = 0; k < points; k++) {
    const at = capturedAt - 90 * DAY + Math.floor(((k + 0.5) * 90 * DAY) / points);
    const p = Math.max(99, Math.round(centrePence * (1 + spread * rng.gauss() * 0.6)));
    rank = Math.max(50, Math.round(rank * (1 + 0.15 * rng.gauss())));
    prices.push(p);
    ranks.push(rank);
    priceCsv.push(keepaTime(at), p);
    rankCsv.push(keepaTime(at), rank);
  }
  const sorted = [...prices].sort((a, b) => a - b);
  const mean = prices.reduce((s, p) => s + p, 0) / prices.length;
  const sd = Math.sqrt(prices.reduce((s, p) => s + (p - mean) ** 2, 0) / prices.length);
  const half = Math.floor(ranks.length / 2);
  const m1 = ranks.slice(0, half).reduce((s, r) => s + r, 0) / half;
  const m2 = ranks.slice(half).reduce((s, r) => s + r, 0) / (ranks.length - half);
  const offers = rng.int(1, 25);
  const current = prices[prices.length - 1]!;
  const metrics: KeepaMetrics = {
    price_current: gbp(current),
    price_median_90d: r2(percentile(sorted, 0.5) / 100),
    price_p25_90d: r2(percentile(sorted, 0.25) / 100),
    price_p75_90d: r2(percentile(sorted, 0.75) / 100),
    volatility_90d: r3(sd / mean),
    sales_rank_current: rank,
    sales_rank_trend_90d: r3((m2 - m1) / m1),
    offers_count_current: offers,
    buy_box_price: gbp(Math.max(99, current - rng.int(0, 50))),
  };
  ctx.tables.keepa_snapshots.push({
    id: ctx.ids.take('keepa_snapshots'), asin, marketplace_id: marketplaceId, asin_entity_id: entityId,
    raw_json: { asin, domainId: marketplaceId === ctx.ukId ? 2 : 3, lastUpdate: keepaTime(capturedAt), source: 'seed' },
    parsed_json: { metrics, csv: { '1': priceCsv, '3': rankCsv } },
    captured_at: ts(capturedAt), created_at: ts(capturedAt + 1000),
  });
  return metrics;
}

function addCatalog(ctx: Ctx, rng: Rng, entityId: number, asin: string, marketplaceId: number, title: string, brand: string, category: string): void {
  const capturedAt = ctx.D - rng.int(1, 20) * DAY + 4 * HOUR;
  ctx.tables.amazon_catalog_snapshots.push({
    id: ctx.ids.take('amazon_catalog_snapshots'), asin, marketplace_id: marketplaceId, asin_entity_id: entityId,
    raw_json: { asin, summaries: [{ itemName: title, brand }], source: 'seed' },
    parsed_json: { title, brand, category },
    captured_at: ts(capturedAt), created_at: ts(capturedAt + 1000),
  });
}

// ---------------------------------------------------------------------------------------------
// One listing with everything hanging off it

interface BomLineDraft { componentIdx: number; q4: number; w4: number }

function bomCostPence(ctx: Ctx, lines: BomLineDraft[]): number {
  let num = 0; // pence × 10^8
  for (const l of lines) num += l.q4 * (10_000 + l.w4) * ctx.components[l.componentIdx]!.costPence;
  return divRound(num, 100_000_000);
}

function drawBomLines(ctx: Ctx, rng: Rng): BomLineDraft[] {
  const count = rng.int(1, Math.min(5, ctx.components.length));
  const used = new Set<number>();
  const lines: BomLineDraft[] = [];
  while (lines.length < count) {
    const idx = rng.int(0, ctx.components.length - 1);
    if (used.has(idx)) continue;
    used.add(idx);
    const c = ctx.components[idx]!;
    const q4 = c.uom === 'each' || c.uom === 'pack' || c.uom === 'sheet' ? rng.int(1, 4) * 10_000 : rng.int(1, 60) * 250; // 0.025 … 1.5
    const w4 = rng.weighted([[0, 5], [200, 2], [500, 2], [rng.int(1, 1000), 1]] as const);
    lines.push({ componentIdx: idx, q4, w4 });
  }
  return lines;
}

interface Econ {
  vatBp: number; priceInc: number; priceEx: number; bom: number; ship: number; pack: number; handling: number; other: number;
  referralRate: number; fixedFees: number; fees: number; profit: number; margin: number; breakEvenInc: number;
}

function economics(vatBp: number, priceInc: number, bom: number, ov: { ship: number; pack: number; handling: number; other: number }, referralRate: number, fixedFees: number): Econ {
  const priceEx = divRound(priceInc * 10_000, 10_000 + vatBp);
  const feeAt = (pex: number) => Math.round(referralRate * pex) + fixedFees;
  const fees = feeAt(priceEx);
  const C = bom + ov.ship + ov.pack + ov.handling + ov.other;
  const profit = priceEx - C - fees;
  let be = Math.ceil((((C + fixedFees) / (1 - referralRate)) * (10_000 + vatBp)) / 10_000 - 1e-9);
  for (let guard = 0; guard < 100; guard++) {
    const pex = divRound(be * 10_000, 10_000 + vatBp);
    if (pex - C - feeAt(pex) >= 0) break;
    be++;
  }
  return {
    vatBp, priceInc, priceEx, bom, ship: ov.ship, pack: ov.pack, handling: ov.handling, other: ov.other, referralRate, fixedFees,
    fees, profit, margin: priceEx > 0 ? profit / priceEx : 0, breakEvenInc: be,
  };
}

interface SalesDay { units: number; revenue: number }

function listingFeatures(
  e: Econ, sales: SalesDay[], end: number, qty: number, leadTime: number, bb: { status: string; pct: number | null }, k: KeepaMetrics,
): Record<string, unknown> {
  // sales[i] is day D−90+i; `end` = index one past the last complete day of the window.
  const sum = (from: number, to: number, f: (d: SalesDay) => number) => {
    let s = 0;
    for (let i = Math.max(0, from); i < to; i++) s += f(sales[i]!);
    return s;
  };
  const units7 = sum(end - 7, end, (d) => d.units);
  const units30 = sum(end - 30, end, (d) => d.units);
  const rev7 = sum(end - 7, end, (d) => d.revenue);
  const rev30 = sum(end - 30, end, (d) => d.revenue);
  const velocity = units30 / 30;
  const cover = velocity > 0 ? r1(qty / velocity) : null;
  const risk = cover === null ? 'LOW' : cover <= leadTime / 2 ? 'HIGH' : cover <= leadTime ? 'MEDIUM' : 'LOW';
  const baseline = sales.slice(0, Math.max(0, end - 7)).map((d) => d.units);
  let anomaly = 0;
  if (baseline.length >= 14) {
    const mean = baseline.reduce((s, u) => s + u, 0) / baseline.length;
    const sd = Math.sqrt(baseline.reduce((s, u) => s + (u - mean) ** 2, 0) / (baseline.length - 1));
    if (sd > 0) {
      const z = (velocity - mean) / sd;
      anomaly = z >= 0 ? 0 : r2(Math.min(1, 1 - Math.exp(-Math.abs(z) / 2)));
    }
  }
  const price = e.priceInc / 100;
  return {
    vat_rate: e.vatBp / 10_000,
    price_inc_vat: gbp(e.priceInc),
    price_ex_vat: gbp(e.priceEx),
    bom_cost_ex_vat: gbp(e.bom),
    shipping_cost_ex_vat: gbp(e.ship),
    packaging_cost_ex_vat: gbp(e.pack),
    handling_cost_ex_vat: gbp(e.handling),
    other_cost_ex_vat: gbp(e.other),
    amazon_fees_ex_vat: gbp(e.fees),
    profit_ex_vat: gbp(e.profit),
    margin: r4(e.margin),
    break_even_price_inc_vat: gbp(e.breakEvenInc),
    units_7d: units7,
    units_30d: units30,
    revenue_inc_vat_7d: gbp(rev7),
    revenue_inc_vat_30d: gbp(rev30),
    sales_velocity_units_per_day_30d: r2(velocity),
    available_quantity: qty,
    days_of_cover: cover,
    lead_time_days: leadTime,
    stockout_risk: risk,
    buy_box_status: bb.status,
    buy_box_percentage_30d: bb.pct,
    buy_box_risk: bb.status === 'WON' ? 'LOW' : bb.status === 'LOST' ? 'HIGH' : 'UNKNOWN',
    competitor_price_position: price < k.price_p25_90d ? 'BELOW_BAND' : price > k.price_p75_90d ? 'ABOVE_BAND' : 'IN_BAND',
    price_median_90d: k.price_median_90d,
    price_p25_90d: k.price_p25_90d,
    price_p75_90d: k.price_p75_90d,
    price_volatility_90d: k.volatility_90d,
    offers_count_current: k.offers_count_current,
    sales_rank_trend_90d: k.sales_rank_trend_90d,
    sales_anomaly_score: anomaly,
  };
}

const STATUS_PLANS: Record<number, { run1: string[]; run2: string[] | null }> = {
  // The first two listings of every call cover all six statuses, whatever N is.
  0: { run1: ['SUPERSEDED', 'ACCEPTED', 'REJECTED'], run2: ['PENDING', 'SNOOZED', 'ACCEPTED'] },
  1: { run1: ['EXPIRED', 'ACCEPTED'], run2: null },
};

function generateListing(ctx: Ctx, ordinal: number, listingId: number, entityId: number): void {
  const rng = new Rng(hash2(ctx.seed, ordinal));
  const { D, tables } = ctx;
  const [category, subs] = rng.pick(CATEGORIES);
  const subcategory = rng.pick(subs);
  const brand = rng.pick(BRANDS);
  const title = `${brand} ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} – ${subcategory}`;
  const sku = `LH-${pad(listingId, 6)}`;
  const asin = asinFor(entityId);
  const status = ordinal < 2 ? 'active' : rng.weighted([['active', 85], ['inactive', 10], ['archived', 5]] as const);
  const fba = rng.chance(0.3);
  const createdAt = D - rng.int(120, 720) * DAY + rng.int(8 * 3600, 18 * 3600) * 1000;
  const bomChangedAt: number[] = [];

  // BOM versions (1–3): the latest is active, older ones closed at the next version's start.
  const versions = rng.weighted([[1, 5], [2, 3], [3, 2]] as const);
  let activeLines: BomLineDraft[] = [];
  let prevBom: { id: number; version: number; cost: number } | null = null;
  for (let v = 1; v <= versions; v++) {
    const from = createdAt + (v === 1 ? 5 * MIN : Math.floor(((D - createdAt) * (v - 1)) / (versions + 0.5)));
    bomChangedAt.push(from);
    const lines = drawBomLines(ctx, rng);
    const bomId = ctx.ids.take('boms');
    const isActive = v === versions;
    const to = isActive ? null : createdAt + Math.floor(((D - createdAt) * v) / (versions + 0.5));
    tables.boms.push({
      id: bomId, listing_id: listingId, asin_entity_id: null, scope_type: 'LISTING', version: v, is_active: isActive,
      effective_from: ts(from), effective_to: to === null ? null : ts(to), notes: v === 1 ? 'Initial bill of materials' : `Revision ${v}`,
      created_at: ts(from), updated_at: ts(to ?? from),
    });
    for (const l of lines) {
      tables.bom_lines.push({
        id: ctx.ids.take('bom_lines'), bom_id: bomId, component_id: ctx.components[l.componentIdx]!.id,
        quantity: (l.q4 / 10_000).toFixed(4), wastage_rate: (l.w4 / 10_000).toFixed(4), notes: null, created_at: ts(from),
      });
    }
    const cost = bomCostPence(ctx, lines);
    addListingEvent(ctx, {
      listingId, type: 'BOM_UPDATED', at: from + 1000, by: 'user',
      before: prevBom ? { bom_id: prevBom.id, version: prevBom.version, bom_cost_ex_vat: gbp(prevBom.cost) } : null,
      after: { bom_id: bomId, version: v, bom_cost_ex_vat: gbp(cost), line_count: lines.length, operation: v === 1 ? 'create' : 'replace_lines' },
    });
    prevBom = { id: bomId, version: v, cost };
    activeLines = lines;
  }
  const bom = prevBom!.cost;
  const leadTime = Math.max(0, ...activeLines.map((l) => ctx.components[l.componentIdx]!.leadTimeDays)) || 14;

  // Cost overrides (most listings).
  const hasOverride = rng.chance(0.85);
  const ov = hasOverride
    ? { ship: fba ? 0 : rng.int(0, 450), pack: rng.int(10, 120), handling: rng.chance(0.4) ? rng.int(5, 50) : 0, other: rng.chance(0.2) ? rng.int(5, 30) : 0 }
    : { ship: 0, pack: 0, handling: 0, other: 0 };

  // Price from a target margin; fees are 15 % of the ex-VAT price plus fixed parts.
  const fixedFees = (fba ? 250 : 0) + (MEDIA_CATEGORIES.has(category) ? 50 : 0);
  const targetMargin = rng.weighted([[rng.range(0.2, 0.45), 75], [rng.range(0.05, 0.15), 18], [rng.range(-0.15, 0.03), 7]] as const);
  const nonFee = bom + ov.ship + ov.pack + ov.handling + ov.other;
  const rawEx = (nonFee + fixedFees) / Math.max(0.2, 0.85 - targetMargin);
  let priceInc = Math.max(299, Math.round((rawEx * (10_000 + ctx.ukVatBp)) / 10_000));
  priceInc = Math.floor(priceInc / 100) * 100 + rng.pick([49, 95, 99, 99]);
  const referralPence = Math.round(0.15 * divRound(priceInc * 10_000, 10_000 + ctx.ukVatBp));
  const priceEx = divRound(priceInc * 10_000, 10_000 + ctx.ukVatBp);
  const referralRate = priceEx > 0 ? referralPence / priceEx : 0.15;
  const econ = economics(ctx.ukVatBp, priceInc, bom, ov, referralRate, fixedFees);

  // Daily sales: 90 complete days D−90 … D−1.
  // A small cohort of steady best sellers whose sales collapse in the last week. The REF anomaly score compares
  // the 30-day velocity with an 83-day baseline that overlaps it, so only a steady, high-volume seller whose
  // drop is recent scores above 0.7 (about the faster half of this cohort); the rest score 0.4–0.7.
  const collapse = status === 'active' && rng.chance(0.04);
  const baseVelocity = status === 'archived' ? 0 : collapse ? rng.range(40, 150) : rng.weighted([[rng.range(0.05, 1), 40], [rng.range(1, 5), 45], [rng.range(5, 15), 15]] as const);
  const stopDay = status === 'inactive' ? rng.int(30, 85) : 90;
  const dropFrom = collapse ? 83 : 90;
  const conv = rng.range(0.04, 0.18);
  const trend = rng.range(-0.3, 0.3);
  const sales: SalesDay[] = [];
  for (let i = 0; i < 90; i++) {
    const day = D - (90 - i) * DAY;
    const weekday = new Date(day).getUTCDay();
    let lambda = i >= stopDay ? 0 : collapse ? baseVelocity : baseVelocity * (1 + (trend * (i - 45)) / 90) * (weekday === 0 || weekday === 6 ? 1.25 : 0.92);
    if (i >= dropFrom) lambda *= 0.05;
    const units = rng.poisson(lambda);
    const sessions = i >= stopDay ? rng.int(0, 3) : Math.max(units, Math.round((Math.max(lambda, 0.1) / conv) * rng.range(0.8, 1.2)));
    const pageViews = Math.round(sessions * rng.range(1.1, 1.6));
    const revenue = units * priceInc;
    sales.push({ units, revenue });
    tables.listing_sales_daily.push({
      id: ctx.ids.take('listing_sales_daily'), listing_id: listingId, date: isoDate(day), units, revenue_inc_vat: money(revenue),
      sessions, page_views: pageViews, conversion_rate: sessions > 0 ? (units / sessions).toFixed(4) : null,
      created_at: ts(day + DAY + 4 * HOUR),
    });
  }
  const velocity = sales.slice(60).reduce((s, d) => s + d.units, 0) / 30;
  const coverDays = rng.weighted([[rng.range(0, 7), 20], [rng.range(7, 30), 35], [rng.range(30, 100), 35], [rng.range(120, 300), 10]] as const);
  const qty = status === 'archived' ? 0 : Math.max(0, Math.round(Math.max(velocity, 0.1) * coverDays));

  tables.listings.push({
    id: listingId, seller_sku: sku, asin, title, description: `${title}. Made in the UK by ${brand}.`,
    bullet_points: [`Category: ${category}`, `Brand: ${brand}`, rng.pick(['Gift ready', 'Eco packaging', 'Fast dispatch', 'UK made'])],
    price_inc_vat: money(priceInc), available_quantity: qty, category, status, current_score: rng.int(40, 100),
    created_at: ts(createdAt), updated_at: ts(D - rng.int(1, 30) * DAY), marketplace_id: ctx.ukId,
    fulfillment_channel: fba ? 'FBA' : 'FBM',
  });
  addListingEvent(ctx, {
    listingId, type: 'LISTING_CREATED', at: createdAt, by: 'user',
    after: { seller_sku: sku, asin, title, price_inc_vat: gbp(priceInc), available_quantity: qty, status: 'active' },
  });
  if (status === 'archived') {
    addListingEvent(ctx, { listingId, type: 'LISTING_ARCHIVED', at: D - rng.int(40, 100) * DAY, by: 'user', before: { status: 'active' }, after: { status: 'archived' } });
  }
  if (hasOverride) {
    const at = createdAt + 10 * MIN;
    tables.listing_cost_overrides.push({
      id: ctx.ids.take('listing_cost_overrides'), listing_id: listingId, shipping_cost_ex_vat: money(ov.ship),
      packaging_cost_ex_vat: money(ov.pack), handling_cost_ex_vat: money(ov.handling), other_cost_ex_vat: money(ov.other),
      notes: fba ? 'FBA: shipping included in fees' : null, created_at: ts(at), updated_at: ts(at),
    });
    addListingEvent(ctx, {
      listingId, type: 'COST_OVERRIDE_UPDATED', at, by: 'user',
      before: { shipping_cost_ex_vat: 0, packaging_cost_ex_vat: 0, handling_cost_ex_vat: 0, other_cost_ex_vat: 0 },
      after: { shipping_cost_ex_vat: gbp(ov.ship), packaging_cost_ex_vat: gbp(ov.pack), handling_cost_ex_vat: gbp(ov.handling), other_cost_ex_vat: gbp(ov.other) },
    });
  }

  // Fee snapshots (1–3); the latest is at the current price.
  const feeCount = rng.int(1, 3);
  for (let f = feeCount - 1; f >= 0; f--) {
    const p = f === 0 ? priceInc : Math.round(priceInc * rng.range(0.9, 1.1));
    const pex = divRound(p * 10_000, 10_000 + ctx.ukVatBp);
    const referral = f === 0 ? referralPence : Math.round(0.15 * pex);
    const fbaFee = fba ? 250 : 0;
    const closing = MEDIA_CATEGORIES.has(category) ? 50 : 0;
    const capturedAt = D - (f * 30 + rng.int(1, 5)) * DAY + 5 * HOUR;
    tables.fee_snapshots.push({
      id: ctx.ids.take('fee_snapshots'), listing_id: listingId, price_inc_vat: money(p), referral_fee_ex_vat: money(referral),
      fba_fee_ex_vat: fba ? money(fbaFee) : null, variable_closing_fee_ex_vat: money(closing), per_item_fee_ex_vat: money(0),
      total_fee_ex_vat: money(referral + fbaFee + closing), category, fulfillment_channel: fba ? 'FBA' : 'FBM',
      raw_json: { source: 'seed', marketplace: UK_MARKETPLACE, currency: 'GBP' }, captured_at: ts(capturedAt), created_at: ts(capturedAt),
    });
  }

  // Offer + Buy Box (most listings).
  const bb = { status: 'UNKNOWN', pct: null as number | null };
  const offerSync = D - DAY + 18 * HOUR + rng.int(0, 3599) * 1000;
  if (status !== 'archived' && (ordinal < 2 || rng.chance(0.9))) {
    bb.status = rng.weighted([['WON', 60], ['LOST', 28], ['UNKNOWN', 12]] as const);
    bb.pct = bb.status === 'WON' ? r2(rng.range(70, 100)) : bb.status === 'LOST' ? r2(rng.range(0, 40)) : null;
    const bbPrice = bb.status === 'LOST' ? Math.round(priceInc * rng.range(0.88, 0.98)) : bb.status === 'WON' ? priceInc : null;
    tables.listing_offer_current.push({
      listing_id: listingId, price_inc_vat: money(priceInc), available_quantity: qty, buy_box_status: bb.status,
      buy_box_percentage_30d: bb.pct === null ? null : bb.pct.toFixed(2), buy_box_price: bbPrice === null ? null : money(bbPrice),
      is_buy_box_winner: bb.status === 'UNKNOWN' ? null : bb.status === 'WON', observed_at: ts(offerSync), created_at: ts(createdAt + HOUR),
      updated_at: ts(offerSync),
    });
    const job = addJob(ctx, { type: 'SYNC_AMAZON_OFFER', listingId, status: 'SUCCEEDED', createdAt: offerSync - 5_000, input: { asins: [asin] }, result: { updated: 1 } });
    addListingEvent(ctx, {
      listingId, type: 'AMAZON_SYNC_COMPLETED', at: offerSync, jobId: job, by: 'worker',
      before: { buy_box_status: 'UNKNOWN' }, after: { price_inc_vat: gbp(priceInc), available_quantity: qty, buy_box_status: bb.status },
    });
  }

  // ASIN entity + Keepa + catalog.
  const entityCreated = createdAt + HOUR;
  tables.asin_entities.push({
    id: entityId, asin, marketplace_id: ctx.ukId, title, brand, category, subcategory,
    main_image_url: `https://m.media-amazon.com/images/I/${asin}.jpg`, listing_id: listingId, is_tracked: true,
    tracked_at: ts(entityCreated), notes: null, created_at: ts(entityCreated), updated_at: ts(entityCreated),
  });
  const centre = Math.round(priceInc * rng.range(0.85, 1.15));
  const keepa = addKeepa(ctx, rng, entityId, asin, ctx.ukId, centre);
  const keepaAt = D - DAY + 3 * HOUR;
  const keepaJob = addJob(ctx, { type: 'SYNC_KEEPA_ASIN', scope: 'ASIN', listingId, asinEntityId: entityId, status: 'SUCCEEDED', priority: 4, createdAt: keepaAt - 30_000, input: { asin, marketplace_id: ctx.ukId } });
  addListingEvent(ctx, { listingId, type: 'KEEPA_SYNC_COMPLETED', at: keepaAt + 5_000, jobId: keepaJob, by: 'worker', after: { snapshot_id: ctx.ids.peek('keepa_snapshots') - 1, asin } });
  addCatalog(ctx, rng, entityId, asin, ctx.ukId, title, brand, category);

  // Features: yesterday's and (for most) the day before's nightly runs, over their own windows.
  const featureRuns = rng.chance(0.7) ? [2, 1] : [1];
  let latestFeatures: Record<string, unknown> = {};
  for (const daysAgo of featureRuns) {
    const at = D - daysAgo * DAY + 2 * HOUR + rng.int(0, 1800) * 1000;
    const features = listingFeatures(econ, sales, 90 - (daysAgo - 1), qty, leadTime, bb, keepa);
    const fsId = ctx.ids.take('feature_store');
    tables.feature_store.push({ id: fsId, entity_type: 'LISTING', entity_id: listingId, feature_version: 1, features_json: features, computed_at: ts(at), created_at: ts(at) });
    const job = addJob(ctx, { type: 'COMPUTE_FEATURES_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: at - 10_000, result: { feature_store_id: fsId } });
    addListingEvent(ctx, { listingId, type: 'FEATURES_COMPUTED', at, jobId: job, by: 'worker', after: { feature_store_id: fsId, feature_version: 1 } });
    latestFeatures = features;
  }
  tables.feature_store.push({
    id: ctx.ids.take('feature_store'), entity_type: 'ASIN', entity_id: entityId, feature_version: 1,
    features_json: asinFeatures(asin, ctx.ukId, title, brand, category, keepa, null, ctx.ukVatBp),
    computed_at: ts(D - DAY + 2 * HOUR + 45 * MIN), created_at: ts(D - DAY + 2 * HOUR + 45 * MIN),
  });

  // Manual publishes (history and in-flight), at most one PENDING/RUNNING per publish type.
  const busy = new Set<string>();
  if (status === 'active' && rng.chance(0.25)) manualPublish(ctx, rng, listingId, priceInc, qty, busy);

  // Recommendations.
  const plan = STATUS_PLANS[ordinal] ?? (status === 'active' && rng.chance(0.35) ? randomPlan(rng) : null);
  if (plan) generateRecommendations(ctx, rng, listingId, plan, latestFeatures, econ, qty, velocity, leadTime, busy);
}

function asinFeatures(asin: string, marketplaceId: number, title: string, brand: string, category: string, k: KeepaMetrics, scenarioBomPence: number | null, vatBp: number): Record<string, unknown> {
  let profit: number | null = null;
  let margin: number | null = null;
  if (scenarioBomPence !== null) {
    const pex = divRound(Math.round(k.price_current * 100) * 10_000, 10_000 + vatBp);
    const fees = Math.round(0.15 * pex);
    profit = pex - scenarioBomPence - fees;
    margin = pex > 0 ? r3(profit / pex) : null;
  }
  return {
    asin, marketplace_id: marketplaceId, title, brand, category,
    price_current: k.price_current, price_median_90d: k.price_median_90d, price_p25_90d: k.price_p25_90d,
    price_p75_90d: k.price_p75_90d, price_volatility_90d: k.volatility_90d, sales_rank_current: k.sales_rank_current,
    sales_rank_trend_90d: k.sales_rank_trend_90d, offers_count_current: k.offers_count_current, buy_box_price: k.buy_box_price,
    scenario_bom_cost_ex_vat: scenarioBomPence === null ? null : gbp(scenarioBomPence), has_scenario_bom: scenarioBomPence !== null,
    opportunity_profit: profit === null ? null : gbp(profit), opportunity_margin: margin,
  };
}

function manualPublish(ctx: Ctx, rng: Rng, listingId: number, priceInc: number, qty: number, busy: Set<string>): void {
  const { D } = ctx;
  const isPrice = rng.chance(0.6);
  const type = isPrice ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
  const status = rng.weighted([['SUCCEEDED', 55], ['FAILED', 15], ['PENDING', 12], ['RUNNING', 8], ['CANCELLED', 10]] as const);
  const live = status === 'PENDING' || status === 'RUNNING';
  if (live && busy.has(type)) return;
  if (live) busy.add(type);
  const at = live ? D - DAY + 22 * HOUR + rng.int(0, 3599) * 1000 : D - rng.int(3, 60) * DAY + rng.int(9, 17) * HOUR;
  const corr = `seed-${listingId}-${isPrice ? 'price' : 'stock'}-${at}`;
  // Succeeded changes end at the current value, so history and the listing agree.
  const [before, after] = isPrice
    ? status === 'SUCCEEDED' ? [Math.round(priceInc * 1.03), priceInc] : [priceInc, Math.round(priceInc * 0.97)]
    : status === 'SUCCEEDED' ? [Math.max(0, qty - rng.int(5, 50)), qty] : [qty, qty + rng.int(10, 100)];
  const key = isPrice ? 'price_inc_vat' : 'available_quantity';
  const val = (v: number) => (isPrice ? gbp(v) : v);
  const prefix = isPrice ? 'PRICE_CHANGE' : 'STOCK_CHANGE';
  const jobId = addJob(ctx, {
    type, listingId, status, priority: 7, createdAt: at, createdBy: 'user', attempts: status === 'FAILED' ? 1 : status === 'PENDING' ? 0 : 1,
    input: isPrice
      ? { price_inc_vat: gbp(after), previous_price_inc_vat: gbp(before), reason: 'Manual change', correlation_id: corr }
      : { available_quantity: after, previous_quantity: before, reason: 'Manual change', correlation_id: corr },
    error: status === 'FAILED' ? 'PUBLISH_DISABLED: publishing is switched off' : undefined,
  });
  addListingEvent(ctx, { listingId, type: `${prefix}_DRAFTED`, at, jobId, by: 'user', before: { [key]: val(before) }, after: { [key]: val(after) }, reason: 'Manual change', correlationId: corr });
  if (status === 'CANCELLED' || status === 'PENDING') return;
  addListingEvent(ctx, { listingId, type: `${prefix}_PUBLISHED`, at: at + 2_000, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after), write_mode: 'simulate' }, correlationId: corr });
  if (status === 'SUCCEEDED') addListingEvent(ctx, { listingId, type: `${prefix}_SUCCEEDED`, at: at + 3_500, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after) }, correlationId: corr });
  if (status === 'FAILED') addListingEvent(ctx, { listingId, type: `${prefix}_FAILED`, at: at + 3_500, jobId, by: 'worker', before: { [key]: val(before) }, after: { [key]: val(after), error: 'PUBLISH_DISABLED' }, correlationId: corr });
}

function randomPlan(rng: Rng): { run1: string[]; run2: string[] | null } {
  const hasRun2 = rng.chance(0.6);
  const n1 = rng.int(1, 2);
  const run1 = Array.from({ length: n1 }, () => rng.weighted([[hasRun2 ? 'SUPERSEDED' : 'EXPIRED', 5], ['ACCEPTED', 2], ['REJECTED', 2]] as const));
  const run2 = hasRun2 ? Array.from({ length: rng.int(1, 2) }, () => rng.weighted([['PENDING', 6], ['SNOOZED', 1], ['ACCEPTED', 2], ['REJECTED', 1]] as const)) : null;
  return { run1, run2 };
}

const PUBLISHABLE: Record<string, 'price' | 'stock'> = {
  PRICE_DECREASE_REGAIN_BUYBOX: 'price',
  PRICE_INCREASE_MARGIN_OPPORTUNITY: 'price',
  STOCK_INCREASE_STOCKOUT_RISK: 'stock',
};

function candidateTypes(f: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (f.buy_box_status === 'LOST') out.push('PRICE_DECREASE_REGAIN_BUYBOX', 'ANOMALY_BUY_BOX_LOSS');
  if (f.buy_box_status === 'WON' && (f.margin as number) > 0.2) out.push('PRICE_INCREASE_MARGIN_OPPORTUNITY');
  if (f.stockout_risk === 'HIGH' || f.stockout_risk === 'MEDIUM') out.push('STOCK_INCREASE_STOCKOUT_RISK');
  if (typeof f.days_of_cover === 'number' && f.days_of_cover > 120) out.push('STOCK_DECREASE_OVERSTOCK');
  if ((f.margin as number) < 0.15) out.push('MARGIN_AT_RISK_COMPONENT_COST');
  if ((f.sales_anomaly_score as number) > 0.7) out.push('ANOMALY_SALES_DROP');
  // Runs need up to three distinct types: pad with types whose triggers are loose.
  for (const extra of ['PRICE_INCREASE_MARGIN_OPPORTUNITY', 'STOCK_INCREASE_STOCKOUT_RISK', 'ANOMALY_CONVERSION_DROP']) {
    if (out.length >= 3) break;
    if (!out.includes(extra)) out.push(extra);
  }
  return out;
}

interface RecContent { payload: Record<string, unknown>; evidence: Record<string, unknown>; guardrails: unknown; impact: Record<string, unknown>; confidence: string; score: number }

function recContent(type: string, f: Record<string, unknown>, e: Econ, qty: number, velocity: number, lead: number): RecContent {
  const price = e.priceInc;
  const priceRec = (suggested: number, conf: string, score: number, evidence: Record<string, unknown>): RecContent => ({
    payload: { action: 'CHANGE_PRICE', suggested_price_inc_vat: gbp(suggested), current_price_inc_vat: gbp(price), price_change: gbp(suggested - price) },
    evidence: { ...evidence, buy_box_status: f.buy_box_status, buy_box_percentage_30d: f.buy_box_percentage_30d, price_p25_90d: f.price_p25_90d, price_median_90d: f.price_median_90d, competitor_price_position: f.competitor_price_position },
    guardrails: { passed: true, checks: [], violations: [] },
    impact: { margin_change: r4(-(gbp(price - suggested) / 1.2) / Math.max(0.01, gbp(e.priceEx))), profit_change_ex_vat: r2((suggested - price) / 120) },
    confidence: conf, score,
  });
  switch (type) {
    case 'PRICE_DECREASE_REGAIN_BUYBOX': {
      const vol = f.price_volatility_90d as number;
      const [conf, score] = vol < 0.1 ? ['HIGH', 0.85] : vol < 0.2 ? ['MEDIUM', 0.65] : ['LOW', 0.45];
      return priceRec(Math.ceil(price * 0.95), conf, score, { note: 'Buy Box lost; price above the 25th percentile', unclamped_target_inc_vat: f.price_p25_90d });
    }
    case 'PRICE_INCREASE_MARGIN_OPPORTUNITY':
      return priceRec(Math.floor(price * 1.05), 'MEDIUM', 0.6, { margin: f.margin });
    case 'STOCK_INCREASE_STOCKOUT_RISK': {
      const target = Math.max(qty + 1, Math.ceil(Math.max(velocity, 0.5) * 2 * lead));
      const cover = (f.days_of_cover as number | null) ?? 0;
      return {
        payload: { action: 'CHANGE_STOCK', suggested_quantity: target, current_quantity: qty, quantity_change: target - qty },
        evidence: { available_quantity: qty, days_of_cover: f.days_of_cover, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d, lead_time_days: lead, stockout_risk: f.stockout_risk },
        guardrails: { passed: true, checks: [], violations: [] },
        impact: { prevented_stockout_days: r1(Math.max(0, 2 * lead - cover)), revenue_protected_inc_vat: r2(velocity * Math.max(0, 2 * lead - cover) * gbp(price)) },
        confidence: f.stockout_risk === 'HIGH' ? 'HIGH' : 'MEDIUM', score: f.stockout_risk === 'HIGH' ? 0.9 : 0.7,
      };
    }
    case 'STOCK_DECREASE_OVERSTOCK':
      return {
        payload: { action: 'REVIEW_STOCK', suggested_quantity: Math.max(5, Math.ceil(velocity * 2 * lead)), current_quantity: qty },
        evidence: { available_quantity: qty, days_of_cover: f.days_of_cover, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d },
        guardrails: null, impact: { excess_units: Math.max(0, qty - Math.ceil(velocity * 2 * lead)) }, confidence: 'MEDIUM', score: 0.6,
      };
    case 'MARGIN_AT_RISK_COMPONENT_COST':
      return {
        payload: { action: 'REVIEW_COSTS', current_margin: f.margin, min_margin: 0.15, break_even_price_inc_vat: f.break_even_price_inc_vat },
        evidence: { margin: f.margin, min_margin: 0.15, bom_cost_ex_vat: f.bom_cost_ex_vat, amazon_fees_ex_vat: f.amazon_fees_ex_vat },
        guardrails: { violation: 'min_margin', actual: f.margin, threshold: 0.15 },
        impact: { margin_gap: r4(0.15 - (f.margin as number)) }, confidence: 'HIGH', score: 0.95,
      };
    default: {
      const anomaly = type === 'ANOMALY_SALES_DROP' ? 'SALES_DROP' : type === 'ANOMALY_CONVERSION_DROP' ? 'CONVERSION_DROP' : 'BUY_BOX_LOSS';
      return {
        payload: { action: 'INVESTIGATE', anomaly_type: anomaly },
        evidence: { sales_anomaly_score: f.sales_anomaly_score, units_7d: f.units_7d, units_30d: f.units_30d, sales_velocity_units_per_day_30d: f.sales_velocity_units_per_day_30d, buy_box_status: f.buy_box_status },
        guardrails: null, impact: { urgency: 'HIGH', possible_causes: ['competitor pricing', 'listing suppressed', 'seasonality'] }, confidence: 'MEDIUM', score: 0.7,
      };
    }
  }
}

function generateRecommendations(
  ctx: Ctx, rng: Rng, listingId: number, plan: { run1: string[]; run2: string[] | null }, f: Record<string, unknown>, e: Econ,
  qty: number, velocity: number, lead: number, busy: Set<string>,
): void {
  const { D } = ctx;
  const runs: { at: number; statuses: string[]; jobId: number }[] = [];
  const run1At = D - rng.int(10, 25) * DAY + 2 * HOUR + rng.int(0, 3599) * 1000;
  runs.push({ at: run1At, statuses: plan.run1, jobId: addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: run1At - 20_000, result: { generated: plan.run1.length } }) });
  if (plan.run2) {
    const run2At = D - rng.int(1, 5) * DAY + 2 * HOUR + rng.int(0, 3599) * 1000;
    runs.push({ at: run2At, statuses: plan.run2, jobId: addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_LISTING', listingId, status: 'SUCCEEDED', priority: 3, createdAt: run2At - 20_000, result: { generated: plan.run2.length } }) });
  }
  const candidates = candidateTypes(f);
  runs.forEach((run, r) => {
    const used = new Set<string>();
    run.statuses.forEach((status, k) => {
      let type = candidates[(k + r + rng.int(0, candidates.length - 1)) % candidates.length]!;
      for (let tries = 0; used.has(type) && tries < candidates.length; tries++) type = candidates[(candidates.indexOf(type) + 1) % candidates.length]!;
      if (used.has(type)) return;
      used.add(type);
      const c = recContent(type, f, e, qty, velocity, lead);
      const recId = ctx.ids.take('recommendations');
      const gen = run.at + k * 1000;
      let expires = gen + 7 * DAY;
      let acceptedAt: number | null = null;
      let rejectedAt: number | null = null;
      let snoozedUntil: number | null = null;
      let acceptedJob: number | null = null;
      const events: Parameters<typeof addRecEvent>[1][] = [{ recId, type: 'GENERATED', at: gen, jobId: run.jobId, details: { recommendation_type: type } }];
      const userAt = Math.min(gen + rng.int(2, 30) * HOUR, D - HOUR);
      if (status !== 'EXPIRED' && status !== 'SUPERSEDED' && rng.chance(0.7)) events.push({ recId, type: 'VIEWED', at: userAt - 10 * MIN, by: 'user' });
      switch (status) {
        case 'ACCEPTED': {
          acceptedAt = userAt;
          const kind = PUBLISHABLE[type];
          if (kind) {
            const jobType = kind === 'price' ? 'PUBLISH_PRICE_CHANGE' : 'PUBLISH_STOCK_CHANGE';
            let jobStatus = r === runs.length - 1 ? rng.weighted([['SUCCEEDED', 4], ['PENDING', 2], ['RUNNING', 1], ['FAILED', 1]] as const) : rng.weighted([['SUCCEEDED', 4], ['FAILED', 1], ['CANCELLED', 1]] as const);
            if ((jobStatus === 'PENDING' || jobStatus === 'RUNNING') && busy.has(jobType)) jobStatus = 'SUCCEEDED';
            if (jobStatus === 'PENDING' || jobStatus === 'RUNNING') busy.add(jobType);
            const action = c.payload;
            const corr = `rec-${recId}`;
            acceptedJob = addJob(ctx, {
              type: jobType, listingId, status: jobStatus, priority: 7, createdAt: acceptedAt, createdBy: 'user',
              input: kind === 'price'
                ? { price_inc_vat: action.suggested_price_inc_vat, previous_price_inc_vat: action.current_price_inc_vat, reason: `Accepted recommendation ${recId}`, correlation_id: corr, recommendation_id: recId }
                : { available_quantity: action.suggested_quantity, previous_quantity: action.current_quantity, reason: `Accepted recommendation ${recId}`, correlation_id: corr, recommendation_id: recId },
              error: jobStatus === 'FAILED' ? 'Guardrail check failed at execution: max_price_change_pct_per_day' : undefined,
              attempts: jobStatus === 'FAILED' ? 1 : undefined,
            });
            const key = kind === 'price' ? 'price_inc_vat' : 'available_quantity';
            const before = kind === 'price' ? action.current_price_inc_vat : action.current_quantity;
            const after = kind === 'price' ? action.suggested_price_inc_vat : action.suggested_quantity;
            const prefix = kind === 'price' ? 'PRICE_CHANGE' : 'STOCK_CHANGE';
            addListingEvent(ctx, { listingId, type: `${prefix}_DRAFTED`, at: acceptedAt, jobId: acceptedJob, by: 'user', before: { [key]: before }, after: { [key]: after }, reason: `Accepted recommendation ${recId}`, correlationId: corr });
            events.push({ recId, type: 'ACCEPTED', at: acceptedAt, jobId: acceptedJob, by: 'user', details: { job_type: jobType, job_id: acceptedJob, action: action.action } });
            if (jobStatus !== 'PENDING' && jobStatus !== 'CANCELLED') {
              events.push({ recId, type: 'ACTION_STARTED', at: acceptedAt + 2_000, jobId: acceptedJob, by: 'worker' });
              addListingEvent(ctx, { listingId, type: `${prefix}_PUBLISHED`, at: acceptedAt + 2_000, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after, write_mode: 'simulate' }, correlationId: corr });
            }
            if (jobStatus === 'SUCCEEDED') {
              events.push({ recId, type: 'ACTION_COMPLETED', at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker' });
              addListingEvent(ctx, { listingId, type: `${prefix}_SUCCEEDED`, at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after }, correlationId: corr });
            } else if (jobStatus === 'FAILED' || jobStatus === 'CANCELLED') {
              const error = jobStatus === 'FAILED' ? 'Guardrail check failed at execution' : 'Job cancelled';
              events.push({ recId, type: 'ACTION_FAILED', at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', details: { error } });
              if (jobStatus === 'FAILED') addListingEvent(ctx, { listingId, type: `${prefix}_FAILED`, at: acceptedAt + 3_500, jobId: acceptedJob, by: 'worker', before: { [key]: before }, after: { [key]: after, error }, correlationId: corr });
            }
          } else {
            events.push({ recId, type: 'ACCEPTED', at: acceptedAt, by: 'user', details: { job_type: null, job_id: null, action: c.payload.action } });
          }
          break;
        }
        case 'REJECTED':
          rejectedAt = userAt;
          events.push({ recId, type: 'REJECTED', at: userAt, by: 'user', reason: rng.pick(['Seasonal dip expected', 'Price set by contract', 'Already handled', 'Not relevant']) });
          break;
        case 'SNOOZED':
          snoozedUntil = D + rng.int(1, 14) * DAY + 9 * HOUR;
          expires = Math.max(expires, snoozedUntil + 7 * DAY);
          events.push({ recId, type: 'SNOOZED', at: userAt, by: 'user', details: { snoozed_until: new Date(snoozedUntil).toISOString() } });
          break;
        case 'EXPIRED':
          events.push({ recId, type: 'EXPIRED', at: expires + 15 * MIN });
          break;
        case 'SUPERSEDED': {
          const next = runs[r + 1]!;
          events.push({ recId, type: 'SUPERSEDED', at: next.at - 500, jobId: next.jobId, details: { superseded_by_job_id: next.jobId } });
          break;
        }
      }
      const last = events[events.length - 1]!.at;
      ctx.tables.recommendations.push({
        id: recId, recommendation_type: type, entity_type: 'LISTING', entity_id: listingId, status,
        action_payload_json: c.payload, evidence_json: c.evidence, guardrails_json: c.guardrails, impact_json: c.impact,
        confidence: c.confidence, confidence_score: c.score.toFixed(4), generated_at: ts(gen), expires_at: ts(expires),
        accepted_at: acceptedAt === null ? null : ts(acceptedAt), rejected_at: rejectedAt === null ? null : ts(rejectedAt),
        snoozed_until: snoozedUntil === null ? null : ts(snoozedUntil), generation_job_id: run.jobId, accepted_job_id: acceptedJob,
        notes: null, created_at: ts(gen), updated_at: ts(last),
      });
      for (const ev of events) addRecEvent(ctx, ev);
    });
  });
}

/** Untracked opportunity ASINs (no listing), some with an ASIN_SCENARIO BOM and an opportunity recommendation. */
function generateOpportunity(ctx: Ctx, ordinal: number, entityId: number): void {
  const rng = new Rng(hash2(ctx.seed ^ 0x5eed, ordinal));
  const { D, tables } = ctx;
  const asin = asinFor(entityId);
  const [category, subs] = rng.pick(CATEGORIES);
  const brand = rng.pick(['Acme', 'Generic', 'Zenith', 'Bluebell', ...BRANDS]);
  const title = `${brand} ${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)}`;
  const marketplaceId = ctx.otherMarketplaceIds.length && rng.chance(0.2) ? rng.pick(ctx.otherMarketplaceIds) : ctx.ukId;
  const tracked = rng.chance(0.6);
  const created = D - rng.int(5, 200) * DAY + 11 * HOUR;
  tables.asin_entities.push({
    id: entityId, asin, marketplace_id: marketplaceId, title, brand, category, subcategory: rng.pick(subs), main_image_url: null,
    listing_id: null, is_tracked: tracked, tracked_at: tracked ? ts(created) : null, notes: 'Untracked opportunity', created_at: ts(created), updated_at: ts(created),
  });
  const keepa = addKeepa(ctx, rng, entityId, asin, marketplaceId, rng.int(799, 4999));
  addJob(ctx, { type: 'SYNC_KEEPA_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 4, createdAt: D - DAY + 3 * HOUR - 30_000, input: { asin, marketplace_id: marketplaceId } });
  addCatalog(ctx, rng, entityId, asin, marketplaceId, title, brand, category);
  addJob(ctx, { type: 'SYNC_AMAZON_CATALOG', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', createdAt: created + 60_000, input: { asin, marketplace_id: marketplaceId } });

  // ASIN_SCENARIO BOMs for about half: 1–2 versions, the latest active.
  let scenarioBom: number | null = null;
  if (ordinal === 0 || rng.chance(0.5)) {
    const versions = rng.int(1, 2);
    for (let v = 1; v <= versions; v++) {
      const lines = drawBomLines(ctx, rng);
      const bomId = ctx.ids.take('boms');
      const from = created + v * DAY;
      const active = v === versions;
      tables.boms.push({
        id: bomId, listing_id: null, asin_entity_id: entityId, scope_type: 'ASIN_SCENARIO', version: v, is_active: active,
        effective_from: ts(from), effective_to: active ? null : ts(from + DAY), notes: 'Scenario costing', created_at: ts(from), updated_at: ts(from),
      });
      for (const l of lines) {
        tables.bom_lines.push({
          id: ctx.ids.take('bom_lines'), bom_id: bomId, component_id: ctx.components[l.componentIdx]!.id,
          quantity: (l.q4 / 10_000).toFixed(4), wastage_rate: (l.w4 / 10_000).toFixed(4), notes: null, created_at: ts(from),
        });
      }
      scenarioBom = bomCostPence(ctx, lines);
    }
  }
  const features = asinFeatures(asin, marketplaceId, title, brand, category, keepa, scenarioBom, ctx.ukVatBp);
  const at = D - DAY + 2 * HOUR + 50 * MIN;
  tables.feature_store.push({ id: ctx.ids.take('feature_store'), entity_type: 'ASIN', entity_id: entityId, feature_version: 1, features_json: features, computed_at: ts(at), created_at: ts(at) });
  addJob(ctx, { type: 'COMPUTE_FEATURES_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 3, createdAt: at - 5_000 });

  const margin = features.opportunity_margin as number | null;
  if (margin !== null && (margin > 0.2 || ordinal === 0)) {
    const genAt = at + 10 * MIN;
    const job = addJob(ctx, { type: 'GENERATE_RECOMMENDATIONS_ASIN', scope: 'ASIN', asinEntityId: entityId, status: 'SUCCEEDED', priority: 3, createdAt: genAt - 5_000 });
    const status = ordinal === 0 ? 'PENDING' : rng.weighted([['PENDING', 6], ['REJECTED', 2], ['ACCEPTED', 1]] as const);
    const recId = ctx.ids.take('recommendations');
    const high = margin > 0.3;
    const decided = Math.min(genAt + 3 * HOUR, D - 30 * MIN);
    ctx.tables.recommendations.push({
      id: recId, recommendation_type: 'OPPORTUNITY_CREATE_LISTING', entity_type: 'ASIN', entity_id: entityId, status,
      action_payload_json: { action: 'CREATE_LISTING', asin, estimated_margin: margin, estimated_profit: features.opportunity_profit },
      evidence_json: { asin, title, brand, category, price_current: keepa.price_current, scenario_bom_cost_ex_vat: features.scenario_bom_cost_ex_vat, sales_rank_current: keepa.sales_rank_current, offers_count_current: keepa.offers_count_current },
      guardrails_json: null, impact_json: { estimated_profit_ex_vat: features.opportunity_profit, estimated_margin: margin },
      confidence: high ? 'HIGH' : 'MEDIUM', confidence_score: (high ? 0.8 : 0.6).toFixed(4), generated_at: ts(genAt), expires_at: ts(genAt + 7 * DAY),
      accepted_at: status === 'ACCEPTED' ? ts(decided) : null, rejected_at: status === 'REJECTED' ? ts(decided) : null, snoozed_until: null,
      generation_job_id: job, accepted_job_id: null, notes: null, created_at: ts(genAt), updated_at: ts(status === 'PENDING' ? genAt : decided),
    });
    addRecEvent(ctx, { recId, type: 'GENERATED', at: genAt, jobId: job, details: { recommendation_type: 'OPPORTUNITY_CREATE_LISTING' } });
    if (status === 'ACCEPTED') addRecEvent(ctx, { recId, type: 'ACCEPTED', at: decided, by: 'user', details: { job_type: null, job_id: null, action: 'CREATE_LISTING' } });
    if (status === 'REJECTED') addRecEvent(ctx, { recId, type: 'REJECTED', at: decided, by: 'user', reason: 'Too competitive' });
  }
}

// ---------------------------------------------------------------------------------------------
// Catalogue (marketplaces, suppliers, components) and global jobs

async function seedCatalogue(s: SqlSession, seed: number, D: number, listings: number, rows: Record<string, number>): Promise<{
  ukId: number; ukVatBp: number; otherMarketplaceIds: number[]; components: ComponentInfo[];
}> {
  const rng = new Rng(hash2(seed, 0xca7a106));
  const uk = await s.query<{ id: number; vat_rate: string }>('SELECT id, vat_rate::text AS vat_rate FROM marketplaces WHERE amazon_marketplace_id = $1', [UK_MARKETPLACE]);
  let ukId = uk.rows[0]?.id;
  let ukVat = uk.rows[0]?.vat_rate ?? '0.2000';
  if (ukId === undefined) {
    // Migration 001 seeds it; recreate it if someone deleted it.
    const r = await s.query<{ id: number }>(
      `INSERT INTO marketplaces (amazon_marketplace_id, name, country_code, currency_code, vat_rate) VALUES ($1, 'Amazon UK', 'GB', 'GBP', 0.20) RETURNING id`, [UK_MARKETPLACE]);
    ukId = r.rows[0]!.id;
    ukVat = '0.2000';
    rows.marketplaces = (rows.marketplaces ?? 0) + 1;
  }
  const at = ts(D - 800 * DAY);
  const others: number[] = [];
  for (const m of EXTRA_MARKETPLACES) {
    const ins = await s.query<{ id: number }>(
      `INSERT INTO marketplaces (amazon_marketplace_id, name, country_code, currency_code, vat_rate, is_active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::numeric, true, $6::timestamp, $6::timestamp) ON CONFLICT (amazon_marketplace_id) DO NOTHING RETURNING id`,
      [m.amazonId, m.name, m.country, m.currency, m.vat, at]);
    if (ins.rows[0]) rows.marketplaces = (rows.marketplaces ?? 0) + 1;
    const { rows: r } = await s.query<{ id: number }>('SELECT id FROM marketplaces WHERE amazon_marketplace_id = $1', [m.amazonId]);
    others.push(r[0]!.id);
  }

  const tables = { suppliers: new Table('suppliers', T.suppliers), components: new Table('components', T.components) };
  const next = await lockAndReadIds(s, ['suppliers', 'components']);
  const ids = new Ids(next);
  const supplierCount = Math.min(40, Math.max(5, Math.ceil(listings / 250)));
  const supplierLead: number[] = [];
  const supplierIds: number[] = [];
  for (let k = 0; k < supplierCount; k++) {
    const id = ids.take('suppliers');
    const name = `${SUPPLIER_NAMES[k % SUPPLIER_NAMES.length]}${k >= SUPPLIER_NAMES.length ? ` ${Math.floor(k / SUPPLIER_NAMES.length) + 1}` : ''}`;
    const lead = rng.pick([3, 5, 7, 10, 14, 21, 28, 45]);
    const created = D - rng.int(400, 800) * DAY;
    supplierIds.push(id);
    supplierLead.push(lead);
    tables.suppliers.push({
      id, name, contact_name: rng.pick(['Sam Patel', 'Jo Evans', 'Alex Murray', 'Priya Shah', 'Chris Doyle']),
      email: `orders${id}@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.co.uk`, phone: `+44 1${rng.int(100, 999)} ${rng.int(100000, 999999)}`,
      website: `https://www.${name.toLowerCase().replace(/[^a-z]+/g, '')}.example.co.uk`, address: `${rng.int(1, 200)} Industrial Estate, UK`,
      currency_code: 'GBP', lead_time_days: lead, minimum_order_value: money(rng.int(0, 50) * 1000), payment_terms: rng.pick(['Net 30', 'Net 60', 'Prepaid']),
      notes: null, rating: rng.int(1, 5), is_active: rng.chance(0.9), created_at: ts(created), updated_at: ts(created + 30 * DAY),
    });
  }
  const componentCount = Math.min(2000, Math.max(40, Math.ceil(listings / 5)));
  const components: ComponentInfo[] = [];
  for (let k = 0; k < componentCount; k++) {
    const id = ids.take('components');
    const [cat, kind, uom, lo, hi] = rng.pick(COMPONENT_KINDS);
    const sIdx = rng.int(0, supplierCount - 1);
    const cost = rng.int(lo, hi);
    const active = rng.chance(0.92);
    const created = D - rng.int(300, 700) * DAY;
    const history = [{ unit_cost_ex_vat: gbp(Math.round(cost * rng.range(0.85, 1))), changed_at: isoDate(created) }, { unit_cost_ex_vat: gbp(cost), changed_at: isoDate(created + 120 * DAY) }];
    tables.components.push({
      id, component_sku: `CMP-${pad(id, 5)}`, name: `${kind} ${rng.pick(['A', 'B', 'C', 'XL', 'Mini', 'Std'])}`, description: `${kind} (${uom})`,
      category: cat, supplier_id: supplierIds[sIdx], supplier_sku: `S${pad(sIdx + 1, 2)}-${rng.int(1000, 9999)}`, unit_cost_ex_vat: money(cost),
      unit_of_measure: uom, pack_size: uom === 'pack' ? rng.pick([10, 25, 50]) : 1, weight_grams: (rng.int(100, 50000) / 100).toFixed(2),
      dimensions_cm: { l: rng.int(1, 60), w: rng.int(1, 40), h: rng.int(1, 30) }, min_stock_level: rng.int(0, 50), current_stock: rng.int(0, 2000),
      reorder_point: rng.int(0, 100), price_history: history, is_active: active, created_at: ts(created), updated_at: ts(created + 120 * DAY),
    });
    // Inactive components stay in the table (history) but new BOMs use active ones only.
    if (active) components.push({ id, costPence: cost, leadTimeDays: supplierLead[sIdx]!, uom });
  }
  await insertTable(s, tables.suppliers);
  await insertTable(s, tables.components);
  await advanceSequences(s, ids, ['suppliers', 'components']);
  rows.suppliers = (rows.suppliers ?? 0) + tables.suppliers.size;
  rows.components = (rows.components ?? 0) + tables.components.size;
  return { ukId: ukId!, ukVatBp: Math.round(Number(ukVat) * 10_000), otherMarketplaceIds: others, components };
}

/** GLOBAL jobs in every status, plus a removed job type failing non-retryably. */
function generateGlobalJobs(ctx: Ctx, rng: Rng): void {
  const { D } = ctx;
  for (let d = 14; d >= 1; d--) {
    for (const hour of [0, 6, 12, 18]) addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'SUCCEEDED', createdAt: D - d * DAY + hour * HOUR, input: { asins: null }, durationMs: rng.int(20_000, 200_000), result: { listings_updated: rng.int(1, 500) } });
  }
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'FAILED', createdAt: D - 3 * DAY + 12 * HOUR + 30 * MIN, input: { asins: null }, error: 'HTTP 503 from Selling Partner API', attempts: 5 });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'RUNNING', createdAt: D - DAY + 23 * HOUR + 55 * MIN, input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'PENDING', createdAt: D - DAY + 23 * HOUR + 56 * MIN, scheduledFor: D + 6 * HOUR, input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_OFFER', scope: 'GLOBAL', status: 'PENDING', createdAt: D - DAY + 23 * HOUR, input: { asins: null }, attempts: 2, error: 'ETIMEDOUT: Selling Partner API' });
  addJob(ctx, { type: 'SYNC_AMAZON_CATALOG', scope: 'GLOBAL', status: 'CANCELLED', createdAt: D - 2 * DAY + 9 * HOUR, createdBy: 'user', input: { asins: null } });
  addJob(ctx, { type: 'SYNC_AMAZON_SALES', scope: 'GLOBAL', status: 'FAILED', createdAt: D - 30 * DAY + 2 * HOUR, attempts: 1, error: 'SYNC_AMAZON_SALES was removed (needs Brand Analytics); not retried', input: {} });
}

// ---------------------------------------------------------------------------------------------
// Entry point

export async function seed(driver: SqlDriver, options: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const n = options.listings;
  if (!Number.isInteger(n) || n < 0) throw new Error(`seed: listings must be a non-negative integer (got ${n})`);
  const log = options.log ?? (() => undefined);
  const seedValue = (options.seed ?? 42) >>> 0;
  const asOf = options.asOf ?? new Date();
  const D = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  const chunkSize = Math.max(1, options.chunkSize ?? 1000);
  const rows: Record<string, number> = {};
  const totalOpp = n > 0 ? Math.max(3, Math.floor(n / 10)) : 0; // untracked opportunity ASINs

  log(`seed: ${n} listings, seed ${seedValue}, dates relative to ${isoDate(D)} (sales ${isoDate(D - 90 * DAY)} … ${isoDate(D - DAY)})`);

  const catalogue = await driver.withSession(async (s) => {
    await s.query('BEGIN');
    await s.query('SET LOCAL statement_timeout = 0'); // bulk inserts are not requests
    try {
      const c = await seedCatalogue(s, seedValue, D, n, rows);
      await s.query('COMMIT');
      return c;
    } catch (error) {
      await s.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  });
  if (catalogue.components.length === 0) throw new Error('seed: no active components were generated');
  log(`suppliers ${rows.suppliers}, components ${rows.components} (${((performance.now() - started) / 1000).toFixed(1)} s)`);

  // Opportunity ASINs come after the last listing, so ids (and hence the data) do not depend on chunkSize.
  const chunks: { from: number; to: number; oppFrom: number; oppTo: number; global: boolean }[] = [];
  for (let from = 0; from < Math.max(n, 1); from += chunkSize) {
    const to = Math.min(n, from + chunkSize);
    chunks.push({ from, to, oppFrom: 0, oppTo: to >= n ? totalOpp : 0, global: from === 0 });
  }

  // Chunk k+1 is generated while the database works on chunk k's inserts. Its ids are predicted from
  // chunk k; if the ids read under chunk k+1's lock differ (someone wrote in between), it is regenerated.
  const build = async (chunk: (typeof chunks)[number], next: Record<string, number>): Promise<{ ctx: Ctx; start: Record<string, number> }> => {
    const ids = new Ids({ ...next });
    const ctx: Ctx = { seed: seedValue, D, ...catalogue, tables: newTables(), ids };
    if (chunk.global) generateGlobalJobs(ctx, new Rng(hash2(seedValue, 0x610ba1)));
    for (let ord = chunk.from; ord < chunk.to; ord++) {
      const listingId = ids.take('listings');
      generateListing(ctx, ord, listingId, ids.take('asin_entities'));
      // Let the connection send the next statement of the previous chunk now and then.
      if ((ord - chunk.from) % 50 === 49) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let ord = chunk.oppFrom; ord < chunk.oppTo; ord++) generateOpportunity(ctx, ord, ids.take('asin_entities'));
    return { ctx, start: next };
  };
  const nextIdsAfter = (ctx: Ctx) => Object.fromEntries(CHUNK_TABLES.filter((t) => t !== 'listing_offer_current').map((t) => [t, ctx.ids.peek(t)]));
  const sameIds = (a: Record<string, number>, b: Record<string, number>) => Object.keys(b).every((k) => a[k] === b[k]);

  let prepared: { ctx: Ctx; start: Record<string, number> } | null = null;
  let doneListings = 0;
  let lastLoggedDecile = -1;
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c]!;
    const chunkStart = performance.now();
    await driver.withSession(async (s) => {
      await s.query('BEGIN');
      await s.query('SET LOCAL statement_timeout = 0');
      try {
        const next = await lockAndReadIds(s, CHUNK_TABLES);
        const { ctx } = prepared && sameIds(prepared.start, next) ? prepared : await build(chunk, next);
        prepared = null;

        const skus = ctx.tables.listings.data[1] as string[];
        if (skus.length) {
          const clash = await s.query<{ seller_sku: string }>('SELECT seller_sku FROM listings WHERE seller_sku = ANY($1::text[]) LIMIT 3', [skus]);
          if (clash.rows.length) {
            throw new Error(`seed: seller_sku ${clash.rows.map((r) => r.seller_sku).join(', ')} already exist (made outside the seeder?); nothing was written for this batch`);
          }
        }
        // The inserts run one statement at a time; the next chunk is generated in between (on PostgreSQL the
        // server works meanwhile; PGlite shares this thread, so there it is simply done afterwards).
        const inserts = (async () => {
          for (const name of CHUNK_TABLES) {
            const t = ctx.tables[name];
            if (!t.size) continue;
            await insertTable(s, t);
            rows[name] = (rows[name] ?? 0) + t.size;
          }
        })();
        const following = chunks[c + 1];
        const preparing = following && driver.kind === 'postgres' ? build(following, nextIdsAfter(ctx)) : null;
        const [insertResult, prepResult] = await Promise.allSettled([inserts, preparing]);
        if (insertResult.status === 'rejected') throw insertResult.reason;
        if (prepResult.status === 'rejected') throw prepResult.reason;
        prepared = prepResult.value;
        await advanceSequences(s, ctx.ids, CHUNK_TABLES);
        await s.query('COMMIT');
      } catch (error) {
        prepared = null;
        await s.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    doneListings = chunk.to;
    const decile = n ? Math.floor((doneListings * 10) / n) : 10;
    if (decile !== lastLoggedDecile) {
      lastLoggedDecile = decile;
      log(`listings ${doneListings}/${n} (${((performance.now() - chunkStart) / 1000).toFixed(1)} s for this batch, ${((performance.now() - started) / 1000).toFixed(1)} s total)`);
    }
  }

  if (driver.kind === 'postgres' && n >= 1000) {
    await driver.withSession((s) => s.query('ANALYZE'));
  }
  for (const name of CHUNK_TABLES) if (rows[name]) log(`${name} ${rows[name]} rows`);
  const elapsedMs = Math.round(performance.now() - started);
  log(`seed: done in ${(elapsedMs / 1000).toFixed(1)} s`);
  return { rows, elapsedMs };
}
