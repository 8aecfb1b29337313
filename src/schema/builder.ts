import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError } from 'graphql';
import type { Decimal } from 'decimal.js';
import { isLoadableNodeId, nullWhenNotFound, safeDecodeGlobalID } from './global-id.js';
import type { Scope } from '../auth/roles.js';
import { isRowVisible } from '../auth/row-limits.js';
import type { Context } from '../context.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { isProductionEnvironment } from '../config.js';

/** The largest page any connection returns; asking for more is refused (src/graphql/page-size-limit.ts). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/**
 * The page size of a plain list field's `first` (not a connection, which Pothos bounds). The
 * page-size-limit plugin refuses oversized pages in queries and mutations before they run, but it
 * hooks execution only: a subscription payload (e.g. listingEvent → listing → recommendations)
 * reaches these resolvers without it, so the resolver refuses them itself, with the same code.
 */
export function pageSizeOf(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (size < 0 || size > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first must be between 0 and ${MAX_PAGE_SIZE}; got ${size}`, { extensions: { code: 'PAGE_SIZE_EXCEEDED' } });
  }
  return size;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** Any caller with a valid key (the request was refused with 401 otherwise). */
    authenticated: boolean;
    /** The key holds this scope (src/auth/roles.ts). */
    scope: Scope;
  };
  // Output fields are non-null unless they say `nullable: true`: the schema states absence only
  // where it is real (a NULL column, an optional relation, a field a narrower scope may refuse).
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    Decimal: { Input: string; Output: string | Decimal | { toFixed(): string } };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // scope-auth first, so no other plugin's wrapper runs a refused field.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      authenticated: true,
      scope: (scope) => ctx.viewer.scopes.has(scope),
    }),
    unauthorizedError: (_parent, _ctx, info) =>
      new GraphQLError(`Not allowed: ${info.parentType.name}.${info.fieldName} is outside this key's scopes`, {
        extensions: { code: 'FORBIDDEN' },
      }),
  },
  relay: {
    // Pagination wrappers: what they hold is guarded by the field that returns them and by its node type.
    pageInfoTypeOptions: { authScopes: { authenticated: true } },
    defaultConnectionTypeOptions: { authScopes: { authenticated: true } },
    defaultEdgeTypeOptions: { authScopes: { authenticated: true } },
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // A malformed, foreign or unknown global ID resolves to null rather than an internal error.
    decodeGlobalID: (globalID: string) => safeDecodeGlobalID(globalID) ?? { typename: '', id: '' },
    // A row outside the key's marketplaces is as unknown as a missing one: null.
    nodeQueryOptions: {
      authScopes: { authenticated: true },
      resolve: async (_root, { id }, ctx, info, resolveNode) =>
        isLoadableNodeId(info.schema, id) && (await isRowVisible(ctx, id.typename, id.id))
          ? nullWhenNotFound(() => resolveNode(id))
          : null,
    },
    nodesQueryOptions: {
      authScopes: { authenticated: true },
      // The plugin's resolveNodes() loads `args.ids` as they are when it is called (it ignores its
      // own argument), so each id is loaded on its own — one unknown id must not null the others.
      // The calls start in the same tick, so Prisma still batches them into one query per type.
      resolve: (_root, args, _ctx, info, resolveNodes) =>
        [...args.ids].map((id) => {
          if (!isLoadableNodeId(info.schema, id)) return null;
          args.ids = [id];
          const loading = resolveNodes([id]);
          return nullWhenNotFound(async () => {
            const [node] = await loading;
            return (await isRowVisible(_ctx, id.typename, id.id)) ? node : null;
          });
        }),
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    exposeDescriptions: false,
    onUnusedQuery: isProductionEnvironment() ? null : 'warn',
    maxConnectionSize: MAX_PAGE_SIZE,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
  },
  errors: { defaultTypes: [] },
});

builder.queryType({});
builder.mutationType({});

/** Policies shared by many types (the rest are written out where they apply). */
export const AUTHENTICATED = { authenticated: true } as const;

/**
 * Pothos types each model's field builder apart, so fields that are the same under two parents
 * (an entity's history under Listing and AsinEntity, the two snapshot tables) would be written
 * twice; one definition over this builder serves both, typed at its resolvers' parameters.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFieldBuilder = any;
