import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/catalog.js';
import { testDatabaseUrl } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { holdFirstCommit, payloadOf, raceAndRetryConflicts, tally, type Contention } from '../support/races.js';
import { ACCEPT_ERROR_FIELDS, BOM_ERROR_FIELDS, TRANSITION_ERROR_FIELDS, createAsinEntity, createListing, createRecommendation, errorFields, gid } from './fixtures.js';

/**
 * Races on PostgreSQL (PGlite has one connection, so nothing there ever runs concurrently). Every
 * call goes through the GraphQL endpoint in parallel over a 20-connection pool, and each race is
 * proved to be one: the first commit is held until other calls wait on its locks (holdFirstCommit).
 *
 * What the design promises (DOMAIN §2: parent row locked first, then its children): the calls
 * serialise on that lock, so every call gets its own answer — a payload or the typed error its
 * turn deserves — and none needs "ConflictError, retry". runMutation still answers ConflictError
 * if its 8 internal retries run out (e.g. a connection that could not be had in time on a loaded
 * machine); such a call is retried with its idempotency key, and at most MAX_CONFLICTS may need it.
 * The final state is then checked with plain SQL, not through the API.
 */

const NOW = new Date('2025-06-01T12:00:00.000Z');
const PARALLEL = 48;
const POOL = 20;
/** In a 48-way race every other connection of the pool must be seen waiting on the first commit's locks. */
const BUSY = POOL - 1;
const MAX_CONFLICTS = 2;

const CREATE = `mutation($input: CreateBomVersionInput!) { createBomVersion(input: $input) { __typename ... on CreateBomVersionPayload { bom { databaseId version isActive } } ${BOM_ERROR_FIELDS} } }`;
const ACTIVATE = `mutation($input: ActivateBomVersionInput!) { activateBomVersion(input: $input) { __typename ... on ActivateBomVersionPayload { changed replayed bom { databaseId } listingEvent { databaseId } } ${BOM_ERROR_FIELDS} } }`;
const ACCEPT = `mutation($input: AcceptRecommendationInput!) { acceptRecommendation(input: $input) { __typename ... on AcceptRecommendationPayload { replayed job { databaseId } event { databaseId } } ${ACCEPT_ERROR_FIELDS} } }`;
const REJECT = `mutation($input: RejectRecommendationInput!) { rejectRecommendation(input: $input) { __typename ... on RejectRecommendationPayload { event { databaseId } } ${TRANSITION_ERROR_FIELDS} } }`;
const SNOOZE = `mutation($input: SnoozeRecommendationInput!) { snoozeRecommendation(input: $input) { __typename ... on SnoozeRecommendationPayload { event { databaseId } } ${TRANSITION_ERROR_FIELDS} } }`;
const LISTING_ERRORS = errorFields(['ValidationError', 'NotFoundError', 'InvalidTransitionError', 'IdempotencyKeyReuseError', 'ConflictError']);
const PUBLISH_PRICE = `mutation($input: PublishPriceChangeInput!) { publishPriceChange(input: $input) { __typename ... on PublishPriceChangePayload { job { databaseId } listingEvent { databaseId } } ${ACCEPT_ERROR_FIELDS} } }`;
const UPSERT_OVERRIDE = `mutation($input: UpsertCostOverrideInput!) { upsertCostOverride(input: $input) { __typename ... on UpsertCostOverridePayload { listingEvent { databaseId } } ${LISTING_ERRORS} } }`;
const ENRICH = `mutation($input: RequestListingEnrichmentInput!) { requestListingEnrichment(input: $input) { __typename ... on RequestListingEnrichmentPayload { jobs { jobType created job { databaseId } } } ${LISTING_ERRORS} } }`;

