// The migration chain itself: round trip, idempotency of every migration.sql, and the upgrade of a
// legacy database (and its rollback) without losing a row or a value. Every test on every backend.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadMigrations, migrate, rollback } from '../src/db/migrator.js';
import type { SqlDriver } from '../src/db/sql.js';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.js';
import { catalogSnapshot, objectNames, sql, type CatalogSnapshot } from './support/catalog.js';

/** Runs a whole migration.sql directly (not through the runner), in one transaction. */
async function applyDirectly(driver: SqlDriver, script: string): Promise<void> {
  await driver.withSession(async (s) => {
    await s.query('BEGIN');
    try {
      await s.query(script);
      await s.query('COMMIT');
    } catch (error) {
      await s.query('ROLLBACK');
      throw error;
    }
  });
}

async function bookkeeping(driver: SqlDriver): Promise<string[]> {
  const rows = await sql<{ row: string }>(
    driver,
    `SELECT migration || ' ' || object_kind || ' ' || object_name AS row FROM migration_bookkeeping.created_objects ORDER BY 1`,
  );
  return rows.map((r) => r.row);
}

async function tableRows(driver: SqlDriver, table: string): Promise<Record<string, unknown>[]> {
  return sql(driver, `SELECT * FROM ${table} ORDER BY id`);
}

