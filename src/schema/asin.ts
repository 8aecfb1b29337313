import type { Prisma } from '../generated/prisma/client.js';
import { latestCatalogSnapshotLoader, latestKeepaSnapshotLoader } from '../resolvers/read/loaders-snapshots.js';
import { rowPolicy } from '../auth/policy.js';
import { limited, rowLimitWhere } from '../auth/row-limits.js';
import { builder, type AnyFieldBuilder } from './builder.js';
import { databaseIdOf } from './global-id.js';

const latestFirst = [{ capturedAt: 'desc' }, { id: 'desc' }] as const;

/** The Keepa and catalog snapshot tables have the same columns, so their types the same fields. */
const snapshotFields = (t: AnyFieldBuilder) => ({
  databaseId: t.exposeInt('id'),
  asin: t.exposeString('asin'),
  marketplace: t.relation('marketplace'),
  asinEntity: t.relation('asinEntity', { nullable: true }),
  rawJson: t.expose('rawJson', { type: 'JSON', nullable: true }),
  parsedJson: t.expose('parsedJson', { type: 'JSON', nullable: true }),
  capturedAt: t.expose('capturedAt', { type: 'DateTime' }),
  createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
});
const snapshotPolicy = rowPolicy({ scope: 'read' }, (snapshot: { marketplaceId: number }) => snapshot.marketplaceId);

export const KeepaSnapshotRef = builder.prismaNode('KeepaSnapshot', { authScopes: snapshotPolicy, id: { field: 'id' }, fields: snapshotFields });

export const CatalogSnapshotRef = builder.prismaNode('AmazonCatalogSnapshot', {
  name: 'CatalogSnapshot',
  authScopes: snapshotPolicy,
  id: { field: 'id' },
  fields: snapshotFields,
});

export const AsinEntityRef = builder.prismaNode('AsinEntity', {
  authScopes: rowPolicy({ scope: 'read' }, (entity: { marketplaceId: number }) => entity.marketplaceId),
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    asin: t.exposeString('asin'),
    title: t.exposeString('title', { nullable: true }),
    brand: t.exposeString('brand', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    subcategory: t.exposeString('subcategory', { nullable: true }),
    mainImageUrl: t.exposeString('mainImageUrl', { nullable: true }),
    isTracked: t.exposeBoolean('isTracked', { nullable: true }),
    trackedAt: t.expose('trackedAt', { type: 'DateTime', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    marketplace: t.relation('marketplace'),
    listing: t.relation('listing', { nullable: true }),
    boms: t.relation('boms', { query: { orderBy: [{ version: 'desc' }, { id: 'desc' }] } }),
    keepaSnapshots: t.relatedConnection('keepaSnapshots', {
      cursor: 'id',
      totalCount: true,
      query: (_args, ctx) => ({ where: rowLimitWhere(ctx.viewer, 'KeepaSnapshot'), orderBy: [...latestFirst] }),
    }),
    catalogSnapshots: t.relatedConnection('catalogSnapshots', {
      cursor: 'id',
      totalCount: true,
      query: (_args, ctx) => ({ where: rowLimitWhere(ctx.viewer, 'AmazonCatalogSnapshot'), orderBy: [...latestFirst] }),
    }),
    latestKeepaSnapshot: t.field({
      type: KeepaSnapshotRef,
      nullable: true,
      description: 'Latest by capturedAt, then id.',
      resolve: (entity, _args, ctx) => latestKeepaSnapshotLoader(ctx).load(entity.id),
    }),
    latestCatalogSnapshot: t.field({
      type: CatalogSnapshotRef,
      nullable: true,
      description: 'Latest by capturedAt, then id.',
      resolve: (entity, _args, ctx) => latestCatalogSnapshotLoader(ctx).load(entity.id),
    }),
  }),
});

builder.prismaObjectFields('Listing', (t) => ({
  /** The ASIN entity linked to this listing (asin_entities.listing_id); the most recent if several. */
  asinEntity: t.field({
    type: AsinEntityRef,
    nullable: true,
    authScopes: { scope: 'read' },
    select: (args, ctx, nestedSelection) => ({
      asinEntities: nestedSelection({ orderBy: { id: 'desc' }, take: 1 }),
    }),
    resolve: (listing) => listing.asinEntities[0] ?? null,
  }),
}));

const AsinEntityFilter = builder.inputType('AsinEntityFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Case-insensitive substring of the ASIN, title or brand.' }),
    marketplaceId: t.id({ description: 'Global ID of a Marketplace.' }),
    isTracked: t.boolean(),
    hasListing: t.boolean(),
  }),
});

type AsinEntityFilterValue = typeof AsinEntityFilter.$inferInput;

function asinEntityWhere(filter: AsinEntityFilterValue | null | undefined): Prisma.AsinEntityWhereInput {
  if (!filter) return {};
  const and: Prisma.AsinEntityWhereInput[] = [];
  const search = filter.search?.trim();
  if (search) {
    and.push({
      OR: [
        { asin: { contains: search, mode: 'insensitive' } },
        { title: { contains: search, mode: 'insensitive' } },
        { brand: { contains: search, mode: 'insensitive' } },
      ],
    });
  }
  if (filter.marketplaceId != null) {
    and.push({ marketplaceId: databaseIdOf(String(filter.marketplaceId), 'Marketplace', 'filter.marketplaceId') });
  }
  if (filter.isTracked != null) {
    // is_tracked is nullable with default false: a NULL counts as not tracked.
    and.push(filter.isTracked ? { isTracked: true } : { OR: [{ isTracked: false }, { isTracked: null }] });
  }
  if (filter.hasListing != null) and.push({ listingId: filter.hasListing ? { not: null } : null });
  return and.length ? { AND: and } : {};
}

builder.queryFields((t) => ({
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  asinEntities: t.prismaConnection({
    nullable: true,
    type: 'AsinEntity',
    cursor: 'id',
    authScopes: { scope: 'read' },
    args: { filter: t.arg({ type: AsinEntityFilter }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.asinEntity.findMany({ ...query, where: limited(ctx.viewer, 'AsinEntity', asinEntityWhere(args.filter)), orderBy: [{ asin: 'asc' }, { id: 'asc' }] }),
    totalCount: (_connection, args, ctx) => ctx.prisma.asinEntity.count({ where: limited(ctx.viewer, 'AsinEntity', asinEntityWhere(args.filter)) }),
  }),
}));
