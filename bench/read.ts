// npm run bench:read — seeds N listings into a fresh PostgreSQL database, serves the app on
// loopback and drives two pages with autocannon at fixed concurrency: the "same page" the shared
// peer benchmark compares with PostGraphile (bench/same-page.graphql) and the full dashboard page
// (test/operations/dashboard.graphql). Then a scaling table: one request at a time, the median
// latency of every ordering (and `search`) at pages of 5, 50 and 100, at N listings and again after
// padding the table to BENCH_SCALE_TO listings. Prints figures; it asserts nothing (speed targets
// live here, never in tests).
//
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: a scratch database is
//   created on that server and dropped afterwards), BENCH_LISTINGS (10000), BENCH_CONNECTIONS (16),
//   BENCH_SECONDS (15), BENCH_ORDER (MARGIN, for the full page), BENCH_SCALE_TO (100000; 0 skips the
//   padded run), BENCH_COMPILED (1; 0 = resolver path only). Requests carry a dashboard API key.
//
// Padding: seeding 100,000 listings with the project's seed takes ~25 minutes on this machine, so
// the scaling run copies listings in SQL instead — each new listing a copy of a seeded one (same
// columns, offer, latest feature row, active BOM with its lines) — then ANALYZE. The triggers of
// migration 009 fill listing_read_keys for the copies as they would for real writes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { createKey } from '../src/auth/keys.js';
import { attachPrisma } from '../src/db/client.js';
import { seed } from '../src/db/seed.js';
import { PostgresDriver } from '../src/db/sql.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const listings = Number(process.env.BENCH_LISTINGS ?? 10_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const orderField = process.env.BENCH_ORDER ?? 'MARGIN';
const scaleTo = Number(process.env.BENCH_SCALE_TO ?? 100_000);
const compiledReads = process.env.BENCH_COMPILED !== '0';

const samePage = readFileSync(new URL('./same-page.graphql', import.meta.url), 'utf8');
const fullPage = readFileSync(new URL('../test/operations/dashboard.graphql', import.meta.url), 'utf8');
const ORDERINGS = ['CREATED_AT', 'MARGIN', 'PROFIT_PER_UNIT', 'UNITS_30D', 'BUY_BOX_PERCENTAGE', 'SELLER_SKU'];

