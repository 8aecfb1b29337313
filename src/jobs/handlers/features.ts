/**
 * COMPUTE_FEATURES_LISTING / _ASIN (docs/domain-rules.md §4, §6.2): one feature_store row from the live data,
 * FEATURES_COMPUTED (listings), then the entity's recommendation job (deduplicated, §6.3). A GLOBAL
 * job (the nightly slot) fans out one job per listing and per tracked ASIN entity.
 */
import { bomCost, computeEconomics } from '../../domain/economics.js';
import {
  ASIN_FEATURE_VERSION,
  LISTING_FEATURE_VERSION,
  computeAsinFeatures,
  computeListingFeatures,
  keepaFeatures,
} from '../../domain/features.js';
import { leadTimeDays, utcDateMinusDays } from '../../domain/sales.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { loadEconomicsInputs } from '../../resolvers/read/loaders-economics.js';
import { loadGuardrailSettings } from '../../resolvers/settings.js';
import { recordListingEvent } from '../../resolvers/core/audit-events.js';
import { enqueueFollowUpJob } from '../../resolvers/core/job-enqueueing.js';
import { lockRows } from '../../resolvers/core/row-locks.js';
import type { Tx } from '../../resolvers/core/run-mutation.js';
import { type LiveEvent, listingTopic } from '../live-updates.js';
import { JobError } from '../queue.js';
import type { Emit, JobHandler, JobRun } from '../runner.js';

interface ListingFacts {
  asin: string | null;
  marketplace_id: number | null;
  quantity: number | null;
  buy_box_status: string | null;
  buy_box_pct: string | null;
  lead_times: Array<number | null> | null;
}

const listingEventLive = (listingId: number, id: number): LiveEvent => ({ topic: listingTopic(listingId), payload: { id } });

async function latestFeatures(tx: Tx, entityType: 'LISTING' | 'ASIN', entityId: number): Promise<Record<string, unknown> | null> {
  const row = await tx.featureSnapshot.findFirst({
    where: { entityType, entityId },
    orderBy: [{ computedAt: 'desc' }, { id: 'desc' }],
    select: { featuresJson: true },
  });
  const json = row?.featuresJson;
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
}

async function latestKeepa(tx: Tx, asin: string | null, marketplaceId: number | null) {
  if (!asin || marketplaceId === null) return null;
  return tx.keepaSnapshot.findFirst({ where: { asin, marketplaceId }, orderBy: [{ capturedAt: 'desc' }, { id: 'desc' }], select: { parsedJson: true } });
}

/** §4.1 for one listing, stored; returns the new row's id (null when the listing does not exist). */
export async function storeListingFeatures(tx: Tx, listingId: number, now: Date): Promise<{ id: number; features: Record<string, unknown> } | null> {
  // One statement for the listing's non-economics inputs (the economics come from the shared loader).
  const [listing] = await tx.$queryRaw<ListingFacts[]>`
    SELECT l.asin, l.marketplace_id, COALESCE(o.available_quantity, l.available_quantity) AS quantity,
           o.buy_box_status::text AS buy_box_status, o.buy_box_percentage_30d::text AS buy_box_pct,
           ARRAY(SELECT s.lead_time_days FROM boms b JOIN bom_lines bl ON bl.bom_id = b.id JOIN components c ON c.id = bl.component_id
                 JOIN suppliers s ON s.id = c.supplier_id
                 WHERE b.listing_id = l.id AND b.is_active AND b.scope_type = 'LISTING') AS lead_times
    FROM listings l LEFT JOIN listing_offer_current o ON o.listing_id = l.id WHERE l.id = ${listingId}`;
  if (!listing) return null;
  const settings = await loadGuardrailSettings(tx);
  const input = (await loadEconomicsInputs(tx, [listingId], settings)).get(listingId);
  const economics = input ? computeEconomics(input) : null;
  const sales = await tx.listingSalesDaily.findMany({
    where: { listingId, date: { gte: new Date(`${utcDateMinusDays(now, 90)}T00:00:00Z`), lt: new Date(`${utcDateMinusDays(now, 0)}T00:00:00Z`) } },
    select: { date: true, units: true, revenueIncVat: true, sessions: true },
  });
  const keepa = await latestKeepa(tx, listing.asin, listing.marketplace_id);
  const previous = await latestFeatures(tx, 'LISTING', listingId);
  const features = computeListingFeatures({
    asOf: now,
    economics,
    sales,
    availableQuantity: listing.quantity,
    leadTimeDays: leadTimeDays(listing.lead_times ?? []),
    buyBoxStatus: listing.buy_box_status,
    buyBoxPercentage30d: listing.buy_box_pct,
    keepa: keepa ? keepaFeatures(keepa.parsedJson, now) : null,
    previous,
  });
  const row = await tx.featureSnapshot.create({
    data: { entityType: 'LISTING', entityId: listingId, featureVersion: LISTING_FEATURE_VERSION, featuresJson: features as Prisma.InputJsonObject, computedAt: now, createdAt: now },
    select: { id: true },
  });
  return { id: row.id, features };
}

