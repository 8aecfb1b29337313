import { describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { useReadSuite } from '../support/read-fixture.js';

describe.each(backends)('nested reads batch: statement counts do not grow with the page (%s)', (kind) => {
  const s = useReadSuite(kind);

  describe('statement counts', () => {
    const count = async (query: string, first: number) => {
      await s.q(query, { first }); // warm-up (settings caches etc.)
      s.app.statements.length = 0;
      const data: any = await s.q(query, { first });
      expect(data.listings.edges).toHaveLength(first);
      return s.app.statements.length;
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
      if (process.env.READ_B_STATEMENTS === 'sql') console.info(s.app.statements.join('\n'));
      if (process.env.READ_B_STATEMENTS) console.info(`[${kind}] Listing → ${_name}: ${five} statements (5 listings), ${fifteen} (15)`);
      expect(fifteen).toBe(five);
      expect(five).toBeLessThan(16);
    });
  });
});