const name = `lh_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

let statements = 0;
const driver = PostgresDriver.fromUrl(url.toString(), 20);
const db = await attachPrisma({ kind: 'postgres', url: url.toString() }, driver, { migrate: true, onQuery: () => statements++ });
try {
  const seedStart = performance.now();
  await seed(driver, { listings, log: () => undefined });
  await driver.withSession((s) => s.query('ANALYZE'));
  console.log(`seeded ${listings} listings in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; compiled read path ${compiledReads ? 'on' : 'off'}`);

  const { secret } = await createKey(db.prisma, { name: 'bench-read', role: 'dashboard' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${secret}` };
  // The last compiled statement, so the scaling table can EXPLAIN what a request ran.
  let lastRead: { text: string; values: unknown[] } | null = null;
  const readRows = db.readRows;
  db.readRows = (text, values) => {
    lastRead = { text, values };
    return readRows(text, values);
  };
  const app = createApp({ db, logger: pino({ level: 'silent' }), graphiql: false, compiledReads });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;

  const post = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(target, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const json = (await response.json()) as { errors?: unknown };
    if (json.errors) throw new Error(`query failed: ${JSON.stringify(json.errors)}`);
  };

  console.log(`load: ${connections} connections, ${seconds} s per shape, dashboard API key; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('| shape | req/s | p50 ms | p99 ms | statements/request | peak RSS MiB (this process: server, seed and load generator) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [shape, query, variables] of [
    ['same page (peer bench)', samePage, {}],
    [`full page (${orderField}, 50)`, fullPage, { first: 50, orderBy: { field: orderField, direction: 'DESC' } }],
  ] as const) {
    // Counted on a warm request: the first one also looks up the API key and stamps its last use.
    await post(query, variables);
    statements = 0;
    await post(query, variables);
    const perRequest = statements;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const result = await autocannon({ url: target, method: 'POST', headers, body: JSON.stringify({ query, variables }), connections, duration: seconds });
    clearInterval(sampler);
    if (result.non2xx || result.errors) console.log(`  (${result.non2xx} non-2xx, ${result.errors} errors)`);
    console.log(`| ${shape} | ${result.requests.average.toFixed(1)} | ${result.latency.p50} | ${result.latency.p99} | ${perRequest} | ${(peakRss / 1024 / 1024).toFixed(0)} |`);
  }

  /** Median wall time of `runs` sequential full-page requests. */
  const median = async (variables: Record<string, unknown>, runs = 9) => {
    const times: number[] = [];
    await post(fullPage, variables);
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await post(fullPage, variables);
      times.push(performance.now() - start);
    }
    return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  };
  /** Shared buffers the request's compiled statement touches: unlike wall time, not moved by other load. */
  const buffers = async (): Promise<number | null> => {
    if (!lastRead) return null;
    const { text, values } = lastRead;
    const explained = await driver.withSession((s) => s.query<{ 'QUERY PLAN': Array<{ Plan: Record<string, number> }> }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`, values));
    const plan = explained.rows[0]!['QUERY PLAN'][0]!.Plan;
    return (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
  };
  const scaling = async () => {
    const rows = new Map<string, { ms: number; buffers: number | null }>();
    const measure = async (key: string, variables: Record<string, unknown>) => {
      lastRead = null;
      const ms = await median(variables);
      rows.set(key, { ms, buffers: compiledReads ? await buffers() : null });
    };
    for (const field of ORDERINGS) {
      for (const first of [5, 50, 100]) await measure(`${field} ${first}`, { first, orderBy: { field, direction: 'DESC' } });
    }
    for (const first of [5, 50, 100]) await measure(`search ${first}`, { first, filter: { search: 'SKU-0004' } });
    return rows;
  };
  const base = await scaling();
  let padded: Awaited<ReturnType<typeof scaling>> | null = null;
  if (scaleTo > listings) {
    const padStart = performance.now();
    await pad(driver, scaleTo - listings);
    console.log(`padded to ${scaleTo} listings in ${((performance.now() - padStart) / 1000).toFixed(1)} s`);
    padded = await scaling();
  }
  console.log(`\nscaling: full page, one request at a time: median wall time of 9 (ms), and shared buffers its statement reads`);
  console.log(`| ordering, page | ${listings}: ms | buffers |${padded ? ` ${scaleTo}: ms | buffers | ratio ms | ratio buffers |` : ''}`);
  console.log(`| --- | --- | --- |${padded ? ' --- | --- | --- | --- |' : ''}`);
  const ratio = (a: number | null | undefined, b: number | null | undefined) => (a && b ? (b / a).toFixed(2) : '-');
  for (const [key, small] of base) {
    const big = padded?.get(key);
    console.log(
      `| ${key} | ${small.ms.toFixed(1)} | ${small.buffers ?? '-'} |${big ? ` ${big.ms.toFixed(1)} | ${big.buffers ?? '-'} | ${ratio(small.ms, big.ms)} | ${ratio(small.buffers, big.buffers)} |` : ''}`,
    );
  }
  server.close();
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/** Adds `count` listings, each a copy of a seeded one with its offer, latest feature row and active BOM. */
async function pad(sqlDriver: PostgresDriver, count: number): Promise<void> {
  await sqlDriver.withSession(async (s) => {
    await s.query(`CREATE TEMP TABLE pad_map AS
      SELECT g AS n, (SELECT min(id) FROM listings) + (g % (SELECT count(*) FROM listings)) AS src FROM generate_series(1, ${Number(count)}) g`);
    await s.query(`ALTER TABLE pad_map ADD COLUMN dst integer`);
    await s.query(`WITH ins AS (
        INSERT INTO listings (seller_sku, asin, title, description, bullet_points, price_inc_vat, available_quantity, category, status,
          current_score, created_at, updated_at, marketplace_id, fulfillment_channel)
        SELECT 'PAD-' || m.n, l.asin, l.title, l.description, l.bullet_points, l.price_inc_vat, l.available_quantity, l.category, l.status,
          l.current_score, l.created_at, l.updated_at, l.marketplace_id, l.fulfillment_channel
        FROM pad_map m JOIN listings l ON l.id = m.src ORDER BY m.n RETURNING id, seller_sku)
      UPDATE pad_map m SET dst = ins.id FROM ins WHERE ins.seller_sku = 'PAD-' || m.n`);
    await s.query(`INSERT INTO listing_offer_current (listing_id, price_inc_vat, available_quantity, buy_box_status, buy_box_percentage_30d, buy_box_price, is_buy_box_winner, observed_at)
      SELECT m.dst, o.price_inc_vat, o.available_quantity, o.buy_box_status, o.buy_box_percentage_30d, o.buy_box_price, o.is_buy_box_winner, o.observed_at
      FROM pad_map m JOIN listing_offer_current o ON o.listing_id = m.src`);
    await s.query(`INSERT INTO feature_store (entity_type, entity_id, feature_version, features_json, computed_at)
      SELECT 'LISTING', m.dst, f.feature_version, f.features_json, f.computed_at FROM pad_map m
      JOIN LATERAL (SELECT * FROM feature_store fs WHERE fs.entity_type = 'LISTING' AND fs.entity_id = m.src ORDER BY fs.computed_at DESC, fs.id DESC LIMIT 1) f ON true`);
    await s.query(`INSERT INTO boms (listing_id, scope_type, version, is_active, effective_from, notes)
      SELECT m.dst, b.scope_type, b.version, b.is_active, b.effective_from, b.notes FROM pad_map m
      JOIN boms b ON b.listing_id = m.src AND b.is_active AND b.scope_type = 'LISTING'`);
    await s.query(`INSERT INTO bom_lines (bom_id, component_id, quantity, wastage_rate, notes)
      SELECT nb.id, bl.component_id, bl.quantity, bl.wastage_rate, bl.notes FROM pad_map m
      JOIN boms ob ON ob.listing_id = m.src AND ob.is_active AND ob.scope_type = 'LISTING'
      JOIN boms nb ON nb.listing_id = m.dst AND nb.version = ob.version
      JOIN bom_lines bl ON bl.bom_id = ob.id`);
    await s.query('ANALYZE');
  });
}
