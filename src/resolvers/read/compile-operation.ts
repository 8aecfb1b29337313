/**
 * The compiled read path's root fields: `listings` (the connection: keyset page, totalCount,
 * pageInfo, cursors exactly as src/resolvers/listings.ts makes them) and `listing`, each as ONE
 * statement whose JSON PostgreSQL builds. Anything else in the operation makes it not compilable.
 */
import { storedStatusesFor, type ListingStatusName } from '../../domain/listing-enums.js';
import { type FieldNode, getArgumentValues, getNamedType, isNonNullType, getVariableValues, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { marketplaceLimit, marketplaceLimitSql } from '../../auth/row-limits.js';
import type { Viewer } from '../../auth/viewer.js';
import { parseGlobalId } from '../global-id.js';
import { countSql, encodeCursor, listingPageSql, sqlInteger, SqlParams, type ListingFilter, type ListingOrderField, type SortDirection } from '../listings.js';
import { checkVisible, collectFields, compileObject, joinsSql, NotCompilable, objectType, subSelections, type Builder, type CompileScope } from './compile-selection.js';
import { MIN_MARGIN, type Runtime } from './fields.js';
import { SETTING_KEYS } from '../settings.js';

export interface CompiledRoot {
  key: string;
  /** Null: the answer needs no statement (`__typename`, a malformed id). */
  sql: string | null;
  /** Values, with NOW / MIN_MARGIN placeholders filled per request. */
  params: unknown[];
  build: (json: unknown, rt: Runtime) => unknown;
  /** For an error at this root: where it was selected, and whether null may stand in for it. */
  nodes?: readonly FieldNode[];
  nonNull?: boolean;
  /** The statement also returns the guardrail settings rows (column `s`). */
  settingsInline?: boolean;
}

export interface CompiledOperation {
  roots: CompiledRoot[];
  /** Whether the builders need the guardrail settings (economics, margin bands). */
  needsSettings: boolean;
}

export interface CompileInput {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variables: Record<string, unknown>;
  viewer: Viewer;
  defaultPageSize: number;
}

export function compileOperation(input: CompileInput): CompiledOperation {
  const operations = input.document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = input.operationName ? operations.find((o) => o.name?.value === input.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation || operation.operation !== 'query') throw new NotCompilable('not a single query operation');
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of input.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const coerced = getVariableValues(input.schema, operation.variableDefinitions ?? [], input.variables);
  if (coerced.errors) throw new NotCompilable('variables do not coerce');
  const scope: CompileScope = { schema: input.schema, viewer: input.viewer, variables: coerced.coerced, fragments, params: new SqlParams(), aliases: { next: 0 }, needsSettings: false };
  const query = objectType(input.schema, 'Query');
  const roots: CompiledRoot[] = [];
  let needsSettings = false;
  for (const [key, nodes] of collectFields(scope, query, [operation.selectionSet])) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      roots.push({ key, sql: null, params: [], build: () => 'Query' });
      continue;
    }
    const field = query.getFields()[name];
    if (!field || (name !== 'listings' && name !== 'listing')) throw new NotCompilable(`Query.${name} is not compiled`);
    checkVisible(scope, 'Query', name);
    // Each root field is its own statement with its own parameters.
    scope.params = new SqlParams();
    const args = getArgumentValues(field, nodes[0]!, scope.variables);
    const root = name === 'listings' ? compileListings(scope, key, nodes, args, input.defaultPageSize) : compileListing(scope, key, nodes, args);
    // The margin-band filter's edge is the guardrail minimum margin, bound per request.
    needsSettings ||= root.params.includes(MIN_MARGIN);
    roots.push({ ...root, nodes, nonNull: isNonNullType(field.type) });
  }
  // Settings read only by JS (economics) ride along in the first statement as one more column,
  // saving a statement; a filter that binds them (margin bands) needs them before, so reads first.
  const first = roots.find((r) => r.sql !== null);
  if (scope.needsSettings && !needsSettings && first) {
    const params = first.params;
    params.push([...SETTING_KEYS]);
    first.sql = `${first.sql}, (SELECT json_agg(json_build_array(s.key, s.value)) FROM "settings" s WHERE s.key = ANY($${params.length}::text[]))::text AS s`;
    first.settingsInline = true;
  }
  return { roots, needsSettings: needsSettings || scope.needsSettings };
}

