import { FeatureEntityType } from '../generated/prisma/enums.js';
import { asDecimal, asInt, asString, COST_FEATURES, DECIMAL_FEATURES, featuresOf, INT_FEATURES, pick, STRING_FEATURES } from '../resolvers/read/feature-values.js';
import { builder } from './builder.js';

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
