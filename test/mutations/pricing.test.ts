import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { gid } from '../support/global-id.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

/**
 * Price and stock changes (DOMAIN §3, §6.2, §6.3, §7) over GraphQL, on PGlite and PostgreSQL. The
 * fixture is the DOMAIN §3.4 example: price 24.00, BOM 6.00, shipping 2.00, packaging 0.50, FBM,
 * VAT 0.20, 90 units in the last 30 complete days.
 */

const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 86_400_000;

const CHECK = 'rule passed severity threshold actual message';
const ECONOMICS = 'priceIncVat priceExVat bomCostExVat shippingCostExVat packagingCostExVat totalCostExVat profitExVat margin breakEvenPriceIncVat fees { totalFeeExVat referralFeeExVat source }';
const BASE_ERRORS = `
  ... on Error { __typename message code }
  ... on ValidationError { field reason }
  ... on NotFoundError { entityType id }`;
const ERRORS = `${BASE_ERRORS}
  ... on GuardrailViolationError { violations { rule severity threshold actual message } result }
  ... on DuplicateJobError { jobType listingDatabaseId existingJobDatabaseId }
  ... on InvalidTransitionError { currentStatus attemptedAction }
  ... on IdempotencyKeyReuseError { idempotencyKey firstOperation }`;

const PREVIEW_PRICE = `mutation($input: PreviewPriceChangeInput!) { previewPriceChange(input: $input) {
  __typename
  ... on PriceChangePreview { passed currentPriceIncVat newPriceIncVat referencePriceIncVat daysOfCover
    checks { ${CHECK} } violations { ${CHECK} } economicsBefore { ${ECONOMICS} } economicsAfter { ${ECONOMICS} } listing { sellerSku } }
  ${BASE_ERRORS} } }`;
const PREVIEW_STOCK = `mutation($input: PreviewStockChangeInput!) { previewStockChange(input: $input) {
  __typename
  ... on StockChangePreview { passed currentQuantity newQuantity checks { ${CHECK} } violations { ${CHECK} } }
  ${BASE_ERRORS} } }`;
const PAYLOAD = `listing { databaseId } job { databaseId jobType status priority scopeType inputJson createdBy }
  listingEvent { databaseId eventType beforeJson afterJson reason correlationId createdBy job { databaseId } }
  correlationId replayed guardrails { passed checks { ${CHECK} } violations { ${CHECK} } }`;
const PUBLISH_PRICE = `mutation($input: PublishPriceChangeInput!) { publishPriceChange(input: $input) {
  __typename ... on PublishPriceChangePayload { ${PAYLOAD} } ${ERRORS} } }`;
const PUBLISH_STOCK = `mutation($input: PublishStockChangeInput!) { publishStockChange(input: $input) {
  __typename ... on PublishStockChangePayload { ${PAYLOAD} } ${ERRORS} } }`;

const listingGid = (id: number) => gid('Listing', id);

