import { queryFromInfo } from '@pothos/plugin-prisma';
import { GraphQLError } from 'graphql';
import type { Economics as EconomicsValue } from '../domain/economics.js';
import { economicsLoader } from '../resolvers/read/loaders-economics.js';
import { countListings, findListingPage, type ListingFilter } from '../resolvers/listings.js';
import { requestSettings } from '../resolvers/settings.js';
import { rowPolicy } from '../auth/policy.js';
import { limited, marketplaceLimit } from '../auth/row-limits.js';
import { memo } from '../context.js';
import { builder, DEFAULT_PAGE_SIZE } from './builder.js';
import { parseGlobalId } from '../resolvers/global-id.js';
import { databaseIdOf } from './global-id.js';
import { FulfillmentChannelEnum, fulfillmentChannelOf, ListingStatusEnum, listingStatusOf, statusFilterValues } from './listing-enums.js';

export const ListingRef = builder.prismaNode('Listing', {
  // Partner row limits, per object: a listing outside the key's marketplaces shows nothing.
  authScopes: rowPolicy({ scope: 'read' }, (listing: { marketplaceId: number | null }) => listing.marketplaceId),
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    sellerSku: t.exposeString('sellerSku'),
    asin: t.exposeString('asin', { nullable: true }),
    title: t.exposeString('title', { nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    bulletPoints: t.expose('bulletPoints', { type: 'JSON', nullable: true }),
    priceIncVat: t.expose('priceIncVat', { type: 'Decimal', nullable: true }),
    availableQuantity: t.exposeInt('availableQuantity', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    status: t.field({
      type: ListingStatusEnum,
      nullable: true,
      description: 'listings.status as an enum; null when no status is stored (jobs treat that as ACTIVE). OTHER: see statusRaw.',
      resolve: (listing) => listingStatusOf(listing.status),
    }),
    statusRaw: t.exposeString('status', { nullable: true, description: 'listings.status exactly as stored (legacy values included).' }),
    currentScore: t.exposeInt('currentScore', { nullable: true }),
    fulfillmentChannel: t.field({
      type: FulfillmentChannelEnum,
      nullable: true,
      description: 'listings.fulfillment_channel as an enum; null when none is stored. OTHER: see fulfillmentChannelRaw.',
      resolve: (listing) => fulfillmentChannelOf(listing.fulfillmentChannel),
    }),
    fulfillmentChannelRaw: t.exposeString('fulfillmentChannel', { nullable: true, description: 'listings.fulfillment_channel exactly as stored.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    economics: t.field({
      type: EconomicsRef,
      nullable: true,
      authScopes: { scope: 'costs:read' },
      description: 'Unit economics computed on the server from the live price, active BOM, overrides and fees (docs/domain-rules.md §1).',
      resolve: (listing, _args, ctx) => economicsLoader(ctx).load(listing.id),
    }),
  }),
});

const FeeSourceEnum = builder.enumType('FeeSource', {
  values: { SNAPSHOT: { description: 'From the latest fee snapshot' }, ESTIMATE: { description: '15 % referral estimate' } },
});

const EconomicsFeesRef = builder.objectRef<EconomicsValue['fees']>('EconomicsFees').implement({
  authScopes: { scope: 'costs:read' },
  fields: (t) => ({
    referralFeeExVat: t.field({ type: 'Decimal', nullable: true, resolve: (f) => f.referralFeeExVat?.toFixed(2) ?? null }),
    fixedFeeExVat: t.field({ type: 'Decimal', resolve: (f) => f.fixedFeeExVat.toFixed(2) }),
    totalFeeExVat: t.field({ type: 'Decimal', nullable: true, resolve: (f) => f.totalFeeExVat?.toFixed(2) ?? null }),
    referralRate: t.field({ type: 'Decimal', resolve: (f) => f.referralRate.toFixed(4) }),
    source: t.field({ type: FeeSourceEnum, resolve: (f) => f.source }),
    feeSnapshotId: t.int({ nullable: true, resolve: (f) => f.feeSnapshotId }),
  }),
});

const money = (value: { toFixed(dp: number): string } | null) => (value === null ? null : value.toFixed(2));

export const EconomicsRef = builder.objectRef<EconomicsValue>('Economics').implement({
  authScopes: { scope: 'costs:read' },
  description: 'Money at 2 dp and ratios at 4 dp, as decimal strings; ex VAT unless the name says IncVat.',
  fields: (t) => ({
    vatRate: t.field({ type: 'Decimal', resolve: (e) => e.vatRate.toFixed() }),
    priceIncVat: t.field({ type: 'Decimal', nullable: true, resolve: (e) => money(e.priceIncVat) }),
    priceExVat: t.field({ type: 'Decimal', nullable: true, resolve: (e) => money(e.priceExVat) }),
    bomCostExVat: t.field({ type: 'Decimal', resolve: (e) => e.bomCostExVat.toFixed(2) }),
    shippingCostExVat: t.field({ type: 'Decimal', resolve: (e) => e.shippingCostExVat.toFixed(2) }),
    packagingCostExVat: t.field({ type: 'Decimal', resolve: (e) => e.packagingCostExVat.toFixed(2) }),
    handlingCostExVat: t.field({ type: 'Decimal', resolve: (e) => e.handlingCostExVat.toFixed(2) }),
    otherCostExVat: t.field({ type: 'Decimal', resolve: (e) => e.otherCostExVat.toFixed(2) }),
    fees: t.field({ type: EconomicsFeesRef, resolve: (e) => e.fees }),
    totalCostExVat: t.field({ type: 'Decimal', nullable: true, resolve: (e) => money(e.totalCostExVat) }),
    profitExVat: t.field({ type: 'Decimal', nullable: true, resolve: (e) => money(e.profitExVat) }),
    margin: t.field({ type: 'Decimal', nullable: true, resolve: (e) => e.margin?.toFixed(4) ?? null }),
    breakEvenPriceIncVat: t.field({ type: 'Decimal', nullable: true, resolve: (e) => money(e.breakEvenPriceIncVat) }),
    minMarginPriceIncVat: t.field({
      type: 'Decimal',
      nullable: true,
      description: 'Lowest price inc VAT whose margin meets guardrails.min_margin, solved with fees at that price (Decimal string, 2 decimals).',
      resolve: (e) => money(e.minMarginPriceIncVat),
    }),
  }),
});

const ListingOrderField = builder.enumType('ListingOrderField', {
  values: ['CREATED_AT', 'MARGIN', 'PROFIT_PER_UNIT', 'UNITS_30D', 'BUY_BOX_PERCENTAGE', 'SELLER_SKU'] as const,
  description: 'MARGIN, PROFIT_PER_UNIT and UNITS_30D read the latest feature snapshot; BUY_BOX_PERCENTAGE the current offer.',
});
const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });
const MarginBand = builder.enumType('MarginBand', {
  values: {
    NEGATIVE: { description: 'margin < 0' },
    BELOW_TARGET: { description: '0 ≤ margin < guardrails.min_margin' },
    HEALTHY: { description: 'margin ≥ guardrails.min_margin' },
    UNKNOWN: { description: 'no margin (no price or no features yet)' },
  } as const,
});
const StockRisk = builder.enumType('StockRisk', { values: ['HIGH', 'MEDIUM', 'LOW'] as const });
const BuyBoxFilterStatus = builder.enumType('BuyBoxFilterStatus', { values: ['WON', 'LOST', 'UNKNOWN'] as const });

