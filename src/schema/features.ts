import { FeatureEntityType } from '../generated/prisma/enums.js';
import { featureHistoryLoader, latestFeaturesLoader } from '../resolvers/read/loaders-features.js';
import { asDecimal, asInt, asString, COST_FEATURES, DECIMAL_FEATURES, featuresOf, INT_FEATURES, pick, STRING_FEATURES } from '../resolvers/read/feature-values.js';
import { AsinEntityRef } from './asin.js';
import { builder, DEFAULT_PAGE_SIZE, pageSizeOf } from './builder.js';

export const FeatureEntityTypeEnum = builder.enumType(FeatureEntityType, { name: 'FeatureEntityType' });

export const FeatureSnapshotRef = builder.prismaNode('FeatureSnapshot', {
  authScopes: { scope: 'read' },
  id: { field: 'id' },
  fields: (t) => {
    const typed: Record<string, ReturnType<typeof t.field>> = {};
    for (const [name, keys] of Object.entries(DECIMAL_FEATURES)) {
      typed[name] = t.field({
        type: 'Decimal',
        nullable: true,
        authScopes: { scope: COST_FEATURES.has(name) ? 'costs:read' : 'read' },
        resolve: (row) => asDecimal(pick(featuresOf(row), keys)),
      });
    }
    for (const [name, keys] of Object.entries(INT_FEATURES)) {
      typed[name] = t.int({ nullable: true, authScopes: { scope: 'read' }, resolve: (row) => asInt(pick(featuresOf(row), keys)) });
    }
    for (const [name, keys] of Object.entries(STRING_FEATURES)) {
      typed[name] = t.string({ nullable: true, authScopes: { scope: 'read' }, resolve: (row) => asString(pick(featuresOf(row), keys)) });
    }
    return {
      databaseId: t.exposeInt('id'),
      entityType: t.expose('entityType', { type: FeatureEntityTypeEnum }),
      entityId: t.exposeInt('entityId', { description: 'Database id of the listing or ASIN entity (no foreign key).' }),
      featureVersion: t.exposeInt('featureVersion'),
      computedAt: t.expose('computedAt', { type: 'DateTime' }),
      createdAt: t.expose('createdAt', { type: 'DateTime', nullable: true }),
      raw: t.expose('featuresJson', { type: 'JSON', nullable: true, description: 'features_json as stored (holds costs and margin).', authScopes: { scope: 'costs:read' } }),
      hasScenarioBom: t.boolean({
        nullable: true,
        resolve: (row) => {
          const value = featuresOf(row).has_scenario_bom;
          return typeof value === 'boolean' ? value : null;
        },
      }),
      ...typed,
    };
  },
});

builder.prismaObjectFields('Listing', (t) => ({
  latestFeatures: t.field({
    type: FeatureSnapshotRef,
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'The current feature row: latest by computedAt, then id.',
    resolve: (listing, _args, ctx) => latestFeaturesLoader(ctx, 'LISTING').load(listing.id),
  }),
  featureHistory: t.field({
    type: [FeatureSnapshotRef],
    authScopes: { scope: 'read' },
    description: 'Feature rows newest first (computedAt DESC, id DESC).',
    args: {
      featureVersion: t.arg.int(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
    },
    resolve: (listing, args, ctx) =>
      featureHistoryLoader(ctx, 'LISTING', { featureVersion: args.featureVersion, first: pageSizeOf(args.first) }).load(listing.id),
  }),
}));

builder.prismaObjectFields(AsinEntityRef, (t) => ({
  latestFeatures: t.field({
    type: FeatureSnapshotRef,
    nullable: true,
    authScopes: { scope: 'read' },
    description: 'The current feature row: latest by computedAt, then id.',
    resolve: (entity, _args, ctx) => latestFeaturesLoader(ctx, 'ASIN').load(entity.id),
  }),
  featureHistory: t.field({
    type: [FeatureSnapshotRef],
    authScopes: { scope: 'read' },
    description: 'Feature rows newest first (computedAt DESC, id DESC).',
    args: {
      featureVersion: t.arg.int(),
      first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE }),
    },
    resolve: (entity, args, ctx) =>
      featureHistoryLoader(ctx, 'ASIN', { featureVersion: args.featureVersion, first: pageSizeOf(args.first) }).load(entity.id),
  }),
}));