describe.each(backends)('price and stock changes (%s)', (kind) => {
  let t: TestApp;
  let marketplaceId: number;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
    const gb = await t.db.prisma.marketplace.findUniqueOrThrow({ where: { amazonMarketplaceId: 'A1F83G8C2ARO7P' } });
    marketplaceId = gb.id;
  }, 120_000);
  afterAll(async () => t?.close());
  afterEach(() => t?.setFailureHook(null));

  /** The §3.4 listing: cost 6.00 + 2.00 + 0.50, 3 units a day over D−30 … D−1. */
  async function exampleListing(options: { quantity?: number; price?: string; offerPrice?: string; status?: string } = {}): Promise<number> {
    seq += 1;
    const prisma = t.db.prisma;
    const component = await prisma.component.create({ data: { componentSku: `P-COMP-${seq}`, name: 'Widget', unitCostExVat: '6.00' } });
    const listing = await prisma.listing.create({
      data: {
        sellerSku: `P-SKU-${seq}`,
        asin: `B0P${String(seq).padStart(7, '0')}`,
        title: `Example ${seq}`,
        priceIncVat: options.price ?? '24.00',
        availableQuantity: options.quantity ?? 12,
        category: 'Home',
        status: options.status ?? 'active',
        fulfillmentChannel: 'FBM',
        marketplaceId,
      },
    });
    await prisma.bom.create({
      data: {
        listingId: listing.id,
        scopeType: 'LISTING',
        version: 1,
        isActive: true,
        lines: { create: [{ componentId: component.id, quantity: '1', wastageRate: '0' }] },
      },
    });
    await prisma.listingCostOverride.create({ data: { listingId: listing.id, shippingCostExVat: '2.00', packagingCostExVat: '0.50' } });
    const today = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
    const rows = [];
    for (let d = 1; d <= 30; d++) rows.push({ listingId: listing.id, date: new Date(today - d * DAY), units: 3 });
    // Outside the window of complete days: today (incomplete) and D−31.
    rows.push({ listingId: listing.id, date: new Date(today), units: 50 });
    rows.push({ listingId: listing.id, date: new Date(today - 31 * DAY), units: 50 });
    await prisma.listingSalesDaily.createMany({ data: rows });
    if (options.offerPrice) {
      await prisma.listingOfferCurrent.create({ data: { listingId: listing.id, priceIncVat: options.offerPrice, availableQuantity: options.quantity ?? 12 } });
    }
    return listing.id;
  }

  async function writesFor(listingId: number) {
    const [jobs, events] = await Promise.all([
      t.db.prisma.job.findMany({ where: { listingId }, orderBy: { id: 'asc' } }),
      t.db.prisma.listingEvent.findMany({ where: { listingId }, orderBy: { id: 'asc' } }),
    ]);
    return { jobs, events };
  }

  const byRule = (checks: Array<{ rule: string }>): Record<string, any> => Object.fromEntries(checks.map((c) => [c.rule, c]));

  describe('previewPriceChange', () => {
    it('22.00 fails with exactly the daily-change and cover violations and the §3.4 numbers', async () => {
      const id = await exampleListing();
      const r = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '22.00' } });
      expect(r.errors).toBeUndefined();
      const p = r.data.previewPriceChange;
      expect(p.__typename).toBe('PriceChangePreview');
      expect(p.passed).toBe(false);
      expect(p.currentPriceIncVat).toBe('24.00');
      expect(p.newPriceIncVat).toBe('22.00');
      expect(p.referencePriceIncVat).toBe('24.00');
      expect(p.daysOfCover).toBe('4');
      expect(p.violations.map((v: { rule: string }) => v.rule)).toEqual(['max_price_change_pct_per_day', 'min_days_of_cover_before_price_change']);
      const checks = byRule(p.checks);
      expect(Object.keys(checks)).toEqual(['min_margin', 'price_below_break_even', 'max_price_change_pct_per_day', 'min_days_of_cover_before_price_change']);
      expect(checks.min_margin).toMatchObject({ passed: true, severity: 'BLOCK', threshold: '0.15', actual: '0.3863' });
      expect(checks.price_below_break_even).toMatchObject({ passed: true, severity: 'BLOCK', threshold: '12.00', actual: '22.00' });
      expect(checks.max_price_change_pct_per_day).toMatchObject({ passed: false, severity: 'BLOCK', threshold: '0.05', actual: '0.0833' });
      expect(checks.min_days_of_cover_before_price_change).toMatchObject({ passed: false, severity: 'BLOCK', threshold: '7', actual: '4' });

      expect(p.economicsBefore).toMatchObject({
        priceIncVat: '24.00',
        priceExVat: '20.00',
        bomCostExVat: '6.00',
        shippingCostExVat: '2.00',
        packagingCostExVat: '0.50',
        totalCostExVat: '11.50',
        profitExVat: '8.50',
        margin: '0.4250',
        breakEvenPriceIncVat: '12.00',
        fees: { totalFeeExVat: '3.00', referralFeeExVat: '3.00', source: 'ESTIMATE' },
      });
      expect(p.economicsAfter).toMatchObject({
        priceIncVat: '22.00',
        priceExVat: '18.33',
        totalCostExVat: '11.25',
        profitExVat: '7.08',
        margin: '0.3863',
        fees: { totalFeeExVat: '2.75' },
      });
      // A preview writes nothing.
      expect(await writesFor(id)).toEqual({ jobs: [], events: [] });
    });

    it('23.00 fails on cover only; with 30 units (cover 10) it passes', async () => {
      const thin = await exampleListing();
      const r1 = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(thin), priceIncVat: '23.00' } });
      const p1 = r1.data.previewPriceChange;
      expect(p1.passed).toBe(false);
      expect(p1.violations.map((v: { rule: string }) => v.rule)).toEqual(['min_days_of_cover_before_price_change']);
      expect(byRule(p1.checks).min_margin.actual).toBe('0.4064');
      expect(byRule(p1.checks).max_price_change_pct_per_day).toMatchObject({ passed: true, actual: '0.0417' });

      const stocked = await exampleListing({ quantity: 30 });
      const r2 = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(stocked), priceIncVat: '23.00' } });
      const p2 = r2.data.previewPriceChange;
      expect(p2.passed).toBe(true);
      expect(p2.violations).toEqual([]);
      expect(p2.daysOfCover).toBe('10');
      expect(byRule(p2.checks).min_days_of_cover_before_price_change).toMatchObject({ passed: true, actual: '10' });
    });

    it('reads the current price from listing_offer_current before listings', async () => {
      const id = await exampleListing({ quantity: 30, offerPrice: '25.00' });
      const r = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '24.00' } });
      const p = r.data.previewPriceChange;
      expect(p.currentPriceIncVat).toBe('25.00');
      expect(p.economicsBefore.priceIncVat).toBe('25.00');
      expect(byRule(p.checks).max_price_change_pct_per_day.actual).toBe('0.0400');
      expect(p.passed).toBe(true);
    });

    it('measures the daily limit from the earliest PRICE_CHANGE_SUCCEEDED of the trailing 24 h', async () => {
      const id = await exampleListing({ quantity: 30, price: '23.00' });
      const prisma = t.db.prisma;
      // Older than 24 h: ignored. Then 24.00 → 23.40 → 23.00 within the day.
      await prisma.listingEvent.createMany({
        data: [
          { listingId: id, eventType: 'PRICE_CHANGE_SUCCEEDED', beforeJson: { price_inc_vat: '30.00' }, afterJson: { price_inc_vat: '24.00' }, createdAt: new Date(NOW.getTime() - 25 * 3_600_000) },
          { listingId: id, eventType: 'PRICE_CHANGE_SUCCEEDED', beforeJson: { price_inc_vat: 24 }, afterJson: { price_inc_vat: 23.4 }, createdAt: new Date(NOW.getTime() - 5 * 3_600_000) },
          { listingId: id, eventType: 'PRICE_CHANGE_SUCCEEDED', beforeJson: { price_inc_vat: '23.40' }, afterJson: { price_inc_vat: '23.00' }, createdAt: new Date(NOW.getTime() - 2 * 3_600_000) },
        ],
      });
      // 22.50 is −2.2 % from the current 23.00 but −6.25 % from the day's reference 24.00.
      const r = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '22.50' } });
      const p = r.data.previewPriceChange;
      expect(p.currentPriceIncVat).toBe('23.00');
      expect(p.referencePriceIncVat).toBe('24.00');
      expect(p.passed).toBe(false);
      expect(p.violations.map((v: { rule: string }) => v.rule)).toEqual(['max_price_change_pct_per_day']);
      expect(p.violations[0].actual).toBe('0.0625');
      const ok = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '22.90' } });
      expect(ok.data.previewPriceChange).toMatchObject({ passed: true, referencePriceIncVat: '24.00' });
    });

    it('reads the guardrail settings on every call (updateGuardrailSettings takes effect at once)', async () => {
      const id = await exampleListing();
      const SETTINGS = `mutation($input: UpdateGuardrailSettingsInput!) { updateGuardrailSettings(input: $input) { __typename } }`;
      expect((await t.gql(SETTINGS, { input: { minDaysOfCoverBeforePriceChange: 3 } })).data.updateGuardrailSettings.__typename).toBe(
        'UpdateGuardrailSettingsPayload',
      );
      try {
        const r = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.00' } });
        expect(r.data.previewPriceChange.passed).toBe(true);
        expect(byRule(r.data.previewPriceChange.checks).min_days_of_cover_before_price_change).toMatchObject({ passed: true, threshold: '3', actual: '4' });
      } finally {
        await t.gql(SETTINGS, { input: { minDaysOfCoverBeforePriceChange: 7 } });
      }
      const back = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.00' } });
      expect(back.data.previewPriceChange.passed).toBe(false);
    });

    it('names the field of invalid input and reports unknown listings', async () => {
      const id = await exampleListing();
      const zero = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '0' } });
      expect(zero.data.previewPriceChange).toMatchObject({ __typename: 'ValidationError', field: 'priceIncVat', reason: 'must be greater than 0' });
      const cents = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(id), priceIncVat: '19.999' } });
      expect(cents.data.previewPriceChange).toMatchObject({ __typename: 'ValidationError', field: 'priceIncVat' });
      const badId = await t.gql(PREVIEW_PRICE, { input: { listingId: gid('Job', id), priceIncVat: '20.00' } });
      expect(badId.data.previewPriceChange).toMatchObject({ __typename: 'ValidationError', field: 'listingId' });
      const missing = await t.gql(PREVIEW_PRICE, { input: { listingId: listingGid(999_999), priceIncVat: '20.00' } });
      expect(missing.data.previewPriceChange).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing', id: listingGid(999_999) });
    });
  });

  describe('previewStockChange', () => {
    it('−1 blocks, 3 warns below the threshold and passes, 0 warns zero_stock only', async () => {
      const id = await exampleListing();
      const run = async (q: number) =>
        (await t.gql(PREVIEW_STOCK, { input: { listingId: listingGid(id), availableQuantity: q } })).data.previewStockChange;

      const negative = await run(-1);
      expect(negative).toMatchObject({ passed: false, currentQuantity: 12, newQuantity: -1 });
      expect(negative.violations).toEqual([
        expect.objectContaining({ rule: 'invalid_quantity', severity: 'BLOCK', passed: false, threshold: '0', actual: '-1' }),
      ]);

      const low = await run(3);
      expect(low.passed).toBe(true);
      expect(low.violations).toEqual([
        expect.objectContaining({ rule: 'min_stock_threshold', severity: 'WARN', passed: false, threshold: '5', actual: '3' }),
      ]);

      const zero = await run(0);
      expect(zero.passed).toBe(true);
      expect(zero.violations).toEqual([expect.objectContaining({ rule: 'zero_stock', severity: 'WARN', passed: false, actual: '0' })]);
      expect(zero.checks.map((c: { rule: string }) => c.rule)).toEqual(['invalid_quantity', 'min_stock_threshold', 'zero_stock']);

      const fine = await run(280);
      expect(fine).toMatchObject({ passed: true, violations: [] });
      expect(await writesFor(id)).toEqual({ jobs: [], events: [] });
    });
  });

  describe('publishPriceChange', () => {
    it('creates the PUBLISH_PRICE_CHANGE job and the PRICE_CHANGE_DRAFTED event together, with the §6.2/§7 shapes', async () => {
      const id = await exampleListing({ quantity: 30 });
      const r = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.00', reason: 'match competitor', correlationId: 'corr-price-1' } });
      expect(r.errors).toBeUndefined();
      const p = r.data.publishPriceChange;
      expect(p.__typename).toBe('PublishPriceChangePayload');
      expect(p.replayed).toBe(false);
      expect(p.guardrails.passed).toBe(true);

      const { jobs, events } = await writesFor(id);
      expect(jobs).toHaveLength(1);
      expect(events).toHaveLength(1);
      const [job] = jobs;
      const [event] = events;
      expect(job).toMatchObject({ jobType: 'PUBLISH_PRICE_CHANGE', status: 'PENDING', priority: 7, scopeType: 'LISTING', listingId: id, createdBy: 'key:test-admin' });
      expect(job!.scheduledFor).toEqual(NOW);
      expect(job!.inputJson).toEqual({
        price_inc_vat: '23.00',
        previous_price_inc_vat: '24.00',
        reason: 'match competitor',
        correlation_id: 'corr-price-1',
        listing_event_id: event!.id,
      });
      expect(event).toMatchObject({
        eventType: 'PRICE_CHANGE_DRAFTED',
        jobId: job!.id,
        beforeJson: { price_inc_vat: '24.00' },
        afterJson: { price_inc_vat: '23.00' },
        reason: 'match competitor',
        correlationId: 'corr-price-1',
        createdBy: 'key:test-admin',
      });
      expect(event!.createdAt).toEqual(NOW);
      expect(p.job).toMatchObject({ databaseId: job!.id, jobType: 'PUBLISH_PRICE_CHANGE', status: 'PENDING', priority: 7 });
      expect(p.listingEvent).toMatchObject({ databaseId: event!.id, eventType: 'PRICE_CHANGE_DRAFTED', job: { databaseId: job!.id } });
      expect(p.correlationId).toBe('corr-price-1');
      // The listing's price is not changed by a draft: the job does that.
      const listing = await t.db.prisma.listing.findUniqueOrThrow({ where: { id } });
      expect(listing.priceIncVat!.toFixed(2)).toBe('24.00');
    });

    it('refuses a second publish while the first is PENDING or RUNNING (DuplicateJobError) and accepts one after it finished', async () => {
      const id = await exampleListing({ quantity: 30 });
      const first = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.00' } });
      const jobId = first.data.publishPriceChange.job.databaseId;
      expect(first.data.publishPriceChange.correlationId).toMatch(/^[0-9a-f-]{36}$/);

      const second = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.50' } });
      expect(second.data.publishPriceChange).toMatchObject({
        __typename: 'DuplicateJobError',
        code: 'DUPLICATE_JOB',
        jobType: 'PUBLISH_PRICE_CHANGE',
        listingDatabaseId: id,
        existingJobDatabaseId: jobId,
      });
      await t.db.prisma.job.update({ where: { id: jobId }, data: { status: 'RUNNING' } });
      const third = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.50' } });
      expect(third.data.publishPriceChange.__typename).toBe('DuplicateJobError');
      // A stock publish is a different job type: not blocked by the price job.
      const stock = await t.gql(PUBLISH_STOCK, { input: { listingId: listingGid(id), availableQuantity: 40 } });
      expect(stock.data.publishStockChange.__typename).toBe('PublishStockChangePayload');

      let w = await writesFor(id);
      expect(w.jobs.map((j) => j.jobType)).toEqual(['PUBLISH_PRICE_CHANGE', 'PUBLISH_STOCK_CHANGE']);
      expect(w.events.map((e) => e.eventType)).toEqual(['PRICE_CHANGE_DRAFTED', 'STOCK_CHANGE_DRAFTED']);

      await t.db.prisma.job.update({ where: { id: jobId }, data: { status: 'SUCCEEDED' } });
      const fourth = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.50' } });
      expect(fourth.data.publishPriceChange.__typename).toBe('PublishPriceChangePayload');
      w = await writesFor(id);
      expect(w.jobs).toHaveLength(3);
    });

    // Sent one after another (PGlite has one connection); the real race is in concurrency.test.ts.
    it('five publishes in turn for one listing: the first creates the job, the other four are DuplicateJobError', async () => {
      const id = await exampleListing({ quantity: 30 });
      const results = [];
      for (const price of ['23.00', '23.10', '23.20', '23.30', '23.40']) {
        results.push(await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: price } }));
      }
      const kinds = results.map((r) => r.data?.publishPriceChange?.__typename ?? JSON.stringify(r.errors));
      expect(kinds).toEqual(['PublishPriceChangePayload', 'DuplicateJobError', 'DuplicateJobError', 'DuplicateJobError', 'DuplicateJobError']);
      const w = await writesFor(id);
      expect(w.jobs).toHaveLength(1);
      expect(w.events).toHaveLength(1);
      expect(w.events[0]!.jobId).toBe(w.jobs[0]!.id);
    });

    it('refused by the guardrails: GuardrailViolationError with the checks, nothing written', async () => {
      const id = await exampleListing();
      const r = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '22.00' } });
      const e = r.data.publishPriceChange;
      expect(e.__typename).toBe('GuardrailViolationError');
      expect(e.code).toBe('GUARDRAIL_VIOLATION');
      expect(e.violations).toEqual([
        expect.objectContaining({ rule: 'max_price_change_pct_per_day', severity: 'BLOCK', threshold: '0.05', actual: '0.0833' }),
        expect.objectContaining({ rule: 'min_days_of_cover_before_price_change', severity: 'BLOCK', threshold: '7', actual: '4' }),
      ]);
      expect(e.result.passed).toBe(false);
      expect(e.result.checks).toHaveLength(4);
      expect(await writesFor(id)).toEqual({ jobs: [], events: [] });
    });

    it('rolls the job back when the transaction fails after it was written', async () => {
      const id = await exampleListing({ quantity: 30 });
      t.setFailureHook((point) => {
        if (point.mutation === 'publishPriceChange' && point.label === 'after-first-write') throw new Error('injected failure');
      });
      const r = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(id), priceIncVat: '23.00' } });
      expect(r.errors?.[0]?.message).toBe('Unexpected error.');
      expect(await writesFor(id)).toEqual({ jobs: [], events: [] });
    });

    it('replays an idempotent retry and refuses the key for another input', async () => {
      const id = await exampleListing({ quantity: 30 });
      const input = { listingId: listingGid(id), priceIncVat: '23.00', reason: 'retry-safe', idempotencyKey: `price-key-${kind}` };
      const first = (await t.gql(PUBLISH_PRICE, { input })).data.publishPriceChange;
      const again = (await t.gql(PUBLISH_PRICE, { input })).data.publishPriceChange;
      expect(first.replayed).toBe(false);
      expect(again.__typename).toBe('PublishPriceChangePayload');
      expect(again.replayed).toBe(true);
      expect(again.job.databaseId).toBe(first.job.databaseId);
      expect(again.listingEvent.databaseId).toBe(first.listingEvent.databaseId);
      expect(again.correlationId).toBe(first.correlationId);
      const other = (await t.gql(PUBLISH_PRICE, { input: { ...input, priceIncVat: '23.10' } })).data.publishPriceChange;
      expect(other).toMatchObject({ __typename: 'IdempotencyKeyReuseError', idempotencyKey: input.idempotencyKey, firstOperation: 'publishPriceChange' });
      const w = await writesFor(id);
      expect(w.jobs).toHaveLength(1);
      expect(w.events).toHaveLength(1);
    });

    it('refuses archived listings and unknown ones', async () => {
      const archived = await exampleListing({ quantity: 30, status: 'archived' });
      const r = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(archived), priceIncVat: '23.00' } });
      expect(r.data.publishPriceChange).toMatchObject({ __typename: 'InvalidTransitionError', currentStatus: 'archived', attemptedAction: 'PUBLISH_PRICE_CHANGE' });
      const missing = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(999_998), priceIncVat: '23.00' } });
      expect(missing.data.publishPriceChange).toMatchObject({ __typename: 'NotFoundError', entityType: 'Listing' });
      const longCorrelation = await t.gql(PUBLISH_PRICE, { input: { listingId: listingGid(archived), priceIncVat: '23.00', correlationId: 'x'.repeat(101) } });
      expect(longCorrelation.data.publishPriceChange).toMatchObject({ __typename: 'ValidationError', field: 'correlationId' });
      expect(await writesFor(archived)).toEqual({ jobs: [], events: [] });
    });
  });

  describe('publishStockChange', () => {
    it('a WARN passes: job + STOCK_CHANGE_DRAFTED with the warning returned', async () => {
      const id = await exampleListing();
      const r = await t.gql(PUBLISH_STOCK, { input: { listingId: listingGid(id), availableQuantity: 3, reason: 'running down', correlationId: 'corr-stock-1' } });
      const p = r.data.publishStockChange;
      expect(p.__typename).toBe('PublishStockChangePayload');
      expect(p.guardrails.passed).toBe(true);
      expect(p.guardrails.violations).toEqual([expect.objectContaining({ rule: 'min_stock_threshold', severity: 'WARN', actual: '3' })]);
      const { jobs, events } = await writesFor(id);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]).toMatchObject({ jobType: 'PUBLISH_STOCK_CHANGE', status: 'PENDING', priority: 7 });
      expect(jobs[0]!.inputJson).toEqual({
        available_quantity: 3,
        previous_quantity: 12,
        reason: 'running down',
        correlation_id: 'corr-stock-1',
        listing_event_id: events[0]!.id,
      });
      expect(events[0]).toMatchObject({
        eventType: 'STOCK_CHANGE_DRAFTED',
        jobId: jobs[0]!.id,
        beforeJson: { available_quantity: 12 },
        afterJson: { available_quantity: 3 },
        reason: 'running down',
        correlationId: 'corr-stock-1',
        createdBy: 'key:test-admin',
      });
    });

    it('a BLOCK (−1) is refused with nothing written; a duplicate is refused', async () => {
      const id = await exampleListing();
      const blocked = (await t.gql(PUBLISH_STOCK, { input: { listingId: listingGid(id), availableQuantity: -1 } })).data.publishStockChange;
      expect(blocked).toMatchObject({ __typename: 'GuardrailViolationError' });
      expect(blocked.violations).toEqual([expect.objectContaining({ rule: 'invalid_quantity', severity: 'BLOCK', actual: '-1' })]);
      expect(await writesFor(id)).toEqual({ jobs: [], events: [] });

      const first = (await t.gql(PUBLISH_STOCK, { input: { listingId: listingGid(id), availableQuantity: 0 } })).data.publishStockChange;
      expect(first.guardrails.violations.map((v: { rule: string }) => v.rule)).toEqual(['zero_stock']);
      const second = (await t.gql(PUBLISH_STOCK, { input: { listingId: listingGid(id), availableQuantity: 20 } })).data.publishStockChange;
      expect(second).toMatchObject({ __typename: 'DuplicateJobError', jobType: 'PUBLISH_STOCK_CHANGE', existingJobDatabaseId: first.job.databaseId });
    });

    it('replays an idempotent retry', async () => {
      const id = await exampleListing();
      const input = { listingId: listingGid(id), availableQuantity: 40, idempotencyKey: `stock-key-${kind}` };
      const first = (await t.gql(PUBLISH_STOCK, { input })).data.publishStockChange;
      const again = (await t.gql(PUBLISH_STOCK, { input })).data.publishStockChange;
      expect(again).toMatchObject({ __typename: 'PublishStockChangePayload', replayed: true, job: { databaseId: first.job.databaseId } });
      expect((await writesFor(id)).jobs).toHaveLength(1);
    });
  });
});
