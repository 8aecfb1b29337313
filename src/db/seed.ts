/**
 * Deterministic demo/benchmark data for every table of migrations 000–005.
 *
 * Decisions (documented here because callers and tests rely on them):
 * - **Determinism.** All values come from a small seeded PRNG (mulberry32). Every listing draws from its
 *   own stream, seeded from (seed, ordinal of the listing in this call), so the data of listing k does not
 *   depend on how many listings are generated. Every timestamp is derived from `D` = the UTC midnight of
 *   `options.asOf` (default: now). Same `seed` + same UTC day of `asOf` + same starting database → identical
 *   rows, ids included. Nothing relies on column defaults such as `now()`.
 * - **Freshness.** Daily sales cover the 90 complete days D−90 … D−1, so the 7/30-day windows of docs/domain-rules.md §4
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
 *   `idempotency_keys` (request bookkeeping) stays empty. Recommendation triggers follow docs/domain-rules.md §5.1 where the
 *   generated features allow and are padded with loosely triggered types otherwise: the data is illustrative.
 * - **Economics.** Costs, fees, profit, margin and break-even in the feature rows come from
 *   src/domain/economics.ts (seed/economics.ts converts to and from the seed's integer pence), so the
 *   MARGIN ordering reads the same figures the API computes from the seeded rows.
 * - **Measured** (PostgreSQL 15, 2 vCPUs): 10,000 listings / ~1.2 M rows in about 31 s on an idle machine,
 *   35–50 s while other work loaded it.
 */
import { sql, type SqlDriver } from './sql.js';
import { generateGlobalJobs } from './seed/audit-rows.js';
import { advanceSequences, CHUNK_TABLES, Ids, insertTable, lockAndReadIds } from './seed/bulk-insert.js';
import { seedCatalogue } from './seed/catalogue.js';
import { type Ctx, newTables } from './seed/context.js';
import { generateListing } from './seed/listings.js';
import { generateOpportunity } from './seed/opportunities.js';
import { hash2, Rng } from './seed/random.js';
import { DAY, isoDate } from './seed/units.js';

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
          const clash = await s.query<{ seller_sku: string }>(sql`SELECT seller_sku FROM listings WHERE seller_sku = ANY(${skus}::text[]) LIMIT 3`);
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
