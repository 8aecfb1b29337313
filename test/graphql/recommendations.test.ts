import { describe, expect, it } from 'vitest';
import { actionState, effectiveStatus } from '../../src/domain/recommendation-lifecycle.js';
import type { Recommendation } from '../../src/generated/prisma/client.js';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { READ_NOW, sortByConfidence, useReadSuite } from '../support/read-fixture.js';

const NOW = READ_NOW;

describe.each(backends)('reading recommendations: filters, orderings, effective status (%s)', (kind) => {
  const s = useReadSuite(kind);

  describe('recommendations', () => {
    const REC_FIELDS = `id databaseId recommendationType entityType entityId status effectiveStatus actionState confidence confidenceScore
      generatedAt expiresAt snoozedUntil actionPayload evidence impact guardrails
      generationJob { databaseId } acceptedJob { databaseId jobType }
      events { databaseId eventType createdAt detailsJson job { databaseId } }
      entity { __typename ... on Listing { id databaseId sellerSku } ... on AsinEntity { id databaseId asin } }`;

    it('orders by confidence score (nulls last), generatedAt, id by default and pages both ways with stable cursors', async () => {
      const all = sortByConfidence(await s.app.db.prisma.recommendation.findMany());
      const query = `query($first: Int, $after: String, $last: Int, $before: String, $orderBy: RecommendationOrder) {
        recommendations(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
          totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { databaseId } }
        }
      }`;
      const forwards: number[] = [];
      let after: string | null = null;
      for (;;) {
        const data: any = await s.q(query, { first: 7, after });
        expect(data.recommendations.totalCount).toBe(all.length);
        forwards.push(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasNextPage) break;
        after = data.recommendations.pageInfo.endCursor;
      }
      expect(forwards).toEqual(all.map((r) => r.id));

      const backwards: number[] = [];
      let before: string | null = null;
      for (;;) {
        const data: any = await s.q(query, { last: 7, before });
        backwards.unshift(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasPreviousPage) break;
        before = data.recommendations.pageInfo.startCursor;
      }
      expect(backwards).toEqual(all.map((r) => r.id));

      const byGenerated = [...all].sort((a, b) => b.generatedAt.getTime() - a.generatedAt.getTime() || b.id - a.id);
      const generated: number[] = [];
      after = null;
      for (;;) {
        const data: any = await s.q(query, { first: 9, after, orderBy: 'GENERATED_AT_DESC' });
        generated.push(...data.recommendations.edges.map((e: any) => e.node.databaseId));
        if (!data.recommendations.pageInfo.hasNextPage) break;
        after = data.recommendations.pageInfo.endCursor;
      }
      expect(generated).toEqual(byGenerated.map((r) => r.id));
    });

    it('filters by effective status, type, entity, entity type and confidence', async () => {
      const all = await s.app.db.prisma.recommendation.findMany();
      const ids = async (filter: Record<string, unknown>) => {
        const data: any = await s.q(`query($filter: RecommendationFilter) { recommendations(filter: $filter, first: 100) { totalCount edges { node { databaseId } } } }`, { filter });
        const list = data.recommendations.edges.map((e: any) => e.node.databaseId).sort((a: number, b: number) => a - b);
        expect(data.recommendations.totalCount).toBe(list.length);
        return list;
      };
      const expected = (pred: (r: Recommendation) => boolean) => all.filter(pred).map((r) => r.id).sort((a, b) => a - b);

      for (const statuses of [['PENDING'], ['EXPIRED'], ['SNOOZED'], ['ACCEPTED', 'REJECTED'], ['SUPERSEDED']]) {
        expect(await ids({ status: statuses }), statuses.join()).toEqual(expected((r) => statuses.includes(effectiveStatus(r, NOW))));
      }
      const pending = await ids({ status: ['PENDING'], entityId: gid('Listing', s.fx.listingA) });
      expect(pending).toContain(s.fx.recs.snoozedDue);
      expect(pending).toContain(s.fx.recs.pendingHigh);
      expect(pending).not.toContain(s.fx.recs.pendingExpired);
      expect(pending).not.toContain(s.fx.recs.snoozedLater);

      expect(await ids({ type: ['STOCK_INCREASE_STOCKOUT_RISK', 'OPPORTUNITY_CREATE_LISTING'] })).toEqual(
        expected((r) => r.recommendationType === 'STOCK_INCREASE_STOCKOUT_RISK' || r.recommendationType === 'OPPORTUNITY_CREATE_LISTING'),
      );
      expect(await ids({ entityType: 'ASIN' })).toEqual(expected((r) => r.entityType === 'ASIN'));
      expect(await ids({ entityId: gid('Listing', s.fx.listingA) })).toEqual(expected((r) => r.entityType === 'LISTING' && r.entityId === s.fx.listingA));
      expect(await ids({ entityId: gid('AsinEntity', s.fx.entityA) })).toEqual([s.fx.recs.asinOpportunity]);
      expect(await ids({ entityId: gid('AsinEntity', s.fx.entityA), entityType: 'LISTING' })).toEqual([]);
      expect(await ids({ confidence: ['HIGH'] })).toEqual(expected((r) => r.confidence === 'HIGH'));
      expect(await ids({ confidence: ['LOW', 'MEDIUM'], entityId: gid('Listing', s.fx.listingA) })).toEqual(
        expected((r) => r.entityType === 'LISTING' && r.entityId === s.fx.listingA && r.confidence !== 'HIGH'),
      );

      const bad = await s.app.gql(`{ recommendations(filter: { entityId: "${gid('Job', 1)}" }) { totalCount } }`);
      expect(bad.errors?.[0]?.message).toMatch(/^filter\.entityId must be a Listing or AsinEntity ID/);
    });

    it('resolves every field, the entity union, effectiveStatus and actionState', async () => {
      const data: any = await s.q(`query($id: ID!) { recommendations(first: 100, filter: { entityId: $id }) { edges { node { ${REC_FIELDS} } } } }`, {
        id: gid('Listing', s.fx.listingA),
      });
      const byId = new Map<number, any>(data.recommendations.edges.map((e: any) => [e.node.databaseId, e.node]));
      const listing = await s.app.db.prisma.listing.findUniqueOrThrow({ where: { id: s.fx.listingA } });
      const rows = await s.app.db.prisma.recommendation.findMany({
        where: { entityType: 'LISTING', entityId: s.fx.listingA },
        include: { events: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } },
      });
      expect(byId.size).toBe(rows.length);
      for (const row of rows) {
        const node = byId.get(row.id);
        expect(node).toMatchObject({
          id: gid('Recommendation', row.id),
          recommendationType: row.recommendationType,
          entityType: 'LISTING',
          entityId: s.fx.listingA,
          status: row.status,
          effectiveStatus: effectiveStatus(row, NOW),
          actionState: actionState(row.events),
          confidence: row.confidence,
          confidenceScore: row.confidenceScore?.toFixed(4) ?? null,
          actionPayload: row.actionPayloadJson,
          evidence: row.evidenceJson,
          impact: row.impactJson,
          guardrails: row.guardrailsJson,
          entity: { __typename: 'Listing', id: gid('Listing', s.fx.listingA), databaseId: s.fx.listingA, sellerSku: listing.sellerSku },
        });
        expect(node.events.map((e: any) => e.databaseId)).toEqual(row.events.map((e) => e.id));
      }
      const r = (name: string) => byId.get(s.fx.recs[name]!);
      expect(r('pendingHigh')).toMatchObject({ effectiveStatus: 'PENDING', actionState: 'NONE', confidenceScore: '0.9500' });
      expect(r('pendingExpired')).toMatchObject({ status: 'PENDING', effectiveStatus: 'EXPIRED' });
      expect(r('snoozedDue')).toMatchObject({ status: 'SNOOZED', effectiveStatus: 'PENDING' });
      expect(r('snoozedLater')).toMatchObject({ status: 'SNOOZED', effectiveStatus: 'SNOOZED' });
      expect(r('acceptedDone')).toMatchObject({ actionState: 'COMPLETED', acceptedJob: { databaseId: s.fx.jobA, jobType: 'PUBLISH_PRICE_CHANGE' } });
      expect(r('acceptedDone').events.map((e: any) => e.eventType)).toEqual(['GENERATED', 'ACCEPTED', 'ACTION_STARTED', 'ACTION_COMPLETED']);
      expect(r('acceptedDone').events[1].job).toEqual({ databaseId: s.fx.jobA });
      expect(r('acceptedFailed')).toMatchObject({ actionState: 'FAILED', acceptedJob: null });

      const asin: any = await s.q(`query($id: ID!) { node(id: $id) { ... on Recommendation { ${REC_FIELDS} } } }`, { id: gid('Recommendation', s.fx.recs.asinOpportunity!) });
      expect(asin.node).toMatchObject({
        recommendationType: 'OPPORTUNITY_CREATE_LISTING',
        entityType: 'ASIN',
        generationJob: { databaseId: s.fx.jobB },
        entity: { __typename: 'AsinEntity', id: gid('AsinEntity', s.fx.entityA), databaseId: s.fx.entityA, asin: 'B0RDBTEST1' },
      });
    });

    it('Listing.recommendations filters by effective status, honours first, and matches the root order', async () => {
      const data: any = await s.q(`query($id: ID!) { node(id: $id) { ... on Listing {
        all: recommendations(first: 100) { databaseId }
        pending: recommendations(status: [PENDING]) { databaseId effectiveStatus }
        top2: recommendations(first: 2) { databaseId }
        newest: recommendations(orderBy: GENERATED_AT_DESC) { databaseId }
      } } }`, { id: gid('Listing', s.fx.listingA) });
      const rows = await s.app.db.prisma.recommendation.findMany({ where: { entityType: 'LISTING', entityId: s.fx.listingA } });
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
});
