// Read paths of slice B: ASIN entities and snapshots, feature store, recommendations, jobs and
// listing events — root connections, nested fields on Listing / AsinEntity, filters, cursors, and
// the statement counts that prove nested paths batch instead of fanning out per row.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionState, effectiveStatus } from '../../src/domain/recommendation-lifecycle.js';
import type { Recommendation } from '../../src/generated/prisma/client.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The request clock of every query in this file (seeded data is relative to today as well). */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

const gid = (typename: string, id: number) => encodeGlobalID(typename, id);

interface Fixture {
  listingA: number;
  listingB: number;
  marketplaceId: number;
  entityA: number;
  entityA2: number;
  entityB: number;
  keepaLatest: number;
  catalogLatest: number;
  featureTieWinner: number;
  featureOlderV2: number;
  asinFeature: number;
  recs: Record<string, number>;
  jobA: number;
  jobB: number;
  correlationId: string;
}

/** Recommendations in the order the root CONFIDENCE_SCORE_DESC default sorts them. */
function sortByConfidence(rows: Recommendation[]): Recommendation[] {
  return [...rows].sort((a, b) => {
    if (a.confidenceScore == null && b.confidenceScore != null) return 1;
    if (a.confidenceScore != null && b.confidenceScore == null) return -1;
    if (a.confidenceScore != null && b.confidenceScore != null) {
      const c = b.confidenceScore.comparedTo(a.confidenceScore);
      if (c !== 0) return c;
    }
    return b.generatedAt.getTime() - a.generatedAt.getTime() || b.id - a.id;
  });
}