function compileListings(scope: CompileScope, key: string, nodes: FieldNode[], args: Record<string, any>, defaultSize: number): CompiledRoot {
  const connection = objectType(scope.schema, 'ListingConnection');
  const filterArg = args.filter as Record<string, unknown> | null | undefined;
  let marketplaceId: number | null = null;
  if (filterArg?.marketplaceId != null) {
    const parsed = parseGlobalId(String(filterArg.marketplaceId), ['Marketplace']);
    if (!parsed.ok) throw new NotCompilable('filter.marketplaceId is not a Marketplace id');
    marketplaceId = parsed.id;
  }
  // Status names → stored text as the resolver does; OTHER is refused there, with its error.
  const statusNames = filterArg?.status as ListingStatusName[] | null | undefined;
  if (statusNames?.includes('OTHER')) throw new NotCompilable('filter.status OTHER is refused by the resolver path');
  const { statusRaw, ...filterRest } = (filterArg ?? {}) as ListingFilter & { statusRaw?: string[] | null };
  const filter: ListingFilter = {
    ...filterRest,
    status: storedStatusesFor(statusNames, statusRaw),
    marketplaceId,
    marketplaceIds: marketplaceLimit(scope.viewer),
  };
  const orderBy = (args.orderBy ?? { field: 'CREATED_AT', direction: 'DESC' }) as { field: ListingOrderField; direction: SortDirection };
  for (const n of ['first', 'last'] as const) if (args[n] != null && (args[n] < 0 || args[n] > 100)) throw new NotCompilable(`${n} out of range`);
  const params = scope.params as SqlParams;
  let page;
  try {
    page = listingPageSql(
      { filter, orderBy, first: args.first, after: args.after, last: args.last, before: args.before, defaultSize, minMargin: MIN_MARGIN as unknown as string },
      params,
    );
  } catch {
    throw new NotCompilable('page arguments are refused (the resolver path says why)');
  }

  const parts: string[] = [];
  const steps: Array<[string, (arr: unknown[], rt: Runtime) => unknown]> = [];
  let nodeBuild: Builder | null = null;
  let nodeJoins: string[] = [];
  let pageIndex = -1;
  const pageRows = () => {
    if (pageIndex === -1) {
      pageIndex = parts.length;
      parts.push('(SELECT count(*)::int FROM page)', 'null');
    }
    return pageIndex;
  };
  let edgeSteps: Array<[string, (edge: [number, string | null, unknown], rt: Runtime) => unknown]> = [];
  const { field, direction } = orderBy;
  const cursorOf = (edge: [number, string | null, unknown]) => encodeCursor({ f: field, d: direction, k: edge[1], id: Number(edge[0]) });

  for (const [ckey, cnodes] of collectFields(scope, connection, subSelections(nodes))) {
    const cname = cnodes[0]!.name.value;
    if (cname === '__typename') {
      steps.push([ckey, () => 'ListingConnection']);
      continue;
    }
    checkVisible(scope, 'ListingConnection', cname);
    if (cname === 'totalCount') {
      const i = parts.push(countSql(filter, MIN_MARGIN as unknown as string, params)) - 1;
      steps.push([ckey, (arr) => arr[i]]);
    } else if (cname === 'pageInfo') {
      const i = pageRows();
      const pageInfoType = objectType(scope.schema, 'PageInfo');
      const infoSteps: Array<[string, (edges: Array<[number, string | null, unknown]>, more: boolean) => unknown]> = [];
      for (const [pkey, pnodes] of collectFields(scope, pageInfoType, subSelections(cnodes))) {
        const pname = pnodes[0]!.name.value;
        if (pname !== '__typename') checkVisible(scope, 'PageInfo', pname);
        const get: Record<string, (edges: Array<[number, string | null, unknown]>, more: boolean) => unknown> = {
          __typename: () => 'PageInfo',
          hasNextPage: (_e, more) => (page.backwards ? Boolean(args.before) : more),
          hasPreviousPage: (_e, more) => (page.backwards ? more : Boolean(args.after)),
          startCursor: (e) => (e[0] ? cursorOf(e[0]) : null),
          endCursor: (e) => (e.length ? cursorOf(e[e.length - 1]!) : null),
        };
        const g = get[pname];
        if (!g) throw new NotCompilable(`PageInfo.${pname} is not compiled`);
        infoSteps.push([pkey, g]);
      }
      steps.push([
        ckey,
        (arr) => {
          const edges = (arr[i + 1] ?? []) as Array<[number, string | null, unknown]>;
          const more = (arr[i] as number) > page.size;
          const out: Record<string, unknown> = {};
          for (const [k, g] of infoSteps) out[k] = g(edges, more);
          return out;
        },
      ]);
    } else if (cname === 'edges') {
      const i = pageRows();
      const edgeType = objectType(scope.schema, getNamedType(connection.getFields().edges!.type).name);
      edgeSteps = [];
      for (const [ekey, enodes] of collectFields(scope, edgeType, subSelections(cnodes))) {
        const ename = enodes[0]!.name.value;
        if (ename === '__typename') {
          edgeSteps.push([ekey, () => edgeType.name]);
          continue;
        }
        checkVisible(scope, edgeType.name, ename);
        if (ename === 'cursor') edgeSteps.push([ekey, (edge) => cursorOf(edge)]);
        else if (ename === 'node') {
          if (nodeBuild) throw new NotCompilable('edges selected twice');
          const compiled = compileObject(scope, 'Listing', subSelections(enodes), 'l');
          nodeBuild = compiled.build;
          const build = compiled.build;
          parts[i + 1] = compiled.sql;
          nodeJoins = compiled.joins;
          edgeSteps.push([ekey, (edge, rt) => build(edge[2], rt)]);
        } else throw new NotCompilable(`${edgeType.name}.${ename} is not compiled`);
      }
      const mySteps = edgeSteps;
      steps.push([
        ckey,
        (arr, rt) =>
          ((arr[i + 1] ?? []) as Array<[number, string | null, unknown]>).map((edge) => {
            const out: Record<string, unknown> = {};
            for (const [k, s] of mySteps) out[k] = s(edge, rt);
            return out;
          }),
      ]);
    } else throw new NotCompilable(`ListingConnection.${cname} is not compiled`);
  }
  if (pageIndex !== -1) {
    // The page's rows in response order: row numbers count in scan order; backwards pages flip.
    const node = parts[pageIndex + 1] === 'null' ? 'null' : parts[pageIndex + 1];
    parts[pageIndex + 1] = `(SELECT json_agg(json_build_array(page.id, page.k, ${node}) ORDER BY page.o ${page.backwards ? 'DESC' : 'ASC'})
      FROM page JOIN listings l ON l.id = page.id${joinsSql(nodeJoins)} WHERE page.o <= ${sqlInteger(page.size)})`;
  }
  // A plain SELECT at the top (the CTE inside), like every other read: statement logs and tests
  // that pick reads by their first word see it.
  const sql = `SELECT (WITH page AS (${page.sql})
SELECT json_build_array(${parts.join(',\n  ') || 'null'})::text) AS j`;
  return {
    key,
    sql,
    params: params.values,
    build: (json, rt) => {
      const arr = json as unknown[];
      const out: Record<string, unknown> = {};
      for (const [k, s] of steps) out[k] = s(arr, rt);
      return out;
    },
  };
}

