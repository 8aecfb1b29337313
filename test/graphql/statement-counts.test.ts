import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { buildReadFixture } from '../support/read-fixture.js';

/** The request clock of every query in this file (seeded data is relative to today as well). */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

describe.each(backends)('nested reads batch: statement counts do not grow with the page (%s)', (kind) => {
  let app: TestApp;

  async function q<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await app.gql<T>(query, variables);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    return result.data as T;
  }

  beforeAll(async () => {
    app = await createTestApp(kind, { seedListings: 15, clock: () => NOW });
    // The fixture's recommendations, features, snapshots, jobs and events make every nested field non-empty.
    await buildReadFixture(app, NOW);
  });

  afterAll(async () => {
    await app?.close();
  });

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
