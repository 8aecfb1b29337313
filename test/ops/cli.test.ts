import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/db/cli.js';
import { status } from '../../src/db/migrator.js';
import { PgliteDriver, type SqlDriver } from '../../src/db/sql.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/databases.js';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void err.push(args.join(' ')));
});
afterEach(() => {
  vi.restoreAllMocks();
});

test('--help on every command prints its flags and touches no database', async () => {
  const unreachable = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' };
  for (const command of ['migrate', 'rollback', 'status', 'seed']) {
    out = [];
    expect(await main([command, '--help'], unreachable)).toBe(0);
    expect(out.join('\n')).toContain(`npm run db:${command}`);
  }
  expect(out.join('\n')).toMatch(/--append/);
  expect(err).toEqual([]);
});

describe.each(backends)('the db CLI on %s refuses to lose or mix data', (kind) => {
  let testDb: TestDatabase | undefined;
  let folder: string | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (kind === 'postgres') {
      testDb = await createTestDatabase('postgres');
      env = { DATABASE_URL: (testDb.config as { url: string }).url };
    } else {
      folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'lh-cli-')), 'pglite');
      env = { PGLITE_DATA_DIR: folder };
    }
  });
  afterAll(async () => {
    await testDb?.drop();
    if (folder) await rm(path.dirname(folder), { recursive: true, force: true });
  });

  /** Reads the database between commands (PGlite: opened and closed again, as the CLI holds its lock). */
  async function inspect<T>(fn: (driver: SqlDriver) => Promise<T>): Promise<T> {
    if (testDb) return fn(testDb.driver);
    const driver = await PgliteDriver.open(folder!);
    try {
      return await fn(driver);
    } finally {
      await driver.close();
    }
  }
  const count = (driver: SqlDriver, table: string) =>
    driver.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).then((r) => r.rows[0]!.n);

  test('seed into a database holding data needs --append; the refusal writes nothing', async () => {
    expect(await main(['seed', '--listings', '2'], env)).toBe(0);
    const before = await inspect(async (d) => [await count(d, 'listings'), await count(d, 'components'), await count(d, 'listing_sales_daily')]);
    expect(before[0]).toBe(2);

    err = [];
    expect(await main(['seed', '--listings', '2'], env)).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: the database already holds data \(2 listings, \d+ components, \d+ suppliers\); db:seed adds to it only with --append$/);
    expect(await inspect(async (d) => [await count(d, 'listings'), await count(d, 'components'), await count(d, 'listing_sales_daily')])).toEqual(before);

    expect(await main(['seed', '--listings', '1', '--append'], env)).toBe(0);
    expect(await inspect((d) => count(d, 'listings'))).toBe(3);
  }, 240_000);

  test('rollback names what it drops with row counts, and needs --yes when rows would be lost', async () => {
    // 010 and 009 drop only derived tables (listing_counts, listing_read_keys: rebuilt when migrated up again), 008 only indexes and a trigger,
    // 007 only api_keys and 006 only idempotency_keys, all empty after seeding: no rows lost, no --yes needed.
    expect(await main(['rollback', '--to', '005'], env)).toBe(0);
    expect(out.find((line) => line.startsWith('rollback of 010_listing_counts drops:'))).toMatch(/^rollback of 010_listing_counts drops: listing_counts \(\d+ rows?, derived: rebuilt when migrated up again\)$/);
    expect(out.find((line) => line.startsWith('rollback of 009_listing_read_keys drops:'))).toMatch(/^rollback of 009_listing_read_keys drops: listing_read_keys \(\d+ rows, derived: rebuilt when migrated up again\)$/);
    expect(out).toContain('rollback of 008_job_queue drops: no tables or columns');
    expect(out).toContain('rollback of 007_api_keys drops: api_keys (0 rows)');
    expect(out).toContain('rollback of 006_idempotency_keys drops: idempotency_keys (0 rows)');

    const recommendations = await inspect((d) => count(d, 'recommendations'));
    expect(recommendations).toBeGreaterThan(0);
    out = [];
    err = [];
    expect(await main(['rollback', '--to', '003'], env)).toBe(1);
    expect(out).toContain('rollback of 005_integrity drops: no tables or columns');
    expect(out.find((line) => line.startsWith('rollback of 004_slice_d_schema drops:'))).toMatch(
      new RegExp(`recommendation_events \\(\\d+ rows\\), recommendations \\(${recommendations} rows\\)`),
    );
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: rolling back would delete \d+ rows in recommendation_events, recommendations; nothing was rolled back \(add --yes to go ahead\)$/);
    const after = await inspect(async (d) => ({ states: (await status(d)).map((m) => `${m.name} ${m.state}`), recommendations: await count(d, 'recommendations') }));
    expect(after.recommendations).toBe(recommendations);
    expect(after.states.filter((line) => line.endsWith(' applied'))).toEqual(['000_base_schema applied', '001_slice_a_schema applied', '002_slice_b_schema applied', '003_slice_c_schema applied', '004_slice_d_schema applied', '005_integrity applied']);

    expect(await main(['rollback', '--to', '003', '--yes'], env)).toBe(0);
    const exists = await inspect((d) => d.withSession((s) => s.query<{ t: string | null }>(`SELECT to_regclass('recommendations')::text AS t`)));
    expect(exists.rows[0]!.t).toBeNull();
  }, 240_000);
});
