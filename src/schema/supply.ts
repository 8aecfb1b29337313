import { prismaConnectionHelpers } from '@pothos/plugin-prisma';
import type { Prisma } from '../generated/prisma/client.js';
import { rowLimitWhere } from '../auth/row-limits.js';
import { BomRef } from './bom.js';
import { builder } from './builder.js';
import { databaseIdOf } from './global-id.js';

export const SupplierRef = builder.prismaNode('Supplier', {
  // Suppliers are internal: a partner never learns who supplies what, nor at what terms.
  authScopes: { scope: 'internal:read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    name: t.exposeString('name'),
    contactName: t.exposeString('contactName', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    website: t.exposeString('website', { nullable: true }),
    address: t.exposeString('address', { nullable: true }),
    currencyCode: t.exposeString('currencyCode', { nullable: true }),
    leadTimeDays: t.exposeInt('leadTimeDays', { nullable: true }),
    minimumOrderValue: t.expose('minimumOrderValue', { type: 'Decimal', nullable: true, authScopes: { scope: 'costs:read' } }),
    paymentTerms: t.exposeString('paymentTerms', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    rating: t.exposeInt('rating', { nullable: true }),
    isActive: t.exposeBoolean('isActive', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    components: t.relatedConnection('components', {
      cursor: 'id',
      totalCount: true,
      query: () => ({ orderBy: { id: 'asc' } }),
    }),
  }),
});

/** Pages through the bom_lines that use a component, handing out the BOM of each line as the node. */
const componentBomsHelpers = prismaConnectionHelpers(builder, 'BomLine', {
  cursor: 'id',
  query: (_args, ctx) => ({ where: rowLimitWhere(ctx.viewer, 'BomLine'), orderBy: { id: 'asc' as const } }),
  select: (nodeSelection) => ({ bom: nodeSelection({}) }),
  resolveNode: (line) => line.bom,
});

export const ComponentRef = builder.prismaNode('Component', {
  // Components are not of a marketplace; the BOMs and lines under one are row-limited.
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    componentSku: t.exposeString('componentSku'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    supplierSku: t.exposeString('supplierSku', { nullable: true }),
    unitCostExVat: t.expose('unitCostExVat', { type: 'Decimal', nullable: true, authScopes: { scope: 'costs:read' } }),
    unitOfMeasure: t.exposeString('unitOfMeasure', { nullable: true }),
    packSize: t.exposeInt('packSize', { nullable: true }),
    weightGrams: t.expose('weightGrams', { type: 'Decimal', nullable: true }),
    dimensionsCm: t.expose('dimensionsCm', { type: 'JSON', nullable: true }),
    minStockLevel: t.exposeInt('minStockLevel', { nullable: true }),
    currentStock: t.exposeInt('currentStock', { nullable: true }),
    reorderPoint: t.exposeInt('reorderPoint', { nullable: true }),
    priceHistory: t.expose('priceHistory', { type: 'JSON', nullable: true, authScopes: { scope: 'costs:read' } }),
    isActive: t.exposeBoolean('isActive', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    supplier: t.relation('supplier', { nullable: true, authScopes: { scope: 'internal:read' } }),
    bomLines: t.relatedConnection('bomLines', {
      cursor: 'id',
      totalCount: true,
      authScopes: { scope: 'read' },
      query: (_args, ctx) => ({ where: rowLimitWhere(ctx.viewer, 'BomLine'), orderBy: { id: 'asc' } }),
    }),
    /** The BOMs (any version, either scope) that have a line for this component; cursor = the line. */
    boms: t.connection(
      {
        type: BomRef,
        authScopes: { scope: 'read' },
        select: (args, ctx, nestedSelection) => ({
          _count: { select: { bomLines: { where: rowLimitWhere(ctx.viewer, 'BomLine') } } },
          bomLines: componentBomsHelpers.getQuery(args, ctx, nestedSelection),
        }),
        resolve: (component, args, ctx) => ({
          ...componentBomsHelpers.resolve(component.bomLines, args, ctx),
          totalCount: component._count.bomLines,
        }),
      },
      {
        name: 'ComponentBomsConnection',
        fields: (conn) => ({
          totalCount: conn.int({ resolve: (connection) => connection.totalCount }),
        }),
      },
    ),
  }),
});

const ComponentFilter = builder.inputType('ComponentFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Case-insensitive substring of the component SKU or name.' }),
    supplierId: t.id({ description: 'Global ID of a Supplier.' }),
    isActive: t.boolean(),
    category: t.string({ description: 'Exact category, case-insensitive.' }),
  }),
});

const SupplierFilter = builder.inputType('SupplierFilter', {
  fields: (t) => ({
    search: t.string({ description: 'Case-insensitive substring of the name, contact name or email.' }),
    isActive: t.boolean(),
  }),
});

type ComponentFilterInput = typeof ComponentFilter.$inferInput;
type SupplierFilterInput = typeof SupplierFilter.$inferInput;

function componentWhere(filter: ComponentFilterInput | null | undefined): Prisma.ComponentWhereInput {
  const where: Prisma.ComponentWhereInput = {};
  if (!filter) return where;
  if (filter.search) {
    where.OR = [
      { componentSku: { contains: filter.search, mode: 'insensitive' } },
      { name: { contains: filter.search, mode: 'insensitive' } },
    ];
  }
  if (filter.supplierId != null) where.supplierId = databaseIdOf(String(filter.supplierId), 'Supplier', 'filter.supplierId');
  if (filter.isActive !== null && filter.isActive !== undefined) where.isActive = filter.isActive;
  if (filter.category) where.category = { equals: filter.category, mode: 'insensitive' };
  return where;
}

function supplierWhere(filter: SupplierFilterInput | null | undefined): Prisma.SupplierWhereInput {
  const where: Prisma.SupplierWhereInput = {};
  if (!filter) return where;
  if (filter.search) {
    where.OR = [
      { name: { contains: filter.search, mode: 'insensitive' } },
      { contactName: { contains: filter.search, mode: 'insensitive' } },
      { email: { contains: filter.search, mode: 'insensitive' } },
    ];
  }
  if (filter.isActive !== null && filter.isActive !== undefined) where.isActive = filter.isActive;
  return where;
}

builder.queryFields((t) => ({
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  components: t.prismaConnection({
    nullable: true,
    type: 'Component',
    cursor: 'id',
    authScopes: { scope: 'internal:read' },
    args: { filter: t.arg({ type: ComponentFilter }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.component.findMany({ ...query, where: componentWhere(args.filter), orderBy: { id: 'asc' } }),
    totalCount: (_connection, args, ctx) => ctx.prisma.component.count({ where: componentWhere(args.filter) }),
  }),
  // Nullable: each root field is its own access decision; a refused one answers null (FORBIDDEN) without wiping its siblings.
  suppliers: t.prismaConnection({
    nullable: true,
    type: 'Supplier',
    cursor: 'id',
    authScopes: { scope: 'internal:read' },
    args: { filter: t.arg({ type: SupplierFilter }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.supplier.findMany({ ...query, where: supplierWhere(args.filter), orderBy: { id: 'asc' } }),
    totalCount: (_connection, args, ctx) => ctx.prisma.supplier.count({ where: supplierWhere(args.filter) }),
  }),
}));
