import { BuyBoxStatus } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { FulfillmentChannelEnum, fulfillmentChannelOf } from './listing-enums.js';

export const BuyBoxStatusEnum = builder.enumType(BuyBoxStatus, { name: 'BuyBoxStatus' });

/** Newest first; a snapshot without captured_at sorts last rather than first (PostgreSQL puts NULLs first in DESC). */
const FEE_SNAPSHOT_ORDER = [{ capturedAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }] as const;

export const ListingOfferRef = builder.prismaNode('ListingOfferCurrent', {
  name: 'ListingOffer',
  authScopes: { scope: 'read' },
  description: 'The current offer of a listing (listing_offer_current, one row per listing).',
  id: { field: 'listingId' },
  fields: (t) => ({
    databaseId: t.exposeInt('listingId', { description: 'The listing id (the table is keyed by listing).' }),
    priceIncVat: t.expose('priceIncVat', { type: 'Decimal', nullable: true }),
    availableQuantity: t.exposeInt('availableQuantity', { nullable: true }),
    buyBoxStatus: t.expose('buyBoxStatus', { type: BuyBoxStatusEnum, nullable: true }),
    buyBoxPercentage30d: t.expose('buyBoxPercentage30d', { type: 'Decimal', nullable: true, description: '0..100' }),
    buyBoxPrice: t.expose('buyBoxPrice', { type: 'Decimal', nullable: true }),
    isBuyBoxWinner: t.exposeBoolean('isBuyBoxWinner', { nullable: true }),
    observedAt: t.expose('observedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing'),
  }),
});

export const ListingCostOverrideRef = builder.prismaNode('ListingCostOverride', {
  authScopes: { scope: 'costs:read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    shippingCostExVat: t.expose('shippingCostExVat', { type: 'Decimal', nullable: true }),
    packagingCostExVat: t.expose('packagingCostExVat', { type: 'Decimal', nullable: true }),
    handlingCostExVat: t.expose('handlingCostExVat', { type: 'Decimal', nullable: true }),
    otherCostExVat: t.expose('otherCostExVat', { type: 'Decimal', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing'),
  }),
});

export const FeeSnapshotRef = builder.prismaNode('FeeSnapshot', {
  authScopes: { scope: 'costs:read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    priceIncVat: t.expose('priceIncVat', { type: 'Decimal' }),
    referralFeeExVat: t.expose('referralFeeExVat', { type: 'Decimal', nullable: true }),
    fbaFeeExVat: t.expose('fbaFeeExVat', { type: 'Decimal', nullable: true }),
    variableClosingFeeExVat: t.expose('variableClosingFeeExVat', { type: 'Decimal', nullable: true }),
    perItemFeeExVat: t.expose('perItemFeeExVat', { type: 'Decimal', nullable: true }),
    totalFeeExVat: t.expose('totalFeeExVat', { type: 'Decimal' }),
    category: t.exposeString('category', { nullable: true }),
    fulfillmentChannel: t.field({
      type: FulfillmentChannelEnum,
      nullable: true,
      description: 'The channel the fees were quoted for; null when none is stored. OTHER: see fulfillmentChannelRaw.',
      resolve: (snapshot) => fulfillmentChannelOf(snapshot.fulfillmentChannel),
    }),
    fulfillmentChannelRaw: t.exposeString('fulfillmentChannel', { nullable: true, description: 'fee_snapshots.fulfillment_channel exactly as stored.' }),
    rawJson: t.expose('rawJson', { type: 'JSON', nullable: true }),
    capturedAt: t.expose('capturedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing'),
  }),
});

builder.prismaObjectFields('Listing', (t) => ({
  offer: t.relation('offer', { nullable: true, authScopes: { scope: 'read' } }),
  costOverride: t.relation('costOverride', { nullable: true, authScopes: { scope: 'costs:read' } }),
  feeSnapshots: t.relatedConnection('feeSnapshots', {
    nullable: true,
    cursor: 'id',
    totalCount: true,
    authScopes: { scope: 'costs:read' },
    description: 'Fee snapshots, latest first (captured_at desc, then id desc).',
    query: () => ({ orderBy: [...FEE_SNAPSHOT_ORDER] }),
  }),
  latestFeeSnapshot: t.field({
    type: FeeSnapshotRef,
    nullable: true,
    authScopes: { scope: 'costs:read' },
    description: 'The latest fee snapshot by captured_at (then id), if any.',
    select: (_args, _ctx, nestedSelection) => ({
      feeSnapshots: nestedSelection({ orderBy: [...FEE_SNAPSHOT_ORDER], take: 1 }),
    }),
    resolve: (listing) => listing.feeSnapshots[0] ?? null,
  }),
}));
