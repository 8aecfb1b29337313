import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { testWorker } from '../support/worker.js';
import { gid } from '../mutations/fixtures.js';
import { ACCEPT, acceptableListing } from '../support/pipeline.js';

describe.each(backends)('the pipeline end to end on %s', (kind) => {
  const NOW = new Date('2026-05-04T08:00:00.000Z');
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(kind, { clock: () => NOW });
  });
  afterAll(async () => app?.close());

  test('accept a publishable recommendation → drain → price published, events written, features recomputed, recommendations regenerated', async () => {
    const { listingId, accepted, other } = await acceptableListing(app, new Date(NOW.getTime() - 3_600_000));
    const result = await app.gql(ACCEPT, { id: gid('Recommendation', accepted) });
    const jobId = result.data.acceptRecommendation.job.databaseId as number;

    const summary = await testWorker(app.db, { clock: () => NOW }).drain();
    expect(summary.counts).toMatchObject({ 'PUBLISH_PRICE_CHANGE SUCCEEDED': 1, 'COMPUTE_FEATURES_LISTING SUCCEEDED': 1, 'GENERATE_RECOMMENDATIONS_LISTING SUCCEEDED': 1 });

    const q = await app.gql(
      `query($l: ID!, $j: ID!, $r: ID!) {
        job: node(id: $j) { ... on Job { status attempts resultJson } }
        rec: node(id: $r) { ... on Recommendation { status actionState events { eventType } } }
        listing: node(id: $l) { ... on Listing { priceIncVat offer { priceIncVat } latestFeatures { priceIncVat computedAt }
          events(first: 20) { edges { node { eventType createdBy job { databaseId } } } } } }
      }`,
      { l: gid('Listing', listingId), j: gid('Job', jobId), r: gid('Recommendation', accepted) },
    );
    expect(q.errors).toBeUndefined();
    const { job, rec, listing } = q.data;
    expect(job).toMatchObject({ status: 'SUCCEEDED', attempts: 1, resultJson: { price_inc_vat: '25.00', write_mode: 'simulate' } });
    expect([listing.priceIncVat, listing.offer.priceIncVat]).toEqual(['25.00', '25.00']);
    expect(listing.latestFeatures).toEqual({ priceIncVat: '25', computedAt: NOW.toISOString() });
    const listingEvents = listing.events.edges.map((e: { node: { eventType: string } }) => e.node.eventType).reverse();
    expect(listingEvents).toEqual(['PRICE_CHANGE_DRAFTED', 'PRICE_CHANGE_PUBLISHED', 'PRICE_CHANGE_SUCCEEDED', 'FEATURES_COMPUTED']);
    expect(rec.status).toBe('ACCEPTED');
    expect(rec.actionState).toBe('COMPLETED');
    expect(rec.events.map((e: { eventType: string }) => e.eventType).sort()).toEqual(['ACCEPTED', 'ACTION_COMPLETED', 'ACTION_STARTED', 'GENERATED']);

    // The other PENDING rec was superseded by the regeneration run, with its event.
    const superseded = await app.db.prisma.recommendation.findUniqueOrThrow({ where: { id: other }, include: { events: true } });
    expect(superseded.status).toBe('SUPERSEDED');
    const runJob = await app.db.prisma.job.findFirstOrThrow({ where: { listingId, jobType: 'GENERATE_RECOMMENDATIONS_LISTING' } });
    expect(superseded.events.find((e) => e.eventType === 'SUPERSEDED')?.jobId).toBe(runJob.id);
    expect(await app.db.prisma.job.count({ where: { status: { in: ['PENDING', 'RUNNING'] }, scheduledFor: { lte: NOW } } })).toBe(0);
  });
});
