// listing_counts (migration 010) against the table it counts: after every kind of write to
// listings (bulk insert, status and marketplace changes, updates that change neither, deletes,
// TRUNCATE, also through a cascade) each (marketplace, status) counter equals count(*) of its rows,
// on both backends; on PostgreSQL, also after concurrent writers. And totalCount, which reads the
// counters when the filter is only marketplace and status, equals count(*) for such filters.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate } from '../../src/db/migrator.js';
import { countSql, SqlParams, whereSql, type ListingFilter } from '../../src/resolvers/listings.js';
import { sql } from '../support/catalog.js';
import { backends, createTestDatabase, testDatabaseUrl, type TestDatabase } from '../support/databases.js';

/** Two marketplaces of the test's own (a migrated database holds none). */
async function twoMarketplaces(run: (text: string) => Promise<Array<Record<string, unknown>>>): Promise<[number, number]> {
  const rows = await run(`INSERT INTO marketplaces (amazon_marketplace_id, name, country_code)
    VALUES ('LC' || md5(random()::text)::varchar(10), 'LC one', 'GB'), ('LC' || md5(random()::text)::varchar(10), 'LC two', 'DE') RETURNING id`);
  return [Number(rows[0]!.id), Number(rows[1]!.id)];
}

/** Every counter row that disagrees with the table, and every (marketplace, status) the counters miss. */
const DRIFT = `
  (SELECT 'counted' AS side, marketplace_id, status, listings::int AS n FROM listing_counts WHERE listings <> 0
   EXCEPT SELECT 'counted', marketplace_id, status, count(*)::int FROM listings GROUP BY 2, 3)
  UNION ALL
  (SELECT 'actual', marketplace_id, status, count(*)::int FROM listings GROUP BY 2, 3
   EXCEPT SELECT 'actual', marketplace_id, status, listings::int FROM listing_counts)`;

