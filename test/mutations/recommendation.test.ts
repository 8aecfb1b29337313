import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expireRecommendation,
  supersedeRecommendation,
  unsnoozeRecommendation,
} from '../../src/resolvers/recommendation-transitions.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import {
  ACCEPT_ERROR_FIELDS,
  TRANSITION_ERROR_FIELDS,
  createListing,
  createRecommendation,
  errorFields,
  gid,
  type RecFixture,
} from './fixtures.js';

const NOW = new Date('2025-06-01T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const REC_FIELDS = `recommendation { databaseId status acceptedAt rejectedAt snoozedUntil expiresAt acceptedJob { databaseId } events { eventType reason details: detailsJson } }
  event { eventType reason details: detailsJson job { databaseId } }
  replayed`;

const VIEW = `mutation($input: MarkRecommendationViewedInput!) { markRecommendationViewed(input: $input) { ... on MarkRecommendationViewedPayload { ${REC_FIELDS} } ${TRANSITION_ERROR_FIELDS} } }`;
const ACCEPT = `mutation($input: AcceptRecommendationInput!) { acceptRecommendation(input: $input) { ... on AcceptRecommendationPayload { ${REC_FIELDS}
  job { databaseId jobType status priority input: inputJson createdBy }
  listingEvent { databaseId eventType before: beforeJson after: afterJson reason correlationId job { databaseId } } } ${ACCEPT_ERROR_FIELDS} } }`;
const REJECT = `mutation($input: RejectRecommendationInput!) { rejectRecommendation(input: $input) { ... on RejectRecommendationPayload { ${REC_FIELDS} } ${TRANSITION_ERROR_FIELDS} } }`;
const SNOOZE = `mutation($input: SnoozeRecommendationInput!) { snoozeRecommendation(input: $input) { ... on SnoozeRecommendationPayload { ${REC_FIELDS} } ${TRANSITION_ERROR_FIELDS} } }`;
const SWEEP = `mutation($input: SweepRecommendationsInput) { sweepRecommendations(input: $input) { ... on SweepRecommendationsPayload { expired unsnoozed skippedLocked replayed } ${errorFields(['ValidationError', 'IdempotencyKeyReuseError', 'ConflictError'])} } }`;

describe.each(backends)('recommendation lifecycle on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A listing as in DOMAIN §1.6 example A (24.00, BOM 6.00, ship 2.00, pack 0.50) and a rec on it. */
  async function setup(rec: Partial<RecFixture> = {}) {
    const prisma = t.db.prisma;
    const { listingId, componentIds } = await createListing(prisma);
    await prisma.bom.create({
      data: { listingId, scopeType: 'LISTING', version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } },
    });
    const recId = await createRecommendation(prisma, { listingId, generatedAt: new Date(NOW.getTime() - DAY), ...rec });
    return { listingId, recId, id: gid('Recommendation', recId) };
  }

  async function rowCounts(listingId: number, recId: number) {
    const prisma = t.db.prisma;
    return {
      jobs: await prisma.job.count({ where: { listingId } }),
      listingEvents: await prisma.listingEvent.count({ where: { listingId } }),
      recEvents: await prisma.recommendationEvent.count({ where: { recommendationId: recId } }),
      status: (await prisma.recommendation.findUniqueOrThrow({ where: { id: recId } })).status,
    };
  }

  it('marks a PENDING recommendation viewed once (first view only)', async () => {
    const { id, recId, listingId } = await setup();
    const first = (await t.gql(VIEW, { input: { recommendationId: id } })).data.markRecommendationViewed;
    expect(first.recommendation.status).toBe('PENDING');
    expect(first.event.eventType).toBe('VIEWED');
    const before = await rowCounts(listingId, recId);
    const again = (await t.gql(VIEW, { input: { recommendationId: id } })).data.markRecommendationViewed;
    expect(again.event.eventType).toBe('VIEWED');
    expect(await rowCounts(listingId, recId)).toEqual(before);
  });

  it('accepts a CHANGE_PRICE recommendation: guardrails pass, publish job (priority 7) and PRICE_CHANGE_DRAFTED in one go', async () => {
    const { id, recId, listingId } = await setup();
    const result = await t.gql(ACCEPT, { input: { recommendationId: id, reason: 'looks right' } });
    expect(result.errors).toBeUndefined();
    const payload = result.data.acceptRecommendation;
    expect(payload.recommendation).toMatchObject({ status: 'ACCEPTED', acceptedAt: NOW.toISOString(), acceptedJob: { databaseId: payload.job.databaseId } });
    expect(payload.job).toMatchObject({ jobType: 'PUBLISH_PRICE_CHANGE', status: 'PENDING', priority: 7, createdBy: 'key:test-admin' });
    expect(payload.job.input).toMatchObject({
      price_inc_vat: '25.00',
      previous_price_inc_vat: '24.00',
      recommendation_id: recId,
      listing_event_id: payload.listingEvent.databaseId,
      reason: 'looks right',
    });
    expect(payload.job.input.correlation_id).toBe(payload.listingEvent.correlationId);
    expect(payload.listingEvent).toMatchObject({
      eventType: 'PRICE_CHANGE_DRAFTED',
      before: { price_inc_vat: '24.00' },
      after: { price_inc_vat: '25.00' },
      job: { databaseId: payload.job.databaseId },
    });
    expect(payload.event).toMatchObject({
      eventType: 'ACCEPTED',
      reason: 'looks right',
      details: { job_type: 'PUBLISH_PRICE_CHANGE', job_id: payload.job.databaseId, action: 'CHANGE_PRICE' },
    });
    expect((await rowCounts(listingId, recId)).recEvents).toBe(2);
  });

  it('refuses a second publish for the listing while one is pending: DuplicateJobError, the rec stays PENDING', async () => {
    const { id, listingId } = await setup();
    await t.gql(ACCEPT, { input: { recommendationId: id } });
    const second = await createRecommendation(t.db.prisma, { listingId, generatedAt: new Date(NOW.getTime() - HOUR) });
    const before = await rowCounts(listingId, second);
    const result = (await t.gql(ACCEPT, { input: { recommendationId: gid('Recommendation', second) } })).data.acceptRecommendation;
    expect(result).toMatchObject({ __typename: 'DuplicateJobError', jobType: 'PUBLISH_PRICE_CHANGE', listingDatabaseId: listingId, code: 'DUPLICATE_JOB' });
    expect(result.existingJobDatabaseId).toEqual(expect.any(Number));
    expect(await rowCounts(listingId, second)).toEqual(before);
  });

  it('re-checks the guardrails on the current state: a failing rule is returned with its numbers and nothing changes', async () => {
    // The payload's price is stale (22.50; the listing is at 24.00 now): 22.00 is −2.2 % from the
    // payload but −8.3 % from the current price, so only a check on the current state refuses it.
    const { id, recId, listingId } = await setup({
      type: 'PRICE_DECREASE_REGAIN_BUYBOX',
      payload: { action: 'CHANGE_PRICE', suggested_price_inc_vat: '22.00', current_price_inc_vat: '22.50' },
    });
    const before = await rowCounts(listingId, recId);
    const result = (await t.gql(ACCEPT, { input: { recommendationId: id } })).data.acceptRecommendation;
    expect(result.__typename).toBe('GuardrailViolationError');
    expect(result.violations).toEqual([
      expect.objectContaining({ rule: 'max_price_change_pct_per_day', severity: 'BLOCK', threshold: '0.05', actual: '0.0833' }),
    ]);
    expect(await rowCounts(listingId, recId)).toEqual(before);
  });

  it('accepts a price the current state allows even when the payload\'s stale price would refuse it', async () => {
    // Generated at 24.00; the offer has moved to 22.50 since: 22.00 is −2.2 % now (−8.3 % from the payload).
    const { id, recId, listingId } = await setup({
      type: 'PRICE_DECREASE_REGAIN_BUYBOX',
      payload: { action: 'CHANGE_PRICE', suggested_price_inc_vat: '22.00', current_price_inc_vat: '24.00' },
    });
    await t.db.prisma.listingOfferCurrent.update({ where: { listingId }, data: { priceIncVat: '22.50' } });
    const accepted = (await t.gql(ACCEPT, { input: { recommendationId: id } })).data.acceptRecommendation;
    expect(accepted.recommendation?.status, JSON.stringify(accepted)).toBe('ACCEPTED');
    expect(accepted.job.input).toMatchObject({ price_inc_vat: '22.00', previous_price_inc_vat: '22.50', recommendation_id: recId });
    expect(accepted.listingEvent).toMatchObject({ before: { price_inc_vat: '22.50' }, after: { price_inc_vat: '22.00' } });
  });

  it('accepts a CHANGE_STOCK recommendation with the quantity read now, and a non-publishable one without a job', async () => {
    const stock = await setup({
      type: 'STOCK_INCREASE_STOCKOUT_RISK',
      payload: { action: 'CHANGE_STOCK', suggested_quantity: 80, current_quantity: 12 },
    });
    const accepted = (await t.gql(ACCEPT, { input: { recommendationId: stock.id } })).data.acceptRecommendation;
    expect(accepted.job).toMatchObject({ jobType: 'PUBLISH_STOCK_CHANGE', priority: 7 });
    expect(accepted.job.input).toMatchObject({ available_quantity: 80, previous_quantity: 30, recommendation_id: stock.recId });
    expect(accepted.listingEvent).toMatchObject({ eventType: 'STOCK_CHANGE_DRAFTED', before: { available_quantity: 30 }, after: { available_quantity: 80 } });

    const review = await setup({ type: 'MARGIN_AT_RISK_COMPONENT_COST', payload: { action: 'REVIEW_COSTS', current_margin: '0.10' } });
    const reviewed = (await t.gql(ACCEPT, { input: { recommendationId: review.id } })).data.acceptRecommendation;
    expect(reviewed).toMatchObject({ recommendation: { status: 'ACCEPTED', acceptedJob: null }, job: null, listingEvent: null });
    expect(reviewed.event.details).toEqual({ job_type: null, job_id: null, action: 'REVIEW_COSTS' });
  });

  it('rejects with a required reason', async () => {
    const { id, recId, listingId } = await setup();
    const before = await rowCounts(listingId, recId);
    const blank = (await t.gql(REJECT, { input: { recommendationId: id, reason: '  ' } })).data.rejectRecommendation;
    expect(blank).toMatchObject({ __typename: 'ValidationError', field: 'reason' });
    // Text PostgreSQL cannot store (NUL) is the client's error, not "Unexpected error.".
    const nul = (await t.gql(REJECT, { input: { recommendationId: id, reason: 'a\u0000b' } })).data.rejectRecommendation;
    expect(nul).toMatchObject({ __typename: 'ValidationError', field: 'input' });
    expect(await rowCounts(listingId, recId)).toEqual(before);
    const rejected = (await t.gql(REJECT, { input: { recommendationId: id, reason: 'too aggressive' } })).data.rejectRecommendation;
    expect(rejected.recommendation).toMatchObject({ status: 'REJECTED', rejectedAt: NOW.toISOString() });
    expect(rejected.event).toMatchObject({ eventType: 'REJECTED', reason: 'too aggressive' });
  });

  it('snoozes until a future date (≤ 365 d), pushing expires_at to until + 7 d; a snoozed rec refuses other actions', async () => {
    const { id } = await setup();
    const past = (await t.gql(SNOOZE, { input: { recommendationId: id, until: new Date(NOW.getTime() - HOUR).toISOString() } })).data.snoozeRecommendation;
    expect(past).toMatchObject({ __typename: 'ValidationError', field: 'until' });
    const far = (await t.gql(SNOOZE, { input: { recommendationId: id, until: new Date(NOW.getTime() + 366 * DAY).toISOString() } })).data.snoozeRecommendation;
    expect(far).toMatchObject({ __typename: 'ValidationError', field: 'until' });
    const until = new Date(NOW.getTime() + 10 * DAY);
    const snoozed = (await t.gql(SNOOZE, { input: { recommendationId: id, until: until.toISOString() } })).data.snoozeRecommendation;
    expect(snoozed.recommendation).toMatchObject({
      status: 'SNOOZED',
      snoozedUntil: until.toISOString(),
      expiresAt: new Date(until.getTime() + 7 * DAY).toISOString(),
    });
    expect(snoozed.event).toMatchObject({ eventType: 'SNOOZED', details: { snoozed_until: until.toISOString() } });
    const refused = (await t.gql(ACCEPT, { input: { recommendationId: id } })).data.acceptRecommendation;
    expect(refused).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'SNOOZED', attemptedAction: 'ACCEPT' });
  });

  it('returns InvalidTransitionError naming the current state and the action for a finished recommendation', async () => {
    const { id, recId, listingId } = await setup();
    await t.gql(REJECT, { input: { recommendationId: id, reason: 'no' } });
    const before = await rowCounts(listingId, recId);
    for (const [query, field, action, extra] of [
      [ACCEPT, 'acceptRecommendation', 'ACCEPT', {}],
      [REJECT, 'rejectRecommendation', 'REJECT', { reason: 'again' }],
      [SNOOZE, 'snoozeRecommendation', 'SNOOZE', { until: new Date(NOW.getTime() + DAY).toISOString() }],
      [VIEW, 'markRecommendationViewed', 'VIEW', {}],
    ] as const) {
      const result = (await t.gql(query, { input: { recommendationId: id, ...extra } })).data[field];
      expect(result).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'REJECTED', attemptedAction: action, code: 'INVALID_TRANSITION' });
    }
    expect(await rowCounts(listingId, recId)).toEqual(before);
  });

  it('persists a due expiry when a user acts on an expired rec, and wakes a due snooze before acting', async () => {
    const expired = await setup({ generatedAt: new Date(NOW.getTime() - 8 * DAY) });
    const refused = (await t.gql(ACCEPT, { input: { recommendationId: expired.id } })).data.acceptRecommendation;
    expect(refused).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'EXPIRED', attemptedAction: 'ACCEPT' });
    const row = await t.db.prisma.recommendation.findUniqueOrThrow({ where: { id: expired.recId }, include: { events: true } });
    expect(row.status).toBe('EXPIRED');
    expect(row.events.map((e) => e.eventType)).toEqual(['GENERATED', 'EXPIRED']);

    const woken = await setup({ status: 'SNOOZED', snoozedUntil: new Date(NOW.getTime() - HOUR), expiresAt: new Date(NOW.getTime() + 6 * DAY) });
    const rejected = (await t.gql(REJECT, { input: { recommendationId: woken.id, reason: 'after snooze' } })).data.rejectRecommendation;
    expect(rejected.recommendation.status).toBe('REJECTED');
  });

  it('sweepRecommendations expires due PENDING recs and wakes due SNOOZED ones', async () => {
    const due = await setup({ generatedAt: new Date(NOW.getTime() - 9 * DAY) });
    const sleeping = await setup({ status: 'SNOOZED', snoozedUntil: new Date(NOW.getTime() - HOUR), expiresAt: new Date(NOW.getTime() + 6 * DAY) });
    const notYet = await setup({ status: 'SNOOZED', snoozedUntil: new Date(NOW.getTime() + HOUR), expiresAt: new Date(NOW.getTime() + 8 * DAY) });
    const result = (await t.gql(SWEEP, { input: {} })).data.sweepRecommendations;
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.unsnoozed).toBeGreaterThanOrEqual(1);
    const statuses = await t.db.prisma.recommendation.findMany({ where: { id: { in: [due.recId, sleeping.recId, notYet.recId] } }, orderBy: { id: 'asc' } });
    expect(statuses.map((r) => r.status)).toEqual(['EXPIRED', 'PENDING', 'SNOOZED']);
    const again = (await t.gql(SWEEP, {})).data.sweepRecommendations;
    expect(again).toMatchObject({ expired: 0, unsnoozed: 0 });
  });

  it('exports the system transitions for the worker (caller transaction; refused = applied false)', async () => {
    const prisma = t.db.prisma;
    const a = await setup();
    const superseded = await prisma.$transaction((tx) => supersedeRecommendation(tx, a.recId, { now: NOW, jobId: null, supersededBy: 12 }));
    expect(superseded).toMatchObject({ applied: true, recommendation: { status: 'SUPERSEDED' } });
    expect(superseded.applied && superseded.event?.detailsJson).toEqual({ superseded_by_job_id: null, superseded_by: 12 });
    const twice = await prisma.$transaction((tx) => supersedeRecommendation(tx, a.recId, { now: NOW, jobId: null }));
    expect(twice).toMatchObject({ applied: false, currentStatus: 'SUPERSEDED' });

    const b = await setup({ status: 'SNOOZED', snoozedUntil: new Date(NOW.getTime() + HOUR), expiresAt: new Date(NOW.getTime() + 8 * DAY) });
    expect(await prisma.$transaction((tx) => unsnoozeRecommendation(tx, b.recId, { now: NOW }))).toMatchObject({ applied: false });
    const later = new Date(NOW.getTime() + 2 * HOUR);
    expect(await prisma.$transaction((tx) => unsnoozeRecommendation(tx, b.recId, { now: later }))).toMatchObject({
      applied: true,
      recommendation: { status: 'PENDING' },
      event: null,
    });
    const c = await setup();
    expect(await prisma.$transaction((tx) => expireRecommendation(tx, c.recId, { now: NOW }))).toMatchObject({ applied: false, currentStatus: 'PENDING' });
    expect(await prisma.$transaction((tx) => expireRecommendation(tx, c.recId, { now: new Date(NOW.getTime() + 7 * DAY) }))).toMatchObject({
      applied: true,
      recommendation: { status: 'EXPIRED' },
    });
  });

  it('not found and bad IDs are typed errors', async () => {
    const missing = (await t.gql(ACCEPT, { input: { recommendationId: gid('Recommendation', 999_999) } })).data.acceptRecommendation;
    expect(missing).toMatchObject({ __typename: 'NotFoundError', entityType: 'Recommendation' });
    const bad = (await t.gql(REJECT, { input: { recommendationId: 'xyz', reason: 'r' } })).data.rejectRecommendation;
    expect(bad).toMatchObject({ __typename: 'ValidationError', field: 'recommendationId' });
    const wrongType = (await t.gql(VIEW, { input: { recommendationId: gid('Listing', 1) } })).data.markRecommendationViewed;
    expect(wrongType).toMatchObject({ __typename: 'ValidationError', field: 'recommendationId' });
  });

  describe('idempotency', () => {
    it('a retried accept returns the first result (same job) and writes nothing more', async () => {
      const { id, recId, listingId } = await setup();
      const key = `accept-${kind}-${recId}`;
      const first = (await t.gql(ACCEPT, { input: { recommendationId: id, idempotencyKey: key } })).data.acceptRecommendation;
      const after = await rowCounts(listingId, recId);
      const second = (await t.gql(ACCEPT, { input: { recommendationId: id, idempotencyKey: key } })).data.acceptRecommendation;
      expect(second).toMatchObject({ replayed: true, job: { databaseId: first.job.databaseId }, event: first.event });
      expect(await rowCounts(listingId, recId)).toEqual(after);
    });

    it('the same key with a different input is refused', async () => {
      const { id, recId, listingId } = await setup();
      const key = `reject-${kind}-${recId}`;
      await t.gql(REJECT, { input: { recommendationId: id, reason: 'first', idempotencyKey: key } });
      const after = await rowCounts(listingId, recId);
      const other = (await t.gql(REJECT, { input: { recommendationId: id, reason: 'second', idempotencyKey: key } })).data.rejectRecommendation;
      expect(other).toMatchObject({ __typename: 'IdempotencyKeyReuseError', idempotencyKey: key, firstOperation: 'rejectRecommendation' });
      expect(await rowCounts(listingId, recId)).toEqual(after);
      const snooze = (await t.gql(SNOOZE, { input: { recommendationId: id, until: new Date(NOW.getTime() + DAY).toISOString(), idempotencyKey: key } }))
        .data.snoozeRecommendation;
      expect(snooze.__typename).toBe('IdempotencyKeyReuseError');
    });

    it('a retried sweep replays its counts', async () => {
      await setup({ generatedAt: new Date(NOW.getTime() - 9 * DAY) });
      const key = `sweep-${kind}`;
      const first = (await t.gql(SWEEP, { input: { idempotencyKey: key } })).data.sweepRecommendations;
      const second = (await t.gql(SWEEP, { input: { idempotencyKey: key } })).data.sweepRecommendations;
      expect(second).toEqual({ ...first, replayed: true });
    });
  });
});
