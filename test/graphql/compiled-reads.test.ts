// The compiled read path (src/resolvers/read/, src/graphql/compiled-reads.ts) against the resolver
// path: the same random selections over the real schema — fields, relations, arguments, orderings,
// filters, page sizes, cursors — sent to two apps over one database, one of them with the compiled
// path off, must give byte-identical responses. The data adds NULLs, empty relations and ties to
// the seed. A partner viewer (read scope, one marketplace) runs the same selections: the compiled
// path either answers exactly what the policy path does or is not taken.
import { createHash } from 'node:crypto';
import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType } from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import type { Viewer } from '../../src/auth/viewer.js';
import { compiledReadStats } from '../../src/graphql/compiled-reads.js';
import { loadManifest } from '../../src/graphql/persisted-operations.js';
import { DB_TYPES, JS_TYPES } from '../../src/resolvers/read/fields.js';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, TEST_ADMIN, viewerFor, type TestApp } from '../support/graphql.js';

const ORDER_FIELDS = ['CREATED_AT', 'MARGIN', 'PROFIT_PER_UNIT', 'UNITS_30D', 'BUY_BOX_PERCENTAGE', 'SELLER_SKU'];

/** Small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

function fieldArgs(rng: Rng, type: string, field: GraphQLField<unknown, unknown>): string {
  if (type === 'Listing' && field.name === 'recommendations') {
    const args: string[] = [];
    if (rng.chance(0.6)) args.push(`status: [${['PENDING', 'ACCEPTED', 'REJECTED', 'SNOOZED', 'EXPIRED'].filter(() => rng.chance(0.4)).join(', ')}]`);
    if (rng.chance(0.5)) args.push(`first: ${rng.int(0, 4)}`);
    if (rng.chance(0.4)) args.push(`orderBy: ${rng.pick(['CONFIDENCE_SCORE_DESC', 'GENERATED_AT_DESC'])}`);
    return args.length ? `(${args.join(', ')})` : '';
  }
  return '';
}

/** A random selection of `type` over the fields the compiled path knows (so both paths can run it). */
function selection(rng: Rng, typeName: string, depth: number): string {
  const type = schema.getType(typeName) as GraphQLObjectType;
  const known = { ...(DB_TYPES[typeName] ?? {}), ...(JS_TYPES[typeName] ?? {}) };
  const fields = Object.values(type.getFields()).filter((f) => f.name in known);
  const chosen = fields.filter(() => rng.chance(0.35));
  if (!chosen.length) chosen.push(rng.pick(fields));
  const parts: string[] = [];
  if (rng.chance(0.1)) parts.push('__typename');
  for (const field of chosen) {
    const named = getNamedType(field.type);
    const alias = rng.chance(0.1) ? `a${rng.int(1, 9)}: ` : '';
    if (isObjectType(named)) {
      if (depth >= 4 && !(named.name in JS_TYPES)) continue;
      parts.push(`${alias}${field.name}${fieldArgs(rng, typeName, field)} { ${selection(rng, named.name, depth + 1)} }`);
    } else parts.push(`${alias}${field.name}`);
  }
  if (!parts.length) parts.push('__typename');
  // Sometimes through an inline fragment or twice (merged), as clients write them.
  if (rng.chance(0.15)) return `${parts.join(' ')} ... on ${typeName} { ${parts[0]} }`;
  return parts.join(' ');
}

function randomFilter(rng: Rng): string {
  const parts: string[] = [];
  if (rng.chance(0.2)) parts.push(`search: "${rng.pick(['a', 'SKU', '1', 'zz-none', 'B0'])}"`);
  if (rng.chance(0.2)) parts.push(`status: [${['ACTIVE', 'INACTIVE', 'ARCHIVED'].filter(() => rng.chance(0.5)).join(', ')}]`);
  if (rng.chance(0.1)) parts.push(`statusRaw: [${rng.pick(['"active"', '"Active"', '"archived", "Active"'])}]`);
  if (rng.chance(0.03)) parts.push('status: [OTHER]');
  if (rng.chance(0.2)) parts.push(`buyBoxStatus: [${rng.pick(['WON', 'LOST', 'UNKNOWN'])}]`);
  if (rng.chance(0.2)) parts.push(`marginBand: [${rng.pick(['NEGATIVE', 'BELOW_TARGET', 'HEALTHY', 'UNKNOWN'])}]`);
  if (rng.chance(0.2)) parts.push(`stockRisk: [${rng.pick(['HIGH', 'MEDIUM', 'LOW'])}]`);
  return parts.length ? `filter: { ${parts.join(', ')} }` : '';
}