describe.each(backends)('listing_counts (%s)', (kind) => {
  let db: TestDatabase;
  const q = (text: string) => sql(db.driver, text);
  const total = async () => Number((await q('SELECT coalesce(sum(listings), 0)::int AS n FROM listing_counts'))[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    await migrate(db.driver);
  }, 120_000);
  afterAll(() => db?.drop());

  test('every write keeps each counter equal to count(*) of its rows', async () => {
    const [uk, de] = await twoMarketplaces(q);
    await q(`INSERT INTO listings (seller_sku, marketplace_id, status)
             SELECT 'LC-' || g, CASE g % 3 WHEN 0 THEN ${uk} WHEN 1 THEN ${de} END, CASE WHEN g % 5 = 0 THEN NULL WHEN g % 2 = 0 THEN 'active' ELSE 'inactive' END
             FROM generate_series(1, 300) g`);
    expect(await q(DRIFT)).toEqual([]);
    expect(await total()).toBe(300);

    await q(`UPDATE listings SET status = 'archived' WHERE seller_sku LIKE 'LC-1%'`);
    await q(`UPDATE listings SET marketplace_id = ${uk} WHERE marketplace_id IS NULL AND status = 'active'`);
    await q(`UPDATE listings SET status = NULL, marketplace_id = NULL WHERE seller_sku IN ('LC-2', 'LC-4')`);
    // Neither marketplace nor status changes: the counters must stay as they are.
    const before = await q('SELECT marketplace_id, status, listings::int FROM listing_counts ORDER BY 1, 2');
    await q(`UPDATE listings SET title = 'renamed', price_inc_vat = 9.99`);
    expect(await q('SELECT marketplace_id, status, listings::int FROM listing_counts ORDER BY 1, 2')).toEqual(before);
    expect(await q(DRIFT)).toEqual([]);

    await q(`DELETE FROM listings WHERE seller_sku LIKE 'LC-2%'`);
    expect(await q(DRIFT)).toEqual([]);
    expect(await total()).toBe(Number((await q('SELECT count(*)::int AS n FROM listings'))[0]!.n));

    // A failed statement changes no counter.
    await expect(q(`INSERT INTO listings (seller_sku, status) VALUES ('LC-X', 'active'), (NULL, 'active')`)).rejects.toThrow();
    expect(await q(DRIFT)).toEqual([]);
  });

  test('countSql (totalCount on both read paths) equals count(*) of the matching rows for every counter-served filter', async () => {
    const [a, b] = (await q(`SELECT DISTINCT marketplace_id FROM listings WHERE marketplace_id IS NOT NULL ORDER BY 1`)).map((r) => Number(r.marketplace_id));
    const filters: ListingFilter[] = [
      {},
      { marketplaceId: a },
      { marketplaceIds: [a!] },
      { marketplaceIds: [a!, b!] },
      { marketplaceId: a, marketplaceIds: [b!] },
      { marketplaceIds: [] },
      { status: ['active'] },
      { status: ['active', 'archived', 'nope'] },
      { status: [] },
      { status: ['inactive'], marketplaceIds: [b!], marketplaceId: b },
      { search: '   ' },
    ];
    for (const filter of filters) {
      const counted = new SqlParams();
      const expected = new SqlParams();
      const where = whereSql(filter, '0.15', expected);
      const [viaCounters] = await sql(db.driver, `SELECT ${countSql(filter, '0.15', counted)} AS n`, counted.values);
      const [viaTable] = await sql(db.driver, `SELECT count(*)::int AS n FROM listings l${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`, expected.values);
      expect({ filter, n: viaCounters!.n }).toEqual({ filter, n: viaTable!.n });
    }
    expect(countSql({}, '0.15', new SqlParams())).toContain('listing_counts');
  });

  test('TRUNCATE, directly or through a cascade, empties the counters', async () => {
    await q(`INSERT INTO listings (seller_sku, status) SELECT 'TR-' || g, 'active' FROM generate_series(1, 20) g`);
    expect(await total()).toBeGreaterThan(0);
    await q('TRUNCATE listings CASCADE');
    expect(await total()).toBe(0);
    const [mp] = await twoMarketplaces(q);
    await q(`INSERT INTO listings (seller_sku, status, marketplace_id) SELECT 'TR-' || g, 'active', ${mp} FROM generate_series(1, 5) g`);
    await q('TRUNCATE marketplaces CASCADE');
    expect(await q('SELECT count(*)::int AS n FROM listings')).toEqual([{ n: 0 }]);
    expect(await total()).toBe(0);
  });

  test('migrating 010 again recounts from listings', async () => {
    await q(`INSERT INTO listings (seller_sku, status) SELECT 'RE-' || g, 'active' FROM generate_series(1, 7) g`);
    await q(`UPDATE listing_counts SET listings = listings + 100`);
    expect(await q(DRIFT)).not.toEqual([]);
    const { readFile } = await import('node:fs/promises');
    await q(await readFile(new URL('../../prisma/migrations/010_listing_counts/migration.sql', import.meta.url), 'utf8'));
    expect(await q(DRIFT)).toEqual([]);
  });
});

describe.skipIf(!testDatabaseUrl)('listing_counts under concurrent writers (postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres', { poolSize: 12 });
    await migrate(db.driver);
  }, 120_000);
  afterAll(() => db?.drop());

  test('12 writers inserting, moving and deleting listings at once leave every counter exact', async () => {
    const [uk, de] = await twoMarketplaces((text) => sql(db.driver, text));
    const writer = (w: number) =>
      db.driver.withSession(async (s) => {
        for (let round = 0; round < 10; round++) {
          await s.query('BEGIN');
          await s.query(`INSERT INTO listings (seller_sku, marketplace_id, status)
                         SELECT 'CW-${w}-${round}-' || g, CASE WHEN g % 2 = 0 THEN ${uk} ELSE ${de} END, 'active' FROM generate_series(1, 5) g`);
          await s.query(`UPDATE listings SET status = 'inactive' WHERE seller_sku = 'CW-${w}-${round}-1'`);
          await s.query(`UPDATE listings SET marketplace_id = ${uk} WHERE seller_sku = 'CW-${w}-${round}-3'`);
          await s.query(`DELETE FROM listings WHERE seller_sku = 'CW-${w}-${round}-5'`);
          await s.query(round % 4 === 3 ? 'ROLLBACK' : 'COMMIT');
        }
      });
    await Promise.all(Array.from({ length: 12 }, (_, w) => writer(w)));
    expect(await sql(db.driver, DRIFT)).toEqual([]);
    // 12 writers x 8 committed rounds (3 and 7 roll back) x (5 inserted - 1 deleted).
    expect(await sql(db.driver, `SELECT sum(listings)::int AS n FROM listing_counts`)).toEqual([{ n: 12 * 8 * 4 }]);
  }, 120_000);
});
