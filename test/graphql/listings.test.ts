import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.js';
import { gidOfText } from '../support/global-id.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

const LISTING_FIELDS = `
  id databaseId sellerSku title status createdAt
  marketplace { id }
  offer { buyBoxStatus buyBoxPercentage30d }
  latestFeatures { margin profitExVat units30d stockoutRisk }
`;

const LISTINGS = `query Listings($first: Int, $after: String, $last: Int, $before: String, $filter: ListingFilter, $orderBy: ListingOrder) {
  listings(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${LISTING_FIELDS} } }
  }
}`;

type Node = {
  id: string;
  databaseId: number;
  sellerSku: string;
  title: string | null;
  status: string | null;
  createdAt: string | null;
  marketplace: { id: string } | null;
  offer: { buyBoxStatus: string | null; buyBoxPercentage30d: string | null } | null;
  latestFeatures: { margin: string | null; profitExVat: string | null; units30d: number | null; stockoutRisk: string | null } | null;
};
type Connection = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: Node }>;
};

const LISTING_COUNT = 30;

describe.each(backends)('listings root query on %s', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: LISTING_COUNT });
    // Make sure every nullable ordering key is null somewhere (the seed alone may not do it):
    // two listings without features, one offer without a Buy Box share, one listing without a date.
    await t.db.driver.withSession(async (s) => {
      const ids = (await s.query<{ id: number }>('SELECT id FROM listings ORDER BY id')).rows.map((r) => Number(r.id));
      await s.query(`DELETE FROM feature_store WHERE entity_type = 'LISTING' AND entity_id = ANY($1::int[])`, [[ids[2], ids[9]]]);
      await s.query(`UPDATE listing_offer_current SET buy_box_percentage_30d = NULL WHERE listing_id = (SELECT min(listing_id) FROM listing_offer_current)`);
      await s.query('UPDATE listings SET created_at = NULL WHERE id = $1', [ids[4]]);
    });
  });
  afterAll(() => t?.close());

  async function listings(variables: Record<string, unknown>): Promise<Connection> {
    const result = await t.gql<{ listings: Connection }>(LISTINGS, variables);
    expect(result.errors).toBeUndefined();
    return result.data!.listings;
  }

  async function all(variables: Record<string, unknown> = {}): Promise<Node[]> {
    return (await listings({ ...variables, first: 100 })).edges.map((e) => e.node);
  }

  test('totalCount and the default order (newest first) match the database', async () => {
    const rows = await t.db.driver.withSession((s) =>
      s.query<{ id: number }>('SELECT id FROM listings ORDER BY created_at DESC NULLS LAST, id DESC'),
    );
    const page = await listings({ first: 100 });
    expect(page.totalCount).toBe(LISTING_COUNT);
    expect(page.edges.map((e) => e.node.databaseId)).toEqual(rows.rows.map((r) => Number(r.id)));
  });

  test('forward pagination visits every listing once, in order', async () => {
    const expected = (await all()).map((n) => n.databaseId);
    const seen: number[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Connection = await listings({ first: 7, after });
      seen.push(...page.edges.map((e) => e.node.databaseId));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
  });

  test('backward pagination visits every listing once, in order', async () => {
    const expected = (await all({ orderBy: { field: 'MARGIN', direction: 'DESC' } })).map((n) => n.databaseId);
    const pages: number[][] = [];
    let before: string | null = null;
    for (;;) {
      const page: Connection = await listings({ last: 8, before, orderBy: { field: 'MARGIN', direction: 'DESC' } });
      pages.unshift(page.edges.map((e) => e.node.databaseId));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(pages.flat()).toEqual(expected);
  });

  test('cursors stay stable when a listing is added between two pages', async () => {
    const first = await listings({ first: 10, orderBy: { field: 'SELLER_SKU', direction: 'ASC' } });
    await t.db.prisma.listing.create({ data: { sellerSku: 'AAA-INSERTED-FIRST', title: 'inserted' } });
    const rest = await all({ after: first.pageInfo.endCursor, orderBy: { field: 'SELLER_SKU', direction: 'ASC' } });
    const skus = [...first.edges.map((e) => e.node.sellerSku), ...rest.map((n) => n.sellerSku)];
    expect(new Set(skus).size).toBe(skus.length);
    expect(skus).toEqual([...skus].sort());
    expect(skus).not.toContain('AAA-INSERTED-FIRST');
    await t.db.prisma.listing.deleteMany({ where: { sellerSku: 'AAA-INSERTED-FIRST' } });
  });

  const numeric = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value));
  const orderings: Array<[string, (n: Node) => number | string | null]> = [
    ['MARGIN', (n) => numeric(n.latestFeatures?.margin)],
    ['PROFIT_PER_UNIT', (n) => numeric(n.latestFeatures?.profitExVat)],
    ['UNITS_30D', (n) => numeric(n.latestFeatures?.units30d)],
    ['BUY_BOX_PERCENTAGE', (n) => numeric(n.offer?.buyBoxPercentage30d)],
    ['CREATED_AT', (n) => (n.createdAt ? Date.parse(n.createdAt) : null)],
    ['SELLER_SKU', (n) => n.sellerSku],
  ];

  test.each(orderings)('orders by %s in both directions, nulls last', async (field, value) => {
    for (const direction of ['ASC', 'DESC'] as const) {
      const values = (await all({ orderBy: { field, direction } })).map(value);
      expect(values).toHaveLength(LISTING_COUNT);
      const present = values.filter((v) => v !== null);
      // The fixture guarantees both cases: several distinct keys, and nulls for every nullable key.
      expect(new Set(present).size).toBeGreaterThan(1);
      expect(present.length < LISTING_COUNT).toBe(field !== 'SELLER_SKU');
      const sorted = [...present].sort((a, b) => (a! < b! ? -1 : a! > b! ? 1 : 0));
      expect(values).toEqual([...(direction === 'ASC' ? sorted : sorted.reverse()), ...values.filter((v) => v === null)]);
    }
  });

  test('search matches seller SKU, ASIN and title, case-insensitively', async () => {
    const [sample] = await all();
    const bySku = await all({ filter: { search: sample!.sellerSku.toLowerCase() } });
    expect(bySku.map((n) => n.databaseId)).toEqual([sample!.databaseId]);
    const word = sample!.title!.split(' ')[0]!;
    const byTitle = await all({ filter: { search: word.toUpperCase() } });
    expect(byTitle.length).toBeGreaterThan(0);
    expect(byTitle.every((n) => n.title!.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    const none = await all({ filter: { search: '%_no-such-listing_%' } });
    expect(none).toEqual([]);
  });

  test('filters by marketplace, status and Buy Box status', async () => {
    const everything = await all();
    const marketplaceId = everything.find((n) => n.marketplace)!.marketplace!.id;
    const inMarketplace = await all({ filter: { marketplaceId } });
    expect(inMarketplace.map((n) => n.databaseId).sort()).toEqual(
      everything.filter((n) => n.marketplace?.id === marketplaceId).map((n) => n.databaseId).sort(),
    );
    const active = await all({ filter: { status: ['ACTIVE'] } });
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBe(everything.filter((n) => n.status === 'ACTIVE').length);
    // statusRaw matches the stored text exactly (legacy values); with status, both must match.
    expect((await all({ filter: { statusRaw: ['active'] } })).length).toBe(active.length);
    expect((await all({ filter: { status: ['ACTIVE'], statusRaw: ['inactive'] } })).length).toBe(0);
    // The old lower-case strings are not enum values: refused, not silently empty.
    const lower = await t.gql('{ listings(filter: { status: [active] }) { totalCount } }');
    expect(lower.errors?.[0]?.message).toMatch(/ListingStatus/);
    const other = await t.gql('{ listings(filter: { status: [OTHER] }) { totalCount } }');
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'listings.filter.status' });
    for (const status of ['WON', 'LOST', 'UNKNOWN']) {
      const found = await all({ filter: { buyBoxStatus: [status] } });
      const expected = everything.filter((n) => (n.offer?.buyBoxStatus ?? 'UNKNOWN') === status);
      expect(found.map((n) => n.databaseId).sort()).toEqual(expected.map((n) => n.databaseId).sort());
    }
  });

  test('filters by margin band and stock risk from the latest features', async () => {
    const everything = await all();
    const settings = await t.gql<{ settings: { guardrails: { minMargin: string } } }>('{ settings { guardrails { minMargin } } }');
    const min = Number(settings.data!.settings.guardrails.minMargin);
    const band = (n: Node) => {
      const m = numeric(n.latestFeatures?.margin);
      return m === null ? 'UNKNOWN' : m < 0 ? 'NEGATIVE' : m < min ? 'BELOW_TARGET' : 'HEALTHY';
    };
    let total = 0;
    for (const marginBand of ['NEGATIVE', 'BELOW_TARGET', 'HEALTHY', 'UNKNOWN']) {
      const found = await all({ filter: { marginBand: [marginBand] } });
      expect(found.map((n) => n.databaseId).sort()).toEqual(everything.filter((n) => band(n) === marginBand).map((n) => n.databaseId).sort());
      total += found.length;
    }
    expect(total).toBe(LISTING_COUNT);
    const risky = await all({ filter: { stockRisk: ['HIGH', 'MEDIUM'] } });
    expect(risky.map((n) => n.databaseId).sort()).toEqual(
      everything.filter((n) => ['HIGH', 'MEDIUM'].includes(n.latestFeatures?.stockoutRisk ?? '')).map((n) => n.databaseId).sort(),
    );
    for (const empty of [{ status: [] }, { buyBoxStatus: [] }, { marginBand: [] }, { stockRisk: [] }]) {
      expect((await listings({ first: 5, filter: empty })).totalCount).toBe(0);
    }
    const combined = await listings({ first: 5, filter: { status: ['ACTIVE'], buyBoxStatus: ['WON'] } });
    expect(combined.totalCount).toBe(everything.filter((n) => n.status === 'ACTIVE' && n.offer?.buyBoxStatus === 'WON').length);
  });

  test('a page larger than 100 is refused with a clear message', async () => {
    const result = await t.gql(LISTINGS, { first: 101 });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toBe('Argument "first" of field "listings" must be between 0 and 100; got 101.');
    const last = await t.gql('{ listings(last: 500) { totalCount } }');
    expect(last.errors?.[0]?.extensions?.code).toBe('PAGE_SIZE_EXCEEDED');
  });

  test('malformed filters and cursors are validation errors naming the argument', async () => {
    const badCursor = await t.gql(LISTINGS, { first: 5, after: 'not-a-cursor' });
    expect(badCursor.errors?.[0]?.message).toBe('after is not a cursor of this connection');
    // A cursor of another ordering, or one whose key cannot be cast back, is refused (not a SQL error).
    const byDate = await listings({ first: 3, orderBy: { field: 'CREATED_AT', direction: 'DESC' } });
    const foreign = await t.gql(LISTINGS, { first: 3, after: byDate.pageInfo.endCursor, orderBy: { field: 'MARGIN', direction: 'DESC' } });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors?.[0]?.message).toBe('after is not a cursor of this connection');
    const forged = Buffer.from(JSON.stringify({ f: 'MARGIN', d: 'DESC', k: 'abc', id: 1 })).toString('base64url');
    const forgedResult = await t.gql(LISTINGS, { first: 3, after: forged, orderBy: { field: 'MARGIN', direction: 'DESC' } });
    expect(forgedResult.errors?.[0]?.message).toBe('after is not a cursor of this connection');
    // A cursor against the paging direction is refused rather than silently ignored.
    const mixed = await t.gql(LISTINGS, { first: 3, before: byDate.pageInfo.endCursor });
    expect(mixed.errors?.[0]?.extensions?.argument).toBe('before');
    const mixedBack = await t.gql(LISTINGS, { last: 3, after: byDate.pageInfo.endCursor });
    expect(mixedBack.errors?.[0]?.extensions?.argument).toBe('after');
    const badMarketplace = await t.gql(LISTINGS, { first: 5, filter: { marketplaceId: 'TGlzdGluZzox' } });
    expect(badMarketplace.errors?.[0]?.message).toMatch(/^filter\.marketplaceId must be a Marketplace ID/);
    const emptyMarketplace = await t.gql(LISTINGS, { first: 5, filter: { marketplaceId: '' } });
    expect(emptyMarketplace.errors?.[0]?.extensions?.argument).toBe('filter.marketplaceId');
    const badEnum = await t.gql(LISTINGS, { first: 5, filter: { marginBand: ['HUGE'] } });
    expect(badEnum.errors?.[0]?.message).toMatch(/marginBand/);
  });

  test('listing by id or by seller SKU; unknown, foreign or malformed ids give null', async () => {
    const [sample] = await all();
    const byId = await t.gql(`query($id: ID!) { listing(id: $id) { sellerSku } node(id: $id) { ... on Listing { databaseId } } }`, { id: sample!.id });
    expect(byId.data).toEqual({ listing: { sellerSku: sample!.sellerSku }, node: { databaseId: sample!.databaseId } });
    const bySku = await t.gql(`query($sku: String!) { listing(sellerSku: $sku) { id } }`, { sku: sample!.sellerSku });
    expect(bySku.data.listing.id).toBe(sample!.id);
    const unknownId = gidOfText('Listing:99999999');
    const foreignId = gidOfText('Marketplace:1');
    for (const id of [unknownId, foreignId, 'garbage', gidOfText('Listing:abc'), gidOfText('Nope:1')]) {
      const result = await t.gql(`query($id: ID!) { listing(id: $id) { id } node(id: $id) { id } }`, { id });
      expect(result.errors).toBeUndefined();
      // listing(id:) wants a Listing id; node(id:) loads any node type (the marketplace here).
      expect(result.data).toEqual({ listing: null, node: id === foreignId ? { id: foreignId } : null });
    }
    const nodes = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [sample!.id, 'garbage', unknownId] });
    expect(nodes.data.nodes).toEqual([{ id: sample!.id }, null, null]);
  });
});
