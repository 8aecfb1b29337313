/**
 * Compiles a selection over the types of src/resolvers/read/fields.ts into one SQL expression per
 * object — `json_build_array(...)` of the columns it needs, to-one relations as lateral joins of the
 * parent's rows, lists as ARRAY(subquery) — plus a builder that turns the array PostgreSQL returns
 * into the response object, keys in selection order. Arrays rather than objects: each column
 * appears once however many fields read it, and the builder picks by position.
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { maySee } from '../../auth/policy.js';
import type { Viewer } from '../../auth/viewer.js';
import { DB_TYPES, JS_TYPES, type Params, type Runtime } from './fields.js';
import { cachedValue } from './value-cache.js';

/** Thrown when a selection is outside what the compiler handles; the resolver path answers instead. */
export class NotCompilable extends Error {}

/** JSON functions take at most 100 arguments. */
const MAX_COLUMNS = 100;

export type Builder = (value: unknown, rt: Runtime) => unknown;

export interface CompileScope {
  schema: GraphQLSchema;
  viewer: Viewer;
  variables: Record<string, unknown>;
  fragments: Record<string, FragmentDefinitionNode>;
  params: Params;
  /** Alias counter: every subquery gets its own. */
  aliases: { next: number };
  /** Set when a compiled field reads the guardrail settings. */
  needsSettings: boolean;
}

