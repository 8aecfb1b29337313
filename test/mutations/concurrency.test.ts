import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { ACCEPT_ERROR_FIELDS, BOM_ERROR_FIELDS, TRANSITION_ERROR_FIELDS, createAsinEntity, createListing, createRecommendation, gid } from './fixtures.js';

/**
 * Races on PostgreSQL (PGlite has one connection, so nothing there ever runs concurrently). Every
 * call goes through the GraphQL endpoint in parallel over a 20-connection pool.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const PARALLEL = 48;

const CREATE = `mutation($input: CreateBomVersionInput!) { createBomVersion(input: $input) { __typename ... on CreateBomVersionPayload { bom { databaseId version isActive } } ${BOM_ERROR_FIELDS} } }`;
const ACTIVATE = `mutation($input: ActivateBomVersionInput!) { activateBomVersion(input: $input) { __typename ... on ActivateBomVersionPayload { changed bom { databaseId } listingEvent { databaseId } } ${BOM_ERROR_FIELDS} } }`;
const ACCEPT = `mutation($input: AcceptRecommendationInput!) { acceptRecommendation(input: $input) { __typename ... on AcceptRecommendationPayload { replayed job { databaseId } event { databaseId } } ${ACCEPT_ERROR_FIELDS} } }`;
const REJECT = `mutation($input: RejectRecommendationInput!) { rejectRecommendation(input: $input) { __typename ... on RejectRecommendationPayload { event { databaseId } } ${TRANSITION_ERROR_FIELDS} } }`;
const SNOOZE = `mutation($input: SnoozeRecommendationInput!) { snoozeRecommendation(input: $input) { __typename ... on SnoozeRecommendationPayload { event { databaseId } } ${TRANSITION_ERROR_FIELDS} } }`;

function tally(results: Array<{ __typename: string }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.__typename] = (counts[r.__typename] ?? 0) + 1;
  return counts;
}

describe.skipIf(!testDatabaseUrl)('concurrency on PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres', { clock: () => NOW, poolSize: 20 });
  });
  afterAll(() => t?.close());

  it(`${PARALLEL} concurrent activations of different versions end with exactly one active version and one BOM_UPDATED per change`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    const versions: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [{ componentId: gid('Component', componentIds[0]!), quantity: String(i + 1) }] } });
      versions.push(gid('Bom', r.data.createBomVersion.bom.databaseId));
    }
    const eventsBefore = await prisma.listingEvent.count({ where: { listingId, eventType: 'BOM_UPDATED' } });
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => t.gql(ACTIVATE, { input: { bomId: versions[i % versions.length] } })),
    );
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const payloads = results.map((r) => r.data.activateBomVersion);
    const kinds = tally(payloads);
    console.log(`[concurrency] ${PARALLEL} activations:`, kinds, 'changed:', payloads.filter((p) => p.changed).length);
    expect(Object.keys(kinds).every((k) => k === 'ActivateBomVersionPayload' || k === 'ConflictError')).toBe(true);
    expect(await prisma.bom.count({ where: { listingId, isActive: true } })).toBe(1);
    const changed = payloads.filter((p) => p.__typename === 'ActivateBomVersionPayload' && p.changed);
    const eventsAfter = await prisma.listingEvent.count({ where: { listingId, eventType: 'BOM_UPDATED' } });
    expect(eventsAfter - eventsBefore).toBe(changed.length);
    // Each change's event names a distinct event row.
    expect(new Set(changed.map((p) => p.listingEvent.databaseId)).size).toBe(changed.length);
    // The event chain is consistent: each event's before is the previous event's after.
    const events = await prisma.listingEvent.findMany({ where: { listingId, eventType: 'BOM_UPDATED' }, orderBy: { id: 'asc' }, skip: eventsBefore });
    for (let i = 1; i < events.length; i++) {
      expect((events[i]!.beforeJson as { bom_id: number }).bom_id).toBe((events[i - 1]!.afterJson as { bom_id: number }).bom_id);
    }
    const active = await prisma.bom.findFirstOrThrow({ where: { listingId, isActive: true } });
    expect((events.at(-1)!.afterJson as { bom_id: number }).bom_id).toBe(active.id);
    // Only the active version has an open effective_to.
    expect(await prisma.bom.count({ where: { listingId, isActive: false, effectiveTo: null, effectiveFrom: { not: null } } })).toBe(0);
  });

  it(`${PARALLEL} concurrent creations yield distinct consecutive versions, one active (listing and ASIN scope)`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    const entityId = await createAsinEntity(prisma);
    const line = [{ componentId: gid('Component', componentIds[0]!), quantity: '1' }];
    const [listingResults, asinResults] = await Promise.all([
      Promise.all(Array.from({ length: PARALLEL }, () => t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: line } }))),
      Promise.all(Array.from({ length: PARALLEL / 2 }, () => t.gql(CREATE, { input: { asinEntityId: gid('AsinEntity', entityId), lines: line } }))),
    ]);
    for (const [results, where, n] of [
      [listingResults, { listingId }, PARALLEL],
      [asinResults, { asinEntityId: entityId }, PARALLEL / 2],
    ] as const) {
      const payloads = results.map((r) => r.data.createBomVersion);
      console.log(`[concurrency] ${n} creations:`, tally(payloads));
      const ok = payloads.filter((p) => p.__typename === 'CreateBomVersionPayload');
      const versions = ok.map((p) => p.bom.version).sort((a: number, b: number) => a - b);
      expect(versions).toEqual(Array.from({ length: ok.length }, (_, i) => i + 1));
      expect(ok.length + payloads.filter((p) => p.__typename === 'ConflictError').length).toBe(n);
      expect(await prisma.bom.count({ where })).toBe(ok.length);
      expect(await prisma.bom.count({ where: { ...where, isActive: true } })).toBe(1);
    }
  });

  it(`${PARALLEL} conflicting transitions (accept, reject, snooze at once) on one recommendation have exactly one winner`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    await prisma.bom.create({ data: { listingId, version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
    const recId = await createRecommendation(prisma, { listingId, generatedAt: new Date(NOW.getTime() - 3_600_000) });
    const id = gid('Recommendation', recId);
    const until = new Date(NOW.getTime() + 86_400_000).toISOString();
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => {
        switch (i % 3) {
          case 0:
            return t.gql(ACCEPT, { input: { recommendationId: id } }).then((r) => ({ action: 'ACCEPT', payload: r.data?.acceptRecommendation, errors: r.errors }));
          case 1:
            return t.gql(REJECT, { input: { recommendationId: id, reason: `reject ${i}` } }).then((r) => ({ action: 'REJECT', payload: r.data?.rejectRecommendation, errors: r.errors }));
          default:
            return t.gql(SNOOZE, { input: { recommendationId: id, until } }).then((r) => ({ action: 'SNOOZE', payload: r.data?.snoozeRecommendation, errors: r.errors }));
        }
      }),
    );
    expect(results.every((r) => r.errors === undefined)).toBe(true);
    const winners = results.filter((r) => !['InvalidTransitionError', 'ConflictError'].includes(r.payload.__typename));
    console.log(`[concurrency] ${PARALLEL} transitions:`, tally(results.map((r) => r.payload)), 'winner:', winners.map((w) => w.action));
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    const expectedStatus = { ACCEPT: 'ACCEPTED', REJECT: 'REJECTED', SNOOZE: 'SNOOZED' }[winner.action]!;
    for (const loser of results.filter((r) => r !== winner && r.payload.__typename === 'InvalidTransitionError')) {
      expect(loser.payload).toMatchObject({ currentStatus: expectedStatus, attemptedAction: loser.action });
    }
    const rec = await prisma.recommendation.findUniqueOrThrow({ where: { id: recId }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(rec.status).toBe(expectedStatus);
    // The event log says the same, once.
    expect(rec.events.map((e) => e.eventType)).toEqual(['GENERATED', expectedStatus]);
    const publishJobs = await prisma.job.count({ where: { listingId, jobType: 'PUBLISH_PRICE_CHANGE' } });
    expect(publishJobs).toBe(winner.action === 'ACCEPT' ? 1 : 0);
  });

  it(`${PARALLEL} concurrent retries with one idempotency key apply once and replay the rest`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    await prisma.bom.create({ data: { listingId, version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
    const recId = await createRecommendation(prisma, { listingId, generatedAt: new Date(NOW.getTime() - 3_600_000) });
    const input = { recommendationId: gid('Recommendation', recId), idempotencyKey: `race-${recId}` };
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => t.gql(ACCEPT, { input })));
    const payloads = results.map((r) => r.data.acceptRecommendation);
    console.log(`[concurrency] ${PARALLEL} same-key accepts:`, tally(payloads), 'replayed:', payloads.filter((p) => p.replayed).length);
    const ok = payloads.filter((p) => p.__typename === 'AcceptRecommendationPayload');
    expect(ok.filter((p) => !p.replayed)).toHaveLength(1);
    expect(ok.length + payloads.filter((p) => p.__typename === 'ConflictError').length).toBe(PARALLEL);
    expect(new Set(ok.map((p) => p.job.databaseId)).size).toBe(1);
    expect(await prisma.job.count({ where: { listingId } })).toBe(1);
    expect(await prisma.recommendationEvent.count({ where: { recommendationId: recId } })).toBe(2);
  });
});
