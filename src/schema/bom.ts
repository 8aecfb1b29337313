import { brandWithType, getTypeBrand } from '@pothos/core';
import { getRefFromModel, type PrismaObjectRef } from '@pothos/plugin-prisma';
import type PrismaTypes from '../generated/pothos-types.js';
import { bomCost, lineCost } from '../domain/economics.js';
import { BomScopeType } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { ListingRef } from './listing.js';

export const BomScopeTypeEnum = builder.enumType(BomScopeType, { name: 'BomScopeType' });

/** The live costs a roll-up needs; selected with the parent so a page of BOMs costs no extra query. */
const LINE_COST_SELECT = {
  quantity: true,
  wastageRate: true,
  component: { select: { unitCostExVat: true } },
} as const;

interface BomCostRollupShape {
  bomCostExVat: string;
  lineCount: number;
}

const BomCostRollup = builder.objectRef<BomCostRollupShape>('BomCostRollup').implement({
  authScopes: { scope: 'costs:read' },
  description: 'BOM cost from its lines and the live component costs (docs/domain-rules.md §1.2).',
  fields: (t) => ({
    bomCostExVat: t.field({
      type: 'Decimal',
      description: 'round2(Σ quantity × (1 + wastage) × unit cost), no per-line rounding, 2 dp.',
      resolve: (rollup) => rollup.bomCostExVat,
    }),
    lineCount: t.exposeInt('lineCount'),
  }),
});

/** AsinEntity is implemented in asin.ts; the model ref is shared, so the union can name it here. */
const AsinEntityRef = getRefFromModel('AsinEntity', builder) as unknown as PrismaObjectRef<
  typeof builder.$inferSchemaTypes,
  PrismaTypes['AsinEntity'],
  PrismaTypes['AsinEntity']['Shape']
>;

export const BomOwnerRef = builder.unionType('BomOwner', {
  description: 'What a BOM belongs to: a listing (LISTING scope) or an ASIN entity (ASIN_SCENARIO scope).',
  types: [ListingRef, AsinEntityRef],
  // Rows are branded in Bom.owner; this only runs for a value that reached the union some other way.
  resolveType: (value) => ('sellerSku' in (value as object) ? ListingRef : AsinEntityRef),
});

function branded<T extends object>(row: T, ref: typeof ListingRef | typeof AsinEntityRef): T {
  if (!getTypeBrand(row)) brandWithType(row, ref);
  return row;
}

export const BomRef = builder.prismaNode('Bom', {
  // Reached only through visible listings / ASIN entities and row-limited lists; node() checks the owner.
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    scopeType: t.expose('scopeType', { type: BomScopeTypeEnum }),
    version: t.exposeInt('version'),
    isActive: t.exposeBoolean('isActive'),
    effectiveFrom: t.expose('effectiveFrom', { type: 'DateTime', nullable: true }),
    effectiveTo: t.expose('effectiveTo', { type: 'DateTime', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    listing: t.relation('listing', { nullable: true }),
    owner: t.field({
      type: BomOwnerRef,
      nullable: true,
      select: (_args, _ctx, nestedSelection) => ({
        listing: nestedSelection(true, [], 'Listing'),
        asinEntity: nestedSelection(true, [], 'AsinEntity'),
      }),
      resolve: (bom) => {
        if (bom.listing) return branded(bom.listing, ListingRef);
        if (bom.asinEntity) return branded(bom.asinEntity, AsinEntityRef);
        return null;
      },
    }),
    lines: t.relation('lines', { query: () => ({ orderBy: { id: 'asc' } }) }),
    costRollup: t.field({
      type: BomCostRollup,
      // Nullable like every field a narrower scope guards: a refused one is null, its parent survives.
      nullable: true,
      authScopes: { scope: 'costs:read' },
      select: { lines: { orderBy: { id: 'asc' }, select: LINE_COST_SELECT } },
      resolve: (bom) => ({
        bomCostExVat: bomCost(
          bom.lines.map((line) => ({
            quantity: line.quantity,
            wastageRate: line.wastageRate,
            unitCostExVat: line.component.unitCostExVat,
          })),
        ).toFixed(2),
        lineCount: bom.lines.length,
      }),
    }),
  }),
});

export const BomLineRef = builder.prismaNode('BomLine', {
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    quantity: t.expose('quantity', { type: 'Decimal' }),
    wastageRate: t.expose('wastageRate', { type: 'Decimal', nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
    bom: t.relation('bom'),
    component: t.relation('component'),
    lineCostExVat: t.field({
      type: 'Decimal',
      nullable: true,
      authScopes: { scope: 'costs:read' },
      description:
        'quantity × (1 + wastage) × live unit cost, exact and unrounded (at most 10 dp: 4 + 4 + 2), so the lines add up to the roll-up before its single rounding.',
      select: LINE_COST_SELECT,
      resolve: (line) =>
        lineCost({ quantity: line.quantity, wastageRate: line.wastageRate, unitCostExVat: line.component.unitCostExVat }).toFixed(),
    }),
  }),
});

builder.prismaObjectFields('Listing', (t) => ({
  activeBom: t.field({
    type: BomRef,
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'The active LISTING-scope BOM, if any.',
    select: (_args, _ctx, nestedSelection) => ({
      boms: nestedSelection({ where: { isActive: true, scopeType: 'LISTING' }, orderBy: { version: 'desc' }, take: 1 }),
    }),
    resolve: (listing) => listing.boms[0] ?? null,
  }),
  boms: t.relatedConnection('boms', {
    cursor: 'id',
    totalCount: true,
    authScopes: { scope: 'read' },
    description: 'Every BOM version of the listing, newest version first.',
    query: () => ({ orderBy: [{ version: 'desc' }, { id: 'desc' }] }),
  }),
}));