/** Response key -> the field nodes selected under it (merged as graphql-js does), in first-seen order. */
export function collectFields(scope: CompileScope, type: GraphQLObjectType, sets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (!included(scope, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || applies(scope.schema, selection.typeCondition.name.value, type)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = scope.fragments[name];
        if (visited.has(name) || !fragment) continue;
        visited.add(name);
        if (applies(scope.schema, fragment.typeCondition.name.value, type)) visit(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
  return fields;
}

function included(scope: CompileScope, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, scope.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, scope.variables)?.if !== false;
}

function applies(schema: GraphQLSchema, condition: string, type: GraphQLObjectType): boolean {
  if (condition === type.name) return true;
  const conditionType = schema.getType(condition);
  return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
}

export function subSelections(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

export function objectType(schema: GraphQLSchema, name: string): GraphQLObjectType {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new NotCompilable(`${name} is not an object type`);
  return type;
}

/** The policy check the resolver path would make: a field the viewer may not see is answered there (FORBIDDEN). */
export function checkVisible(scope: CompileScope, typeName: string, fieldName: string): void {
  if (!maySee(scope.schema, scope.viewer, typeName, fieldName)) throw new NotCompilable(`${typeName}.${fieldName} is refused to this viewer`);
}

/** Marks a joined to-one row as found (its columns may all be NULL). */
const PRESENT = '"row?"';

export interface CompiledObject {
  /** `json_build_array(...)` over the row `alias` and the rows `joins` add. */
  sql: string;
  /** LEFT JOINs the FROM that reads `alias` must carry (to-one relations, in dependency order). */
  joins: string[];
  build: Builder;
}

/** The joins a compiled object needs, to follow `FROM <table> <alias>`. */
export function joinsSql(joins: readonly string[]): string {
  return joins.map((j) => ` ${j}`).join('');
}

/** One database-backed object (`alias` = its row) as `json_build_array(...)` and the builder of its response object. */
export function compileObject(scope: CompileScope, typeName: string, sets: readonly SelectionSetNode[], alias: string): CompiledObject {
  const specs = DB_TYPES[typeName];
  if (!specs) throw new NotCompilable(`type ${typeName} is not compiled`);
  const type = objectType(scope.schema, typeName);
  const columns: string[] = [];
  const joins: string[] = [];
  const indexOf = new Map<string, number>();
  const col = (sql: string) => {
    let index = indexOf.get(sql);
    if (index === undefined) {
      index = columns.push(sql) - 1;
      indexOf.set(sql, index);
    }
    return index;
  };
  const steps: Array<[string, (row: unknown[], rt: Runtime) => unknown]> = [];
  for (const [key, nodes] of collectFields(scope, type, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      steps.push([key, () => typeName]);
      continue;
    }
    const spec = specs[name];
    const field = type.getFields()[name];
    if (!spec || !field) throw new NotCompilable(`${typeName}.${name} is not compiled`);
    checkVisible(scope, typeName, name);
    if (spec.kind === 'value') {
      const i = col(spec.sql(alias));
      const out = spec.out;
      steps.push([key, out ? (row) => (row[i] === null ? null : out(row[i])) : (row) => row[i]]);
    } else if (spec.kind === 'computed') {
      const indexes = spec.sql.map((sql) => col(sql(alias)));
      if (spec.settings) scope.needsSettings = true;
      const named = getNamedType(field.type);
      const nested = isObjectType(named) ? compileJsObject(scope, named.name, subSelections(nodes)) : null;
      const show = (raw: unknown[], rt: Runtime) => {
        const value = spec.value(raw, rt);
        return nested && value !== null ? nested.build(value, rt) : value;
      };
      // A pure value is cached as shown for this selection (decimals already formatted), so a reread
      // row costs a lookup; the shown objects are shared between responses and never mutated.
      const cacheKey = `${typeName}.${name}${nested?.signature ?? ''}`;
      steps.push([key, spec.pure ? (row, rt) => { const raw = indexes.map((i) => row[i]); return cachedValue(raw, rt, cacheKey, () => show(raw, rt)); } : (row, rt) => show(indexes.map((i) => row[i]), rt)]);
    } else {
      const child = `c${scope.aliases.next++}`;
      const args = getArgumentValues(field, nodes[0]!, scope.variables);
      const source = spec.source(alias, child, args, scope.params);
      if (!source) throw new NotCompilable(`${typeName}.${name} with these arguments is not compiled`);
      const inner = compileObject(scope, spec.type, subSelections(nodes), child);
      const order = source.order ? ` ORDER BY ${source.order}` : '';
      const limit = source.limit ? ` LIMIT ${source.limit}` : '';
      const rows = `FROM ${source.table} ${child}${joinsSql(inner.joins)} WHERE ${source.where}`;
      if (spec.list) {
        // ARRAY(subquery) keeps the subquery's order and LIMIT with no aggregate sort or row numbering.
        const i = col(`array_to_json(ARRAY(SELECT ${inner.sql} ${rows}${order}${limit}))`);
        steps.push([key, (row, rt) => (row[i] as unknown[]).map((item) => inner.build(item, rt))]);
      } else {
        // A to-one relation joins its parent's rows (a lateral join PostgreSQL flattens when it
        // can), so a nested object costs an index probe rather than a subquery run per row.
        joins.push(`LEFT JOIN LATERAL (SELECT ${child}.*, true AS ${PRESENT} FROM ${source.table} ${child} WHERE ${source.where}${order}${limit}) ${child} ON true`, ...inner.joins);
        const i = col(`CASE WHEN ${child}.${PRESENT} THEN ${inner.sql} END`);
        steps.push([key, (row, rt) => (row[i] === null ? null : inner.build(row[i], rt))]);
      }
    }
  }
  if (columns.length > MAX_COLUMNS) throw new NotCompilable(`${typeName} selects more than ${MAX_COLUMNS} columns`);
  return {
    sql: `json_build_array(${columns.join(', ')})`,
    joins,
    build: (value, rt) => {
      const row = value as unknown[];
      const out: Record<string, unknown> = {};
      for (const [key, step] of steps) out[key] = step(row, rt);
      return out;
    },
  };
}

/**
 * An object computed in JS (Economics, BomCostRollup…): its fields read the value. The signature
 * names the merged selection (keys, fields, nesting), the same for every plan that selects the same.
 */
function compileJsObject(scope: CompileScope, typeName: string, sets: readonly SelectionSetNode[]): { build: Builder; signature: string } {
  const getters = JS_TYPES[typeName];
  if (!getters) throw new NotCompilable(`type ${typeName} is not compiled`);
  const type = objectType(scope.schema, typeName);
  const steps: Array<[string, Builder]> = [];
  const parts: string[] = [];
  for (const [key, nodes] of collectFields(scope, type, sets)) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') {
      steps.push([key, () => typeName]);
      parts.push(`${key}:__typename`);
      continue;
    }
    const get = getters[name];
    const field = type.getFields()[name];
    if (!get || !field) throw new NotCompilable(`${typeName}.${name} is not compiled`);
    checkVisible(scope, typeName, name);
    const named = getNamedType(field.type);
    const nested = isObjectType(named) ? compileJsObject(scope, named.name, subSelections(nodes)) : null;
    parts.push(`${key}:${name}${nested ? nested.signature : ''}`);
    steps.push([key, nested ? (value, rt) => { const v = get(value); return v === null ? null : nested.build(v, rt); } : (value) => get(value)]);
  }
  return {
    signature: `{${parts.join(',')}}`,
    build: (value, rt) => {
      const out: Record<string, unknown> = {};
      for (const [key, step] of steps) out[key] = step(value, rt);
      return out;
    },
  };
}
