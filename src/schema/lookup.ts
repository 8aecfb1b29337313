import { resolveNodes } from '@pothos/plugin-relay';
import { isRowVisible } from '../auth/row-limits.js';
import { AUTHENTICATED, builder } from './builder.js';
import { isLoadableNodeId, nullWhenNotFound } from './global-id.js';

/**
 * Inputs take global IDs only; scripts that start from a database id (a log line, a SQL query)
 * look the object up here and continue with its `id`. Same rules as `node`: unknown, foreign or
 * mistyped gives null. test/schema-contract.test.ts checks the enum lists every Node type.
 */
export const NODE_TYPES = [
  'AsinEntity',
  'Bom',
  'BomLine',
  'CatalogSnapshot',
  'Component',
  'FeatureSnapshot',
  'FeeSnapshot',
  'Job',
  'KeepaSnapshot',
  'Listing',
  'ListingCostOverride',
  'ListingEvent',
  'ListingOffer',
  'Marketplace',
  'Recommendation',
  'RecommendationEvent',
  'SalesDay',
  'Setting',
  'Supplier',
] as const;

const NodeTypeEnum = builder.enumType('NodeType', {
  description: 'The object types that implement Node (have a global ID and a databaseId).',
  values: Object.fromEntries(NODE_TYPES.map((name) => [name, { description: `The ${name} type.` }])) as Record<
    (typeof NODE_TYPES)[number],
    { description: string }
  >,
});

builder.queryField('nodeByDatabaseId', (t) =>
  t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    authScopes: AUTHENTICATED,
    description:
      'One object by its type and databaseId (the integer key scripts see in logs and SQL); use its `id` in every input. Null when unknown or not visible to this key, like `node`.',
    args: {
      type: t.arg({ type: NodeTypeEnum, required: true, description: 'The object type, e.g. Listing.' }),
      databaseId: t.arg.int({ required: true, description: 'The integer primary key (the object\'s databaseId).' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const id = { typename: args.type, id: String(args.databaseId) };
      if (!isLoadableNodeId(info.schema, id) || !(await isRowVisible(ctx, id.typename, id.id))) return null;
      return nullWhenNotFound(async () => {
        const [node] = await resolveNodes(builder, ctx, info, [id]);
        return (await node) ?? null;
      });
    },
  }),
);
