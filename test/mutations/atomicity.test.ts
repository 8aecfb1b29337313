import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadGuardrailSettings } from '../../src/resolvers/settings.js';
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
const AFTER_FIRST_WRITE = 'after-first-write';
const BEFORE_COMMIT = 'before-commit';

let seq = 0;
const uniqueName = (prefix: string) => `${prefix}-${process.pid}-${++seq}`;

interface Case {
  mutation: string;
  query: string;
  /** Builds the input on fresh fixtures. */
  input: (t: TestApp) => Promise<Record<string, unknown>>;
  /**
   * Failure points to inject at; default both. Mutations that write a single row have no
   * 'after-first-write' checkpoint (their only write is followed by the idempotency key and the
   * 'before-commit' hook).
   */
  labels?: string[];
}

/** A mutation whose only write is one row: only 'before-commit' applies. */
const SINGLE_WRITE = [BEFORE_COMMIT];

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
      const { listingId, componentIds } = await createListing(t.db.prisma);
      // With a line each: an empty version cannot be activated (EmptyBomError).
      const lines = { create: [{ componentId: componentIds[0]!, quantity: '1' }] };
      const old = await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: false, lines } });
      await t.db.prisma.bom.create({ data: { listingId, version: 2, isActive: true, lines } });
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
  {
    mutation: 'publishPriceChange',
    query: `mutation($input: PublishPriceChangeInput!) { publishPriceChange(input: $input) { __typename } }`,
    input: async (t) => {
      // 24.00 → 23.50 (−2.1 %, no sales): within the guardrails.
      const { listingId } = await createListing(t.db.prisma);
      return { listingId: gid('Listing', listingId), priceIncVat: '23.50', reason: 'atomicity' };
    },
  },
  {
    mutation: 'publishStockChange',
    query: `mutation($input: PublishStockChangeInput!) { publishStockChange(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      return { listingId: gid('Listing', listingId), availableQuantity: 40, reason: 'atomicity' };
    },
  },
  {
    mutation: 'createListing',
    query: `mutation($input: CreateListingInput!) { createListing(input: $input) { __typename } }`,
    input: async () => ({ sellerSku: uniqueName('ATOMIC-SKU'), asin: 'B08N5WRWNW', title: 'Atomic listing', priceIncVat: '19.99', availableQuantity: 5 }),
  },
  {
    mutation: 'updateListing',
    query: `mutation($input: UpdateListingInput!) { updateListing(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      return { id: gid('Listing', listingId), title: 'Renamed listing', status: 'INACTIVE' };
    },
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'archiveListing',
    query: `mutation($input: ArchiveListingInput!) { archiveListing(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      return { id: gid('Listing', listingId), reason: 'discontinued' };
    },
  },
  {
    mutation: 'upsertCostOverride',
    query: `mutation($input: UpsertCostOverrideInput!) { upsertCostOverride(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      return { listingId: gid('Listing', listingId), shippingCostExVat: '3.10', notes: 'courier price rise' };
    },
  },
  {
    mutation: 'upsertCostOverride (no row yet: insert)',
    query: `mutation($input: UpsertCostOverrideInput!) { upsertCostOverride(input: $input) { __typename } }`,
    input: async (t) => {
      const { listingId } = await createListing(t.db.prisma);
      await t.db.prisma.listingCostOverride.delete({ where: { listingId } });
      return { listingId: gid('Listing', listingId), handlingCostExVat: '0.40' };
    },
  },
  {
    mutation: 'requestListingEnrichment',
    query: `mutation($input: RequestListingEnrichmentInput!) { requestListingEnrichment(input: $input) { __typename } }`,
    input: async (t) => {
      // The fixture has an ASIN: offer, catalog and Keepa jobs (three inserts).
      const { listingId } = await createListing(t.db.prisma);
      return { listingId: gid('Listing', listingId) };
    },
  },
  {
    mutation: 'createComponent',
    query: `mutation($input: CreateComponentInput!) { createComponent(input: $input) { __typename } }`,
    input: async () => ({ componentSku: uniqueName('ATOMIC-CMP'), name: 'Atomic component', unitCostExVat: '1.25' }),
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'updateComponent',
    query: `mutation($input: UpdateComponentInput!) { updateComponent(input: $input) { __typename } }`,
    input: async (t) => {
      const { componentIds } = await createListing(t.db.prisma, { components: 1 });
      return { id: gid('Component', componentIds[0]!), name: 'Renamed component', unitCostExVat: '3.10' };
    },
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'deactivateComponent',
    query: `mutation($input: DeactivateComponentInput!) { deactivateComponent(input: $input) { __typename } }`,
    input: async (t) => {
      const { componentIds } = await createListing(t.db.prisma, { components: 1 });
      return { id: gid('Component', componentIds[0]!) };
    },
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'createSupplier',
    query: `mutation($input: CreateSupplierInput!) { createSupplier(input: $input) { __typename } }`,
    input: async () => ({ name: uniqueName('Atomic supplier'), email: 'buyer@example.com', rating: 4 }),
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'updateSupplier',
    query: `mutation($input: UpdateSupplierInput!) { updateSupplier(input: $input) { __typename } }`,
    input: async (t) => {
      const supplier = await t.db.prisma.supplier.create({ data: { name: uniqueName('Supplier') } });
      return { id: gid('Supplier', supplier.id), name: 'Renamed supplier', leadTimeDays: 14 };
    },
    labels: SINGLE_WRITE,
  },
  {
    mutation: 'deactivateSupplier',
    query: `mutation($input: DeactivateSupplierInput!) { deactivateSupplier(input: $input) { __typename } }`,
    input: async (t) => {
      const supplier = await t.db.prisma.supplier.create({ data: { name: uniqueName('Supplier') } });
      return { id: gid('Supplier', supplier.id) };
    },
    labels: SINGLE_WRITE,
  },
  {
    // Last: it changes the guardrails every later publish would read. Two rows (two settings),
    // each moved off its current value so the successful call always changes something.
    mutation: 'updateGuardrailSettings',
    query: `mutation($input: UpdateGuardrailSettingsInput!) { updateGuardrailSettings(input: $input) { __typename } }`,
    input: async (t) => {
      const current = await loadGuardrailSettings(t.db.prisma);
      return { minStockThreshold: current.minStockThreshold + 1, minDaysOfCoverBeforePriceChange: current.minDaysOfCoverBeforePriceChange + 1 };
    },
  },
];

/** Everything a mutation may write, as comparable rows. */
async function snapshot(t: TestApp) {
  const prisma = t.db.prisma;
  const byId = { orderBy: { id: 'asc' as const } };
  return {
    listings: await prisma.listing.findMany(byId),
    listingCostOverrides: await prisma.listingCostOverride.findMany(byId),
    listingEvents: await prisma.listingEvent.findMany(byId),
    components: await prisma.component.findMany(byId),
    suppliers: await prisma.supplier.findMany(byId),
    settings: await prisma.setting.findMany(byId),
    boms: await prisma.bom.findMany(byId),
    bomLines: await prisma.bomLine.findMany(byId),
    jobs: await prisma.job.findMany(byId),
    recommendations: await prisma.recommendation.findMany(byId),
    recommendationEvents: await prisma.recommendationEvent.findMany(byId),
    idempotencyKeys: await prisma.idempotencyKey.findMany({ orderBy: { key: 'asc' } }),
  };
}

describe.each(backends)('atomicity on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
  });
  afterEach(() => t?.setFailureHook(null));
  afterAll(async () => {
    t.setFailureHook(null);
    await t?.close();
  });

  for (const c of CASES) {
    for (const label of c.labels ?? [AFTER_FIRST_WRITE, BEFORE_COMMIT]) {
      it(`${c.mutation}: a failure at ${label} leaves no trace, and the call then succeeds`, async () => {
        const name = c.mutation.split(' ')[0]!;
        const input = { ...(await c.input(t)), idempotencyKey: `atomic-${kind}-${c.mutation}-${label}` };
        const before = await snapshot(t);
        const reached: string[] = [];
        t.setFailureHook((point) => {
          if (point.mutation !== name) return;
          reached.push(point.label);
          if (point.label === label) throw new Error(`injected failure at ${label}`);
        });
        const failed = await t.gql(c.query, { input });
        expect(reached).toContain(label);
        // Unexpected errors are masked for the client.
        expect(failed.errors?.[0]?.message).toBe('Unexpected error.');
        expect(await snapshot(t)).toEqual(before);

        t.setFailureHook(null);
        const ok = await t.gql(c.query, { input });
        expect(ok.errors).toBeUndefined();
        const typename = Object.values(ok.data as Record<string, { __typename: string }>)[0]!.__typename;
        expect(typename).toMatch(c.mutation.includes('refused') ? /InvalidTransitionError/ : /Payload$/);
        expect(await snapshot(t)).not.toEqual(before);
      });
    }
  }
});
