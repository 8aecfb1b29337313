import { requestListingEnrichment, type EnrichmentJobResult } from '../../resolvers/enrichment.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/** Enrichment: queue the sync jobs that fill a listing's offer, catalogue and Keepa data. */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const EnrichmentJobRef = builder.objectRef<EnrichmentJobResult>('EnrichmentJob').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    jobType: t.exposeString('jobType'),
    created: t.exposeBoolean('created', { description: 'False when an identical PENDING job already existed and was reused.' }),
    job: t.prismaField({
      type: 'Job',
      resolve: (query, r, _args, ctx) => ctx.prisma.job.findUniqueOrThrow({ ...query, where: { id: r.jobId } }),
    }),
  }),
});

const EnrichmentPayload = builder
  .objectRef<{ listingId: number; jobs: EnrichmentJobResult[]; replayed: boolean }>('RequestListingEnrichmentPayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
      }),
      jobs: t.field({ type: [EnrichmentJobRef], resolve: (p) => p.jobs }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const RequestListingEnrichmentInput = builder.inputType('RequestListingEnrichmentInput', {
  fields: (t) => ({
    listingId: t.id({ required: true }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

builder.mutationFields((t) => ({
  requestListingEnrichment: t.field({
    authScopes: { scope: 'listings:write' },
    type: EnrichmentPayload,
    description:
      'Queues SYNC_AMAZON_OFFER, and SYNC_AMAZON_CATALOG + SYNC_KEEPA_ASIN when the listing has an ASIN; an identical PENDING job is reused.',
    errors: mutationResult('requestListingEnrichment', ERRORS),
    args: { input: t.arg({ type: RequestListingEnrichmentInput, required: true }) },
    resolve: (_root, { input }, ctx) => requestListingEnrichment(ctx, { ...input, listingId: String(input.listingId) }),
  }),
}));
