import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { buildReadFixture, type Fixture } from '../support/read-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The request clock of every query in this file (seeded data is relative to today as well). */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe.each(backends)('reading ASIN entities and their Keepa and catalog snapshots (%s)', (kind) => {
  let app: TestApp;
  let fx: Fixture;

  async function q<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  }

  beforeAll(async () => {
    app = await createTestApp(kind, { seedListings: 15, clock: () => NOW });
    fx = await buildReadFixture(app, NOW);
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('asinEntities', () => {
    it('lists every entity with totalCount and pages forwards and backwards with stable cursors', async () => {
      const all = await app.db.prisma.asinEntity.findMany({ orderBy: [{ asin: 'asc' }, { id: 'asc' }] });
      expect(all.length).toBeGreaterThan(3);
      const query = `query($first: Int, $after: String, $last: Int, $before: String) {
        asinEntities(first: $first, after: $after, last: $last, before: $before) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { databaseId asin } }
        }
      }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await q(query, { first: 4, after });
        expect(data.asinEntities.totalCount).toBe(all.length);
        seen.push(...data.asinEntities.edges.map((e: any) => e.node.databaseId));
        if (!data.asinEntities.pageInfo.hasNextPage) break;
        after = data.asinEntities.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((e) => e.id));

      const backwards: number[] = [];
      let before: string | null = null;
      for (;;) {
        const data: any = await q(query, { last: 4, before });
        backwards.unshift(...data.asinEntities.edges.map((e: any) => e.node.databaseId));
        if (!data.asinEntities.pageInfo.hasPreviousPage) break;
        before = data.asinEntities.pageInfo.startCursor;
      }
      expect(backwards).toEqual(all.map((e) => e.id));
    });

    it('filters by search, marketplace, isTracked and hasListing', async () => {
      const ids = async (filter: Record<string, unknown>) => {
        const data: any = await q(`query($filter: AsinEntityFilter) { asinEntities(filter: $filter, first: 100) { totalCount edges { node { databaseId } } } }`, { filter });
        const list = data.asinEntities.edges.map((e: any) => e.node.databaseId).sort((a: number, b: number) => a - b);
        expect(data.asinEntities.totalCount).toBe(list.length);
        return list;
      };
      expect(await ids({ search: 'readbrandb' })).toEqual([fx.entityA, fx.entityA2]);
      expect(await ids({ search: 'b0rdbtest3' })).toEqual([fx.entityB]);
      expect(await ids({ search: 'unlinked GADGET' })).toEqual([fx.entityB]);

      const prisma = app.db.prisma;
      const inMarketplace = await prisma.asinEntity.findMany({ where: { marketplaceId: fx.marketplaceId }, orderBy: { id: 'asc' } });
      expect(await ids({ marketplaceId: gid('Marketplace', fx.marketplaceId) })).toEqual(inMarketplace.map((e) => e.id));

      const tracked = await prisma.asinEntity.findMany({ where: { isTracked: true }, orderBy: { id: 'asc' } });
      expect(await ids({ isTracked: true })).toEqual(tracked.map((e) => e.id));
      expect(await ids({ isTracked: true, search: 'ReadBrandB' })).toEqual([fx.entityA]);
      expect(await ids({ isTracked: false, search: 'ReadBrandB' })).toEqual([fx.entityA2]);

      const linked = await prisma.asinEntity.findMany({ where: { listingId: { not: null } }, orderBy: { id: 'asc' } });
      expect(await ids({ hasListing: true })).toEqual(linked.map((e) => e.id));
      expect(await ids({ hasListing: false, search: 'B0RDBTEST' })).toEqual([fx.entityB]);
    });

    it('rejects a marketplaceId that is not a Marketplace global ID', async () => {
      for (const bad of ['nope', gid('Listing', fx.listingA)]) {
        const result = await app.gql(`query($filter: AsinEntityFilter) { asinEntities(filter: $filter) { totalCount } }`, { filter: { marketplaceId: bad } });
        expect(result.errors?.[0]?.message).toMatch(/^filter\.marketplaceId must be a Marketplace ID/);
      }
    });

    it('resolves the entity fields, snapshots (latest first) and relations', async () => {
      const data: any = await q(
        `query($id: ID!) { node(id: $id) { ... on AsinEntity {
          id databaseId asin title brand isTracked trackedAt
          marketplace { id }
          listing { databaseId }
          boms { id }
          keepaSnapshots(first: 3) { totalCount edges { node { databaseId capturedAt rawJson parsedJson asinEntity { databaseId } } } pageInfo { hasNextPage endCursor } }
          catalogSnapshots { totalCount edges { node { databaseId parsedJson } } }
          latestKeepaSnapshot { databaseId rawJson }
          latestCatalogSnapshot { databaseId parsedJson }
          latestFeatures { databaseId entityType entityId asin priceCurrent salesRankCurrent hasScenarioBom opportunityProfit opportunityMargin }
        } } }`,
        { id: gid('AsinEntity', fx.entityA) },
      );
      const e = data.node;
      expect(e).toMatchObject({ id: gid('AsinEntity', fx.entityA), databaseId: fx.entityA, asin: 'B0RDBTEST1', title: 'Read-B widget', brand: 'ReadBrandB', isTracked: true });
      expect(new Date(e.trackedAt).getTime()).toBe(at(-DAY).getTime());
      expect(e.marketplace.id).toBe(gid('Marketplace', fx.marketplaceId));
      expect(e.listing.databaseId).toBe(fx.listingA);
      expect(e.boms).toEqual([]);

      const keepa = await app.db.prisma.keepaSnapshot.findMany({ where: { asinEntityId: fx.entityA }, orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }] });
      expect(e.keepaSnapshots.totalCount).toBe(4);
      expect(e.keepaSnapshots.edges.map((x: any) => x.node.databaseId)).toEqual(keepa.slice(0, 3).map((k) => k.id));
      expect(e.keepaSnapshots.edges[0].node).toMatchObject({ databaseId: fx.keepaLatest, rawJson: { tag: 'k4' }, parsedJson: { metrics: { tag: 'k4' } }, asinEntity: { databaseId: fx.entityA } });
      expect(e.keepaSnapshots.pageInfo.hasNextPage).toBe(true);
      expect(e.latestKeepaSnapshot).toEqual({ databaseId: fx.keepaLatest, rawJson: { tag: 'k4' } });
      expect(e.catalogSnapshots.totalCount).toBe(2);
      expect(e.catalogSnapshots.edges.map((x: any) => x.node.parsedJson.title)).toEqual(['c2', 'c1']);
      expect(e.latestCatalogSnapshot).toEqual({ databaseId: fx.catalogLatest, parsedJson: { title: 'c2' } });
      expect(e.latestFeatures).toEqual({
        databaseId: fx.asinFeature,
        entityType: 'ASIN',
        entityId: fx.entityA,
        asin: 'B0RDBTEST1',
        priceCurrent: '24',
        salesRankCurrent: 1234,
        hasScenarioBom: true,
        opportunityProfit: '11',
        opportunityMargin: '0.55',
      });

      // The rest of the keepa page follows the cursor.
      const next: any = await q(`query($id: ID!, $after: String) { node(id: $id) { ... on AsinEntity { keepaSnapshots(first: 3, after: $after) { edges { node { databaseId } } } } } }`, {
        id: gid('AsinEntity', fx.entityA),
        after: e.keepaSnapshots.pageInfo.endCursor,
      });
      expect(next.node.keepaSnapshots.edges.map((x: any) => x.node.databaseId)).toEqual([keepa[3]!.id]);
    });

    it('latest snapshots match the database for every entity of a page', async () => {
      const data: any = await q(`{ asinEntities(first: 100) { edges { node { databaseId
        latestKeepaSnapshot { databaseId asinEntity { databaseId } } latestCatalogSnapshot { databaseId } } } } }`);
      expect(data.asinEntities.edges.length).toBeGreaterThan(3);
      for (const { node } of data.asinEntities.edges) {
        const order = [{ capturedAt: 'desc' as const }, { id: 'desc' as const }];
        const keepa = await app.db.prisma.keepaSnapshot.findFirst({ where: { asinEntityId: node.databaseId }, orderBy: order });
        const catalog = await app.db.prisma.amazonCatalogSnapshot.findFirst({ where: { asinEntityId: node.databaseId }, orderBy: order });
        expect(node.latestKeepaSnapshot).toEqual(keepa ? { databaseId: keepa.id, asinEntity: { databaseId: node.databaseId } } : null);
        expect(node.latestCatalogSnapshot).toEqual(catalog ? { databaseId: catalog.id } : null);
      }
    });

    it('links Listing.asinEntity to the most recent entity of the listing', async () => {
      const data: any = await q(`query($a: ID!, $b: ID!) {
        a: node(id: $a) { ... on Listing { asinEntity { databaseId asin } } }
        b: node(id: $b) { ... on Listing { asinEntity { databaseId } } }
      }`, { a: gid('Listing', fx.listingA), b: gid('Listing', fx.listingB) });
      expect(data.a.asinEntity).toEqual({ databaseId: fx.entityA2, asin: 'B0RDBTEST2' });
      const expectedB = await app.db.prisma.asinEntity.findFirst({ where: { listingId: fx.listingB }, orderBy: { id: 'desc' } });
      expect(data.b.asinEntity).toEqual(expectedB ? { databaseId: expectedB.id } : null);
    });
  });
});
