import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reprice } from '../../scripts/client/examples/reprice.js';
import { gatewayClient } from '../../scripts/client/gateway-client.js';
import { createKey } from '../../src/auth/keys.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

/**
 * The typed client for scripts (scripts/client): the example script, compiled from
 * scripts/client/operations by codegen, run against the in-process server with a real script key.
 * The listing is the DOMAIN §3.4 example (price 24.00, BOM 6.00, shipping 2.00, packaging 0.50,
 * FBM, 3 units a day), so 23.00 passes every guardrail and 5.00 is below break-even.
 */
const NOW = new Date('2026-03-15T12:00:00.000Z');
const DAY = 86_400_000;

describe.each(backends)('the reprice example script (%s)', (kind) => {
  let t: TestApp;
  let client: ReturnType<typeof gatewayClient>;
  const sku = `SCRIPT-${randomBytes(3).toString('hex')}`;
  let listingId: number;

  beforeAll(async () => {
    t = await createTestApp(kind, { clock: () => NOW });
    const { secret } = await createKey(t.db.prisma, { name: `script-${kind}-${sku}`, role: 'script' });
    client = gatewayClient({ url: 'http://test/graphql', apiKey: secret, fetch: async (input, init) => t.app.fetch(new Request(input, init)) });
    const prisma = t.db.prisma;
    const marketplace = await prisma.marketplace.findUniqueOrThrow({ where: { amazonMarketplaceId: 'A1F83G8C2ARO7P' } });
    const component = await prisma.component.create({ data: { componentSku: `${sku}-C`, name: 'Widget', unitCostExVat: '6.00' } });
    const listing = await prisma.listing.create({
      data: { sellerSku: sku, title: 'Script example', priceIncVat: '24.00', availableQuantity: 30, category: 'Home', status: 'active', fulfillmentChannel: 'FBM', marketplaceId: marketplace.id },
    });
    listingId = listing.id;
    await prisma.bom.create({ data: { listingId, scopeType: 'LISTING', version: 1, isActive: true, lines: { create: [{ componentId: component.id, quantity: '1', wastageRate: '0' }] } } });
    await prisma.listingCostOverride.create({ data: { listingId, shippingCostExVat: '2.00', packagingCostExVat: '0.50' } });
    const today = Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate());
    await prisma.listingSalesDaily.createMany({ data: Array.from({ length: 30 }, (_, i) => ({ listingId, date: new Date(today - (i + 1) * DAY), units: 3 })) });
  });
  afterAll(async () => t?.close());

  const publishJobs = () => t.db.prisma.job.findMany({ where: { listingId, jobType: 'PUBLISH_PRICE_CHANGE' } });

  test('a price below break-even is refused by the preview with the failing rules; nothing is queued', async () => {
    const result = await reprice(client, { sellerSku: sku, priceIncVat: '5.00', idempotencyKey: `low-${sku}` });
    expect(result).toMatchObject({ outcome: 'refused', code: 'GUARDRAIL_VIOLATION' });
    expect(result.outcome === 'refused' && result.violations.join(' ')).toContain('break-even');
    expect(await publishJobs()).toEqual([]);
  });

  test('a passing price is published once: the same key again answers the first job, replayed', async () => {
    const first = await reprice(client, { sellerSku: sku, priceIncVat: '23.00', idempotencyKey: `ok-${sku}` });
    expect(first).toMatchObject({ outcome: 'published', replayed: false });
    const again = await reprice(client, { sellerSku: sku, priceIncVat: '23.00', idempotencyKey: `ok-${sku}` });
    expect(again).toEqual({ ...first, replayed: true });
    const jobs = await publishJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'PENDING', createdBy: `key:script-${kind}-${sku}` });
    expect(first.outcome === 'published' && first.jobId).toBe(Buffer.from(`Job:${jobs[0]!.id}`).toString('base64'));
  });

  test('an unknown seller SKU: not-found, nothing written', async () => {
    expect(await reprice(client, { sellerSku: `${sku}-nope`, priceIncVat: '23.00', idempotencyKey: `nope-${sku}` })).toEqual({ outcome: 'not-found' });
  });
});
