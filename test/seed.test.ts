import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/db/migrator.js';
import { seed, type SeedSummary } from '../src/db/seed.js';
import type { SqlDriver } from '../src/db/sql.js';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.js';

const N = 20;
const SEED = 7;
const AS_OF = new Date('2025-03-15T10:30:00Z');
/** Operational tables the seeder leaves alone. */
const NOT_SEEDED = new Set(['_prisma_migrations', 'idempotency_keys']);

const FEATURE_KEYS = [
  'vat_rate', 'price_inc_vat', 'price_ex_vat', 'bom_cost_ex_vat', 'shipping_cost_ex_vat', 'packaging_cost_ex_vat',
  'amazon_fees_ex_vat', 'profit_ex_vat', 'margin', 'break_even_price_inc_vat', 'units_7d', 'units_30d', 'revenue_inc_vat_7d',
  'revenue_inc_vat_30d', 'sales_velocity_units_per_day_30d', 'available_quantity', 'days_of_cover', 'lead_time_days',
  'stockout_risk', 'buy_box_status', 'buy_box_percentage_30d', 'buy_box_risk', 'competitor_price_position', 'price_median_90d',
  'price_p25_90d', 'price_p75_90d', 'price_volatility_90d', 'offers_count_current', 'sales_anomaly_score',
];

/** Checksums of ordered row texts: equal sums = equal data (ids, values, timestamps). */
const CHECKSUMS: Record<string, string> = {
  listings: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM listings t',
  bom_lines: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM bom_lines t',
  boms: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM boms t',
  components: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM components t',
  listing_sales_daily: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM listing_sales_daily t',
  feature_store: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM feature_store t',
  jobs: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM jobs t',
  recommendations: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM recommendations t',
  recommendation_events: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM recommendation_events t',
  listing_events: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM listing_events t',
  keepa_snapshots: 'SELECT md5(string_agg(t::text, E\'\\n\' ORDER BY id)) AS sum FROM keepa_snapshots t',
};

async function q<Row = Record<string, unknown>>(driver: SqlDriver, sql: string, params?: unknown[]): Promise<Row[]> {
  return (await driver.withSession((s) => s.query<Row>(sql, params))).rows;
}

async function checksums(driver: SqlDriver): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(CHECKSUMS)) out[name] = (await q<{ sum: string }>(driver, sql))[0]!.sum;
  return out;
}

