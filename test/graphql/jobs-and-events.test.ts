import { describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { READ_NOW, useReadSuite } from '../support/read-fixture.js';

const HOUR = 3_600_000;
const NOW = READ_NOW;
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

describe.each(backends)('reading jobs and listing events (%s)', (kind) => {
  const s = useReadSuite(kind);

  describe('jobs', () => {
    it('lists jobs newest first with totalCount, cursors and filters', async () => {
      const all = await s.app.db.prisma.job.findMany({ orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      const query = `query($first: Int, $after: String, $filter: JobFilter) {
        jobs(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { databaseId } } }
      }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await s.q(query, { first: 50, after });
        expect(data.jobs.totalCount).toBe(all.length);
        seen.push(...data.jobs.edges.map((e: any) => e.node.databaseId));
        if (!data.jobs.pageInfo.hasNextPage) break;
        after = data.jobs.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((j) => j.id));

      const filtered = async (filter: Record<string, unknown>) => {
        const data: any = await s.q(query, { first: 100, filter });
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
      await expectFilter({ listingId: gid('Listing', s.fx.listingA), status: ['SUCCEEDED'] }, (j) => j.listingId === s.fx.listingA && j.status === 'SUCCEEDED');

      const bad = await s.app.gql(`{ jobs(filter: { listingId: "${gid('AsinEntity', 1)}" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.listingId must be a Listing ID/);
    });

    it('resolves job fields and relations, and Listing.jobs newest first', async () => {
      const data: any = await s.q(`query($job: ID!, $listing: ID!) {
        job: node(id: $job) { ... on Job { databaseId jobType scopeType status errorMessage createdAt listing { databaseId } asinEntity { databaseId }
          listingEvents { totalCount edges { node { databaseId } } } } }
        listing: node(id: $listing) { ... on Listing { jobs(first: 100) { totalCount edges { node { databaseId listingEvents { totalCount edges { node { eventType } } } } } } } }
      }`, { job: gid('Job', s.fx.jobB), listing: gid('Listing', s.fx.listingA) });
      expect(data.job).toMatchObject({ databaseId: s.fx.jobB, jobType: 'SYNC_KEEPA_ASIN', scopeType: 'ASIN', status: 'FAILED', errorMessage: 'boom', listing: { databaseId: s.fx.listingB }, asinEntity: { databaseId: s.fx.entityA } });
      expect(new Date(data.job.createdAt).getTime()).toBe(at(-HOUR).getTime());
      const jobs = await s.app.db.prisma.job.findMany({ where: { listingId: s.fx.listingA }, orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      expect(data.listing.jobs.totalCount).toBe(jobs.length);
      expect(data.listing.jobs.edges.map((e: any) => e.node.databaseId)).toEqual(jobs.map((j) => j.id));
      const mine = data.listing.jobs.edges.find((e: any) => e.node.databaseId === s.fx.jobA).node;
      expect(mine.listingEvents.totalCount).toBe(2);
      expect(mine.listingEvents.edges.map((e: any) => e.node.eventType)).toEqual(['PRICE_CHANGE_SUCCEEDED', 'PRICE_CHANGE_DRAFTED']);
    });
  });

  describe('listing events', () => {
    it('lists events newest first with filters and cursors', async () => {
      const all = await s.app.db.prisma.listingEvent.findMany({ orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      const query = `query($first: Int, $after: String, $filter: ListingEventFilter) {
        listingEvents(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor }
          edges { node { databaseId eventType beforeJson afterJson reason correlationId createdBy job { databaseId } listing { databaseId } } } }
      }`;
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await s.q(query, { first: 100, after });
        expect(data.listingEvents.totalCount).toBe(all.length);
        seen.push(...data.listingEvents.edges.map((e: any) => e.node.databaseId));
        if (!data.listingEvents.pageInfo.hasNextPage) break;
        after = data.listingEvents.pageInfo.endCursor;
      }
      expect(seen).toEqual(all.map((e) => e.id));

      const byCorrelation: any = await s.q(query, { first: 10, filter: { correlationId: s.fx.correlationId } });
      expect(byCorrelation.listingEvents.totalCount).toBe(2);
      expect(byCorrelation.listingEvents.edges.map((e: any) => e.node)).toEqual([
        expect.objectContaining({ eventType: 'PRICE_CHANGE_SUCCEEDED', createdBy: 'worker', afterJson: { price_inc_vat: 19 }, job: { databaseId: s.fx.jobA }, listing: { databaseId: s.fx.listingA } }),
        expect.objectContaining({ eventType: 'PRICE_CHANGE_DRAFTED', createdBy: 'user', beforeJson: { price_inc_vat: 19.99 }, correlationId: s.fx.correlationId }),
      ]);

      const typed: any = await s.q(query, { first: 100, filter: { listingId: gid('Listing', s.fx.listingA), type: ['PRICE_CHANGE_DRAFTED', 'FEATURES_COMPUTED'] } });
      const want = all.filter((e) => e.listingId === s.fx.listingA && (e.eventType === 'PRICE_CHANGE_DRAFTED' || e.eventType === 'FEATURES_COMPUTED'));
      expect(typed.listingEvents.totalCount).toBe(want.length);
      expect(typed.listingEvents.edges.map((e: any) => e.node.databaseId)).toEqual(want.map((e) => e.id));

      const bad = await s.app.gql(`{ listingEvents(filter: { listingId: "!!" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.listingId must be a Listing ID/);
    });

    it('Listing.events is newest first with an optional type filter', async () => {
      const data: any = await s.q(`query($id: ID!) { node(id: $id) { ... on Listing {
        events(first: 100) { totalCount edges { node { databaseId } } }
        drafted: events(type: [PRICE_CHANGE_DRAFTED]) { totalCount edges { node { databaseId correlationId } } }
      } } }`, { id: gid('Listing', s.fx.listingA) });
      const all = await s.app.db.prisma.listingEvent.findMany({ where: { listingId: s.fx.listingA }, orderBy: [{ createdAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] });
      expect(data.node.events.totalCount).toBe(all.length);
      expect(data.node.events.edges.map((e: any) => e.node.databaseId)).toEqual(all.map((e) => e.id));
      const drafted = all.filter((e) => e.eventType === 'PRICE_CHANGE_DRAFTED');
      expect(data.node.drafted.totalCount).toBe(drafted.length);
      expect(data.node.drafted.edges.map((e: any) => e.node.databaseId)).toEqual(drafted.map((e) => e.id));
    });
  });
});
