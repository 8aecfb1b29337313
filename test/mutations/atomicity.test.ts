import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setTransactionFailureHook } from '../../src/resolvers/transaction.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { createListing, createRecommendation, gid } from './fixtures.js';

/**
 * Nothing half-written: a failure injected after the first write of each transactional mutation
 * (and once more just before commit, after every write including the idempotency key) leaves no
 * trace; the same call then succeeds, so no leftover (e.g. a stored key) blocks the retry.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;

interface Case {
  mutation: string;
  query: string;
  /** Builds the input on fresh fixtures. */
  input: (t: TestApp) => Promise<Record<string, unknown>>;
}

const CASES: Case[] = [
  {
    mutation: 'createBomVersion',
    query: `mutation($input: CreateBomVersionInput!) { createBomVersion(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: true } });
      return { listingId: gid('Listing', listingId), lines: [{ componentId: gid('Component', componentIds[0]!), quantity: '2' }] };
    },
  },
  {
    mutation: 'replaceBomLines',
    query: `mutation($input: ReplaceBomLinesInput!) { replaceBomLines(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId, componentIds } = await createListing(t.db.prisma);
      const bom = await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: true } });
      return { bomId: gid('Bom', bom.id), lines: [{ componentId: gid('Component', componentIds[1]!), quantity: '3' }] };
    },
  },
  {
    mutation: 'activateBomVersion',
    query: `mutation($input: ActivateBomVersionInput!) { activateBomVersion(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      const old = await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: false } });
      await t.db.prisma.bom.create({ data: { listingId, version: 2, isActive: true } });
      return { bomId: gid('Bom', old.id) };
    },
  },
  ...(['markRecommendationViewed', 'acceptRecommendation', 'rejectRecommendation', 'snoozeRecommendation'] as const).map(
    (mutation): Case => ({
      mutation,
      query: `mutation($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`,
      input: async (t) => {
        const { listingId, componentIds } = await createListing(t.db.prisma);
        await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
        const recId = await createRecommendation(t.db.prisma, { listingId, generatedAt: new Date(NOW.getTime() - DAY) });
        const extra =
          mutation === 'rejectRecommendation' ? { reason: 'no' } : mutation === 'snoozeRecommendation' ? { until: new Date(NOW.getTime() + DAY).toISOString() } : {};
        return { recommendationId: gid('Recommendation', recId), ...extra };
      },
    }),
  ),
  {
    mutation: 'acceptRecommendation (expiry persisted, then refused)',
    query: `mutation($input: AcceptRecommendationInput!) { acceptRecommendation(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      const recId = await createRecommendation(t.db.prisma, { listingId, generatedAt: new Date(NOW.getTime() - 8 * DAY) });
      return { recommendationId: gid('Recommendation', recId) };
    },
  },
  {
    mutation: 'sweepRecommendations',
    query: `mutation($input: SweepRecommendationsInput) { sweepRecommendations(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      await createRecommendation(t.db.prisma, { listingId, generatedAt: new Date(NOW.getTime() - 8 * DAY) });
      await createRecommendation(t.db.prisma, { listingId, generatedAt: NOW, status: 'SNOOZED', snoozedUntil: new Date(NOW.getTime() - 1000) });
      return {};
    },
  },
];

/** Everything a mutation may write, as comparable rows. */
async function snapshot(t: TestApp) {
  const prisma = t.db.prisma;
  return {
    boms: await prisma.bom.findMany({ orderBy: { id: 'asc' }, select: { id: true, version: true, isActive: true, effectiveFrom: true, effectiveTo: true } }),
    bomLines: await prisma.bomLine.count(),
    listingEvents: await prisma.listingEvent.count(),
    jobs: await prisma.job.findMany({ orderBy: { id: 'asc' }, select: { id: true, status: true, inputJson: true } }),
    recommendations: await prisma.recommendation.findMany({
      orderBy: { id: 'asc' },
      select: { id: true, status: true, acceptedAt: true, rejectedAt: true, snoozedUntil: true, expiresAt: true, acceptedJobId: true },
    }),
    recommendationEvents: await prisma.recommendationEvent.count(),
    idempotencyKeys: await prisma.idempotencyKey.count(),
  };
}

describe.each(backends)('atomicity on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
  });
  afterEach(() => setTransactionFailureHook(null));
  afterAll(async () => {
    setTransactionFailureHook(null);
    await t?.close();
  });

  for (const c of CASES) {
    for (const label of ['after-first-write', 'before-commit']) {
      it(`${c.mutation}: a failure at ${label} leaves no trace, and the call then succeeds`, async () => {
        const name = c.mutation.split(' ')[0]!;
        const input = { ...(await c.input(t)), idempotencyKey: `atomic-${kind}-${c.mutation}-${label}` };
        const before = await snapshot(t);
        const reached: string[] = [];
        setTransactionFailureHook((point) => {
          if (point.mutation !== name) return;
          reached.push(point.label);
          if (point.label === label) throw new Error(`injected failure at ${label}`);
        });
        const failed = await t.gql(c.query, { input });
        expect(reached).toContain(label);
        // Unexpected errors are masked for the client.
        expect(failed.errors?.[0]?.message).toBe('Unexpected error.');
        expect(await snapshot(t)).toEqual(before);

        setTransactionFailureHook(null);
        const ok = await t.gql(c.query, { input });
        expect(ok.errors).toBeUndefined();
        const typename = Object.values(ok.data as Record<string, { __typename: string }>)[0]!.__typename;
        expect(typename).toMatch(c.mutation.includes('refused') ? /InvalidTransitionError/ : /Payload$/);
        expect(await snapshot(t)).not.toEqual(before);
      });
    }
  }
});
