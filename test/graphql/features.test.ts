import { describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { READ_NOW, useReadSuite } from '../support/read-fixture.js';

const HOUR = 3_600_000;
const NOW = READ_NOW;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe.each(backends)('reading the feature store: latest features and history (%s)', (kind) => {
  const s = useReadSuite(kind);

  describe('features', () => {
    it('Listing.latestFeatures is the latest row by computedAt, ties broken by the higher id', async () => {
      const data: any = await s.q(`query($id: ID!) { node(id: $id) { ... on Listing { latestFeatures {
        id databaseId entityType entityId featureVersion computedAt raw
        vatRate priceIncVat priceExVat margin profitExVat breakEvenPriceIncVat units7d units30d revenueIncVat30d
        salesVelocityUnitsPerDay30d conversionRate30d availableQuantity daysOfCover leadTimeDays stockoutRisk
        buyBoxStatus buyBoxPercentage30d buyBoxRisk competitorPricePosition priceMedian90d priceP25_90d priceP75_90d
        priceVolatility90d offersCountCurrent salesAnomalyScore bomCostExVat
      } } } }`, { id: gid('Listing', s.fx.listingA) });
      const f = data.node.latestFeatures;
      const stored = await s.app.db.prisma.featureSnapshot.findUniqueOrThrow({ where: { id: s.fx.featureTieWinner } });
      expect(f).toMatchObject({
        id: gid('FeatureSnapshot', s.fx.featureTieWinner),
        databaseId: s.fx.featureTieWinner,
        entityType: 'LISTING',
        entityId: s.fx.listingA,
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
      const data: any = await s.q(`{ listings(first: 15) { edges { node { databaseId latestFeatures { databaseId } } } } }`);
      // The seed gives listings features: the comparison below is not null against null.
      expect(data.listings.edges.filter((e: any) => e.node.latestFeatures !== null).length).toBeGreaterThan(5);
      for (const edge of data.listings.edges) {
        const expected = await s.app.db.prisma.featureSnapshot.findFirst({
          where: { entityType: 'LISTING', entityId: edge.node.databaseId },
          orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
        });
        expect(edge.node.latestFeatures?.databaseId ?? null).toBe(expected?.id ?? null);
      }
    });

    it('Listing.featureHistory is newest first, limited by first and filtered by featureVersion', async () => {
      const data: any = await s.q(`query($id: ID!) { node(id: $id) { ... on Listing {
        all: featureHistory(first: 100) { databaseId featureVersion }
        top2: featureHistory(first: 2) { databaseId }
        v2: featureHistory(featureVersion: 2) { databaseId margin }
      } } }`, { id: gid('Listing', s.fx.listingA) });
      const rows = await s.app.db.prisma.featureSnapshot.findMany({
        where: { entityType: 'LISTING', entityId: s.fx.listingA },
        orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
      });
      expect(data.node.all.map((r: any) => r.databaseId)).toEqual(rows.map((r) => r.id));
      expect(data.node.top2.map((r: any) => r.databaseId)).toEqual(rows.slice(0, 2).map((r) => r.id));
      expect(data.node.top2[0].databaseId).toBe(s.fx.featureTieWinner);
      expect(data.node.v2).toEqual([{ databaseId: s.fx.featureOlderV2, margin: '0.1' }]);
    });
  });
});
