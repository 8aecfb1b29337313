import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JobType } from '../../src/generated/prisma/enums.js';
import type { KeepaClient } from '../../src/jobs/adapters.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { testWorker } from '../support/worker.js';
import { createAsinEntity, createListing, gid } from '../mutations/fixtures.js';

const NOW = new Date('2026-04-10T09:00:00.000Z');
const DAY = 86_400_000;
const keepaMinutes = (ms: number) => Math.floor(ms / 60_000) - 21_564_000;

/** A Keepa double returning the §4.1 example series [17.99 … 21.99] with a fixed lastUpdate. */
function fakeKeepa(capturedAt: Date): KeepaClient & { calls: number } {
  const at = (daysAgo: number) => keepaMinutes(NOW.getTime() - daysAgo * DAY);
  return {
    calls: 0,
    async fetchProduct(asin) {
      this.calls++;
      return {
        capturedAt,
        raw: { asin, lastUpdate: keepaMinutes(capturedAt.getTime()) },
        parsed: { metrics: { offers_count_current: 4 }, csv: { '1': [at(80), 1799, at(60), 1899, at(40), 1999, at(20), 2099, at(5), 2199] } },
      };
    },
  };
}

describe.each(backends)('job handlers on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(kind, { clock: () => NOW });
  });
  afterAll(async () => app?.close());

  const worker = (options: Parameters<typeof testWorker>[1] = {}) => testWorker(app.db, { clock: () => NOW, ...options });
  const enqueue = (jobType: JobType, data: { listingId?: number; asinEntityId?: number; input?: object; scope?: 'LISTING' | 'ASIN' | 'GLOBAL' }) =>
    app.db.prisma.job.create({
      data: { jobType, scopeType: data.scope ?? (data.listingId ? 'LISTING' : 'ASIN'), listingId: data.listingId, asinEntityId: data.asinEntityId, inputJson: data.input ?? {}, scheduledFor: NOW, createdAt: NOW },
    });
  const job = (id: number) => app.db.prisma.job.findUniqueOrThrow({ where: { id } });
  const events = (listingId: number) => app.db.prisma.listingEvent.findMany({ where: { listingId }, orderBy: { id: 'asc' } });

  test('COMPUTE_FEATURES_LISTING on example A: the stored features agree with the live economics field; FEATURES_COMPUTED; one recommendation job', async () => {
    const { listingId, componentIds } = await createListing(app.db.prisma, { quantity: 12 });
    // BOM 2 × 3.00 = 6.00 (example A); its supplier's lead time 21 days becomes L.
    const supplier = await app.db.prisma.supplier.create({ data: { name: `Supplier ${listingId}`, leadTimeDays: 21 } });
    await app.db.prisma.component.update({ where: { id: componentIds[0]! }, data: { supplierId: supplier.id } });
    await app.db.prisma.bom.create({ data: { listingId, scopeType: 'LISTING', version: 1, isActive: true, lines: { create: [{ componentId: componentIds[0]!, quantity: '2' }] } } });
    const w = worker();
    const first = await enqueue('COMPUTE_FEATURES_LISTING', { listingId });
    await w.drain();
    expect((await job(first.id)).status).toBe('SUCCEEDED');
    const rows = await app.db.prisma.featureSnapshot.findMany({ where: { entityType: 'LISTING', entityId: listingId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.computedAt.toISOString()).toBe(NOW.toISOString());
    const f = rows[0]!.featuresJson as Record<string, unknown>;
    expect(f).toMatchObject({
      price_inc_vat: 24, price_ex_vat: 20, bom_cost_ex_vat: 6, shipping_cost_ex_vat: 2, packaging_cost_ex_vat: 0.5, amazon_fees_ex_vat: 3,
      total_cost_ex_vat: 11.5, profit_ex_vat: 8.5, margin: 0.425, break_even_price_inc_vat: 12, min_margin_price_inc_vat: 14.58,
      available_quantity: 12, lead_time_days: 21, days_of_cover: null, stockout_risk: 'LOW', buy_box_status: 'UNKNOWN',
    });
    const live = await app.gql(`query($id: ID!) { node(id: $id) { ... on Listing { economics { margin profitExVat breakEvenPriceIncVat } latestFeatures { margin profitExVat } } } }`, { id: gid('Listing', listingId) });
    const node = live.data.node;
    expect([Number(node.latestFeatures.margin), Number(node.latestFeatures.profitExVat)]).toEqual([Number(node.economics.margin), Number(node.economics.profitExVat)]);
    expect(node.economics.margin).toBe('0.4250');
    expect(f.break_even_price_inc_vat).toBe(Number(node.economics.breakEvenPriceIncVat));
    const computed = (await events(listingId)).filter((e) => e.eventType === 'FEATURES_COMPUTED');
    expect(computed.map((e) => [e.jobId, e.afterJson])).toEqual([[first.id, { feature_store_id: rows[0]!.id, feature_version: 1 }]]);
    // The chained generation run ran; enqueuing features again while one is queued adds nothing.
    expect(await app.db.prisma.job.count({ where: { listingId, jobType: 'GENERATE_RECOMMENDATIONS_LISTING', status: 'SUCCEEDED' } })).toBe(1);
  });

  test('SYNC_KEEPA_ASIN is idempotent on the source timestamp: twice → one snapshot, one KEEPA_SYNC_COMPLETED; features read p25 18.99 / 19.99 / 20.99, IN_BAND at 19.99', async () => {
    const { listingId } = await createListing(app.db.prisma, { price: '19.99' });
    const listing = await app.db.prisma.listing.findUniqueOrThrow({ where: { id: listingId } });
    const entityId = await createAsinEntity(app.db.prisma, listingId);
    await app.db.prisma.asinEntity.update({ where: { id: entityId }, data: { asin: listing.asin! } });
    const keepa = fakeKeepa(new Date(NOW.getTime() - 3_600_000));
    const w = worker({ keepa });
    const input = { asin: listing.asin, marketplace_id: listing.marketplaceId, listing_id: listingId };
    const a = await enqueue('SYNC_KEEPA_ASIN', { listingId, asinEntityId: entityId, input });
    await w.drain();
    const b = await enqueue('SYNC_KEEPA_ASIN', { listingId, asinEntityId: entityId, input });
    await w.drain();
    expect([(await job(a.id)).status, (await job(b.id)).status, keepa.calls]).toEqual(['SUCCEEDED', 'SUCCEEDED', 2]);
    expect((await job(b.id)).resultJson).toMatchObject({ inserted: false });
    expect(await app.db.prisma.keepaSnapshot.count({ where: { asin: listing.asin! } })).toBe(1);
    expect((await events(listingId)).filter((e) => e.eventType === 'KEEPA_SYNC_COMPLETED')).toHaveLength(1);
    const latest = await app.db.prisma.featureSnapshot.findFirstOrThrow({ where: { entityType: 'LISTING', entityId: listingId }, orderBy: { id: 'desc' } });
    expect(latest.featuresJson).toMatchObject({ price_p25_90d: 18.99, price_median_90d: 19.99, price_p75_90d: 20.99, price_volatility_90d: 0.071, competitor_price_position: 'IN_BAND' });
  });

  test('syncs without credentials never pretend: catalog and Keepa fail non-retryably (NO_CREDENTIALS); the simulated offer sync observes nothing', async () => {
    const w = worker();
    const catalog = await enqueue('SYNC_AMAZON_CATALOG', { scope: 'GLOBAL', input: { asin: 'B0NOPE', marketplace_id: 1 } });
    const keepa = await enqueue('SYNC_KEEPA_ASIN', { scope: 'GLOBAL', input: {} });
    const offers = await enqueue('SYNC_AMAZON_OFFER', { scope: 'GLOBAL', input: { asins: null } });
    await w.drain();
    for (const id of [catalog.id, keepa.id]) {
      const row = await job(id);
      expect([row.status, row.attempts, (row.logJson as Array<{ code: string }>)[0]!.code]).toEqual(['FAILED', 1, 'NO_CREDENTIALS']);
    }
    expect(await job(offers.id)).toMatchObject({ status: 'SUCCEEDED', resultJson: { simulated: true, listings_updated: 0 } });
  });

  test('PUBLISH_PRICE_CHANGE re-checks the guardrails at execution: costs that rose since the draft fail it once, with PRICE_CHANGE_FAILED', async () => {
    const { listingId } = await createListing(app.db.prisma);
    const published = await app.gql(`mutation($id: ID!) { publishPriceChange(input: { listingId: $id, priceIncVat: "23.00" }) { __typename ... on PublishPriceChangePayload { job { databaseId } } } }`, { id: gid('Listing', listingId) });
    const jobId = published.data.publishPriceChange.job.databaseId as number;
    await app.db.prisma.listingCostOverride.update({ where: { listingId }, data: { shippingCostExVat: '14.00' } });
    await worker().drain();
    const row = await job(jobId);
    expect([row.status, row.attempts, (row.logJson as Array<{ code: string }>)[0]!.code]).toEqual(['FAILED', 1, 'GUARDRAIL_VIOLATION']);
    const types = (await events(listingId)).map((e) => e.eventType);
    expect(types).toEqual(['PRICE_CHANGE_DRAFTED', 'PRICE_CHANGE_FAILED']);
    expect((await app.db.prisma.listing.findUniqueOrThrow({ where: { id: listingId } })).priceIncVat?.toFixed(2)).toBe('24.00');
  });

  test('PUBLISH_STOCK_CHANGE: applied to the listing and its offer (SUCCEEDED, features job); an FBA listing fails non-retryably', async () => {
    const { listingId } = await createListing(app.db.prisma, { quantity: 30 });
    const r = await app.gql(`mutation($id: ID!) { publishStockChange(input: { listingId: $id, availableQuantity: 280 }) { ... on PublishStockChangePayload { job { databaseId } } } }`, { id: gid('Listing', listingId) });
    await worker().drain();
    expect((await job(r.data.publishStockChange.job.databaseId)).status).toBe('SUCCEEDED');
    const listing = await app.db.prisma.listing.findUniqueOrThrow({ where: { id: listingId }, include: { offer: true } });
    expect([listing.availableQuantity, listing.offer?.availableQuantity]).toEqual([280, 280]);
    const ev = (await events(listingId)).filter((e) => e.eventType.startsWith('STOCK_CHANGE'));
    expect(ev.map((e) => [e.eventType, e.beforeJson, e.afterJson])).toEqual([
      ['STOCK_CHANGE_DRAFTED', { available_quantity: 30 }, { available_quantity: 280 }],
      ['STOCK_CHANGE_PUBLISHED', { available_quantity: 30 }, { available_quantity: 280, write_mode: 'simulate' }],
      ['STOCK_CHANGE_SUCCEEDED', { available_quantity: 30 }, { available_quantity: 280 }],
    ]);
    expect((await events(listingId)).some((e) => e.eventType === 'FEATURES_COMPUTED')).toBe(true);

    const fba = await createListing(app.db.prisma, { quantity: 30 });
    await app.db.prisma.listing.update({ where: { id: fba.listingId }, data: { fulfillmentChannel: 'FBA' } });
    const f = await app.gql(`mutation($id: ID!) { publishStockChange(input: { listingId: $id, availableQuantity: 40 }) { ... on PublishStockChangePayload { job { databaseId } } } }`, { id: gid('Listing', fba.listingId) });
    await worker().drain();
    expect((await job(f.data.publishStockChange.job.databaseId)).errorMessage).toMatch(/FBA/);
    expect((await events(fba.listingId)).map((e) => e.eventType)).toEqual(['STOCK_CHANGE_DRAFTED', 'STOCK_CHANGE_FAILED']);
  });

  test('the §5.3 run: expires, wakes and supersedes (with events), skips snoozed / recently rejected types, generates the rest; run twice → the same PENDING set', async () => {
    // 13.00 with example-A costs: margin 0.0656 < 0.15 (MARGIN_AT_RISK); 3 units/day on 12 in stock (STOCK_INCREASE).
    const { listingId } = await createListing(app.db.prisma, { price: '13.00', quantity: 12 });
    for (let d = 1; d <= 30; d++) await app.db.prisma.listingSalesDaily.create({ data: { listingId, date: new Date(Date.UTC(2026, 3, 10) - d * DAY), units: 3 } });
    const rec = (type: string, status: string, extra: object = {}) =>
      app.db.prisma.recommendation.create({
        data: { recommendationType: type as never, entityType: 'LISTING', entityId: listingId, status: status as never, actionPayloadJson: {}, evidenceJson: {}, impactJson: {}, generatedAt: new Date(NOW.getTime() - 8 * DAY), expiresAt: new Date(NOW.getTime() + DAY), ...extra },
      });
    const expired = await rec('ANOMALY_SALES_DROP', 'PENDING', { expiresAt: new Date(NOW.getTime() - 1000) });
    const current = await rec('STOCK_INCREASE_STOCKOUT_RISK', 'PENDING');
    const woken = await rec('ANOMALY_BUY_BOX_LOSS', 'SNOOZED', { snoozedUntil: new Date(NOW.getTime() - 1000) });
    const asleep = await rec('STOCK_DECREASE_OVERSTOCK', 'SNOOZED', { snoozedUntil: new Date(NOW.getTime() + DAY) });
    await rec('MARGIN_AT_RISK_COMPONENT_COST', 'REJECTED', { rejectedAt: new Date(NOW.getTime() - 3 * DAY) });

    const gen = await enqueue('COMPUTE_FEATURES_LISTING', { listingId });
    await worker().drain();
    expect((await job(gen.id)).status).toBe('SUCCEEDED');
    const status = async (id: number) => (await app.db.prisma.recommendation.findUniqueOrThrow({ where: { id } })).status;
    expect([await status(expired.id), await status(current.id), await status(woken.id), await status(asleep.id)]).toEqual(['EXPIRED', 'SUPERSEDED', 'SUPERSEDED', 'SNOOZED']);
    const runJob = await app.db.prisma.job.findFirstOrThrow({ where: { listingId, jobType: 'GENERATE_RECOMMENDATIONS_LISTING' } });
    const superseded = await app.db.prisma.recommendationEvent.findMany({ where: { recommendationId: { in: [current.id, woken.id] }, eventType: 'SUPERSEDED' } });
    expect(superseded.map((e) => [e.jobId, (e.detailsJson as Record<string, unknown>).superseded_by_job_id])).toEqual([[runJob.id, runJob.id], [runJob.id, runJob.id]]);
    expect(runJob.resultJson).toMatchObject({ expired: 1, unsnoozed: 1, superseded: 2, generated: 1 });
    const pending = () => app.db.prisma.recommendation.findMany({ where: { entityId: listingId, entityType: 'LISTING', status: 'PENDING' }, include: { events: true } });
    const firstSet = await pending();
    expect(firstSet.map((r) => r.recommendationType)).toEqual(['STOCK_INCREASE_STOCKOUT_RISK']);
    expect(firstSet[0]!.actionPayloadJson).toMatchObject({ suggested_quantity: 84, current_quantity: 12 });
    expect(firstSet[0]!.events.map((e) => [e.eventType, e.jobId])).toEqual([['GENERATED', runJob.id]]);

    const again = await enqueue('GENERATE_RECOMMENDATIONS_LISTING', { listingId });
    await worker().drain();
    const secondSet = await pending();
    expect(secondSet.map((r) => [r.recommendationType, r.actionPayloadJson])).toEqual(firstSet.map((r) => [r.recommendationType, r.actionPayloadJson]));
    expect(await status(firstSet[0]!.id)).toBe('SUPERSEDED');
    expect((await job(again.id)).resultJson).toMatchObject({ superseded: 1, generated: 1 });
  });

  test('a drain reaps every stuck job, not one reaper batch: 130 jobs RUNNING since a day ago all become a failed attempt (JOB_TIMEOUT) and wait for their retry', async () => {
    const since = new Date(NOW.getTime() - DAY);
    const stuck = await app.db.prisma.job.createManyAndReturn({
      data: Array.from({ length: 130 }, () => ({ jobType: 'SYNC_AMAZON_SALES' as const, scopeType: 'GLOBAL' as const, status: 'RUNNING' as const, attempts: 1, inputJson: {}, scheduledFor: since, startedAt: since, createdAt: since })),
      select: { id: true },
    });
    const summary = await worker().drain();
    const after = await app.db.prisma.job.findMany({ where: { id: { in: stuck.map((j) => j.id) } } });
    expect(after.filter((j) => j.status !== 'PENDING')).toEqual([]);
    expect(after.every((j) => j.scheduledFor! > NOW && (j.logJson as Array<{ code: string }>).at(-1)?.code === 'JOB_TIMEOUT')).toBe(true);
    expect(Object.keys(summary.counts).some((k) => k.startsWith('SYNC_AMAZON_SALES'))).toBe(false);
  });
});
