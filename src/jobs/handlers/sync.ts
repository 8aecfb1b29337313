/**
 * The syncs (docs/domain-rules.md §6.2) behind MarketplaceClient / KeepaClient. Without credentials a sync never
 * pretends: the offer sync is REF's "simulated success" that observes nothing (result says so); the
 * catalog and Keepa syncs fail non-retryably (NO_CREDENTIALS). Snapshots are insert-or-ignore on
 * (asin, marketplace_id, captured_at) with the source timestamp (§6.3). SYNC_AMAZON_SALES was
 * removed and always fails non-retryably.
 */
import { Prisma } from '../../generated/prisma/client.js';
import { recordListingEvent } from '../../resolvers/core/audit-events.js';
import { enqueueFollowUpJob } from '../../resolvers/core/job-enqueueing.js';
import { lockRows } from '../../resolvers/core/row-locks.js';
import type { Tx } from '../../resolvers/core/run-mutation.js';
import { noCredentials } from '../adapters.js';
import { listingTopic } from '../live-updates.js';
import { JobError } from '../queue.js';
import type { Emit, JobHandler, JobRun } from '../runner.js';

const strings = (value: unknown): string[] | null => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null);

async function recordAndEmit(tx: Tx, emit: Emit, event: Parameters<typeof recordListingEvent>[1]) {
  const row = await recordListingEvent(tx, event);
  emit({ topic: listingTopic(event.listingId), payload: { id: row.id } });
}

/**
 * §6.3: one snapshot per (asin, marketplace, source timestamp). A transaction-scoped advisory lock on
 * that key makes the check-then-insert safe against a concurrent sync; returns the new id or null.
 */
