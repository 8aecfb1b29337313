import { rowPolicy } from '../auth/policy.js';
import { limited, rowLimitWhere } from '../auth/row-limits.js';
import { builder } from './builder.js';

export const MarketplaceRef = builder.prismaNode('Marketplace', {
  authScopes: rowPolicy({ scope: 'read' }, (marketplace: { id: number }) => marketplace.id),
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    amazonMarketplaceId: t.exposeString('amazonMarketplaceId'),
    name: t.exposeString('name'),
    countryCode: t.exposeString('countryCode'),
    currencyCode: t.exposeString('currencyCode'),
    vatRate: t.expose('vatRate', { type: 'Decimal' }),
    isActive: t.exposeBoolean('isActive', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    listings: t.relatedConnection('listings', {
      cursor: 'id',
      totalCount: true,
      query: (_args, ctx) => ({ where: rowLimitWhere(ctx.viewer, 'Listing'), orderBy: { id: 'asc' } }),
    }),
  }),
});

builder.queryField('marketplaces', (t) =>
  t.prismaField({
    type: ['Marketplace'],
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'Every marketplace (a short, fixed list), ordered by id.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.marketplace.findMany({ ...query, where: limited(ctx.viewer, 'Marketplace', {}), orderBy: { id: 'asc' } }),
  }),
);

builder.prismaObjectFields('Listing', (t) => ({
  marketplace: t.relation('marketplace', { nullable: true, authScopes: { scope: 'read' } }),
}));
