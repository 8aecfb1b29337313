import { builder } from './builder.js';

export const ListingRef = builder.prismaNode('Listing', {
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
    status: t.exposeString('status', { nullable: true }),
    currentScore: t.exposeInt('currentScore', { nullable: true }),
    fulfillmentChannel: t.exposeString('fulfillmentChannel', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});