async function insertSnapshotOnce(
  tx: Tx,
  table: 'keepa_snapshots' | 'amazon_catalog_snapshots',
  s: { asin: string; marketplaceId: number; entityId: number | null; raw: unknown; parsed: unknown; capturedAt: Date; now: Date },
): Promise<number | null> {
  const lockKey = `${table}:${s.asin}:${s.marketplaceId}:${s.capturedAt.toISOString()}`;
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${lockKey}))`;
  // `table` is one of the two names of the parameter's type (an identifier, not a value): Prisma.raw.
  const into = Prisma.raw(table);
  const capturedAt = s.capturedAt.toISOString();
  const rows = await tx.$queryRaw<Array<{ id: number }>>`
    INSERT INTO ${into} (asin, marketplace_id, asin_entity_id, raw_json, parsed_json, captured_at, created_at)
    SELECT ${s.asin}::varchar, ${s.marketplaceId}::int, ${s.entityId}::int, ${JSON.stringify(s.raw)}::jsonb, ${JSON.stringify(s.parsed)}::jsonb,
           ${capturedAt}::timestamp, ${s.now.toISOString()}::timestamp
    WHERE NOT EXISTS (SELECT 1 FROM ${into} WHERE asin = ${s.asin}::varchar AND marketplace_id = ${s.marketplaceId}::int AND captured_at = ${capturedAt}::timestamp)
    RETURNING id`;
  return rows[0] ? Number(rows[0].id) : null;
}

export const syncSalesHandler: JobHandler = {
  async run() {
    throw new JobError('JOB_TYPE_REMOVED', 'SYNC_AMAZON_SALES was removed (needs Brand Analytics); not retried', false);
  },
};

export const syncOfferHandler: JobHandler = {
  async run(run) {
    const { job, env, now } = run;
    const listing = job.listingId ? await run.prisma.listing.findUnique({ where: { id: job.listingId }, select: { asin: true } }) : null;
    const asins = strings(job.input.asins) ?? (listing?.asin ? [listing.asin] : []);
    const offers = await env.marketplace.fetchOffers(asins);
    if (offers === null) {
      await run.finish(async () => ({ simulated: true, listings_updated: 0, note: `${env.marketplace.mode} marketplace: no offers observed` }));
      return;
    }
    await run.finish(async (tx, emit) => {
      let updated = 0;
      for (const offer of offers) {
        const listings = await tx.listing.findMany({ where: { asin: offer.asin }, select: { id: true }, orderBy: { id: 'asc' } });
        await lockRows(tx, 'listings', listings.map((l) => l.id));
        for (const { id } of listings) {
          const before = await tx.listingOfferCurrent.findUnique({ where: { listingId: id } });
          const data = {
            priceIncVat: offer.priceIncVat,
            availableQuantity: offer.availableQuantity,
            buyBoxStatus: offer.buyBoxStatus,
            buyBoxPercentage30d: offer.buyBoxPercentage30d,
            buyBoxPrice: offer.buyBoxPrice,
            isBuyBoxWinner: offer.buyBoxStatus === 'WON',
            observedAt: offer.observedAt,
            updatedAt: now,
          };
          await tx.listingOfferCurrent.upsert({ where: { listingId: id }, create: { listingId: id, ...data, createdAt: now }, update: data });
          const old = before && { price_inc_vat: before.priceIncVat?.toFixed(2) ?? null, available_quantity: before.availableQuantity, buy_box_status: before.buyBoxStatus };
          const fresh = { price_inc_vat: offer.priceIncVat, available_quantity: offer.availableQuantity, buy_box_status: offer.buyBoxStatus };
          if (JSON.stringify(old) === JSON.stringify(fresh)) continue;
          updated++;
          await recordAndEmit(tx, emit, { listingId: id, eventType: 'AMAZON_SYNC_COMPLETED', jobId: job.id, before: old, after: fresh, createdBy: 'worker', now });
          await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId: id, priority: 3, createdBy: 'worker', now });
        }
      }
      return { observed: offers.length, listings_updated: updated };
    });
  },
};

export const syncCatalogHandler: JobHandler = {
  async run(run) {
    const { job, env, now } = run;
    const asin = typeof job.input.asin === 'string' ? job.input.asin : null;
    const marketplaceId = typeof job.input.marketplace_id === 'number' ? job.input.marketplace_id : null;
    if (!asin || marketplaceId === null) throw new JobError('INVALID_INPUT', 'SYNC_AMAZON_CATALOG needs input.asin and input.marketplace_id', false);
    const marketplace = await run.prisma.marketplace.findUnique({ where: { id: marketplaceId }, select: { amazonMarketplaceId: true } });
    const item = await env.marketplace.fetchCatalogItem(asin, marketplace?.amazonMarketplaceId ?? null);
    if (!item) throw noCredentials(`catalog sync of ${asin} (${env.marketplace.mode} marketplace)`);
    await run.finish(async (tx) => {
      const entity = await tx.asinEntity.findUnique({ where: { asin_marketplaceId: { asin, marketplaceId } }, select: { id: true } });
      const parsed = { title: item.title, brand: item.brand, category: item.category };
      const id = await insertSnapshotOnce(tx, 'amazon_catalog_snapshots', { asin, marketplaceId, entityId: entity?.id ?? null, raw: item.raw, parsed, capturedAt: item.capturedAt, now });
      if (entity) await tx.asinEntity.update({ where: { id: entity.id }, data: { ...parsed, updatedAt: now } });
      return { inserted: id !== null, captured_at: item.capturedAt.toISOString() };
    });
  },
};

async function keepaTargets(run: JobRun): Promise<Array<{ asin: string; marketplaceId: number; entityId: number | null; listingId: number | null }>> {
  const { job } = run;
  if (typeof job.input.asin === 'string' && typeof job.input.marketplace_id === 'number') {
    const entity = await run.prisma.asinEntity.findUnique({ where: { asin_marketplaceId: { asin: job.input.asin, marketplaceId: job.input.marketplace_id } }, select: { id: true, listingId: true } });
    const listingId = typeof job.input.listing_id === 'number' ? job.input.listing_id : (job.listingId ?? entity?.listingId ?? null);
    return [{ asin: job.input.asin, marketplaceId: job.input.marketplace_id, entityId: entity?.id ?? job.asinEntityId, listingId }];
  }
  if (job.asinEntityId !== null) {
    const entity = await run.prisma.asinEntity.findUnique({ where: { id: job.asinEntityId }, select: { asin: true, marketplaceId: true, listingId: true } });
    if (!entity) throw new JobError('NOT_FOUND', `ASIN entity ${job.asinEntityId} does not exist`, false);
    return [{ asin: entity.asin, marketplaceId: entity.marketplaceId, entityId: job.asinEntityId, listingId: entity.listingId }];
  }
  throw new JobError('INVALID_INPUT', 'SYNC_KEEPA_ASIN needs input.asin + input.marketplace_id or an ASIN entity', false);
}

/** GLOBAL (the daily slot): one Keepa job per tracked or listed ASIN entity, skipping queued ones. */
async function fanOutKeepa(tx: Tx, run: JobRun): Promise<number> {
  const at = run.now.toISOString();
  return tx.$executeRaw`
    INSERT INTO jobs (job_type, scope_type, asin_entity_id, listing_id, status, priority, input_json, scheduled_for, created_by, created_at, updated_at)
    SELECT 'SYNC_KEEPA_ASIN', 'ASIN', a.id, a.listing_id, 'PENDING', 4, jsonb_build_object('asin', a.asin, 'marketplace_id', a.marketplace_id, 'parent_job_id', ${run.job.id}::int),
           ${at}::timestamp, 'scheduler', ${at}::timestamp, ${at}::timestamp
    FROM asin_entities a
    WHERE (a.is_tracked OR a.listing_id IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_type = 'SYNC_KEEPA_ASIN' AND j.status = 'PENDING' AND j.input_json ->> 'asin' = a.asin)
    ORDER BY a.id`;
}

export const syncKeepaHandler: JobHandler = {
  async run(run) {
    const { env, now, job } = run;
    if (!env.keepa) throw noCredentials('Keepa sync (KEEPA_API_KEY is not set)');
    if (job.scopeType === 'GLOBAL') {
      await run.finish(async (tx) => ({ fanned_out: await fanOutKeepa(tx, run) }));
      return;
    }
    const [target] = await keepaTargets(run);
    const product = await env.keepa.fetchProduct(target!.asin, target!.marketplaceId);
    await run.finish(async (tx, emit) => {
      const t = target!;
      if (t.listingId) await lockRows(tx, 'listings', [t.listingId]);
      if (t.entityId) await lockRows(tx, 'asin_entities', [t.entityId]);
      const snapshotId = await insertSnapshotOnce(tx, 'keepa_snapshots', { asin: t.asin, marketplaceId: t.marketplaceId, entityId: t.entityId, raw: product.raw, parsed: product.parsed, capturedAt: product.capturedAt, now });
      if (snapshotId === null) return { inserted: false, captured_at: product.capturedAt.toISOString() };
      if (t.listingId) {
        const after: Prisma.InputJsonObject = { snapshot_id: snapshotId, captured_at: product.capturedAt.toISOString(), asin: t.asin };
        await recordAndEmit(tx, emit, { listingId: t.listingId, eventType: 'KEEPA_SYNC_COMPLETED', jobId: job.id, before: null, after, createdBy: 'worker', now });
        await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId: t.listingId, priority: 3, createdBy: 'worker', now });
      }
      if (t.entityId) await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_ASIN', asinEntityId: t.entityId, priority: 3, createdBy: 'worker', now });
      return { inserted: true, snapshot_id: snapshotId };
    });
  },
};
