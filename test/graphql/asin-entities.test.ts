import { describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { READ_NOW, useReadSuite } from '../support/read-fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = READ_NOW;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe.each(backends)('reading ASIN entities and their Keepa and catalog snapshots (%s)', (kind) => {
  const s = useReadSuite(kind);

  describe('asinEntities', () => {
    it('lists every entity with totalCount and pages forwards and backwards with stable cursors', async () => {
      const all = await s.app.db.prisma.asinEntity.findMany({ orderBy: [{ asin: 'asc' }, { id: 'asc' }] });
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
        const data: any = await s.q(query, { first: 4, after });
        expect(data.asinEntities.totalCount).toBe(all.length);
        seen.push(...data.asinEntities.edges.map((e: any) => e.node.databaseId));
        if (!data.asinEntities.pageInfo.hasNextPage) break;
        after = data.asinEntities.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((e) => e.id));

      const backwards: number[] = [];
      let before: string | null = null;
      for (;;) {
        const data: any = await s.q(query, { last: 4, before });
        backwards.unshift(...data.asinEntities.edges.map((e: any) => e.node.databaseId));
        if (!data.asinEntities.pageInfo.hasPreviousPage) break;
        before = data.asinEntities.pageInfo.startCursor;
      }
      expect(backwards).toEqual(all.map((e) => e.id));
    });

    it('filters by search, marketplace, isTracked and hasListing', async () => {
      const ids = async (filter: Record<string, unknown>) => {
        const data: any = await s.q(`query($filter: AsinEntityFilter) { asinEntities(filter: $filter, first: 100) { totalCount edges { node { databaseId } } } }`, { filter });
        const list = data.asinEntities.edges.map((e: any) => e.node.databaseId).sort((a: number, b: number) => a - b);
        expect(data.asinEntities.totalCount).toBe(list.length);
        return list;
      };
      expect(await ids({ search: 'readbrandb' })).toEqual([s.fx.entityA, s.fx.entityA2]);
      expect(await ids({ search: 'b0rdbtest3' })).toEqual([s.fx.entityB]);
      expect(await ids({ search: 'unlinked GADGET' })).toEqual([s.fx.entityB]);

      const prisma = s.app.db.prisma;
      const inMarketplace = await prisma.asinEntity.findMany({ where: { marketplaceId: s.fx.marketplaceId }, orderBy: { id: 'asc' } });
      expect(await ids({ marketplaceId: gid('Marketplace', s.fx.marketplaceId) })).toEqual(inMarketplace.map((e) => e.id));

      const tracked = await prisma.asinEntity.findMany({ where: { isTracked: true }, orderBy: { id: 'asc' } });
      expect(await ids({ isTracked: true })).toEqual(tracked.map((e) => e.id));
      expect(await ids({ isTracked: true, search: 'ReadBrandB' })).toEqual([s.fx.entityA]);
      expect(await ids({ isTracked: false, search: 'ReadBrandB' })).toEqual([s.fx.entityA2]);

      const linked = await prisma.asinEntity.findMany({ where: { listingId: { not: null } }, orderBy: { id: 'asc' } });
      expect(await ids({ hasListing: true })).toEqual(linked.map((e) => e.id));
      expect(await ids({ hasListing: false, search: 'B0RDBTEST' })).toEqual([s.fx.entityB]);
    });

    it('rejects a marketplaceId that is not a Marketplace global ID', async () => {
      for (const bad of ['nope', gid('Listing', s.fx.listingA)]) {
        const result = await s.app.gql(`query($filter: AsinEntityFilter) { asinEntities(filter: $filter) { totalCount } }`, { filter: { marketplaceId: bad } });
        expect(result.errors?.[0]?.message).toMatch(/^filter\.marketplaceId must be a Marketplace ID/);
      }
    });

    it('resolves the entity fields, snapshots (latest first) and relations', async () => {
      const data: any = await s.q(
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
        { id: gid('AsinEntity', s.fx.entityA) },
      );
      const e = data.node;
      expect(e).toMatchObject({ id: gid('AsinEntity', s.fx.entityA), databaseId: s.fx.entityA, asin: 'B0RDBTEST1', title: 'Read-B widget', brand: 'ReadBrandB', isTracked: true });
      expect(new Date(e.trackedAt).getTime()).toBe(at(-DAY).getTime());
      expect(e.marketplace.id).toBe(gid('Marketplace', s.fx.marketplaceId));
      expect(e.listing.databaseId).toBe(s.fx.listingA);
      expect(e.boms).toEqual([]);

      const keepa = await s.app.db.prisma.keepaSnapshot.findMany({ where: { asinEntityId: s.fx.entityA }, orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }] });
      expect(e.keepaSnapshots.totalCount).toBe(4);
      expect(e.keepaSnapshots.edges.map((x: any) => x.node.databaseId)).toEqual(keepa.slice(0, 3).map((k) => k.id));
      expect(e.keepaSnapshots.edges[0].node).toMatchObject({ databaseId: s.fx.keepaLatest, rawJson: { tag: 'k4' }, parsedJson: { metrics: { tag: 'k4' } }, asinEntity: { databaseId: s.fx.entityA } });
      expect(e.keepaSnapshots.pageInfo.hasNextPage).toBe(true);
      expect(e.latestKeepaSnapshot).toEqual({ databaseId: s.fx.keepaLatest, rawJson: { tag: 'k4' } });
      expect(e.catalogSnapshots.totalCount).toBe(2);
      expect(e.catalogSnapshots.edges.map((x: any) => x.node.parsedJson.title)).toEqual(['c2', 'c1']);
      expect(e.latestCatalogSnapshot).toEqual({ databaseId: s.fx.catalogLatest, parsedJson: { title: 'c2' } });
      expect(e.latestFeatures).toEqual({
        databaseId: s.fx.asinFeature,
        entityType: 'ASIN',
        entityId: s.fx.entityA,
        asin: 'B0RDBTEST1',
        priceCurrent: '24',
        salesRankCurrent: 1234,
        hasScenarioBom: true,
        opportunityProfit: '11',
        opportunityMargin: '0.55',
      });

      // The rest of the keepa page follows the cursor.
      const next: any = await s.q(`query($id: ID!, $after: String) { node(id: $id) { ... on AsinEntity { keepaSnapshots(first: 3, after: $after) { edges { node { databaseId } } } } } }`, {
        id: gid('AsinEntity', s.fx.entityA),
        after: e.keepaSnapshots.pageInfo.endCursor,
      });
      expect(next.node.keepaSnapshots.edges.map((x: any) => x.node.databaseId)).toEqual([keepa[3]!.id]);
    });

    it('latest snapshots match the database for every entity of a page', async () => {
      const data: any = await s.q(`{ asinEntities(first: 100) { edges { node { databaseId
        latestKeepaSnapshot { databaseId asinEntity { databaseId } } latestCatalogSnapshot { databaseId } } } } }`);
      expect(data.asinEntities.edges.length).toBeGreaterThan(3);
      for (const { node } of data.asinEntities.edges) {
        const order = [{ capturedAt: 'desc' as const }, { id: 'desc' as const }];
        const keepa = await s.app.db.prisma.keepaSnapshot.findFirst({ where: { asinEntityId: node.databaseId }, orderBy: order });
        const catalog = await s.app.db.prisma.amazonCatalogSnapshot.findFirst({ where: { asinEntityId: node.databaseId }, orderBy: order });
        expect(node.latestKeepaSnapshot).toEqual(keepa ? { databaseId: keepa.id, asinEntity: { databaseId: node.databaseId } } : null);
        expect(node.latestCatalogSnapshot).toEqual(catalog ? { databaseId: catalog.id } : null);
      }
    });

    it('links Listing.asinEntity to the most recent entity of the listing', async () => {
      const data: any = await s.q(`query($a: ID!, $b: ID!) {
        a: node(id: $a) { ... on Listing { asinEntity { databaseId asin } } }
        b: node(id: $b) { ... on Listing { asinEntity { databaseId } } }
      }`, { a: gid('Listing', s.fx.listingA), b: gid('Listing', s.fx.listingB) });
      expect(data.a.asinEntity).toEqual({ databaseId: s.fx.entityA2, asin: 'B0RDBTEST2' });
      const expectedB = await s.app.db.prisma.asinEntity.findFirst({ where: { listingId: s.fx.listingB }, orderBy: { id: 'desc' } });
      expect(data.b.asinEntity).toEqual(expectedB ? { databaseId: expectedB.id } : null);
    });
  });
});
