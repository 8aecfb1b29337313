// The verification runbook (spec/RUNBOOK.md, checks as listed in spec/SCHEMA.md §7), run against
// the migrated database on every backend, plus the integrity rules 005 adds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadMigrations, migrate } from '../src/db/migrator.js';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.js';
import { columnsOf, enumValues, inRolledBackTransaction, indexShape, normalizePredicate, sql, sqlError } from './support/catalog.js';

/**
 * The tables and enum types each migration creates, spelled out by hand. A new migration must add
 * its row here (the first test below fails until it does), so §9's expected lists and counts never
 * come from the migration files under test.
 */
const OBJECTS_BY_MIGRATION: Record<string, { tables: string[]; enums: string[] }> = {
  '000_base_schema': { tables: ['listings', 'settings'], enums: [] },
  '001_slice_a_schema': {
    tables: ['marketplaces', 'suppliers', 'components', 'boms', 'bom_lines', 'listing_cost_overrides'],
    enums: ['bom_scope_type'],
  },
  '002_slice_b_schema': {
    tables: ['jobs', 'listing_events', 'listing_offer_current', 'fee_snapshots'],
    enums: ['job_type', 'job_status', 'job_scope_type', 'listing_event_type', 'buy_box_status_type'],
  },
  '003_slice_c_schema': {
    tables: ['asin_entities', 'keepa_snapshots', 'amazon_catalog_snapshots', 'listing_sales_daily', 'feature_store'],
    enums: ['feature_entity_type'],
  },
  '004_slice_d_schema': {
    tables: ['recommendations', 'recommendation_events'],
    enums: ['recommendation_type', 'recommendation_status', 'confidence_band', 'recommendation_event_type'],
  },
  '005_integrity': { tables: [], enums: [] },
  '006_idempotency_keys': { tables: ['idempotency_keys'], enums: [] },
  '007_api_keys': { tables: ['api_keys'], enums: [] },
  '008_job_queue': { tables: [], enums: [] },
  '009_listing_read_keys': { tables: ['listing_read_keys'], enums: [] },
  '010_listing_counts': { tables: ['listing_counts'], enums: [] },
};

const EXPECTED_TABLES = Object.values(OBJECTS_BY_MIGRATION).flatMap((m) => m.tables);
const EXPECTED_ENUMS = Object.values(OBJECTS_BY_MIGRATION).flatMap((m) => m.enums);

