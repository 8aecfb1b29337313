import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  valueFromASTUntyped,
  type DocumentNode,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';

type CostLimits = Pick<Limits, 'maxCost' | 'listSizeEstimate'>;

const PAGE_ARGUMENTS = ['first', 'last'] as const;

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`. Each field costs 1 per parent
 * object it is resolved for, so sizes multiply down the tree: a connection's `first`/`last` (or
 * the default page size), a plain list field `listSizeEstimate`. graphql-armor's cost limit adds
 * field costs without multiplying, so `listings(first: 100) { edges { node { recommendations {
 * events … } } } }` looked as cheap as one listing. Variables are resolved, hence a plugin.
 */
export function costLimit(limits: CostLimits, defaultPageSize: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = operationCost(args, limits, defaultPageSize);
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(`The operation's estimated cost ${cost} exceeds the limit of ${limits.maxCost}; ask for smaller pages or fewer nested lists.`, {
              extensions: { code: 'COST_LIMIT_EXCEEDED', limit: 'maxCost', max: limits.maxCost, cost },
            }),
          ],
        });
      }
    },
  };
}

/**
 * What an operation charges the key's per-minute cost budget (src/graphql/rate-limit.ts): its
 * estimated cost, or nothing when it is over the per-request limit, since costLimit refuses it.
 */
export function costLimitCharge(limits: CostLimits, defaultPageSize: number): (args: ExecutionArgs) => number {
  return (args) => {
    const cost = operationCost(args, limits, defaultPageSize);
    return cost > limits.maxCost ? 0 : cost;
  };
}

/**
 * The estimate of one execution, walked once: the per-key charge and the per-request limit both
 * read it from their onExecute hooks, which envelop hands the same arguments object.
 */
const costsOfExecutions = new WeakMap<ExecutionArgs, number>();

function operationCost(args: ExecutionArgs, limits: CostLimits, defaultPageSize: number): number {
  let cost = costsOfExecutions.get(args);
  if (cost === undefined) {
    cost = estimateCost(args.schema, args.document, args.operationName ?? undefined, args.variableValues ?? {}, limits.listSizeEstimate, defaultPageSize);
    costsOfExecutions.set(args, cost);
  }
  return cost;
}

export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  listSizeEstimate: number,
  defaultPageSize: number,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const sizeOf = (field: FieldNode, definition: GraphQLField<unknown, unknown>, parent: GraphQLCompositeType): number => {
    const isPaged = definition.args.some((arg) => (PAGE_ARGUMENTS as readonly string[]).includes(arg.name));
    if (isPaged) {
      for (const name of PAGE_ARGUMENTS) {
        const argument = field.arguments?.find((a) => a.name.value === name);
        const value = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
        if (typeof value === 'number') return Math.max(1, value);
      }
      return defaultPageSize;
    }
    // A connection's edges / nodes lists are the page already counted on the connection field.
    if (parent.name.endsWith('Connection') && (field.name.value === 'edges' || field.name.value === 'nodes')) return 1;
    if (definition.name === 'nodes') {
      const ids = field.arguments?.find((a) => a.name.value === 'ids');
      const value = ids ? valueFromASTUntyped(ids.value, variables) : undefined;
      return Array.isArray(value) ? Math.max(1, value.length) : listSizeEstimate;
    }
    return isListType(getNullableType(definition.type)) ? listSizeEstimate : 1;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, seen: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += multiplier;
        if (!selection.selectionSet || !(isObjectType(parent) || isInterfaceType(parent))) continue;
        const definition = parent.getFields()[selection.name.value];
        if (!definition) continue;
        const child = getNamedType(definition.type);
        if (!isCompositeType(child)) continue;
        total += costOf(selection.selectionSet, child, multiplier * sizeOf(selection, definition, parent), seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += costOf(selection.selectionSet, type, multiplier, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) total += costOf(fragment.selectionSet, type, multiplier, new Set(seen).add(fragment.name.value));
      }
    }
    return total;
  };
  return costOf(operation.selectionSet, root, 1, new Set());
}