/** §4.2 for one ASIN entity, stored. */
export async function storeAsinFeatures(tx: Tx, asinEntityId: number, now: Date): Promise<{ id: number; features: Record<string, unknown> } | null> {
  const entity = await tx.asinEntity.findUnique({
    where: { id: asinEntityId },
    select: {
      asin: true,
      marketplaceId: true,
      title: true,
      brand: true,
      category: true,
      marketplace: { select: { vatRate: true } },
      boms: { where: { isActive: true, scopeType: 'ASIN_SCENARIO' }, select: { lines: { select: { quantity: true, wastageRate: true, component: { select: { unitCostExVat: true } } } } } },
    },
  });
  if (!entity) return null;
  const settings = await loadGuardrailSettings(tx);
  const keepaRow = await latestKeepa(tx, entity.asin, entity.marketplaceId);
  const keepa = keepaRow ? keepaFeatures(keepaRow.parsedJson, now) : null;
  const lines = entity.boms[0]?.lines.map((l) => ({ quantity: l.quantity, wastageRate: l.wastageRate, unitCostExVat: l.component.unitCostExVat })) ?? null;
  const scenarioBom = lines ? bomCost(lines) : null;
  const opportunity =
    lines && keepa?.price_current != null
      ? computeEconomics({ priceIncVat: String(keepa.price_current), vatRate: entity.marketplace.vatRate ?? settings.defaultVatRate, bomLines: lines, category: entity.category })
      : null;
  const features = computeAsinFeatures({ ...entity, keepa, scenarioBomCostExVat: scenarioBom, opportunity });
  const row = await tx.featureSnapshot.create({
    data: { entityType: 'ASIN', entityId: asinEntityId, featureVersion: ASIN_FEATURE_VERSION, featuresJson: features as Prisma.InputJsonObject, computedAt: now, createdAt: now },
    select: { id: true },
  });
  return { id: row.id, features };
}

/** Nightly fan-out: a features job per active listing and per tracked / scenario ASIN entity, skipping queued ones. */
async function fanOut(tx: Tx, run: JobRun): Promise<{ listings: number; asins: number }> {
  const at = run.now.toISOString();
  const parent = run.job.id;
  const listings = await tx.$executeRaw`
    INSERT INTO jobs (job_type, scope_type, listing_id, status, priority, input_json, scheduled_for, created_by, created_at, updated_at)
    SELECT 'COMPUTE_FEATURES_LISTING', 'LISTING', l.id, 'PENDING', 3, jsonb_build_object('listing_id', l.id, 'parent_job_id', ${parent}::int), ${at}::timestamp, 'scheduler', ${at}::timestamp, ${at}::timestamp
    FROM listings l
    WHERE COALESCE(l.status, 'active') <> 'archived'
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_type = 'COMPUTE_FEATURES_LISTING' AND j.status = 'PENDING' AND j.listing_id = l.id)
    ORDER BY l.id`;
  const asins = await tx.$executeRaw`
    INSERT INTO jobs (job_type, scope_type, asin_entity_id, status, priority, input_json, scheduled_for, created_by, created_at, updated_at)
    SELECT 'COMPUTE_FEATURES_ASIN', 'ASIN', a.id, 'PENDING', 3, jsonb_build_object('asin_entity_id', a.id, 'parent_job_id', ${parent}::int), ${at}::timestamp, 'scheduler', ${at}::timestamp, ${at}::timestamp
    FROM asin_entities a
    WHERE (a.is_tracked OR EXISTS (SELECT 1 FROM boms b WHERE b.asin_entity_id = a.id AND b.is_active))
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.job_type = 'COMPUTE_FEATURES_ASIN' AND j.status = 'PENDING' AND j.listing_id IS NULL AND j.asin_entity_id = a.id)
    ORDER BY a.id`;
  return { listings, asins };
}

/** The listing's features in `tx` plus FEATURES_COMPUTED; shared with the recommendation run ("compute features if none"). */
export async function computeListingFeaturesWithEvent(tx: Tx, listingId: number, jobId: number, now: Date, emit: Emit) {
  const stored = await storeListingFeatures(tx, listingId, now);
  if (!stored) throw new JobError('NOT_FOUND', `listing ${listingId} does not exist`, false);
  const event = await recordListingEvent(tx, {
    listingId,
    eventType: 'FEATURES_COMPUTED',
    jobId,
    before: null,
    after: { feature_store_id: stored.id, feature_version: LISTING_FEATURE_VERSION },
    createdBy: 'worker',
    now,
  });
  emit(listingEventLive(listingId, event.id));
  return stored;
}

export const computeListingFeaturesHandler: JobHandler = {
  async run(run) {
    await run.finish(async (tx, emit) => {
      if (run.job.scopeType === 'GLOBAL' || run.job.listingId === null) return { fanned_out: await fanOut(tx, run) };
      const listingId = run.job.listingId;
      // The listing lock makes "skip an identical PENDING follow-up" safe (§6.3).
      if ((await lockRows(tx, 'listings', [listingId])).length === 0) throw new JobError('NOT_FOUND', `listing ${listingId} does not exist`, false);
      const stored = await computeListingFeaturesWithEvent(tx, listingId, run.job.id, run.now, emit);
      const follow = await enqueueFollowUpJob(tx, { jobType: 'GENERATE_RECOMMENDATIONS_LISTING', listingId, priority: 3, createdBy: 'worker', now: run.now });
      return { feature_store_id: stored.id, recommendations_job_id: follow.job.id };
    });
  },
};

export const computeAsinFeaturesHandler: JobHandler = {
  async run(run) {
    await run.finish(async (tx) => {
      const entityId = run.job.asinEntityId;
      if (entityId === null) throw new JobError('INVALID_INPUT', 'COMPUTE_FEATURES_ASIN needs an asin_entity_id', false);
      if ((await lockRows(tx, 'asin_entities', [entityId])).length === 0) throw new JobError('NOT_FOUND', `ASIN entity ${entityId} does not exist`, false);
      const stored = (await storeAsinFeatures(tx, entityId, run.now))!;
      const follow = await enqueueFollowUpJob(tx, { jobType: 'GENERATE_RECOMMENDATIONS_ASIN', asinEntityId: entityId, priority: 3, createdBy: 'worker', now: run.now });
      return { feature_store_id: stored.id, recommendations_job_id: follow.job.id };
    });
  },
};