describe.each(backends)('runbook checks (%s)', (kind) => {
  let db: TestDatabase;
  const before001: { listings?: unknown; settings?: unknown } = {};
  let listingId: number;
  let asinEntityId: number;

  const q = (text: string, params?: unknown[]) => sql(db.driver, text, params);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    // §2 runs against the base schema, before 001.
    await migrate(db.driver, { to: '000' });
    before001.listings = await q('SELECT 1 FROM listings LIMIT 1').then(() => 'ok', (e: Error) => e.message);
    before001.settings = await q('SELECT 1 FROM settings LIMIT 1').then(() => 'ok', (e: Error) => e.message);
    await migrate(db.driver);
    // The runbook's inserts use listing 1: make it exist (id 1 on a fresh database).
    listingId = Number((await q(`INSERT INTO listings (seller_sku, title) VALUES ('RB-SKU-1', 'Runbook listing') RETURNING id`))[0]!.id);
    asinEntityId = Number(
      (
        await q(
          `INSERT INTO asin_entities (asin, marketplace_id) SELECT 'B000RUNBK1', id FROM marketplaces WHERE amazon_marketplace_id = 'A1F83G8C2ARO7P' RETURNING id`,
        )
      )[0]!.id,
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  test('§2 listings and settings exist before 001 (SELECT 1 succeeds on both)', () => {
    expect(before001).toEqual({ listings: 'ok', settings: 'ok' });
  });

  test('§4.1a boms_listing_active_unique: UNIQUE (listing_id) WHERE is_active = true AND scope_type = LISTING', async () => {
    const rows = await q(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'boms' AND indexname = 'boms_listing_active_unique'`);
    expect(rows).toHaveLength(1);
    const shape = await indexShape(db.driver, 'boms_listing_active_unique');
    expect(shape).toMatchObject({ table: 'boms', unique: true, columns: ['listing_id'] });
    expect(normalizePredicate(shape!.predicate!)).toBe(normalizePredicate("is_active = true AND scope_type = 'LISTING'"));
  });

  describe('§4.1b–§4.2b BOM inserts for listing 1', () => {
    test('listing 1 exists (the runbook inserts need it)', () => {
      expect(listingId).toBe(1);
    });

    test('§4.1b the first active LISTING BOM succeeds; §4.1c a second active one fails on boms_listing_active_unique', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        const first = await t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 1, true) RETURNING id`, [listingId]);
        expect(first).toHaveLength(1);
        const error = await sqlError(t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 2, true)`, [listingId]));
        expect(error).toMatchObject({ code: '23505', constraint: 'boms_listing_active_unique' });
        expect(error.message).toContain('duplicate key value violates unique constraint "boms_listing_active_unique"');
      });
    });

    test('§4.2a boms_version_unique is a UNIQUE constraint', async () => {
      const rows = await q(
        `SELECT constraint_name, constraint_type FROM information_schema.table_constraints
         WHERE table_name = 'boms' AND constraint_name = 'boms_version_unique'`,
      );
      expect(rows).toEqual([{ constraint_name: 'boms_version_unique', constraint_type: 'UNIQUE' }]);
    });

    test('§4.2b after 4.1b, an inactive BOM with the same version fails on boms_version_unique', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        await t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 1, true)`, [listingId]);
        const error = await sqlError(t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 1, false)`, [listingId]));
        expect(error).toMatchObject({ code: '23505', constraint: 'boms_version_unique' });
      });
    });

    test('an inactive second version is allowed next to the active one', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        await t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 1, true)`, [listingId]);
        await t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 2, false)`, [listingId]);
        expect(await t(`SELECT count(*)::int AS n FROM boms WHERE listing_id = $1`, [listingId])).toEqual([{ n: 2 }]);
      });
    });
  });

  test('§4.3 boms_asin_active_unique: UNIQUE (asin_entity_id) WHERE active ASIN_SCENARIO with an entity', async () => {
    const rows = await q(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'boms' AND indexname = 'boms_asin_active_unique'`);
    expect(rows).toHaveLength(1);
    const shape = await indexShape(db.driver, 'boms_asin_active_unique');
    expect(shape).toMatchObject({ table: 'boms', unique: true, columns: ['asin_entity_id'] });
    expect(normalizePredicate(shape!.predicate!)).toBe(
      normalizePredicate("is_active = true AND scope_type = 'ASIN_SCENARIO' AND asin_entity_id IS NOT NULL"),
    );
  });

  test('§4.3 (extra) a second active ASIN_SCENARIO BOM for the same entity fails on boms_asin_active_unique', async () => {
    await inRolledBackTransaction(db.driver, async (t) => {
      await t(`INSERT INTO boms (asin_entity_id, scope_type, version, is_active) VALUES ($1, 'ASIN_SCENARIO', 1, true)`, [asinEntityId]);
      const error = await sqlError(t(`INSERT INTO boms (asin_entity_id, scope_type, version, is_active) VALUES ($1, 'ASIN_SCENARIO', 2, true)`, [asinEntityId]));
      expect(error).toMatchObject({ code: '23505', constraint: 'boms_asin_active_unique' });
    });
  });

  test('§5.1a jobs has the 19 columns in order', async () => {
    expect((await columnsOf(db.driver, 'jobs')).map((c) => c.name)).toEqual([
      'id', 'job_type', 'scope_type', 'listing_id', 'asin_entity_id', 'status', 'priority', 'attempts', 'max_attempts',
      'input_json', 'result_json', 'log_json', 'error_message', 'scheduled_for', 'started_at', 'finished_at', 'created_by',
      'created_at', 'updated_at',
    ]);
  });

  test('§5.1b enum_range(NULL::job_type)', async () => {
    expect(await q('SELECT enum_range(NULL::job_type)::text AS r')).toEqual([
      {
        r: '{SYNC_AMAZON_OFFER,SYNC_AMAZON_SALES,SYNC_AMAZON_CATALOG,SYNC_KEEPA_ASIN,COMPUTE_FEATURES_LISTING,COMPUTE_FEATURES_ASIN,GENERATE_RECOMMENDATIONS_LISTING,GENERATE_RECOMMENDATIONS_ASIN,PUBLISH_PRICE_CHANGE,PUBLISH_STOCK_CHANGE}',
      },
    ]);
  });

  test('§5.1c enum_range(NULL::job_status)', async () => {
    expect(await q('SELECT enum_range(NULL::job_status)::text AS r')).toEqual([{ r: '{PENDING,RUNNING,SUCCEEDED,FAILED,CANCELLED}' }]);
  });

  test('§5.2a listing_events exists', async () => {
    expect((await columnsOf(db.driver, 'listing_events')).map((c) => c.name)).toEqual([
      'id', 'listing_id', 'event_type', 'job_id', 'before_json', 'after_json', 'reason', 'correlation_id', 'created_by', 'created_at',
    ]);
  });

  test('§5.2b enum_range(NULL::listing_event_type)', async () => {
    expect(await enumValues(db.driver, 'listing_event_type')).toEqual([
      'PRICE_CHANGE_DRAFTED', 'PRICE_CHANGE_PUBLISHED', 'PRICE_CHANGE_SUCCEEDED', 'PRICE_CHANGE_FAILED',
      'STOCK_CHANGE_DRAFTED', 'STOCK_CHANGE_PUBLISHED', 'STOCK_CHANGE_SUCCEEDED', 'STOCK_CHANGE_FAILED',
      'BOM_UPDATED', 'COST_OVERRIDE_UPDATED', 'AMAZON_SYNC_COMPLETED', 'KEEPA_SYNC_COMPLETED',
      'FEATURES_COMPUTED', 'LISTING_CREATED', 'LISTING_ARCHIVED',
    ]);
  });

  test('§5.3a recommendation_events exists', async () => {
    expect((await columnsOf(db.driver, 'recommendation_events')).map((c) => c.name)).toEqual([
      'id', 'recommendation_id', 'event_type', 'job_id', 'details_json', 'reason', 'created_by', 'created_at',
    ]);
  });

  test('§5.3b enum_range(NULL::recommendation_event_type)', async () => {
    expect(await q('SELECT enum_range(NULL::recommendation_event_type)::text AS r')).toEqual([
      { r: '{GENERATED,VIEWED,ACCEPTED,REJECTED,SNOOZED,EXPIRED,SUPERSEDED,ACTION_STARTED,ACTION_COMPLETED,ACTION_FAILED}' },
    ]);
  });

  test('§6a feature_store columns in order', async () => {
    expect((await columnsOf(db.driver, 'feature_store')).map((c) => c.name)).toEqual([
      'id', 'entity_type', 'entity_id', 'feature_version', 'features_json', 'computed_at', 'created_at',
    ]);
  });

  test('§6b enum_range(NULL::feature_entity_type)', async () => {
    expect(await q('SELECT enum_range(NULL::feature_entity_type)::text AS r')).toEqual([{ r: '{LISTING,ASIN}' }]);
  });

  test('§6c the latest-features query uses idx_feature_store_computed', async () => {
    const plan = await db.driver.withSession(async (s) => {
      await s.query('BEGIN');
      try {
        await s.query(
          `INSERT INTO feature_store (entity_type, entity_id, feature_version, features_json, computed_at)
           SELECT CASE WHEN g % 5 = 0 THEN 'ASIN'::feature_entity_type ELSE 'LISTING'::feature_entity_type END,
                  g % 400, 1, jsonb_build_object('margin', 0.2), timestamp '2025-01-01' + g * interval '1 minute'
           FROM generate_series(1, 5000) AS g`,
        );
        await s.query('ANALYZE feature_store');
        const { rows } = await s.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN ANALYZE SELECT * FROM feature_store WHERE entity_type = 'LISTING' AND entity_id = 1 ORDER BY computed_at DESC LIMIT 1`,
        );
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await s.query('ROLLBACK');
      }
    });
    expect(plan).toContain('idx_feature_store_computed');
    expect(plan).not.toMatch(/\bSort\b/);
  });

  test('every migration on disk has its hand-written row in OBJECTS_BY_MIGRATION (and no other)', async () => {
    expect((await loadMigrations()).map((m) => m.name)).toEqual(Object.keys(OBJECTS_BY_MIGRATION));
  });

  test(`§9a BASE TABLE count: the ${EXPECTED_TABLES.length} tables of the migrations + _prisma_migrations`, async () => {
    const rows = await q(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(rows.map((r) => String(r.table_name)).sort()).toEqual([...EXPECTED_TABLES, '_prisma_migrations'].sort());
    const [{ table_count }] = (await q(
      `SELECT COUNT(*)::int as table_count FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    )) as [{ table_count: number }];
    expect(table_count).toBe(EXPECTED_TABLES.length + 1);
  });

  test(`§9b exactly the ${EXPECTED_ENUMS.length} enum types of the migrations`, async () => {
    const rows = await q(
      `SELECT typname FROM pg_type WHERE typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'public') AND typtype = 'e'`,
    );
    expect(rows.map((r) => String(r.typname)).sort()).toEqual([...EXPECTED_ENUMS].sort());
  });

  test('§9c a second active LISTING BOM is refused (insert and update), so the §9 query finds 0 rows', async () => {
    await inRolledBackTransaction(db.driver, async (t) => {
      await t(`INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 1, true), ($1, 'LISTING', 2, false)`, [listingId]);
      // Each attempt behind a savepoint: a refused statement aborts only its own part.
      const attempt = async (statement: string) => {
        await t('SAVEPOINT violation');
        const error = await sqlError(t(statement, [listingId]));
        await t('ROLLBACK TO SAVEPOINT violation');
        return error;
      };
      for (const statement of [
        `INSERT INTO boms (listing_id, scope_type, version, is_active) VALUES ($1, 'LISTING', 3, true)`,
        `UPDATE boms SET is_active = true WHERE listing_id = $1 AND version = 2`,
      ]) {
        expect(await attempt(statement), statement).toMatchObject({ code: '23505', constraint: 'boms_listing_active_unique' });
      }
      const rows = await t(
        `SELECT listing_id, COUNT(*) as active_count FROM boms WHERE is_active = true AND scope_type = 'LISTING'
         GROUP BY listing_id HAVING COUNT(*) > 1`,
      );
      expect(rows).toEqual([]);
      expect(await t(`SELECT version FROM boms WHERE listing_id = $1 AND is_active`, [listingId])).toEqual([{ version: 1 }]);
    });
  });

  test('§9d FKs on boms, jobs and recommendations, now including jobs → asin_entities', async () => {
    const rows = await q(
      `SELECT conname, conrelid::regclass::text AS conrelid, confrelid::regclass::text AS confrelid,
              confdeltype AS on_delete
       FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN ('boms','jobs','recommendations')
       ORDER BY conname`,
    );
    expect(rows).toEqual([
      { conname: 'boms_asin_entity_fk', conrelid: 'boms', confrelid: 'asin_entities', on_delete: 'c' },
      { conname: 'boms_listing_id_fkey', conrelid: 'boms', confrelid: 'listings', on_delete: 'c' },
      { conname: 'jobs_asin_entity_id_fkey', conrelid: 'jobs', confrelid: 'asin_entities', on_delete: 'n' },
      { conname: 'jobs_listing_id_fkey', conrelid: 'jobs', confrelid: 'listings', on_delete: 'n' },
      { conname: 'recommendations_accepted_job_id_fkey', conrelid: 'recommendations', confrelid: 'jobs', on_delete: 'n' },
      { conname: 'recommendations_generation_job_id_fkey', conrelid: 'recommendations', confrelid: 'jobs', on_delete: 'n' },
    ]);
  });

  describe('005 integrity', () => {
    test('boms_scope_owner_check rejects a LISTING BOM without listing_id', async () => {
      const error = await sqlError(q(`INSERT INTO boms (scope_type, version, is_active) VALUES ('LISTING', 1, false)`));
      expect(error).toMatchObject({ code: '23514', constraint: 'boms_scope_owner_check' });
    });

    test('boms_scope_owner_check rejects an ASIN_SCENARIO BOM without asin_entity_id, or with a listing_id too', async () => {
      expect(await sqlError(q(`INSERT INTO boms (scope_type, version) VALUES ('ASIN_SCENARIO', 1)`))).toMatchObject({
        code: '23514',
        constraint: 'boms_scope_owner_check',
      });
      expect(
        await sqlError(q(`INSERT INTO boms (scope_type, version, listing_id, asin_entity_id) VALUES ('ASIN_SCENARIO', 1, $1, $2)`, [listingId, asinEntityId])),
      ).toMatchObject({ code: '23514', constraint: 'boms_scope_owner_check' });
    });

    test('jobs_attempts_max_check rejects attempts > max_attempts (equal is fine)', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        await t(`INSERT INTO jobs (job_type, attempts, max_attempts) VALUES ('SYNC_AMAZON_OFFER', 5, 5)`);
      });
      const error = await sqlError(q(`INSERT INTO jobs (job_type, attempts, max_attempts) VALUES ('SYNC_AMAZON_OFFER', 6, 5)`));
      expect(error).toMatchObject({ code: '23514', constraint: 'jobs_attempts_max_check' });
    });

    test('feature_store_bom_cost_ex_vat_check rejects a negative numeric bom_cost_ex_vat only', async () => {
      const error = await sqlError(q(`INSERT INTO feature_store (entity_type, entity_id, features_json) VALUES ('LISTING', 1, '{"bom_cost_ex_vat": -0.01}')`));
      expect(error).toMatchObject({ code: '23514', constraint: 'feature_store_bom_cost_ex_vat_check' });
      await inRolledBackTransaction(db.driver, async (t) => {
        for (const json of ['{"bom_cost_ex_vat": 0}', '{"bom_cost_ex_vat": 6.5}', '{"bom_cost_ex_vat": null}', '{"bom_cost_ex_vat": "n/a"}', '{}', '[]']) {
          await t(`INSERT INTO feature_store (entity_type, entity_id, features_json) VALUES ('LISTING', 1, $1::jsonb)`, [json]);
        }
      });
    });

    test('feature_store_margin_check rejects margin > 1 and accepts margins below -1', async () => {
      const error = await sqlError(q(`INSERT INTO feature_store (entity_type, entity_id, features_json) VALUES ('LISTING', 1, '{"margin": 1.0001}')`));
      expect(error).toMatchObject({ code: '23514', constraint: 'feature_store_margin_check' });
      await inRolledBackTransaction(db.driver, async (t) => {
        // price_ex 10, costs 35 -> profit -25, margin -2.5: valid.
        for (const json of ['{"margin": 1}', '{"margin": -2.5}', '{"margin": null}', '{"margin": 0.425}']) {
          await t(`INSERT INTO feature_store (entity_type, entity_id, features_json) VALUES ('LISTING', 1, $1::jsonb)`, [json]);
        }
      });
    });

    test('boms_asin_version_unique: one version number per ASIN entity', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        await t(`INSERT INTO boms (asin_entity_id, scope_type, version, is_active) VALUES ($1, 'ASIN_SCENARIO', 1, false)`, [asinEntityId]);
        const error = await sqlError(t(`INSERT INTO boms (asin_entity_id, scope_type, version, is_active) VALUES ($1, 'ASIN_SCENARIO', 1, false)`, [asinEntityId]));
        expect(error).toMatchObject({ code: '23505', constraint: 'boms_asin_version_unique' });
      });
    });

    test('jobs_publish_dedup_unique: one PENDING/RUNNING publish job per listing and type', async () => {
      await inRolledBackTransaction(db.driver, async (t) => {
        await t(`INSERT INTO jobs (job_type, listing_id) VALUES ('PUBLISH_PRICE_CHANGE', $1)`, [listingId]);
        // Another type, or a finished job, does not conflict; nor do non-publish jobs.
        await t(`INSERT INTO jobs (job_type, listing_id) VALUES ('PUBLISH_STOCK_CHANGE', $1)`, [listingId]);
        await t(`INSERT INTO jobs (job_type, listing_id, status) VALUES ('PUBLISH_PRICE_CHANGE', $1, 'SUCCEEDED')`, [listingId]);
        await t(`INSERT INTO jobs (job_type, listing_id) VALUES ('COMPUTE_FEATURES_LISTING', $1), ('COMPUTE_FEATURES_LISTING', $1)`, [listingId]);
        const error = await sqlError(t(`INSERT INTO jobs (job_type, listing_id, status) VALUES ('PUBLISH_PRICE_CHANGE', $1, 'RUNNING')`, [listingId]));
        expect(error).toMatchObject({ code: '23505', constraint: 'jobs_publish_dedup_unique' });
      });
    });

    test('listings and settings use the snake_case column names of prisma/schema.prisma', async () => {
      const listings = await columnsOf(db.driver, 'listings');
      expect(listings.map((c) => c.name)).toEqual([
        'id', 'seller_sku', 'asin', 'title', 'description', 'bullet_points', 'price_inc_vat', 'available_quantity', 'category',
        'status', 'current_score', 'fulfillment_channel', 'created_at', 'updated_at', 'marketplace_id',
      ]);
      expect(listings.find((c) => c.name === 'fulfillment_channel')).toMatchObject({ characterMaximumLength: 20, default: "'FBM'::character varying" });
      expect((await columnsOf(db.driver, 'settings')).map((c) => c.name)).toEqual(['id', 'key', 'value', 'description', 'updated_at']);
    });

    test('the seeded settings and marketplace are there', async () => {
      const settings = await q(`SELECT key, value FROM settings ORDER BY key`);
      expect(settings).toEqual([
        { key: 'default_vat_rate', value: 0.2 },
        { key: 'guardrails.allow_price_below_break_even', value: false },
        { key: 'guardrails.max_price_change_pct_per_day', value: 0.05 },
        { key: 'guardrails.min_days_of_cover_before_price_change', value: 7 },
        { key: 'guardrails.min_margin', value: 0.15 },
        { key: 'guardrails.min_stock_threshold', value: 5 },
      ]);
      expect(await q(`SELECT amazon_marketplace_id, name, country_code, currency_code, vat_rate::text FROM marketplaces`)).toEqual([
        { amazon_marketplace_id: 'A1F83G8C2ARO7P', name: 'Amazon UK', country_code: 'GB', currency_code: 'GBP', vat_rate: '0.2000' },
      ]);
    });
  });
});