describe.each(backends)('seed (%s)', (kind) => {
  let db: TestDatabase;
  let summary: SeedSummary;
  const lines: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.driver);
    // Small chunks: three transactions, and on PostgreSQL the next chunk is generated while one is inserted.
    summary = await seed(db.driver, { listings: N, seed: SEED, asOf: AS_OF, chunkSize: 7, log: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('reports row counts that match the tables, the time taken and progress', async () => {
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(summary.rows.listings).toBe(N);
    expect(summary.rows.listing_sales_daily).toBe(N * 90);
    for (const [table, count] of Object.entries(summary.rows)) {
      if (table === 'marketplaces') continue; // the UK row comes from migration 001
      const [row] = await q<{ n: number }>(db.driver, `SELECT count(*)::int AS n FROM ${table}`);
      expect(row!.n, table).toBe(count);
    }
    expect(lines.some((l) => l.startsWith(`listings ${N}/${N}`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`listing_sales_daily ${N * 90} rows`))).toBe(true);
  });

  it('fills every table of the schema', async () => {
    const tables = await q<{ table_name: string }>(
      db.driver,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    expect(tables.length).toBeGreaterThanOrEqual(18);
    const empty: string[] = [];
    for (const { table_name } of tables) {
      if (NOT_SEEDED.has(table_name)) continue;
      const [row] = await q<{ n: number }>(db.driver, `SELECT count(*)::int AS n FROM "${table_name}"`);
      if (row!.n === 0) empty.push(table_name);
    }
    expect(empty).toEqual([]);
    const markets = await q<{ amazon_marketplace_id: string }>(db.driver, 'SELECT amazon_marketplace_id FROM marketplaces ORDER BY 1');
    expect(markets.map((m) => m.amazon_marketplace_id)).toEqual(['A13V1IB3VIYZZH', 'A1F83G8C2ARO7P', 'A1PA6795UKMFR9']);
  });

  it('gives every listing exactly one active LISTING BOM, and every scenario entity one active scenario BOM', async () => {
    const badListings = await q(db.driver, `
      SELECT l.id FROM listings l LEFT JOIN boms b ON b.listing_id = l.id AND b.scope_type = 'LISTING'
      GROUP BY l.id HAVING count(*) FILTER (WHERE b.is_active) <> 1`);
    expect(badListings).toEqual([]);
    const badClosed = await q(db.driver, `SELECT id FROM boms WHERE is_active = (effective_to IS NOT NULL)`);
    expect(badClosed).toEqual([]);
    const scenarios = await q<{ entity: number; active: number }>(db.driver, `
      SELECT asin_entity_id AS entity, count(*) FILTER (WHERE is_active)::int AS active
      FROM boms WHERE scope_type = 'ASIN_SCENARIO' GROUP BY asin_entity_id`);
    expect(scenarios.length).toBeGreaterThan(0);
    expect(scenarios.every((s) => s.active === 1)).toBe(true);
    const lineStats = await q<{ bad: number }>(db.driver, `
      SELECT count(*)::int AS bad FROM bom_lines WHERE quantity <= 0 OR wastage_rate < 0 OR wastage_rate > 0.1`);
    expect(lineStats[0]!.bad).toBe(0);
  });

  it('has 90 days of sales before the reference day for every listing', async () => {
    const rows = await q<{ listings: number; min: string; max: string; per_listing: number }>(db.driver, `
      SELECT count(DISTINCT listing_id)::int AS listings, min(date)::text AS min, max(date)::text AS max,
             (count(*) / count(DISTINCT listing_id))::int AS per_listing
      FROM listing_sales_daily`);
    expect(rows[0]).toEqual({ listings: N, min: '2024-12-15', max: '2025-03-14', per_listing: 90 });
  });

  it('writes jobs in every status, within their attempt limits and publish dedup rule', async () => {
    const statuses = await q<{ status: string }>(db.driver, 'SELECT DISTINCT status::text AS status FROM jobs ORDER BY 1');
    expect(statuses.map((s) => s.status)).toEqual(['CANCELLED', 'FAILED', 'PENDING', 'RUNNING', 'SUCCEEDED']);
    const types = await q<{ n: number }>(db.driver, 'SELECT count(DISTINCT job_type)::int AS n FROM jobs');
    expect(types[0]!.n).toBeGreaterThanOrEqual(8);
    const overLimit = await q(db.driver, 'SELECT id FROM jobs WHERE attempts > max_attempts');
    expect(overLimit).toEqual([]);
    const dup = await q(db.driver, `
      SELECT listing_id, job_type FROM jobs
      WHERE job_type IN ('PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE') AND status IN ('PENDING', 'RUNNING')
      GROUP BY 1, 2 HAVING count(*) > 1`);
    expect(dup).toEqual([]);
  });

  it('stores LISTING and ASIN features with the DOMAIN §4.1 keys as JSON numbers', async () => {
    const rows = await q<{ features_json: Record<string, unknown> }>(db.driver,
      `SELECT features_json FROM feature_store WHERE entity_type = 'LISTING' ORDER BY id`);
    expect(rows.length).toBeGreaterThanOrEqual(N);
    for (const { features_json: f } of rows) {
      for (const key of FEATURE_KEYS) expect(f, key).toHaveProperty(key);
      expect(typeof f.margin).toBe('number');
      expect(f.margin as number).toBeLessThanOrEqual(1);
      expect(f.bom_cost_ex_vat as number).toBeGreaterThanOrEqual(0);
    }
    const perListing = await q<{ n: number }>(db.driver,
      `SELECT count(DISTINCT entity_id)::int AS n FROM feature_store WHERE entity_type = 'LISTING'`);
    expect(perListing[0]!.n).toBe(N);
    const asin = await q<{ n: number }>(db.driver, `SELECT count(*)::int AS n FROM feature_store WHERE entity_type = 'ASIN'`);
    expect(asin[0]!.n).toBeGreaterThan(N);
  });

  it('gives recommendations event histories consistent with their status', async () => {
    const recs = await q<{ id: number; status: string; events: string[]; accepted_at: string | null; rejected_at: string | null; snoozed_until: string | null; expires_ok: boolean }>(db.driver, `
      SELECT r.id, r.status::text AS status, r.accepted_at::text, r.rejected_at::text, r.snoozed_until::text,
             r.expires_at = r.generated_at + interval '7 days' OR r.status = 'SNOOZED' AS expires_ok,
             array_agg(e.event_type::text ORDER BY e.created_at, e.id) AS events
      FROM recommendations r JOIN recommendation_events e ON e.recommendation_id = r.id
      GROUP BY r.id ORDER BY r.id`);
    // The seed must include the case the ACTION_* rule below is about.
    expect(recs.filter((r) => r.events.some((e) => e.startsWith('ACTION_'))).length).toBeGreaterThan(0);
    const total = await q<{ n: number }>(db.driver, 'SELECT count(*)::int AS n FROM recommendations');
    expect(recs.length).toBe(total[0]!.n); // every recommendation has events
    expect(new Set(recs.map((r) => r.status))).toEqual(new Set(['PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED', 'SUPERSEDED']));
    const terminal: Record<string, string | null> = { PENDING: null, ACCEPTED: 'ACCEPTED', REJECTED: 'REJECTED', SNOOZED: 'SNOOZED', EXPIRED: 'EXPIRED', SUPERSEDED: 'SUPERSEDED' };
    for (const r of recs) {
      expect(r.events[0], `rec ${r.id}`).toBe('GENERATED');
      expect(r.events.filter((e) => e === 'GENERATED')).toHaveLength(1);
      expect(r.expires_ok, `rec ${r.id} expires_at`).toBe(true);
      const decisions = r.events.filter((e) => e !== 'GENERATED' && e !== 'VIEWED' && !e.startsWith('ACTION_'));
      const want = terminal[r.status];
      expect(decisions, `rec ${r.id} (${r.status})`).toEqual(want ? [want] : []);
      expect(!r.events.some((e) => e.startsWith('ACTION_')) || r.status === 'ACCEPTED', `rec ${r.id}: ACTION_* events only after ACCEPTED`).toBe(true);
      expect(r.accepted_at !== null, `rec ${r.id} accepted_at`).toBe(r.status === 'ACCEPTED');
      expect(r.rejected_at !== null, `rec ${r.id} rejected_at`).toBe(r.status === 'REJECTED');
      expect(r.snoozed_until !== null, `rec ${r.id} snoozed_until`).toBe(r.status === 'SNOOZED');
    }
    const pendingExpired = await q(db.driver, `SELECT id FROM recommendations WHERE status = 'PENDING' AND expires_at <= $1::timestamp`, ['2025-03-15 23:59:59']);
    expect(pendingExpired).toEqual([]);
    const acceptedJobs = await q<{ n: number }>(db.driver, `
      SELECT count(*)::int AS n FROM recommendations r JOIN jobs j ON j.id = r.accepted_job_id
      WHERE j.job_type IN ('PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE') AND (j.input_json ->> 'recommendation_id')::int = r.id`);
    expect(acceptedJobs[0]!.n).toBeGreaterThan(0);
  });

  it('records a LISTING_CREATED event per listing', async () => {
    const rows = await q<{ n: number }>(db.driver, `SELECT count(DISTINCT listing_id)::int AS n FROM listing_events WHERE event_type = 'LISTING_CREATED'`);
    expect(rows[0]!.n).toBe(N);
    const types = await q<{ n: number }>(db.driver, 'SELECT count(DISTINCT event_type)::int AS n FROM listing_events');
    expect(types[0]!.n).toBeGreaterThanOrEqual(6);
  });

  it('produces identical data from the same seed in a fresh database', async () => {
    // The second database is always PGlite and seeded in one chunk, so this also proves that neither the backend
    // nor the chunk size changes the rows.
    const other = await createTestDatabase('pglite');
    try {
      await migrate(other.driver);
      await seed(other.driver, { listings: N, seed: SEED, asOf: AS_OF });
      expect(await checksums(other.driver)).toEqual(await checksums(db.driver));
    } finally {
      await other.drop();
    }
  });

  it('appends a new batch with fresh SKUs when seeded again', async () => {
    const before = await q<{ max: number }>(db.driver, 'SELECT max(id)::int AS max FROM listings');
    const again = await seed(db.driver, { listings: 5, seed: SEED, asOf: AS_OF });
    expect(again.rows.listings).toBe(5);
    const rows = await q<{ n: number; skus: number; max: number }>(db.driver,
      'SELECT count(*)::int AS n, count(DISTINCT seller_sku)::int AS skus, max(id)::int AS max FROM listings');
    expect(rows[0]).toEqual({ n: N + 5, skus: N + 5, max: before[0]!.max + 5 });
    const sku = await q<{ seller_sku: string }>(db.driver, 'SELECT seller_sku FROM listings WHERE id = $1', [before[0]!.max + 1]);
    expect(sku[0]!.seller_sku).toBe(`LH-${String(before[0]!.max + 1).padStart(6, '0')}`);
    // Sequences moved past the seeded ids: a plain insert still works.
    await q(db.driver, `INSERT INTO listings (seller_sku) VALUES ('MANUAL-1')`);
  });
});
