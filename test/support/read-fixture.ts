import type { Recommendation } from '../../src/generated/prisma/client.js';
import { beforeAll } from 'vitest';
import type { BackendKind } from './databases.js';
import type { TestApp } from './graphql.js';
import { useSeededReads } from './read-queries.js';

/**
 * The rows the read tests of ASIN entities, snapshots, features, recommendations, jobs and listing
 * events query, written on top of a seeded database: two listings with ASIN entities, snapshots,
 * feature rows (a tie on computed_at, an older version), recommendations in every status, jobs and
 * events. Times are relative to `now`, the tests' request clock.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Fixture {
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
export function sortByConfidence(rows: Recommendation[]): Recommendation[] {
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

export async function buildReadFixture(app: TestApp, now: Date): Promise<Fixture> {
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
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
  const correlationId = `read-fixture-${app.kind}`;
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
  for (const id of Object.values(recs)) await event(id, 'GENERATED', -DAY);
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

/** The request clock of the read tests (seeded data is relative to today as well), to the second. */
export const READ_NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

export interface ReadSuite {
  app: TestApp;
  fx: Fixture;
  /** Runs a query as the test admin; any GraphQL error fails the test. */
  q<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/**
 * The read tests' setup, per `describe.each(backends)` block: a database seeded with 15 listings
 * plus the fixture rows, the app over it (clock `READ_NOW`), closed after the block.
 */
export function useReadSuite(kind: BackendKind): ReadSuite {
  const reads = useSeededReads(kind, READ_NOW);
  const suite = { q: reads.ok } as ReadSuite;
  // Runs after useSeededReads' own beforeAll has created the app.
  beforeAll(async () => {
    suite.app = reads.app();
    suite.fx = await buildReadFixture(suite.app, READ_NOW);
  });
  return suite;
}
