import type { Prisma } from '../generated/prisma/client.js';
import { ListingEventType } from '../generated/prisma/enums.js';
import { valuePolicy } from '../auth/policy.js';
import { limited } from '../auth/row-limits.js';
import { builder } from './builder.js';
import { databaseIdOf } from './global-id.js';

export const ListingEventTypeEnum = builder.enumType(ListingEventType, { name: 'ListingEventType' });

/** Newest first; `id` breaks ties so cursors are stable. */
const newestFirst = [
  { createdAt: { sort: 'desc', nulls: 'last' } },
  { id: 'desc' },
] satisfies Prisma.ListingEventOrderByWithRelationInput[];

/** Events whose before/after values are costs (BOM cost, cost overrides, computed margin). */
const COST_EVENTS: ReadonlySet<string> = new Set(['BOM_UPDATED', 'COST_OVERRIDE_UPDATED', 'FEATURES_COMPUTED']);
const eventValuesScope = valuePolicy({ scope: 'costs:read' }, (event: { eventType: string }) => ({
  scope: COST_EVENTS.has(event.eventType) ? 'costs:read' : 'read',
}));

export const ListingEventRef = builder.prismaNode('ListingEvent', {
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    eventType: t.expose('eventType', { type: ListingEventTypeEnum }),
    beforeJson: t.expose('beforeJson', { type: 'JSON', nullable: true, authScopes: eventValuesScope }),
    afterJson: t.expose('afterJson', { type: 'JSON', nullable: true, authScopes: eventValuesScope }),
    reason: t.exposeString('reason', { nullable: true }),
    correlationId: t.exposeString('correlationId', { nullable: true }),
    createdBy: t.exposeString('createdBy', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    job: t.relation('job', { nullable: true, authScopes: { scope: 'internal:read' } }),
    listing: t.relation('listing', { authScopes: { scope: 'read' } }),
  }),
});

const ListingEventFilter = builder.inputType('ListingEventFilter', {
  fields: (t) => ({
    listingId: t.id({ description: 'Global ID of a Listing.' }),
    type: t.field({ type: [ListingEventTypeEnum] }),
    correlationId: t.string(),
  }),
});

function listingEventWhere(filter: typeof ListingEventFilter.$inferInput | null | undefined): Prisma.ListingEventWhereInput {
  if (!filter) return {};
  const where: Prisma.ListingEventWhereInput = {};
  if (filter.listingId != null) where.listingId = databaseIdOf(String(filter.listingId), 'Listing', 'filter.listingId');
  if (filter.type) where.eventType = { in: filter.type };
  if (filter.correlationId != null) where.correlationId = filter.correlationId;
  return where;
}

builder.queryFields((t) => ({
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  listingEvents: t.prismaConnection({
    nullable: true,
    type: 'ListingEvent',
    cursor: 'id',
    authScopes: { scope: 'read' },
    description: 'Listing events newest first (createdAt, then id).',
    args: { filter: t.arg({ type: ListingEventFilter }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.listingEvent.findMany({ ...query, where: limited(ctx.viewer, 'ListingEvent', listingEventWhere(args.filter)), orderBy: newestFirst }),
    totalCount: (_connection, args, ctx) => ctx.prisma.listingEvent.count({ where: limited(ctx.viewer, 'ListingEvent', listingEventWhere(args.filter)) }),
  }),
}));

builder.prismaObjectFields('Listing', (t) => ({
  events: t.relatedConnection('events', {
    cursor: 'id',
    totalCount: true,
    authScopes: { scope: 'read' },
    description: 'Audit events of this listing, newest first.',
    args: { type: t.arg({ type: [ListingEventTypeEnum] }) },
    query: (args) => ({
      where: args.type ? { eventType: { in: args.type } } : {},
      orderBy: newestFirst,
    }),
  }),
}));