describe.each(backends)('read paths B on %s', (kind) => {
  let app: TestApp;
  let fx: Fixture;

  async function q<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  }

  async function buildFixture(): Promise<Fixture> {
    const prisma = app.db.prisma;
    const listings = await prisma.listing.findMany({ orderBy: { id: 'asc' }, take: 2 });
    const [listingA, listingB] = listings.map((l) => l.id) as [number, number];
    const marketplace = await prisma.marketplace.findFirstOrThrow({ orderBy: { id: 'asc' } });

    const entityA = await prisma.asinEntity.create({
      data: { asin: 'B0RDBTEST1', marketplaceId: marketplace.id, title: 'Read-B widget', brand: 'ReadBrandB', listingId: listingA, isTracked: true, trackedAt: at(-DAY) },
    });
    const entityA2 = await prisma.asinEntity.create({
      data: { asin: 'B0RDBTEST2', marketplaceId: marketplace.id, title: 'Read-B widget v2', brand: 'ReadBrandB', listingId: listingA, isTracked: false },
    });
    const entityB = await prisma.asinEntity.create({
      data: { asin: 'B0RDBTEST3', marketplaceId: marketplace.id, title: 'Unlinked gadget', brand: 'OtherBrandB', isTracked: false },
    });

    // Keepa: three capture times, the last one twice (id breaks the tie).
    const keepa = [];
    for (const [offset, tag] of [[-3 * DAY, 'k1'], [-DAY, 'k2'], [-HOUR, 'k3'], [-HOUR, 'k4']] as const) {
      keepa.push(
        await prisma.keepaSnapshot.create({
          data: { asin: entityA.asin, marketplaceId: marketplace.id, asinEntityId: entityA.id, rawJson: { tag }, parsedJson: { metrics: { tag } }, capturedAt: at(offset) },
        }),
      );
    }
    const catalog = [];
    for (const [offset, tag] of [[-2 * DAY, 'c1'], [-HOUR, 'c2']] as const) {
      catalog.push(
        await prisma.amazonCatalogSnapshot.create({
          data: { asin: entityA.asin, marketplaceId: marketplace.id, asinEntityId: entityA.id, rawJson: { tag }, parsedJson: { title: tag }, capturedAt: at(offset) },
        }),
      );
    }

    // Features of listing A, all newer than the seeded rows: the last two share computed_at.
    const feature = (computedAt: Date, featureVersion: number, features: Record<string, unknown>) =>
      prisma.featureSnapshot.create({ data: { entityType: 'LISTING', entityId: listingA, featureVersion, computedAt, featuresJson: features as never } });
    const featureOlderV2 = await feature(at(-3 * HOUR), 2, { margin: 0.1, units_30d: 1 });
    await feature(at(-2 * HOUR), 1, { margin: 0.2, units_30d: 2 });
    await feature(at(-HOUR), 1, { margin: 0.3, units_30d: 3, stockout_risk: 'LOW' });
    const featureTieWinner = await feature(at(-HOUR), 1, {
      vat_rate: 0.2,
      price_inc_vat: 19.99,
      price_ex_vat: 16.66,
      margin: 0.4251,
      profit_ex_vat: 7.08,
      break_even_price_inc_vat: 11.5,
      units_7d: 14,
      units_30d: 60,
      revenue_inc_vat_30d: 1199.4,
      sales_velocity_units_per_day_30d: 2,
      conversion_rate_30d: null,
      available_quantity: 30,
      days_of_cover: 15,
      lead_time_days: 14,
      stockout_risk: 'MEDIUM',
      buy_box_status: 'LOST',
      buy_box_percentage_30d: 42.5,
      buy_box_risk: 'HIGH',
      competitor_price_position: 'IN_BAND',
      price_median_90d: 19.99,
      price_p25_90d: 18.99,
      price_p75_90d: 20.99,
      price_volatility_90d: 0.071,
      offers_count_current: 7,
      sales_anomaly_score: 0.63,
    });
    const asinFeature = await prisma.featureSnapshot.create({
      data: {
        entityType: 'ASIN',
        entityId: entityA.id,
        featureVersion: 1,
        computedAt: at(-HOUR),
        featuresJson: { asin: entityA.asin, price_current: 24, sales_rank_current: 1234, has_scenario_bom: true, opportunity_profit: 11, opportunity_margin: 0.55 },
      },
    });

    // Jobs and listing events.
    const jobA = await prisma.job.create({
      data: { jobType: 'PUBLISH_PRICE_CHANGE', listingId: listingA, status: 'SUCCEEDED', createdAt: at(-2 * HOUR), inputJson: { price_inc_vat: '19.00' } },
    });
    const jobB = await prisma.job.create({
      data: { jobType: 'SYNC_KEEPA_ASIN', scopeType: 'ASIN', listingId: listingB, asinEntityId: entityA.id, status: 'FAILED', createdAt: at(-HOUR), errorMessage: 'boom' },
    });
    const correlationId = `read-b-${kind}`;
    await prisma.listingEvent.create({
      data: { listingId: listingA, eventType: 'PRICE_CHANGE_DRAFTED', jobId: jobA.id, beforeJson: { price_inc_vat: 19.99 }, afterJson: { price_inc_vat: 19.0 }, correlationId, createdBy: 'user', createdAt: at(-2 * HOUR) },
    });
    await prisma.listingEvent.create({
      data: { listingId: listingA, eventType: 'PRICE_CHANGE_SUCCEEDED', jobId: jobA.id, beforeJson: { price_inc_vat: 19.99 }, afterJson: { price_inc_vat: 19.0 }, correlationId, createdBy: 'worker', createdAt: at(-90 * 60_000) },
    });

    // Recommendations of listing A covering every derived state, and one of ASIN entity A.
    const rec = (name: string, data: Partial<Recommendation> & { status: Recommendation['status'] }) =>
      prisma.recommendation
        .create({
          data: {
            recommendationType: 'PRICE_DECREASE_REGAIN_BUYBOX',
            entityType: 'LISTING',
            entityId: listingA,
            actionPayloadJson: { type: 'CHANGE_PRICE', name },
            evidenceJson: { name },
            impactJson: { name },
            confidence: 'MEDIUM',
            generatedAt: at(-DAY),
            expiresAt: at(6 * DAY),
            ...data,
          } as never,
        })
        .then((row) => [name, row.id] as const);
    const recs = Object.fromEntries(
      await Promise.all([
        rec('pendingHigh', { status: 'PENDING', confidence: 'HIGH', confidenceScore: '0.9500' as never }),
        rec('pendingNullScore', { status: 'PENDING', confidence: 'LOW', confidenceScore: null }),
        rec('pendingExpired', { status: 'PENDING', confidenceScore: '0.6000' as never, generatedAt: at(-8 * DAY), expiresAt: at(-DAY) }),
        rec('snoozedDue', { status: 'SNOOZED', confidenceScore: '0.7000' as never, snoozedUntil: at(-HOUR), expiresAt: at(5 * DAY), recommendationType: 'STOCK_INCREASE_STOCKOUT_RISK' }),
        rec('snoozedLater', { status: 'SNOOZED', confidenceScore: '0.7000' as never, snoozedUntil: at(DAY), expiresAt: at(8 * DAY), recommendationType: 'STOCK_INCREASE_STOCKOUT_RISK' }),
        rec('acceptedDone', { status: 'ACCEPTED', confidenceScore: '0.8000' as never, acceptedAt: at(-2 * HOUR), acceptedJobId: jobA.id }),
        rec('acceptedFailed', { status: 'ACCEPTED', confidenceScore: '0.8000' as never, acceptedAt: at(-2 * HOUR) }),
        rec('asinOpportunity', {
          status: 'PENDING',
          recommendationType: 'OPPORTUNITY_CREATE_LISTING',
          entityType: 'ASIN',
          entityId: entityA.id,
          confidence: 'HIGH',
          confidenceScore: '0.8000' as never,
          generationJobId: jobB.id,
        }),
      ]),
    ) as Record<string, number>;
    const event = (recommendationId: number, eventType: string, offset: number, jobId?: number) =>
      prisma.recommendationEvent.create({ data: { recommendationId, eventType: eventType as never, jobId: jobId ?? null, createdAt: at(offset), detailsJson: { eventType } } });
    for (const [name, id] of Object.entries(recs)) await event(id, 'GENERATED', -DAY);
    await event(recs.acceptedDone!, 'ACCEPTED', -2 * HOUR, jobA.id);
    await event(recs.acceptedDone!, 'ACTION_STARTED', -100 * 60_000, jobA.id);
    await event(recs.acceptedDone!, 'ACTION_COMPLETED', -90 * 60_000, jobA.id);
    await event(recs.acceptedFailed!, 'ACCEPTED', -2 * HOUR);
    await event(recs.acceptedFailed!, 'ACTION_STARTED', -100 * 60_000);
    await event(recs.acceptedFailed!, 'ACTION_FAILED', -90 * 60_000);

    return {
      listingA,
      listingB,
      marketplaceId: marketplace.id,
      entityA: entityA.id,
      entityA2: entityA2.id,
      entityB: entityB.id,
      keepaLatest: keepa[3]!.id,
      catalogLatest: catalog[1]!.id,
      featureTieWinner: featureTieWinner.id,
      featureOlderV2: featureOlderV2.id,
      asinFeature: asinFeature.id,
      recs,
      jobA: jobA.id,
      jobB: jobB.id,
      correlationId,
    };
  }

  beforeAll(async () => {
    app = await createTestApp(kind, { seedListings: 15, clock: () => NOW });
    fx = await buildFixture();
  });

  afterAll(async () => {
    await app?.close();
  });

  // -------------------------------------------------------------------------------------------
  // ASIN entities

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

  // -------------------------------------------------------------------------------------------
  // Features

  describe('features', () => {
    it('Listing.latestFeatures is the latest row by computedAt, ties broken by the higher id', async () => {
      const data: any = await q(`query($id: ID!) { node(id: $id) { ... on Listing { latestFeatures {
        id databaseId entityType entityId featureVersion computedAt raw
        vatRate priceIncVat priceExVat margin profitExVat breakEvenPriceIncVat units7d units30d revenueIncVat30d
        salesVelocityUnitsPerDay30d conversionRate30d availableQuantity daysOfCover leadTimeDays stockoutRisk
        buyBoxStatus buyBoxPercentage30d buyBoxRisk competitorPricePosition priceMedian90d priceP25_90d priceP75_90d
        priceVolatility90d offersCountCurrent salesAnomalyScore bomCostExVat
      } } } }`, { id: gid('Listing', fx.listingA) });
      const f = data.node.latestFeatures;
      const stored = await app.db.prisma.featureSnapshot.findUniqueOrThrow({ where: { id: fx.featureTieWinner } });
      expect(f).toMatchObject({
        id: gid('FeatureSnapshot', fx.featureTieWinner),
        databaseId: fx.featureTieWinner,
        entityType: 'LISTING',
        entityId: fx.listingA,
        featureVersion: 1,
        raw: stored.featuresJson,
        vatRate: '0.2',
        priceIncVat: '19.99',
        priceExVat: '16.66',
        margin: '0.4251',
        profitExVat: '7.08',
        breakEvenPriceIncVat: '11.5',
        units7d: 14,
        units30d: 60,
        revenueIncVat30d: '1199.4',
        salesVelocityUnitsPerDay30d: '2',
        conversionRate30d: null,
        availableQuantity: 30,
        daysOfCover: '15',
        leadTimeDays: 14,
        stockoutRisk: 'MEDIUM',
        buyBoxStatus: 'LOST',
        buyBoxPercentage30d: '42.5',
        buyBoxRisk: 'HIGH',
        competitorPricePosition: 'IN_BAND',
        priceMedian90d: '19.99',
        priceP25_90d: '18.99',
        priceP75_90d: '20.99',
        priceVolatility90d: '0.071',
        offersCountCurrent: 7,
        salesAnomalyScore: '0.63',
        bomCostExVat: null,
      });
      expect(new Date(f.computedAt).getTime()).toBe(at(-HOUR).getTime());
    });

    it('matches the database for every seeded listing (one DISTINCT ON per page)', async () => {
      const data: any = await q(`{ listings(first: 15) { edges { node { databaseId latestFeatures { databaseId } } } } }`);
      // The seed gives listings features: the comparison below is not null against null.
      expect(data.listings.edges.filter((e: any) => e.node.latestFeatures !== null).length).toBeGreaterThan(5);
      for (const edge of data.listings.edges) {
        const expected = await app.db.prisma.featureSnapshot.findFirst({
          where: { entityType: 'LISTING', entityId: edge.node.databaseId },
          orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
        });
        expect(edge.node.latestFeatures?.databaseId ?? null).toBe(expected?.id ?? null);
      }
    });

    it('Listing.featureHistory is newest first, limited by first and filtered by featureVersion', async () => {
      const data: any = await q(`query($id: ID!) { node(id: $id) { ... on Listing {
        all: featureHistory(first: 100) { databaseId featureVersion }
        top2: featureHistory(first: 2) { databaseId }
        v2: featureHistory(featureVersion: 2) { databaseId margin }
      } } }`, { id: gid('Listing', fx.listingA) });
      const rows = await app.db.prisma.featureSnapshot.findMany({
        where: { entityType: 'LISTING', entityId: fx.listingA },
        orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
      });
      expect(data.node.all.map((r: any) => r.databaseId)).toEqual(rows.map((r) => r.id));
      expect(data.node.top2.map((r: any) => r.databaseId)).toEqual(rows.slice(0, 2).map((r) => r.id));
      expect(data.node.top2[0].databaseId).toBe(fx.featureTieWinner);
      expect(data.node.v2).toEqual([{ databaseId: fx.featureOlderV2, margin: '0.1' }]);
    });
  });

  // -------------------------------------------------------------------------------------------
  // Recommendations

  describe('recommendations', () => {
    const REC_FIELDS = `id databaseId recommendationType entityType entityId status effectiveStatus actionState confidence confidenceScore
      generatedAt expiresAt snoozedUntil actionPayload evidence impact guardrails
      generationJob { databaseId } acceptedJob { databaseId jobType }
      events { databaseId eventType createdAt detailsJson job { databaseId } }
      entity { __typename ... on Listing { id databaseId sellerSku } ... on AsinEntity { id databaseId asin } }`;

    it('orders by confidence score (nulls last), generatedAt, id by default and pages both ways with stable cursors', async () => {
      const all = sortByConfidence(await app.db.prisma.recommendation.findMany());
      const query = `query($first: Int, $after: String, $last: Int, $before: String, $orderBy: RecommendationOrder) {
        recommendations(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { databaseId } }
        }
      }`;
      const forwards: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await q(query, { first: 7, after });
        expect(data.recommendations.totalCount).toBe(all.length);
        forwards.push(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasNextPage) break;
        after = data.recommendations.pageInfo.endCursor;
      }
      expect(forwards).toEqual(all.map((r) => r.id));

      const backwards: number[] = [];
      let before: string | null = null;
      for (;;) {
        const data: any = await q(query, { last: 7, before });
        backwards.unshift(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasPreviousPage) break;
        before = data.recommendations.pageInfo.startCursor;
      }
      expect(backwards).toEqual(all.map((r) => r.id));

      const byGenerated = [...all].sort((a, b) => b.generatedAt.getTime() - a.generatedAt.getTime() || b.id - a.id);
      const generated: number[] = [];
      after = null;
      for (;;) {
        const data: any = await q(query, { first: 9, after, orderBy: 'GENERATED_AT_DESC' });
        generated.push(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasNextPage) break;
        after = data.recommendations.pageInfo.endCursor;
      }
      expect(generated).toEqual(byGenerated.map((r) => r.id));
    });

    it('filters by effective status, type, entity, entity type and confidence', async () => {
      const all = await app.db.prisma.recommendation.findMany();
      const ids = async (filter: Record<string, unknown>) => {
        const data: any = await q(`query($filter: RecommendationFilter) { recommendations(filter: $filter, first: 100) { totalCount edges { node { databaseId } } } }`, { filter });
        const list = data.recommendations.edges.map((e: any) => e.node.databaseId).sort((a: number, b: number) => a - b);
        expect(data.recommendations.totalCount).toBe(list.length);
        return list;
      };
      const expected = (pred: (r: Recommendation) => boolean) => all.filter(pred).map((r) => r.id).sort((a, b) => a - b);

      for (const statuses of [['PENDING'], ['EXPIRED'], ['SNOOZED'], ['ACCEPTED', 'REJECTED'], ['SUPERSEDED']]) {
        expect(await ids({ status: statuses }), statuses.join()).toEqual(expected((r) => statuses.includes(effectiveStatus(r, NOW))));
      }
      const pending = await ids({ status: ['PENDING'], entityId: gid('Listing', fx.listingA) });
      expect(pending).toContain(fx.recs.snoozedDue);
      expect(pending).toContain(fx.recs.pendingHigh);
      expect(pending).not.toContain(fx.recs.pendingExpired);
      expect(pending).not.toContain(fx.recs.snoozedLater);

      expect(await ids({ type: ['STOCK_INCREASE_STOCKOUT_RISK', 'OPPORTUNITY_CREATE_LISTING'] })).toEqual(
        expected((r) => r.recommendationType === 'STOCK_INCREASE_STOCKOUT_RISK' || r.recommendationType === 'OPPORTUNITY_CREATE_LISTING'),
      );
      expect(await ids({ entityType: 'ASIN' })).toEqual(expected((r) => r.entityType === 'ASIN'));
      expect(await ids({ entityId: gid('Listing', fx.listingA) })).toEqual(expected((r) => r.entityType === 'LISTING' && r.entityId === fx.listingA));
      expect(await ids({ entityId: gid('AsinEntity', fx.entityA) })).toEqual([fx.recs.asinOpportunity]);
      expect(await ids({ entityId: gid('AsinEntity', fx.entityA), entityType: 'LISTING' })).toEqual([]);
      expect(await ids({ confidence: ['HIGH'] })).toEqual(expected((r) => r.confidence === 'HIGH'));
      expect(await ids({ confidence: ['LOW', 'MEDIUM'], entityId: gid('Listing', fx.listingA) })).toEqual(
        expected((r) => r.entityType === 'LISTING' && r.entityId === fx.listingA && r.confidence !== 'HIGH'),
      );

      const bad = await app.gql(`{ recommendations(filter: { entityId: "${gid('Job', 1)}" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.entityId must be a Listing or AsinEntity ID/);
    });

    it('resolves every field, the entity union, effectiveStatus and actionState', async () => {
      const data: any = await q(`query($id: ID!) { recommendations(first: 100, filter: { entityId: $id }) { edges { node { ${REC_FIELDS} } } } }`, {
        id: gid('Listing', fx.listingA),
      });
      const byId = new Map<number, any>(data.recommendations.edges.map((e: any) => [e.node.databaseId, e.node]));
      const listing = await app.db.prisma.listing.findUniqueOrThrow({ where: { id: fx.listingA } });
      const rows = await app.db.prisma.recommendation.findMany({
        where: { entityType: 'LISTING', entityId: fx.listingA },
        include: { events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
      });
      expect(byId.size).toBe(rows.length);
      for (const row of rows) {
        const node = byId.get(row.id);
        expect(node).toMatchObject({
          id: gid('Recommendation', row.id),
          recommendationType: row.recommendationType,
          entityType: 'LISTING',
          entityId: fx.listingA,
          status: row.status,
          effectiveStatus: effectiveStatus(row, NOW),
          actionState: actionState(row.events),
          confidence: row.confidence,
          confidenceScore: row.confidenceScore?.toFixed(4) ?? null,
          actionPayload: row.actionPayloadJson,
          evidence: row.evidenceJson,
          impact: row.impactJson,
          guardrails: row.guardrailsJson,
          entity: { __typename: 'Listing', id: gid('Listing', fx.listingA), databaseId: fx.listingA, sellerSku: listing.sellerSku },
        });
        expect(node.events.map((e: any) => e.databaseId)).toEqual(row.events.map((e) => e.id));
      }
      const r = (name: string) => byId.get(fx.recs[name]!);
      expect(r('pendingHigh')).toMatchObject({ effectiveStatus: 'PENDING', actionState: 'NONE', confidenceScore: '0.9500' });
      expect(r('pendingExpired')).toMatchObject({ status: 'PENDING', effectiveStatus: 'EXPIRED' });
      expect(r('snoozedDue')).toMatchObject({ status: 'SNOOZED', effectiveStatus: 'PENDING' });
      expect(r('snoozedLater')).toMatchObject({ status: 'SNOOZED', effectiveStatus: 'SNOOZED' });
      expect(r('acceptedDone')).toMatchObject({ actionState: 'COMPLETED', acceptedJob: { databaseId: fx.jobA, jobType: 'PUBLISH_PRICE_CHANGE' } });
      expect(r('acceptedDone').events.map((e: any) => e.eventType)).toEqual(['GENERATED', 'ACCEPTED', 'ACTION_STARTED', 'ACTION_COMPLETED']);
      expect(r('acceptedDone').events[1].job).toEqual({ databaseId: fx.jobA });
      expect(r('acceptedFailed')).toMatchObject({ actionState: 'FAILED', acceptedJob: null });

      const asin: any = await q(`query($id: ID!) { node(id: $id) { ... on Recommendation { ${REC_FIELDS} } } }`, { id: gid('Recommendation', fx.recs.asinOpportunity!) });
      expect(asin.node).toMatchObject({
        recommendationType: 'OPPORTUNITY_CREATE_LISTING',
        entityType: 'ASIN',
        generationJob: { databaseId: fx.jobB },
        entity: { __typename: 'AsinEntity', id: gid('AsinEntity', fx.entityA), databaseId: fx.entityA, asin: 'B0RDBTEST1' },
      });
    });

    it('Listing.recommendations filters by effective status, honours first, and matches the root order', async () => {
      const data: any = await q(`query($id: ID!) { node(id: $id) { ... on Listing {
        all: recommendations(first: 100) { databaseId }
        pending: recommendations(status: [PENDING]) { databaseId effectiveStatus }
        top2: recommendations(first: 2) { databaseId }
        newest: recommendations(orderBy: GENERATED_AT_DESC) { databaseId }
      } } }`, { id: gid('Listing', fx.listingA) });
      const rows = await app.db.prisma.recommendation.findMany({ where: { entityType: 'LISTING', entityId: fx.listingA } });
      const sorted = sortByConfidence(rows);
      expect(data.node.all.map((r: any) => r.databaseId)).toEqual(sorted.map((r) => r.id));
      expect(data.node.top2.map((r: any) => r.databaseId)).toEqual(sorted.slice(0, 2).map((r) => r.id));
      expect(data.node.pending.map((r: any) => r.databaseId)).toEqual(sorted.filter((r) => effectiveStatus(r, NOW) === 'PENDING').map((r) => r.id));
      expect(data.node.pending.every((r: any) => r.effectiveStatus === 'PENDING')).toBe(true);
      expect(data.node.newest.map((r: any) => r.databaseId)).toEqual(
        [...rows].sort((a, b) => b.generatedAt.getTime() - a.generatedAt.getTime() || b.id - a.id).map((r) => r.id),
      );
    });
  });

  // -------------------------------------------------------------------------------------------
  // Jobs and listing events

  describe('jobs', () => {
    it('lists jobs newest first with totalCount, cursors and filters', async () => {
      const all = await app.db.prisma.job.findMany({ orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      const query = `query($first: Int, $after: String, $filter: JobFilter) {
        jobs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { databaseId } } }
      }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await q(query, { first: 50, after });
        expect(data.jobs.totalCount).toBe(all.length);
        seen.push(...data.jobs.edges.map((e: any) => e.node.databaseId));
        if (!data.jobs.pageInfo.hasNextPage) break;
        after = data.jobs.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((j) => j.id));

      const filtered = async (filter: Record<string, unknown>) => {
        const data: any = await q(query, { first: 100, filter });
        return { ids: data.jobs.edges.map((e: any) => e.node.databaseId), total: data.jobs.totalCount };
      };
      const expectFilter = async (filter: Record<string, unknown>, pred: (j: (typeof all)[number]) => boolean) => {
        const want = all.filter(pred).map((j) => j.id);
        const got = await filtered(filter);
        expect(got.total).toBe(want.length);
        expect(got.ids).toEqual(want.slice(0, 100));
      };
      await expectFilter({ status: ['FAILED'] }, (j) => j.status === 'FAILED');
      await expectFilter({ type: ['PUBLISH_PRICE_CHANGE', 'SYNC_KEEPA_ASIN'] }, (j) => j.jobType === 'PUBLISH_PRICE_CHANGE' || j.jobType === 'SYNC_KEEPA_ASIN');
      await expectFilter({ listingId: gid('Listing', fx.listingA), status: ['SUCCEEDED'] }, (j) => j.listingId === fx.listingA && j.status === 'SUCCEEDED');

      const bad = await app.gql(`{ jobs(filter: { listingId: "${gid('AsinEntity', 1)}" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.listingId must be a Listing ID/);
    });

    it('resolves job fields and relations, and Listing.jobs newest first', async () => {
      const data: any = await q(`query($job: ID!, $listing: ID!) {
        job: node(id: $job) { ... on Job { databaseId jobType scopeType status errorMessage createdAt listing { databaseId } asinEntity { databaseId }
          listingEvents { totalCount edges { node { databaseId } } } } }
        listing: node(id: $listing) { ... on Listing { jobs(first: 100) { totalCount edges { node { databaseId listingEvents { totalCount edges { node { eventType } } } } } } } }
      }`, { job: gid('Job', fx.jobB), listing: gid('Listing', fx.listingA) });
      expect(data.job).toMatchObject({ databaseId: fx.jobB, jobType: 'SYNC_KEEPA_ASIN', scopeType: 'ASIN', status: 'FAILED', errorMessage: 'boom', listing: { databaseId: fx.listingB }, asinEntity: { databaseId: fx.entityA } });
      expect(new Date(data.job.createdAt).getTime()).toBe(at(-HOUR).getTime());
      const jobs = await app.db.prisma.job.findMany({ where: { listingId: fx.listingA }, orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      expect(data.listing.jobs.totalCount).toBe(jobs.length);
      expect(data.listing.jobs.edges.map((e: any) => e.node.databaseId)).toEqual(jobs.map((j) => j.id));
      const mine = data.listing.jobs.edges.find((e: any) => e.node.databaseId === fx.jobA).node;
      expect(mine.listingEvents.totalCount).toBe(2);
      expect(mine.listingEvents.edges.map((e: any) => e.node.eventType)).toEqual(['PRICE_CHANGE_SUCCEEDED', 'PRICE_CHANGE_DRAFTED']);
    });
  });

  describe('listing events', () => {
    it('lists events newest first with filters and cursors', async () => {
      const all = await app.db.prisma.listingEvent.findMany({ orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      const query = `query($first: Int, $after: String, $filter: ListingEventFilter) {
        listingEvents(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
          edges { node { databaseId eventType beforeJson afterJson reason correlationId createdBy job { databaseId } listing { databaseId } } } }
      }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await q(query, { first: 100, after });
        expect(data.listingEvents.totalCount).toBe(all.length);
        seen.push(...data.listingEvents.edges.map((e: any) => e.node.databaseId));
        if (!data.listingEvents.pageInfo.hasNextPage) break;
        after = data.listingEvents.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((e) => e.id));

      const byCorrelation: any = await q(query, { first: 10, filter: { correlationId: fx.correlationId } });
      expect(byCorrelation.listingEvents.totalCount).toBe(2);
      expect(byCorrelation.listingEvents.edges.map((e: any) => e.node)).toEqual([
        expect.objectContaining({ eventType: 'PRICE_CHANGE_SUCCEEDED', createdBy: 'worker', afterJson: { price_inc_vat: 19 }, job: { databaseId: fx.jobA }, listing: { databaseId: fx.listingA } }),
        expect.objectContaining({ eventType: 'PRICE_CHANGE_DRAFTED', createdBy: 'user', beforeJson: { price_inc_vat: 19.99 }, correlationId: fx.correlationId }),
      ]);

      const typed: any = await q(query, { first: 100, filter: { listingId: gid('Listing', fx.listingA), type: ['PRICE_CHANGE_DRAFTED', 'FEATURES_COMPUTED'] } });
      const want = all.filter((e) => e.listingId === fx.listingA && (e.eventType === 'PRICE_CHANGE_DRAFTED' || e.eventType === 'FEATURES_COMPUTED'));
      expect(typed.listingEvents.totalCount).toBe(want.length);
      expect(typed.listingEvents.edges.map((e: any) => e.node.databaseId)).toEqual(want.map((e) => e.id));

      const bad = await app.gql(`{ listingEvents(filter: { listingId: "!!" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.listingId must be a Listing ID/);
    });

    it('Listing.events is newest first with an optional type filter', async () => {
      const data: any = await q(`query($id: ID!) { node(id: $id) { ... on Listing {
        events(first: 100) { totalCount edges { node { databaseId } } }
        drafted: events(type: [PRICE_CHANGE_DRAFTED]) { totalCount edges { node { databaseId correlationId } } }
      } } }`, { id: gid('Listing', fx.listingA) });
      const all = await app.db.prisma.listingEvent.findMany({ where: { listingId: fx.listingA }, orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      expect(data.node.events.totalCount).toBe(all.length);
      expect(data.node.events.edges.map((e: any) => e.node.databaseId)).toEqual(all.map((e) => e.id));
      const drafted = all.filter((e) => e.eventType === 'PRICE_CHANGE_DRAFTED');
      expect(data.node.drafted.totalCount).toBe(drafted.length);
      expect(data.node.drafted.edges.map((e: any) => e.node.databaseId)).toEqual(drafted.map((e) => e.id));
    });
  });

  // -------------------------------------------------------------------------------------------
  // No N+1

  describe('statement counts', () => {
    const count = async (query: string, first: number) => {
      await q(query, { first }); // warm-up (settings caches etc.)
      app.statements.length = 0;
      const data: any = await q(query, { first });
      expect(data.listings.edges).toHaveLength(first);
      return app.statements.length;
    };

    it.each([
      ['recommendations → events', `recommendations { databaseId actionState events { eventType job { databaseId } } generationJob { databaseId } }`],
      ['recommendations(status) → entity', `recommendations(status: [PENDING, ACCEPTED]) { effectiveStatus entity { __typename ... on Listing { sellerSku } } }`],
      ['latestFeatures', `latestFeatures { margin units30d stockoutRisk }`],
      ['featureHistory', `featureHistory(first: 2) { databaseId }`],
      ['asinEntity → snapshots', `asinEntity { asin latestKeepaSnapshot { capturedAt marketplace { id } } latestCatalogSnapshot { parsedJson } keepaSnapshots(first: 2) { totalCount edges { node { databaseId } } } latestFeatures { priceCurrent } }`],
      ['jobs and events', `jobs(first: 3) { totalCount edges { node { jobType listingEvents { totalCount } } } } events(first: 3) { totalCount edges { node { eventType job { status } } } }`],
    ])('Listing → %s issues as many statements for 5 listings as for 15', async (_name, selection) => {
      const query = `query($first: Int) { listings(first: $first) { edges { node { databaseId ${selection} } } } }`;
      const five = await count(query, 5);
      const fifteen = await count(query, 15);
      if (process.env.READ_B_STATEMENTS === 'sql') console.info(app.statements.join('\n'));
      if (process.env.READ_B_STATEMENTS) console.info(`[${kind}] Listing → ${_name}: ${five} statements (5 listings), ${fifteen} (15)`);
      expect(fifteen).toBe(five);
      expect(five).toBeLessThan(16);
    });
  });
});