describe.skipIf(!testDatabaseUrl)('concurrency on PostgreSQL', () => {
  let t: TestApp;
  let contention: Contention | null = null;
  const q = (text: string, params?: unknown[]) => sql<any>(t.testDb.driver, text, params);
  const count = async (text: string, params?: unknown[]) => Number((await q(`SELECT count(*)::int AS n FROM ${text}`, params))[0].n);

  beforeAll(async () => {
    t = await createTestApp('postgres', { clock: () => NOW, poolSize: POOL });
  });
  afterEach(async () => {
    await contention?.stop();
    contention = null;
  });
  afterAll(() => t?.close());

  /** Races `calls` with the first commit of `mutations` held until `waiters` sessions wait; returns the settled answers. */
  async function race<T extends { __typename: string }>(label: string, mutations: string[], waiters: number, calls: Array<() => Promise<T>>) {
    contention = await holdFirstCommit(t, { mutations, waiters });
    const settled = await raceAndRetryConflicts(calls);
    const waiting = contention.maxWaiting;
    console.log(`[concurrency] ${label}:`, tally(settled.results), `conflicts retried: ${settled.conflicts}, max waiting on a lock: ${waiting}`);
    expect(waiting, 'sessions seen waiting on the first commit').toBeGreaterThanOrEqual(waiters);
    expect(settled.conflicts, 'ConflictError answers').toBeLessThanOrEqual(MAX_CONFLICTS);
    return settled.results;
  }

  it(`${PARALLEL} concurrent activations of 8 versions all succeed; one active version, one BOM_UPDATED per change, in a chain`, async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const versions: number[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await payloadOf(t.gql(CREATE, { input: { listingId: gid('Listing', listingId), lines: [{ componentId: gid('Component', componentIds[0]!), quantity: String(i + 1) }] } }), 'createBomVersion');
      versions.push(created.bom.databaseId);
    }
    const lastEventBefore = Number((await q(`SELECT max(id) AS id FROM listing_events WHERE listing_id = $1`, [listingId]))[0].id);
    const target = (i: number) => versions[i % versions.length]!;
    const results = await race(
      `${PARALLEL} activations`,
      ['activateBomVersion'],
      BUSY,
      Array.from({ length: PARALLEL }, (_, i) => () =>
        payloadOf(t.gql(ACTIVATE, { input: { bomId: gid('Bom', target(i)), idempotencyKey: `activate-${listingId}-${i}` } }), 'activateBomVersion'),
      ),
    );
    expect(tally(results)).toEqual({ ActivateBomVersionPayload: PARALLEL });
    results.forEach((p, i) => expect(p.bom.databaseId).toBe(target(i)));
    const changed = results.filter((p) => p.changed);
    expect(changed.length).toBeGreaterThan(0);

    const active = await q(`SELECT id FROM boms WHERE listing_id = $1 AND scope_type = 'LISTING' AND is_active`, [listingId]);
    expect(active).toHaveLength(1);
    const events = await q(
      `SELECT id, before_json, after_json FROM listing_events WHERE listing_id = $1 AND event_type = 'BOM_UPDATED' AND id > $2 ORDER BY id`,
      [listingId, lastEventBefore],
    );
    expect(events).toHaveLength(changed.length);
    expect(changed.map((p) => p.listingEvent.databaseId).sort()).toEqual(events.map((e) => Number(e.id)).sort());
    // Serialised: each change starts from the one before it, from the version active at the start (the last created).
    let activeId = versions.at(-1)!;
    for (const event of events) {
      expect(event.before_json.bom_id).toBe(activeId);
      expect(event.after_json.bom_id).not.toBe(activeId);
      activeId = event.after_json.bom_id;
    }
    expect(activeId).toBe(Number(active[0].id));
    expect(await count(`boms WHERE listing_id = $1 AND NOT is_active AND effective_to IS NULL AND effective_from IS NOT NULL`, [listingId])).toBe(0);
    // The follow-up feature job stays deduplicated (one PENDING) through the race.
    expect(await count(`jobs WHERE listing_id = $1 AND job_type = 'COMPUTE_FEATURES_LISTING' AND status = 'PENDING'`, [listingId])).toBe(1);
  });

  it(`${PARALLEL} concurrent creations all succeed with versions 1…n, the last one active (listing and ASIN scope)`, async () => {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    const entityId = await createAsinEntity(t.db.prisma);
    const line = [{ componentId: gid('Component', componentIds[0]!), quantity: '1' }];
    const create = (owner: Record<string, string>, key: string) => () => payloadOf(t.gql(CREATE, { input: { ...owner, lines: line, idempotencyKey: key } }), 'createBomVersion');
    const results = await race(`${PARALLEL} + ${PARALLEL / 2} creations`, ['createBomVersion'], BUSY, [
      ...Array.from({ length: PARALLEL }, (_, i) => create({ listingId: gid('Listing', listingId) }, `create-l-${listingId}-${i}`)),
      ...Array.from({ length: PARALLEL / 2 }, (_, i) => create({ asinEntityId: gid('AsinEntity', entityId) }, `create-a-${entityId}-${i}`)),
    ]);
    expect(tally(results)).toEqual({ CreateBomVersionPayload: PARALLEL + PARALLEL / 2 });
    for (const [column, id, n] of [['listing_id', listingId, PARALLEL], ['asin_entity_id', entityId, PARALLEL / 2]] as const) {
      const rows = await q(`SELECT version, is_active FROM boms WHERE ${column} = $1 ORDER BY version`, [id]);
      expect(rows.map((r) => r.version)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
      expect(rows.filter((r) => r.is_active).map((r) => r.version)).toEqual([n]);
    }
    const events = await q(`SELECT before_json, after_json FROM listing_events WHERE listing_id = $1 AND event_type = 'BOM_UPDATED' ORDER BY id`, [listingId]);
    expect(events.map((e) => e.after_json.version)).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i].before_json.bom_id).toBe(events[i - 1].after_json.bom_id);
  });

  it(`${PARALLEL} conflicting transitions (accept, reject, snooze at once) on one recommendation: one winner, every other an InvalidTransitionError`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    await prisma.bom.create({ data: { listingId, version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
    const recId = await createRecommendation(prisma, { listingId, generatedAt: new Date(NOW.getTime() - 3_600_000) });
    const id = gid('Recommendation', recId);
    const until = new Date(NOW.getTime() + 86_400_000).toISOString();
    const actions = ['ACCEPT', 'REJECT', 'SNOOZE'] as const;
    const call = (i: number) => {
      const key = `transition-${recId}-${i}`;
      switch (actions[i % 3]) {
        case 'ACCEPT':
          return payloadOf(t.gql(ACCEPT, { input: { recommendationId: id, idempotencyKey: key } }), 'acceptRecommendation');
        case 'REJECT':
          return payloadOf(t.gql(REJECT, { input: { recommendationId: id, reason: `reject ${i}`, idempotencyKey: key } }), 'rejectRecommendation');
        default:
          return payloadOf(t.gql(SNOOZE, { input: { recommendationId: id, until, idempotencyKey: key } }), 'snoozeRecommendation');
      }
    };
    const results = await race(
      `${PARALLEL} transitions`,
      ['acceptRecommendation', 'rejectRecommendation', 'snoozeRecommendation'],
      BUSY,
      Array.from({ length: PARALLEL }, (_, i) => () => call(i)),
    );
    const winners = results.map((payload, i) => ({ payload, action: actions[i % 3]! })).filter((r) => r.payload.__typename !== 'InvalidTransitionError');
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    expect(winner.payload.__typename).toBe({ ACCEPT: 'AcceptRecommendationPayload', REJECT: 'RejectRecommendationPayload', SNOOZE: 'SnoozeRecommendationPayload' }[winner.action]);
    const status = { ACCEPT: 'ACCEPTED', REJECT: 'REJECTED', SNOOZE: 'SNOOZED' }[winner.action];
    results.forEach((payload, i) => {
      if (payload !== winner.payload) expect(payload).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: status, attemptedAction: actions[i % 3] });
    });
    expect(await q(`SELECT status::text FROM recommendations WHERE id = $1`, [recId])).toEqual([{ status }]);
    expect((await q(`SELECT event_type::text AS e FROM recommendation_events WHERE recommendation_id = $1 ORDER BY id`, [recId])).map((r) => r.e)).toEqual(['GENERATED', status]);
    expect(await count(`jobs WHERE listing_id = $1 AND job_type = 'PUBLISH_PRICE_CHANGE'`, [listingId])).toBe(winner.action === 'ACCEPT' ? 1 : 0);
  });

  it(`${PARALLEL} concurrent retries with one idempotency key apply once and replay the rest`, async () => {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    await prisma.bom.create({ data: { listingId, version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
    const recId = await createRecommendation(prisma, { listingId, generatedAt: new Date(NOW.getTime() - 3_600_000) });
    const input = { recommendationId: gid('Recommendation', recId), idempotencyKey: `race-${recId}` };
    const results = await race(`${PARALLEL} same-key accepts`, ['acceptRecommendation'], BUSY, Array.from({ length: PARALLEL }, () => () => payloadOf(t.gql(ACCEPT, { input }), 'acceptRecommendation')));
    expect(tally(results)).toEqual({ AcceptRecommendationPayload: PARALLEL });
    expect(results.filter((p) => !p.replayed)).toHaveLength(1);
    expect(new Set(results.map((p) => p.job.databaseId)).size).toBe(1);
    expect(await count(`jobs WHERE listing_id = $1`, [listingId])).toBe(1);
    expect(await count(`recommendation_events WHERE recommendation_id = $1`, [recId])).toBe(2);
    expect(await count(`idempotency_keys WHERE key = $1`, [input.idempotencyKey])).toBe(1);
  });

  it('5 concurrent price publishes for one listing: exactly one job and DRAFTED event, the others DuplicateJobError naming it', async () => {
    const { listingId } = await createListing(t.db.prisma);
    const prices = ['23.00', '23.10', '23.20', '23.30', '23.40'];
    const results = await race(
      '5 publishes',
      ['publishPriceChange'],
      prices.length - 1,
      prices.map((price, i) => () =>
        payloadOf(t.gql(PUBLISH_PRICE, { input: { listingId: gid('Listing', listingId), priceIncVat: price, idempotencyKey: `publish-${listingId}-${i}` } }), 'publishPriceChange'),
      ),
    );
    expect(tally(results)).toEqual({ PublishPriceChangePayload: 1, DuplicateJobError: 4 });
    const winner = results.find((p) => p.__typename === 'PublishPriceChangePayload')!;
    for (const loser of results.filter((p) => p !== winner)) {
      expect(loser).toMatchObject({ jobType: 'PUBLISH_PRICE_CHANGE', listingDatabaseId: listingId, existingJobDatabaseId: winner.job.databaseId });
    }
    const jobs = await q(`SELECT id, input_json FROM jobs WHERE listing_id = $1 AND job_type = 'PUBLISH_PRICE_CHANGE'`, [listingId]);
    expect(jobs.map((j) => Number(j.id))).toEqual([winner.job.databaseId]);
    expect(jobs[0].input_json.price_inc_vat).toBe(prices[results.indexOf(winner)]);
    const events = await q(`SELECT id, job_id FROM listing_events WHERE listing_id = $1 AND event_type = 'PRICE_CHANGE_DRAFTED'`, [listingId]);
    expect(events.map((e) => [Number(e.id), Number(e.job_id)])).toEqual([[winner.listingEvent.databaseId, winner.job.databaseId]]);
  });

  it('4 concurrent first upserts of different costs all land in one row, each with its event, in a chain', async () => {
    const { listingId } = await createListing(t.db.prisma);
    await t.db.prisma.listingCostOverride.delete({ where: { listingId } });
    const fields = ['shipping', 'packaging', 'handling', 'other'] as const;
    const values = ['1.10', '0.20', '0.30', '0.40'];
    const results = await race(
      '4 first upserts',
      ['upsertCostOverride'],
      fields.length - 1,
      fields.map((field, i) => () =>
        payloadOf(t.gql(UPSERT_OVERRIDE, { input: { listingId: gid('Listing', listingId), [`${field}CostExVat`]: values[i], idempotencyKey: `upsert-${listingId}-${i}` } }), 'upsertCostOverride'),
      ),
    );
    expect(tally(results)).toEqual({ UpsertCostOverridePayload: 4 });
    const rows = await q(
      `SELECT shipping_cost_ex_vat::text AS s, packaging_cost_ex_vat::text AS p, handling_cost_ex_vat::text AS h, other_cost_ex_vat::text AS o
         FROM listing_cost_overrides WHERE listing_id = $1`,
      [listingId],
    );
    expect(rows).toEqual([{ s: '1.10', p: '0.20', h: '0.30', o: '0.40' }]);
    const events = await q(`SELECT before_json, after_json FROM listing_events WHERE listing_id = $1 AND event_type = 'COST_OVERRIDE_UPDATED' ORDER BY id`, [listingId]);
    expect(events).toHaveLength(4);
    expect(Object.values(events[0].before_json)).toEqual(['0.00', '0.00', '0.00', '0.00']);
    for (let i = 1; i < events.length; i++) expect(events[i].before_json).toEqual(events[i - 1].after_json);
  });

  it('4 concurrent enrichment requests queue each sync once and all name the same three jobs', async () => {
    const { listingId } = await createListing(t.db.prisma);
    const results = await race(
      '4 enrichment requests',
      ['requestListingEnrichment'],
      3,
      [0, 1, 2, 3].map((i) => () => payloadOf(t.gql(ENRICH, { input: { listingId: gid('Listing', listingId), idempotencyKey: `enrich-${listingId}-${i}` } }), 'requestListingEnrichment')),
    );
    expect(tally(results)).toEqual({ RequestListingEnrichmentPayload: 4 });
    expect(results.flatMap((r) => r.jobs.filter((j: { created: boolean }) => j.created))).toHaveLength(3);
    const jobs = await q(`SELECT id, job_type::text AS type FROM jobs WHERE listing_id = $1 ORDER BY job_type::text`, [listingId]);
    expect(jobs.map((j) => j.type)).toEqual(['SYNC_AMAZON_OFFER', 'SYNC_AMAZON_CATALOG', 'SYNC_KEEPA_ASIN'].sort());
    const ids = jobs.map((j) => Number(j.id)).sort();
    for (const r of results) expect(r.jobs.map((j: { job: { databaseId: number } }) => j.job.databaseId).sort()).toEqual(ids);
  });
});
