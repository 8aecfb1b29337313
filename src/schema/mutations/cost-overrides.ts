import { upsertCostOverride } from '../../resolvers/cost-overrides.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/** A listing's cost overrides (shipping, packaging, handling, other), patched in one call. */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const CostOverridePayload = builder
  .objectRef<{ listingId: number; costOverrideId: number; listingEventId: number; replayed: boolean }>('UpsertCostOverridePayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      costOverride: t.prismaField({
        type: 'ListingCostOverride',
        resolve: (query, p, _args, ctx) => ctx.prisma.listingCostOverride.findUniqueOrThrow({ ...query, where: { id: p.costOverrideId } }),
      }),
      listing: t.prismaField({
        type: 'Listing',
        resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
      }),
      listingEvent: t.prismaField({
        type: 'ListingEvent',
        description: 'COST_OVERRIDE_UPDATED: the four costs before → after.',
        resolve: (query, p, _args, ctx) => ctx.prisma.listingEvent.findUniqueOrThrow({ ...query, where: { id: p.listingEventId } }),
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const UpsertCostOverrideInput = builder.inputType('UpsertCostOverrideInput', {
  description: 'Patch semantics: an omitted or null cost keeps its current value (0 when the listing has no override row). Costs are ex VAT, ≥ 0.',
  fields: (t) => ({
    listingId: t.id({ required: true }),
    shippingCostExVat: t.field({ type: 'Decimal' }),
    packagingCostExVat: t.field({ type: 'Decimal' }),
    handlingCostExVat: t.field({ type: 'Decimal' }),
    otherCostExVat: t.field({ type: 'Decimal' }),
    notes: t.string(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

builder.mutationFields((t) => ({
  upsertCostOverride: t.field({
    authScopes: { scope: 'catalog:write' },
    type: CostOverridePayload,
    description: 'Creates or patches the listing\'s cost overrides and records COST_OVERRIDE_UPDATED (old four costs → new four).',
    errors: mutationResult('upsertCostOverride', ERRORS),
    args: { input: t.arg({ type: UpsertCostOverrideInput, required: true }) },
    resolve: (_root, { input }, ctx) => upsertCostOverride(ctx, { ...input, listingId: String(input.listingId) }),
  }),
}));
