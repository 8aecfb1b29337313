import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type { Decimal } from 'decimal.js';
import { isLoadableNodeId, nullWhenNotFound, safeDecodeGlobalID } from './global-id.js';
import type { Context } from '../context.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';

/** The largest page any connection returns; asking for more is refused (see src/graphql/limits.ts). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Decimal: { Input: string; Output: string | Decimal | { toFixed(): string } };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // A malformed, foreign or unknown global ID resolves to null rather than an internal error.
    decodeGlobalID: (globalID: string) => safeDecodeGlobalID(globalID) ?? { typename: '', id: '' },
    nodeQueryOptions: {
      resolve: (_root, { id }, _ctx, info, resolveNode) =>
        isLoadableNodeId(info.schema, id) ? nullWhenNotFound(() => resolveNode(id)) : null,
    },
    nodesQueryOptions: {
      // The plugin's resolveNodes() loads `args.ids` as they are when it is called (it ignores its
      // own argument), so each id is loaded on its own — one unknown id must not null the others.
      // The calls start in the same tick, so Prisma still batches them into one query per type.
      resolve: (_root, args, _ctx, info, resolveNodes) =>
        [...args.ids].map((id) => {
          if (!isLoadableNodeId(info.schema, id)) return null;
          args.ids = [id];
          const loading = resolveNodes([id]);
          return nullWhenNotFound(async () => (await loading)[0]);
        }),
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    exposeDescriptions: false,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
  },
  errors: { defaultTypes: [] },
});

builder.queryType({});
builder.mutationType({});
