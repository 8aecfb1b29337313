/**
 * The schema's access policy, inspectable outside GraphQL execution: which scopes a field needs
 * (its type's `authScopes` and its own, as declared with @pothos/plugin-scope-auth), and whether a
 * viewer holds them. A compiled read path (or a test) asks this instead of restating the rules.
 */
import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import type { Scope } from './roles.js';
import { objectVisible } from './row-limits.js';
import type { Viewer } from './viewer.js';

type ScopeMap = { authenticated?: boolean; scope?: Scope };

/**
 * A policy written as a function (per row or per value) carries the static scopes it requires of a
 * visible row as `requires`; see `rowPolicy` and `valuePolicy`.
 */
export type DeclaredPolicy = ScopeMap | ((...args: never[]) => unknown) & { requires?: ScopeMap };

/**
 * Per-object policy of a marketplace-bound type: the scope, and the partner row limit
 * (src/auth/row-limits.ts) on the row's marketplace — a second line behind the SQL filters.
 */
export function rowPolicy<Parent>(scopes: ScopeMap, marketplaceOf: (parent: Parent) => number | null | undefined) {
  const policy = (parent: Parent, ctx: { viewer: Viewer }) => objectVisible(ctx.viewer, marketplaceOf(parent)) && scopes;
  return Object.assign(policy, { requires: scopes });
}

/** A field whose scope depends on its value (e.g. event payloads that hold costs); `requires` = the strictest. */
export function valuePolicy<Parent>(strictest: ScopeMap, choose: (parent: Parent) => ScopeMap) {
  return Object.assign((parent: Parent) => choose(parent), { requires: strictest });
}

function declared(extensions: unknown): DeclaredPolicy | undefined {
  return (extensions as { pothosOptions?: { authScopes?: DeclaredPolicy } } | undefined)?.pothosOptions?.authScopes;
}

function staticScopes(policy: DeclaredPolicy | undefined): ScopeMap | undefined {
  if (!policy) return undefined;
  return typeof policy === 'function' ? policy.requires : policy;
}

export interface FieldPolicy {
  /** True when the field or its type declares a policy (the schema-walk test requires one everywhere). */
  declared: boolean;
  /** Scopes required: the type's and the field's (both must hold). */
  scopes: Scope[];
  /** The type's policy depends on the row (partner row limits apply). */
  perRow: boolean;
}

export function fieldPolicy(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): FieldPolicy {
  const typePolicy = declared(type.extensions);
  const ownPolicy = declared(field.extensions);
  const scopes = [staticScopes(typePolicy), staticScopes(ownPolicy)].flatMap((map) => (map?.scope ? [map.scope] : []));
  const staticOk = (p: DeclaredPolicy | undefined) => p === undefined || typeof p !== 'function' || p.requires !== undefined;
  return {
    declared: (typePolicy !== undefined || ownPolicy !== undefined) && staticOk(typePolicy) && staticOk(ownPolicy),
    scopes: [...new Set(scopes)],
    perRow: typeof typePolicy === 'function',
  };
}

/** May this viewer see field `fieldName` of type `typeName` (row limits aside)? */
export function maySee(schema: GraphQLSchema, viewer: Viewer, typeName: string, fieldName: string): boolean {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return false;
  const field = type.getFields()[fieldName];
  if (!field) return false;
  const policy = fieldPolicy(type, field);
  // A field returning an object type shows nothing unless the viewer may read that type too.
  const returned = getNamedType(field.type);
  const returnedScope = isObjectType(returned) ? staticScopes(declared(returned.extensions))?.scope : undefined;
  const scopes = returnedScope ? [...policy.scopes, returnedScope] : policy.scopes;
  return policy.declared && scopes.every((scope) => viewer.scopes.has(scope));
}

/** Every object field of the schema with its policy (introspection types excluded). */
export function allFieldPolicies(schema: GraphQLSchema): Array<{ type: string; field: string; returns: string; policy: FieldPolicy }> {
  const rows: Array<{ type: string; field: string; returns: string; policy: FieldPolicy }> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      rows.push({ type: type.name, field: field.name, returns: getNamedType(field.type).name, policy: fieldPolicy(type, field) });
    }
  }
  return rows;
}