function compileListing(scope: CompileScope, key: string, nodes: FieldNode[], args: Record<string, any>): CompiledRoot {
  const params = scope.params as SqlParams;
  const where: string[] = [];
  if (args.id != null) {
    if (args.sellerSku != null) throw new NotCompilable('id and sellerSku');
    const parsed = parseGlobalId(String(args.id), ['Listing']);
    // A foreign or malformed id finds nothing, without a statement (as the resolver does).
    if (!parsed.ok) return { key, sql: null, params: [], build: () => null };
    where.push(`l.id = ${params.add(parsed.id)}::int`);
  } else {
    if (args.sellerSku == null) throw new NotCompilable('neither id nor sellerSku');
    where.push(`l.seller_sku = ${params.add(args.sellerSku)}`);
    if (args.marketplaceId != null) {
      const parsed = parseGlobalId(String(args.marketplaceId), ['Marketplace']);
      if (!parsed.ok) throw new NotCompilable('marketplaceId is not a Marketplace id');
      where.push(`l.marketplace_id = ${params.add(parsed.id)}::int`);
    }
  }
  const limit = marketplaceLimitSql(scope.viewer, 'l.marketplace_id', (v) => params.add(v));
  if (limit) where.push(limit);
  const compiled = compileObject(scope, 'Listing', subSelections(nodes), 'l');
  return {
    key,
    sql: `SELECT (SELECT ${compiled.sql} FROM listings l${joinsSql(compiled.joins)} WHERE ${where.join(' AND ')} LIMIT 1)::text AS j`,
    params: params.values,
    build: (json, rt) => (json === null ? null : compiled.build(json, rt)),
  };
}