function connectionQuery(rng: Rng, args: string): string {
  const node = selection(rng, 'Listing', 1);
  const parts = [`edges { cursor node { ${node} } }`];
  if (rng.chance(0.6)) parts.unshift('totalCount');
  parts.push('pageInfo { hasNextPage hasPreviousPage startCursor endCursor }');
  return `query Q { listings(${args}) { ${parts.join(' ')} } }`;
}

function sortedErrors(text: string): unknown {
  const body = JSON.parse(text) as { data?: unknown; errors?: Array<{ path?: unknown[] }> };
  return { data: body.data, errors: body.errors?.map((e) => JSON.stringify(e)).sort() };
}

describe.each(backends)('compiled read path on %s', (kind) => {
  let t: TestApp;
  let compiled: App;
  let resolvers: App;
  const now = new Date();
  const manifest = { ...loadManifest() };

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 40 });
    // NULLs, empty relations and ties the seed does not make on its own.
    const sql = (text: string) => t.db.prisma.$executeRawUnsafe(text);
    await sql(`UPDATE listings SET created_at = (SELECT min(created_at) FROM listings) WHERE id % 4 = 0`);
    await sql(`INSERT INTO listings (seller_sku, title, price_inc_vat, created_at, updated_at, marketplace_id)
      VALUES ('BARE-1', NULL, NULL, NULL, NULL, NULL), ('BARE-2', 'Tie', 10.50, (SELECT min(created_at) FROM listings), NULL, 1)`);
    await sql(`UPDATE listing_offer_current SET buy_box_percentage_30d = 50 WHERE listing_id % 3 = 0`);
    await sql(`DELETE FROM listing_offer_current WHERE listing_id % 7 = 0`);
    await sql(`UPDATE feature_store SET features_json = jsonb_set(features_json, '{margin}', '0.125') WHERE id % 5 = 0`);
    await sql(`DELETE FROM feature_store WHERE entity_id % 9 = 0`);
    await sql(`UPDATE recommendations SET confidence_score = NULL WHERE id % 6 = 0`);
    await sql(`UPDATE fee_snapshots SET captured_at = NULL WHERE id % 4 = 0`);
    await sql(`UPDATE boms SET is_active = false WHERE listing_id % 8 = 0`);
    await sql(`UPDATE components SET supplier_id = NULL WHERE id % 5 = 0`);
    // Legacy text the enums show as OTHER (and NULL), beside the known values.
    await sql(`UPDATE listings SET status = CASE WHEN id % 11 = 0 THEN 'Active' WHEN id % 10 = 0 THEN 'archived' WHEN id % 6 = 0 THEN 'inactive' ELSE status END`);
    await sql(`UPDATE listings SET status = NULL, fulfillment_channel = NULL WHERE seller_sku = 'BARE-1'`);
    await sql(`UPDATE listings SET fulfillment_channel = 'MFN' WHERE id % 13 = 0`);
    await sql(`UPDATE fee_snapshots SET fulfillment_channel = 'AFN' WHERE id % 7 = 0`);
    const viewers = new Map<string, Viewer>();
    const make = (compiledReads: boolean) =>
      createApp({
        db: t.db,
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        clock: () => now,
        graphiql: false,
        persistedOperations: manifest,
        viewerOverride: (request) => viewers.get(request.headers.get('x-test-viewer') ?? '') ?? TEST_ADMIN,
        compiledReads,
      });
    compiled = make(true);
    resolvers = make(false);
    viewerIds = (viewer) => {
      const id = `v${viewers.size + 1}`;
      viewers.set(id, viewer);
      return id;
    };
  }, 120_000);
  afterAll(() => t?.close());

  let viewerIds: (viewer: Viewer) => string;

  async function both(query: string, viewer: Viewer = TEST_ADMIN): Promise<{ compiledText: string; resolverText: string; usedCompiled: boolean }> {
    const id = viewerIds(viewer);
    const partner = viewer.role === 'partner';
    const hash = createHash('sha256').update(query).digest('hex');
    if (partner) manifest[hash] = query;
    const body = JSON.stringify(partner ? { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } } : { query });
    const send = async (app: App) =>
      (await app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-viewer': id }, body })).text();
    const before = compiledReadStats.compiled;
    const compiledText = await send(compiled);
    const usedCompiled = compiledReadStats.compiled > before;
    if (!usedCompiled && process.env.TEST_LOG_LEVEL) console.log('fallback:', compiledReadStats.lastFallbackReason);
    return { compiledText, resolverText: await send(resolvers), usedCompiled };
  }

  test('every field table entry names a field of the schema', () => {
    for (const [typeName, fields] of Object.entries({ ...DB_TYPES, ...JS_TYPES })) {
      const type = schema.getType(typeName);
      expect(isObjectType(type), typeName).toBe(true);
      for (const name of Object.keys(fields)) expect((type as GraphQLObjectType).getFields()[name], `${typeName}.${name}`).toBeDefined();
    }
  });

  test('the dashboard query: same bytes, one compiled statement (+ settings) for pages of 5, 50 and 100', async () => {
    const { readFileSync } = await import('node:fs');
    const dashboard = readFileSync(new URL('../operations/dashboard.graphql', import.meta.url), 'utf8');
    for (const first of [5, 50, 100]) {
      t.statements.length = 0;
      const response = await compiled.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: dashboard, variables: { first, orderBy: { field: 'MARGIN', direction: 'DESC' } } }),
      });
      const text = await response.text();
      expect(t.statements.length, `page of ${first}`).toBeLessThanOrEqual(6);
      const reference = await resolvers.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: dashboard, variables: { first, orderBy: { field: 'MARGIN', direction: 'DESC' } } }),
      });
      expect(text).toBe(await reference.text());
    }
  });

  test('random selections, orderings, filters and page sizes answer byte for byte what the resolvers answer', async () => {
    const rng = prng(kind === 'pglite' ? 1 : 2);
    let compiledCount = 0;
    for (let round = 0; round < 60; round++) {
      const order = `orderBy: { field: ${rng.pick(ORDER_FIELDS)}, direction: ${rng.pick(['ASC', 'DESC'])} }`;
      const filter = randomFilter(rng);
      const size = rng.pick([0, 1, 3, 7, 20, 100]);
      const query = connectionQuery(rng, [`first: ${size}`, order, filter].filter(Boolean).join(', '));
      const first = await both(query);
      expect(first.compiledText, query).toBe(first.resolverText);
      // Not compiled only when refused before execution (e.g. over the cost limit).
      if (first.usedCompiled) compiledCount++;
      else expect(JSON.parse(first.compiledText).errors, query).toBeDefined();
      const page = JSON.parse(first.compiledText).data?.listings?.pageInfo;
      if (page?.endCursor) {
        // The next page forwards and the previous page backwards from the cursors of this one.
        const next = await both(connectionQuery(rng, `first: ${rng.int(1, 9)}, after: "${page.endCursor}", ${order} ${filter}`));
        expect(next.compiledText).toBe(next.resolverText);
        const back = await both(connectionQuery(rng, `last: ${rng.int(1, 9)}, before: "${page.endCursor}", ${order} ${filter}`));
        expect(back.compiledText).toBe(back.resolverText);
      }
    }
    // The comparison proves something only if the compiled path really answered.
    expect(compiledCount).toBeGreaterThan(30);
  }, 300_000);

  test('listing by id and by seller SKU, including unknown and malformed ids', async () => {
    const rng = prng(7);
    const ids = (await t.db.prisma.$queryRawUnsafe<Array<{ id: number; seller_sku: string }>>('SELECT id, seller_sku FROM listings ORDER BY id')).slice(0, 12);
    const { encodeGlobalID } = await import('@pothos/plugin-relay');
    for (const row of ids) {
      for (const arg of [`id: "${encodeGlobalID('Listing', row.id)}"`, `sellerSku: "${row.seller_sku}"`]) {
        const r = await both(`{ listing(${arg}) { ${selection(rng, 'Listing', 1)} } }`);
        if (!r.usedCompiled) expect(JSON.parse(r.compiledText).errors).toBeDefined();
        expect(r.compiledText).toBe(r.resolverText);
      }
    }
    for (const arg of [`id: "${encodeGlobalID('Listing', 999999)}"`, `id: "${encodeGlobalID('Component', ids[0]!.id)}"`, 'id: "nope"', 'sellerSku: "NO-SUCH"', 'id: "x", sellerSku: "y"', '']) {
      const r = await both(`{ listing(${arg}) { id sellerSku } }`);
      expect(r.compiledText, arg).toBe(r.resolverText);
    }
  }, 120_000);

  test('a partner key (read scope, one marketplace) gets from the compiled path exactly what the policy path gives', async () => {
    const partner = viewerFor('partner', { marketplaceIds: [1] });
    const dashboardRole = viewerFor('dashboard');
    const rng = prng(11);
    let compiledAnswers = 0;
    for (let round = 0; round < 30; round++) {
      const viewer = round % 3 === 2 ? dashboardRole : partner;
      const order = `orderBy: { field: ${rng.pick(ORDER_FIELDS)}, direction: ${rng.pick(['ASC', 'DESC'])} }`;
      const query = connectionQuery(rng, `first: ${rng.pick([3, 20, 100])}, ${order}, ${randomFilter(rng)}`);
      const r = await both(query, viewer);
      if (r.usedCompiled) expect(r.compiledText, query).toBe(r.resolverText);
      // Both answered on the resolver path, whose FORBIDDEN errors arrive in the order their
      // loaders finish (on PostgreSQL's pool that varies): compare them as a set.
      else expect(sortedErrors(r.compiledText), query).toEqual(sortedErrors(r.resolverText));
      if (r.usedCompiled) {
        compiledAnswers++;
        // A compiled answer carries no error and only listings of the partner's marketplace.
        const body = JSON.parse(r.compiledText);
        expect(body.errors).toBeUndefined();
      }
    }
    expect(compiledAnswers).toBeGreaterThan(0);
    // Fields outside the partner's scopes are never compiled: the policy path answers FORBIDDEN.
    const refused = await both('{ listings(first: 5) { edges { node { sellerSku economics { margin } } } } }', partner);
    expect(refused.usedCompiled).toBe(false);
    expect(refused.compiledText).toContain('FORBIDDEN');
    // Every listing a partner sees through the compiled path is of its marketplace.
    const seen = await both('{ listings(first: 100) { totalCount edges { node { databaseId marketplace { databaseId } } } } }', partner);
    expect(seen.usedCompiled).toBe(true);
    expect(seen.compiledText).toBe(seen.resolverText);
    const nodes = JSON.parse(seen.compiledText).data.listings.edges.map((e: { node: { marketplace: { databaseId: number } | null } }) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n: { marketplace: { databaseId: number } | null }) => n.marketplace?.databaseId === 1)).toBe(true);
  }, 300_000);

  test('a selection outside the field table falls back to the resolver path, says why, and still answers', async () => {
    const r = await both('{ listings(first: 3) { edges { node { sellerSku salesSummary7d { days revenueIncVat } } } } }');
    expect(r.usedCompiled).toBe(false);
    expect(compiledReadStats.lastFallbackReason).toContain('Listing.salesSummary7d');
    expect(JSON.parse(r.compiledText).errors).toBeUndefined();
    expect(r.compiledText).toBe(r.resolverText);
  });

  test('cached economics never outlive their inputs: a price or cost change shows at once', async () => {
    const query = `{ listings(first: 10, orderBy: { field: SELLER_SKU, direction: ASC }) { edges { node { databaseId
      economics { priceExVat totalCostExVat profitExVat margin breakEvenPriceIncVat minMarginPriceIncVat }
      activeBom { costRollup { bomCostExVat } lines { lineCostExVat } } } } } }`;
    const before = await both(query);
    expect(before.usedCompiled).toBe(true);
    expect(before.compiledText).toBe(before.resolverText);
    await t.db.prisma.$executeRawUnsafe(`UPDATE listing_offer_current SET price_inc_vat = price_inc_vat + 1.11`);
    await t.db.prisma.$executeRawUnsafe(`UPDATE components SET unit_cost_ex_vat = unit_cost_ex_vat + 0.37`);
    const after = await both(query);
    expect(after.usedCompiled).toBe(true);
    expect(after.compiledText).toBe(after.resolverText);
    expect(after.compiledText).not.toBe(before.compiledText);
  });
});
