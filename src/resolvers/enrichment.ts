/** Requesting the syncs that refresh a listing's data (offer, catalog, Keepa). */
import { InvalidTransitionError } from '../domain/errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { JobType } from '../generated/prisma/enums.js';
import { decodeId } from './global-id.js';
import { enqueueFollowUpJob } from './core/job-enqueueing.js';
import { lockRowOrNotFound } from './core/row-locks.js';
import { runMutation, type MutationContext } from './core/run-mutation.js';

type Ctx = MutationContext;

/** The marketplace a listing without one is synced on (Amazon UK). */
const DEFAULT_MARKETPLACE = 'A1F83G8C2ARO7P';

export interface EnrichmentJobResult {
  jobType: JobType;
  jobId: number;
  created: boolean;
}

/**
 * Queues the syncs that refresh a listing (§6.2): its offer always; catalog and Keepa only when it
 * has an ASIN. An identical PENDING job is reused, not duplicated (§6.3). SYNC_AMAZON_SALES is
 * never queued (removed: needs Brand Analytics).
 */
export async function requestListingEnrichment(ctx: Ctx, input: { listingId: string; idempotencyKey?: string | null }) {
  const listingId = decodeId(input.listingId, 'Listing', 'listingId');
  const run = await runMutation(ctx, { name: 'requestListingEnrichment', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    // Holding the listing lock makes "skip an identical PENDING job" safe against a concurrent request.
    await lockRowOrNotFound(tx, 'listings', listingId, 'Listing', input.listingId);
    const listing = await tx.listing.findUniqueOrThrow({ where: { id: listingId }, select: { id: true, asin: true, sellerSku: true, status: true, marketplaceId: true } });
    if (listing.status === 'archived') {
      throw new InvalidTransitionError('archived', 'REQUEST_ENRICHMENT', 'cannot enrich an archived listing');
    }
    const marketplaceId =
      listing.marketplaceId ??
      (await tx.marketplace.findUnique({ where: { amazonMarketplaceId: DEFAULT_MARKETPLACE }, select: { id: true } }))?.id ??
      null;
    const requests: Array<{ jobType: JobType; input: Prisma.InputJsonObject; asinEntityId?: number | null }> = [
      {
        jobType: 'SYNC_AMAZON_OFFER',
        input: listing.asin ? { listing_id: listingId, asins: [listing.asin] } : { listing_id: listingId, seller_sku: listing.sellerSku },
      },
    ];
    if (listing.asin) {
      const entity = marketplaceId
        ? await tx.asinEntity.findUnique({ where: { asin_marketplaceId: { asin: listing.asin, marketplaceId } }, select: { id: true } })
        : null;
      requests.push(
        { jobType: 'SYNC_AMAZON_CATALOG', input: { listing_id: listingId, asin: listing.asin, marketplace_id: marketplaceId } },
        { jobType: 'SYNC_KEEPA_ASIN', input: { listing_id: listingId, asin: listing.asin, marketplace_id: marketplaceId }, asinEntityId: entity?.id ?? null },
      );
    }
    const results: EnrichmentJobResult[] = [];
    for (const request of requests) {
      const { job, created } = await enqueueFollowUpJob(tx, {
        jobType: request.jobType,
        listingId,
        asinEntityId: request.asinEntityId ?? null,
        priority: 5,
        input: request.input,
        createdBy: m.actor,
        now: m.now,
      });
      results.push({ jobType: request.jobType, jobId: job.id, created });
      if (created && results.filter((r) => r.created).length === 1) await m.checkpoint('after-first-write');
    }
    return { listingId, jobs: results };
  });
  return run.resultWithReplayed;
}

