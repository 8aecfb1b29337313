import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { createTestApp, viewerFor, type TestApp } from '../support/graphql.js';
import { createAsinEntity, createListing, createRecommendation } from '../mutations/fixtures.js';

/**
 * recommendationsConnection / featureHistoryConnection under a listing and an ASIN entity: every
 * row reachable with cursors, in the list fields' order, with totalCount and the same filters.
 */
const NOW = new Date('2026-05-01T12:00:00.000Z');
const HOUR = 3_600_000;

describe.each(backends)('history connections (%s)', (kind) => {
  let app: TestApp;
  let listingId: number;
  let asinEntityId: number;
  const recIds: number[] = [];
  const featureIds: number[] = [];

  beforeAll(async () => {
    app = await createTestApp(kind, { clock: () => NOW });
    ({ listingId } = await createListing(app.db.prisma));
    asinEntityId = await createAsinEntity(app.db.prisma, listingId);
    for (let i = 0; i < 7; i++) {
      recIds.push(
        await createRecommendation(app.db.prisma, {
          listingId,
          status: i % 3 === 0 ? 'REJECTED' : 'PENDING',
          generatedAt: new Date(NOW.getTime() - (i + 1) * HOUR),
          expiresAt: new Date(NOW.getTime() + 7 * 24 * HOUR),
        }),
      );
    }
    for (let i = 0; i < 5; i++) {
      for (const [entityType, entityId] of [['LISTING', listingId], ['ASIN', asinEntityId]] as const) {
        const row = await app.db.prisma.featureSnapshot.create({
          data: { entityType, entityId, featureVersion: i < 3 ? 1 : 2, computedAt: new Date(NOW.getTime() - i * HOUR), featuresJson: { margin: '0.2' } },
        });
        if (entityType === 'LISTING') featureIds.push(row.id);
      }
    }
  });
  afterAll(async () => app?.close());

  /** Follows endCursor until hasNextPage is false; returns every node's databaseId and the totalCounts seen. */
  async function pageThrough(field: string, args: string, size: number, id = gid('Listing', listingId)) {
    const ids: number[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const r: any = await app.gql(
        `query($id: ID!, $after: String) { node(id: $id) { ... on Listing { c: ${field}(first: ${size}, after: $after${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { databaseId } } } } ... on AsinEntity { c: ${field}(first: ${size}, after: $after${args}) { totalCount pageInfo { hasNextPage endCursor } edges { node { databaseId } } } } } }`,
        { id, after },
      );
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      const c = r.data.node.c;
      totals.add(c.totalCount);
      ids.push(...c.edges.map((e: any) => e.node.databaseId));
      if (!c.pageInfo.hasNextPage) return { ids, totals: [...totals] };
      after = c.pageInfo.endCursor;
    }
    throw new Error('did not reach the last page');
  }

  it('recommendationsConnection reaches every recommendation in the list field\'s order, with totalCount and the status filter', async () => {
    const list: any = await app.gql(`query($id: ID!) { listing(id: $id) { recommendations(first: 100, orderBy: GENERATED_AT_DESC) { databaseId } } }`, { id: gid('Listing', listingId) });
    const expected = list.data.listing.recommendations.map((r: any) => r.databaseId);
    expect([...expected].sort()).toEqual([...recIds].sort());
    expect(await pageThrough('recommendationsConnection', ', orderBy: GENERATED_AT_DESC', 3)).toEqual({ ids: expected, totals: [7] });
    const pending = await pageThrough('recommendationsConnection', ', status: [PENDING], orderBy: GENERATED_AT_DESC', 2);
    expect(pending.totals).toEqual([4]);
    expect(pending.ids).toEqual(expected.filter((id: number) => recIds.indexOf(id) % 3 !== 0));
  });

  it('featureHistoryConnection pages newest first for a listing and an ASIN entity, and filters by feature version', async () => {
    expect(await pageThrough('featureHistoryConnection', '', 2)).toEqual({ ids: featureIds, totals: [5] });
    expect(await pageThrough('featureHistoryConnection', ', featureVersion: 2', 1)).toEqual({ ids: featureIds.slice(3), totals: [2] });
    const asin = await pageThrough('featureHistoryConnection', '', 4, gid('AsinEntity', asinEntityId));
    expect(asin.totals).toEqual([5]);
    expect(asin.ids).toHaveLength(5);
  });

  it('a partner key of another marketplace reaches no recommendation through the connection', async () => {
    const { marketplaceId } = await app.db.prisma.listing.findUniqueOrThrow({ where: { id: listingId } });
    const other = await app.db.prisma.marketplace.findFirstOrThrow({ where: { id: { not: marketplaceId! } } });
    const partner = viewerFor('partner', { marketplaceIds: [other.id] });
    const query = `query($id: ID!) { listing(id: $id) { recommendationsConnection(first: 10) { totalCount } } }`;
    const r: any = await app.gql(query, { id: gid('Listing', listingId) }, partner);
    expect(r.data?.listing ?? null).toBeNull();
  });
});