const ListingOrder = builder.inputType('ListingOrder', {
  fields: (t) => ({
    field: t.field({ type: ListingOrderField, required: true }),
    direction: t.field({ type: SortDirection, required: true, defaultValue: 'DESC' }),
  }),
});

const ListingFilterInput = builder.inputType('ListingFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Case-insensitive match on seller SKU, ASIN or title.' }),
    marketplaceId: t.id(),
    status: t.field({ type: [ListingStatusEnum], description: 'Listings with one of these statuses, e.g. [ACTIVE]. OTHER is refused: use statusRaw.' }),
    statusRaw: t.stringList({ description: 'Listings whose stored status is exactly one of these strings (legacy values); with status, both must match.' }),
    buyBoxStatus: t.field({ type: [BuyBoxFilterStatus], description: 'A listing without an offer counts as UNKNOWN.' }),
    marginBand: t.field({ type: [MarginBand] }),
    stockRisk: t.field({ type: [StockRisk], description: 'stockout_risk of the latest feature snapshot.' }),
  }),
});

interface ListingConnectionExtras {
  totalCount: () => Promise<number>;
}

builder.queryFields((t) => ({
  listings: t.connection(
    {
      type: ListingRef,
      nullable: true,
      authScopes: { scope: 'read' },
      description: 'Listings, filtered and ordered for the listing screen; at most 100 per page.',
      args: {
        filter: t.arg({ type: ListingFilterInput }),
        orderBy: t.arg({ type: ListingOrder, defaultValue: { field: 'CREATED_AT', direction: 'DESC' } }),
      },
      resolve: async (_root, args, ctx, info) => {
        const { statusRaw, ...rest } = args.filter ?? {};
        const filter: ListingFilter = {
          ...rest,
          status: statusFilterValues(args.filter?.status, statusRaw),
          marketplaceId: args.filter?.marketplaceId != null ? databaseIdOf(String(args.filter.marketplaceId), 'Marketplace', 'filter.marketplaceId') : null,
          marketplaceIds: marketplaceLimit(ctx.viewer),
        };
        const settings = await requestSettings(ctx);
        const minMargin = settings.minMargin.toString();
        const page = await findListingPage(ctx.prisma, {
          filter,
          orderBy: args.orderBy ?? { field: 'CREATED_AT', direction: 'DESC' },
          first: args.first,
          after: args.after,
          last: args.last,
          before: args.before,
          defaultSize: DEFAULT_PAGE_SIZE,
          minMargin,
        });
        const ids = page.rows.map((row) => row.id);
        const query = queryFromInfo({ context: ctx, info, typeName: 'Listing', path: ['edges', 'node'] });
        const nodes = ids.length ? await ctx.prisma.listing.findMany({ ...query, where: { id: { in: ids } } }) : [];
        const byId = new Map(nodes.map((node) => [node.id, node]));
        return {
          edges: page.rows.flatMap((row) => {
            const node = byId.get(row.id);
            return node ? [{ cursor: row.cursor, node }] : [];
          }),
          pageInfo: {
            hasNextPage: page.hasNextPage,
            hasPreviousPage: page.hasPreviousPage,
            startCursor: page.rows[0]?.cursor ?? null,
            endCursor: page.rows.at(-1)?.cursor ?? null,
          },
          totalCount: () => memo(ctx, `listings:count:${JSON.stringify(filter)}`, () => countListings(ctx.prisma, filter, minMargin)),
        };
      },
    },
    {
      name: 'ListingConnection',
      fields: (c) => ({
        totalCount: c.int({ nullable: false, resolve: (connection) => (connection as unknown as ListingConnectionExtras).totalCount() }),
      }),
    },
  ),
  listing: t.prismaField({
    type: 'Listing',
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'One listing by its global id, or by seller SKU (+ marketplace, when SKUs repeat across marketplaces).',
    args: { id: t.arg.id(), sellerSku: t.arg.string(), marketplaceId: t.arg.id() },
    resolve: async (query, _root, args, ctx) => {
      if (args.id) {
        if (args.sellerSku) throw new GraphQLError('Give either id or sellerSku, not both', { extensions: { code: 'BAD_USER_INPUT' } });
        // A foreign or malformed id finds nothing (null), like `node`.
        const parsed = parseGlobalId(String(args.id), ['Listing']);
        return parsed.ok ? ctx.prisma.listing.findFirst({ ...query, where: limited(ctx.viewer, 'Listing', { id: parsed.id }) }) : null;
      }
      if (!args.sellerSku) throw new GraphQLError('Give id or sellerSku', { extensions: { code: 'BAD_USER_INPUT' } });
      const marketplaceId = args.marketplaceId != null ? databaseIdOf(String(args.marketplaceId), 'Marketplace', 'marketplaceId') : undefined;
      return ctx.prisma.listing.findFirst({
        ...query,
        where: limited(ctx.viewer, 'Listing', { sellerSku: args.sellerSku, ...(marketplaceId ? { marketplaceId } : {}) }),
      });
    },
  }),
}));