describe.each(backends)('migration chain (%s)', (kind) => {
  describe('round trip: up, roll back to 000, up again', () => {
    let db: TestDatabase;
    let atBase: CatalogSnapshot;
    let firstUp: CatalogSnapshot;
    let afterRollback: CatalogSnapshot;
    let secondUp: CatalogSnapshot;
    let bookkeepingAtBase: string[];
    let bookkeepingAfterRollback: string[];
    let rolledBack: string[];
    const settings: Record<'atBase' | 'firstUp' | 'afterRollback' | 'secondUp', unknown[]> = { atBase: [], firstUp: [], afterRollback: [], secondUp: [] };
    // ids and timestamps are new when the rows are inserted again: compare what the rows say.
    const settingsRows = () => sql(db.driver, `SELECT key, value, description FROM settings ORDER BY key`);

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      await migrate(db.driver, { to: '000' });
      atBase = await catalogSnapshot(db.driver);
      bookkeepingAtBase = await bookkeeping(db.driver);
      settings.atBase = await settingsRows();
      await migrate(db.driver);
      firstUp = await catalogSnapshot(db.driver);
      settings.firstUp = await settingsRows();
      rolledBack = (await rollback(db.driver, { to: '000' })).rolledBack;
      afterRollback = await catalogSnapshot(db.driver);
      bookkeepingAfterRollback = await bookkeeping(db.driver);
      settings.afterRollback = await settingsRows();
      await migrate(db.driver);
      secondUp = await catalogSnapshot(db.driver);
      settings.secondUp = await settingsRows();
    });

    afterAll(async () => {
      await db?.drop();
    });

    test('rollback runs strictly newest first', async () => {
      const names = (await loadMigrations()).map((m) => m.name).filter((n) => n > '000_z');
      expect(rolledBack).toEqual([...names].reverse());
    });

    test('the second migrate builds exactly the catalog of the first (tables, columns, types, defaults, constraints, indexes, enums)', () => {
      expect(secondUp).toEqual(firstUp);
    });

    test('after rolling back to 000 no object of 001–005 remains: the catalog is the one 000 built', () => {
      const created = objectNames(firstUp).filter((name) => !objectNames(atBase).includes(name));
      expect(created.length).toBeGreaterThan(100);
      expect(objectNames(afterRollback).filter((name) => created.includes(name))).toEqual([]);
      expect(afterRollback).toEqual(atBase);
      expect(bookkeepingAfterRollback).toEqual(bookkeepingAtBase);
    });

    test('the seeded settings rows go with the rollback and come back with the migration', () => {
      expect(settings.atBase).toEqual([]);
      expect(settings.firstUp.map((row) => (row as { key: string }).key)).toEqual([
        'default_vat_rate',
        'guardrails.allow_price_below_break_even',
        'guardrails.max_price_change_pct_per_day',
        'guardrails.min_days_of_cover_before_price_change',
        'guardrails.min_margin',
        'guardrails.min_stock_threshold',
      ]);
      expect(settings.afterRollback).toEqual([]);
      expect(settings.secondUp).toEqual(settings.firstUp);
    });

    test('rolling back 000 as well leaves an empty database (no table, type or bookkeeping schema)', async () => {
      const applied = (await loadMigrations()).length;
      await rollback(db.driver, { steps: applied });
      const empty = await catalogSnapshot(db.driver);
      expect(empty).toMatchObject({ tables: [], enums: {}, indexes: {}, sequences: [], schemas: [] });
    });
  });

  describe('idempotency: every migration.sql applied a second time changes nothing', () => {
    let db: TestDatabase;
    const stepwise: Array<{ name: string; before: CatalogSnapshot; after: CatalogSnapshot; booksBefore: string[]; booksAfter: string[] }> = [];
    let full: { before: CatalogSnapshot; after: CatalogSnapshot; settingsBefore: unknown; settingsAfter: unknown; booksBefore: string[]; booksAfter: string[] };

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      const migrations = await loadMigrations();
      for (const m of migrations) {
        await migrate(db.driver, { to: m.name });
        const before = await catalogSnapshot(db.driver);
        const booksBefore = await bookkeeping(db.driver);
        await applyDirectly(db.driver, m.upSql);
        stepwise.push({ name: m.name, before, after: await catalogSnapshot(db.driver), booksBefore, booksAfter: await bookkeeping(db.driver) });
      }
      // Then every file again, in order, on the fully migrated database (with a row in listings).
      await sql(db.driver, `INSERT INTO listings (seller_sku, fulfillment_channel) VALUES ('IDEM-1', 'FBA')`);
      const before = await catalogSnapshot(db.driver);
      const settingsBefore = await tableRows(db.driver, 'settings');
      const booksBefore = await bookkeeping(db.driver);
      for (const m of migrations) await applyDirectly(db.driver, m.upSql);
      full = {
        before,
        after: await catalogSnapshot(db.driver),
        settingsBefore,
        settingsAfter: await tableRows(db.driver, 'settings'),
        booksBefore,
        booksAfter: await bookkeeping(db.driver),
      };
    });

    afterAll(async () => {
      await db?.drop();
    });

    test('each migration.sql re-applied right after itself succeeds and leaves the catalog unchanged', () => {
      expect(stepwise.length).toBeGreaterThanOrEqual(6);
      for (const step of stepwise) {
        expect({ name: step.name, catalog: step.after, books: step.booksAfter }).toEqual({ name: step.name, catalog: step.before, books: step.booksBefore });
      }
    });

    test('all migration.sql files re-applied on the fully migrated database succeed and change nothing', async () => {
      expect(full.after).toEqual(full.before);
      expect(full.settingsAfter).toEqual(full.settingsBefore);
      expect(full.booksAfter).toEqual(full.booksBefore);
      expect(await sql(db.driver, `SELECT seller_sku, fulfillment_channel FROM listings`)).toEqual([{ seller_sku: 'IDEM-1', fulfillment_channel: 'FBA' }]);
    });
  });

  describe('legacy upgrade: a legacy database is migrated and rolled back without losing data', () => {
    let db: TestDatabase;
    let legacyCatalog: CatalogSnapshot;
    const legacyRows: Record<string, Record<string, unknown>[]> = {};

    const LEGACY_SCHEMA = `
      CREATE TABLE listings (
        id serial PRIMARY KEY,
        sku varchar(100) NOT NULL UNIQUE,
        asin varchar(20),
        title text,
        description text,
        "bulletPoints" jsonb DEFAULT '[]',
        price numeric(10,2) DEFAULT 0,
        quantity integer DEFAULT 0,
        category varchar(255),
        status varchar(50) DEFAULT 'active',
        "currentScore" integer,
        "fulfillmentChannel" varchar(20) DEFAULT 'FBM',
        "createdAt" timestamp DEFAULT CURRENT_TIMESTAMP,
        "updatedAt" timestamp DEFAULT CURRENT_TIMESTAMP
      );
      CREATE INDEX idx_listings_sku ON listings (sku);
      CREATE INDEX idx_listings_asin ON listings (asin);
      CREATE INDEX idx_listings_status ON listings (status);
      CREATE TABLE settings (
        id serial PRIMARY KEY,
        key varchar(100) NOT NULL UNIQUE,
        value jsonb,
        description text,
        "updatedAt" timestamp DEFAULT CURRENT_TIMESTAMP
      );
      CREATE INDEX idx_settings_key ON settings (key);
      CREATE TABLE scores (
        id serial PRIMARY KEY,
        listing_id integer REFERENCES listings (id) ON DELETE CASCADE,
        total_score integer,
        "createdAt" timestamp DEFAULT CURRENT_TIMESTAMP
      );
      INSERT INTO listings (sku, asin, title, description, "bulletPoints", price, quantity, category, status, "currentScore", "fulfillmentChannel", "createdAt", "updatedAt") VALUES
        ('LEG-1', 'B00LEGACY1', 'Widget', 'A widget', '["strong", "blue"]', 24.00, 12, 'Home & Kitchen', 'active', 81, 'FBA', '2023-05-01 10:00:00', '2024-01-02 03:04:05'),
        ('LEG-2', NULL, 'Gadget', NULL, '[]', 9.99, 0, NULL, 'inactive', NULL, NULL, '2023-06-01 00:00:00', NULL),
        ('LEG-3', 'B00LEGACY3', NULL, NULL, NULL, NULL, NULL, 'Books', NULL, 7, 'FBM', NULL, NULL);
      INSERT INTO settings (key, value, description, "updatedAt") VALUES
        ('guardrails.min_margin', '0.25', 'Edited by the seller', '2024-02-03 04:05:06'),
        ('ui.theme', '"dark"', NULL, NULL);
      INSERT INTO scores (listing_id, total_score, "createdAt") VALUES (1, 81, '2024-01-01 00:00:00'), (3, 7, NULL);
    `;

    beforeAll(async () => {
      db = await createTestDatabase(kind);
      await applyDirectly(db.driver, LEGACY_SCHEMA);
      legacyCatalog = await catalogSnapshot(db.driver);
      for (const table of ['listings', 'settings', 'scores']) legacyRows[table] = await tableRows(db.driver, table);
      await migrate(db.driver);
    });

    afterAll(async () => {
      await db?.drop();
    });

    test('after the migration every listing is there with its values under the new names', async () => {
      const rows = await sql(
        db.driver,
        `SELECT id, seller_sku, asin, title, description, bullet_points, price_inc_vat::text AS price_inc_vat, available_quantity, category, status,
                current_score, fulfillment_channel, created_at::text AS created_at, updated_at::text AS updated_at,
                marketplace_id = (SELECT id FROM marketplaces WHERE amazon_marketplace_id = 'A1F83G8C2ARO7P') AS gb
         FROM listings ORDER BY id`,
      );
      expect(rows).toEqual([
        {
          id: 1, seller_sku: 'LEG-1', asin: 'B00LEGACY1', title: 'Widget', description: 'A widget', bullet_points: ['strong', 'blue'],
          price_inc_vat: '24.00', available_quantity: 12, category: 'Home & Kitchen', status: 'active', current_score: 81,
          fulfillment_channel: 'FBA', created_at: '2023-05-01 10:00:00', updated_at: '2024-01-02 03:04:05', gb: true,
        },
        {
          id: 2, seller_sku: 'LEG-2', asin: null, title: 'Gadget', description: null, bullet_points: [], price_inc_vat: '9.99',
          available_quantity: 0, category: null, status: 'inactive', current_score: null, fulfillment_channel: null,
          created_at: '2023-06-01 00:00:00', updated_at: null, gb: true,
        },
        {
          id: 3, seller_sku: 'LEG-3', asin: 'B00LEGACY3', title: null, description: null, bullet_points: null, price_inc_vat: null,
          available_quantity: null, category: 'Books', status: null, current_score: 7, fulfillment_channel: 'FBM',
          created_at: null, updated_at: null, gb: true,
        },
      ]);
    });

    test('009 backfills the listing read keys of the listings that were already there (no feature rows yet: NULL keys)', async () => {
      expect(await sql(db.driver, `SELECT listing_id, feature_id, margin FROM listing_read_keys ORDER BY listing_id`)).toEqual([
        { listing_id: 1, feature_id: null, margin: null },
        { listing_id: 2, feature_id: null, margin: null },
        { listing_id: 3, feature_id: null, margin: null },
      ]);
    });

    test('legacy listings columns keep their legacy types (status varchar(50), category varchar(255)); the legacy scores table is untouched', async () => {
      const types = await sql(
        db.driver,
        `SELECT column_name, character_maximum_length FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name = 'listings' AND column_name IN ('status', 'category', 'fulfillment_channel') ORDER BY 1`,
      );
      expect(types).toEqual([
        { column_name: 'category', character_maximum_length: 255 },
        { column_name: 'fulfillment_channel', character_maximum_length: 20 },
        { column_name: 'status', character_maximum_length: 50 },
      ]);
      expect(await tableRows(db.driver, 'scores')).toEqual(legacyRows.scores);
    });

    test("the user's guardrail setting keeps its value; missing keys are seeded beside it", async () => {
      const rows = await sql(db.driver, `SELECT key, value, description, updated_at::text AS updated_at FROM settings ORDER BY key`);
      expect(rows).toContainEqual({ key: 'guardrails.min_margin', value: 0.25, description: 'Edited by the seller', updated_at: '2024-02-03 04:05:06' });
      expect(rows).toContainEqual({ key: 'ui.theme', value: 'dark', description: null, updated_at: null });
      expect(rows.map((r) => r.key)).toEqual([
        'default_vat_rate', 'guardrails.allow_price_below_break_even', 'guardrails.max_price_change_pct_per_day',
        'guardrails.min_days_of_cover_before_price_change', 'guardrails.min_margin', 'guardrails.min_stock_threshold', 'ui.theme',
      ]);
    });

    test('rolling back to 000 restores the legacy columns with their values and keeps user data', async () => {
      // The seller edits a seeded value and adds a listing while migrated: both are user data.
      await sql(db.driver, `UPDATE settings SET value = '9' WHERE key = 'guardrails.min_stock_threshold'`);
      await sql(db.driver, `INSERT INTO listings (id, seller_sku, fulfillment_channel, price_inc_vat) VALUES (4, 'NEW-4', 'FBA', 5.50)`);
      await rollback(db.driver, { to: '000' });

      const listings = await tableRows(db.driver, 'listings');
      expect(listings.slice(0, 3)).toEqual(legacyRows.listings);
      expect(listings[3]).toMatchObject({ id: 4, sku: 'NEW-4', fulfillmentChannel: 'FBA', price: '5.50' });
      expect(await tableRows(db.driver, 'scores')).toEqual(legacyRows.scores);

      const settings = await sql(db.driver, `SELECT key, value FROM settings ORDER BY key`);
      expect(settings).toEqual([
        { key: 'guardrails.min_margin', value: 0.25 },
        { key: 'guardrails.min_stock_threshold', value: 9 },
        { key: 'ui.theme', value: 'dark' },
      ]);
      expect((await tableRows(db.driver, 'settings')).filter((r) => r.key !== 'guardrails.min_stock_threshold')).toEqual(legacyRows.settings);
    });

    test('rolling back 000 too leaves the legacy tables (000 did not create them) and the legacy catalog exactly as it was', async () => {
      await rollback(db.driver, { steps: 1 });
      await sql(db.driver, `DELETE FROM settings WHERE key = 'guardrails.min_stock_threshold'`);
      await sql(db.driver, `DELETE FROM listings WHERE id = 4`);
      expect(await catalogSnapshot(db.driver)).toEqual(legacyCatalog);
      for (const table of ['listings', 'settings', 'scores']) expect(await tableRows(db.driver, table)).toEqual(legacyRows[table]);
    });

    test('the legacy database migrates again after the rollback', async () => {
      await migrate(db.driver);
      expect(await sql(db.driver, `SELECT seller_sku, fulfillment_channel FROM listings ORDER BY id`)).toEqual([
        { seller_sku: 'LEG-1', fulfillment_channel: 'FBA' },
        { seller_sku: 'LEG-2', fulfillment_channel: null },
        { seller_sku: 'LEG-3', fulfillment_channel: 'FBM' },
      ]);
    });
  });
});
