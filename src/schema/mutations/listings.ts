import { archiveListing, createListing, updateListing } from '../../resolvers/listing-records.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { FulfillmentChannelEnum, ListingStatusEnum, storedFulfillmentChannel, storedListingStatus } from '../listing-enums.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/**
 * Listing records: create, edit descriptive fields, archive. Price and quantity change only through
 * publishPriceChange / publishStockChange (pricing.ts).
 */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const ListingPayload = builder.objectRef<{ listingId: number; listingEventId: number | null; replayed: boolean }>('ListingPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    listing: t.prismaField({
      type: 'Listing',
      resolve: (query, p, _args, ctx) => ctx.prisma.listing.findUniqueOrThrow({ ...query, where: { id: p.listingId } }),
    }),
    listingEvent: t.prismaField({
      type: 'ListingEvent',
      nullable: true,
      description: 'The audit row written with the change (LISTING_CREATED / LISTING_ARCHIVED); null for descriptive edits.',
      resolve: (query, p, _args, ctx) =>
        p.listingEventId === null ? null : ctx.prisma.listingEvent.findUniqueOrThrow({ ...query, where: { id: p.listingEventId } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const CreateListingInput = builder.inputType('CreateListingInput', {
  fields: (t) => ({
    sellerSku: t.string({ required: true }),
    asin: t.string(),
    title: t.string(),
    description: t.string(),
    bulletPoints: t.stringList(),
    priceIncVat: t.field({ type: 'Decimal', description: 'Initial price; later changes go through publishPriceChange.' }),
    availableQuantity: t.int({ description: 'Initial quantity; later changes go through publishStockChange.' }),
    category: t.string(),
    status: t.field({ type: ListingStatusEnum, description: 'ACTIVE (default) or INACTIVE.' }),
    fulfillmentChannel: t.field({ type: FulfillmentChannelEnum, description: 'FBM (default) or FBA.' }),
    marketplaceId: t.id(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const UpdateListingInput = builder.inputType('UpdateListingInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({
    id: t.id({ required: true }),
    asin: t.string(),
    title: t.string(),
    description: t.string(),
    bulletPoints: t.stringList(),
    category: t.string(),
    status: t.field({ type: ListingStatusEnum, description: 'ACTIVE or INACTIVE; archive with archiveListing.' }),
    fulfillmentChannel: t.field({ type: FulfillmentChannelEnum, description: 'FBM or FBA.' }),
    marketplaceId: t.id(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

const ArchiveListingInput = builder.inputType('ArchiveListingInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    reason: t.string(),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

builder.mutationFields((t) => ({
  createListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Creates a listing and its LISTING_CREATED event.',
    errors: mutationResult('createListing', ERRORS),
    args: { input: t.arg({ type: CreateListingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createListing(ctx, {
        ...input,
        status: storedListingStatus(input.status),
        fulfillmentChannel: storedFulfillmentChannel(input.fulfillmentChannel),
        marketplaceId: input.marketplaceId == null ? input.marketplaceId : String(input.marketplaceId),
      }),
  }),
  updateListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Edits descriptive fields (not price or quantity: publish those; not archived: use archiveListing).',
    errors: mutationResult('updateListing', ERRORS),
    args: { input: t.arg({ type: UpdateListingInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateListing(ctx, {
        ...input,
        id: String(input.id),
        status: storedListingStatus(input.status),
        fulfillmentChannel: storedFulfillmentChannel(input.fulfillmentChannel),
        marketplaceId: input.marketplaceId == null ? input.marketplaceId : String(input.marketplaceId),
      }),
  }),
  archiveListing: t.field({
    authScopes: { scope: 'listings:write' },
    type: ListingPayload,
    description: 'Sets status archived and records LISTING_ARCHIVED {status} → {status: "archived"}.',
    errors: mutationResult('archiveListing', ERRORS),
    args: { input: t.arg({ type: ArchiveListingInput, required: true }) },
    resolve: (_root, { input }, ctx) => archiveListing(ctx, { ...input, id: String(input.id) }),
  }),
}));
