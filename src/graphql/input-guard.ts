import { GraphQLError, Kind, getOperationAST, valueFromASTUntyped, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';

type InputLimits = Pick<Limits, 'maxSearchLength' | 'maxTextLength' | 'maxNodeIds' | 'maxListLength' | 'maxNesting'>;

/**
 * Checks every argument value (literals and variables, nested input objects and lists) before
 * execution: text lengths (`search` has its own, shorter limit), list lengths (`nodes(ids:)` has
 * its own), and characters no database column can hold — a lone UTF-16 surrogate anywhere, and a
 * NUL byte in queries (mutations answer NUL with their ValidationError union member).
 * One home for these rules instead of a check on every schema field.
 */
export function inputGuard(limits: InputLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = findInputProblems(args.document, args.operationName ?? undefined, args.variableValues ?? {}, limits);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function findInputProblems(
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  limits: InputLimits,
): GraphQLError[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const allowNul = operation.operation === 'mutation';
  const errors: GraphQLError[] = [];
  const fields: string[] = [];
  const fail = (path: string, message: string, extensions: Record<string, unknown>, node: ValueNode) =>
    errors.push(new GraphQLError(`Argument "${path}" ${message}`, { nodes: [node], extensions: { code: 'BAD_USER_INPUT', argument: path, ...extensions } }));

  const check = (value: unknown, path: string, key: string, depth: number, node: ValueNode): void => {
    if (errors.length >= 10) return;
    if (depth > limits.maxNesting) {
      fail(path, `nests deeper than ${limits.maxNesting} levels.`, { code: 'NESTING_LIMIT_EXCEEDED', limit: 'maxNesting', max: limits.maxNesting }, node);
    } else if (typeof value === 'string') {
      const max = key === 'search' ? limits.maxSearchLength : limits.maxTextLength;
      const limit = key === 'search' ? 'maxSearchLength' : 'maxTextLength';
      if (value.length > max) fail(path, `is longer than ${max} characters (${value.length}).`, { limit, max }, node);
      else if (!allowNul && value.includes('\u0000')) fail(path, 'contains a NUL character.', {}, node);
      else if (LONE_SURROGATE.test(value)) fail(path, 'is not valid Unicode (a lone surrogate).', {}, node);
    } else if (Array.isArray(value)) {
      const isNodeIds = fields.at(-1) === 'nodes' && path.endsWith('.ids');
      const max = isNodeIds ? limits.maxNodeIds : limits.maxListLength;
      if (value.length > max) {
        fail(path, `has more than ${max} elements (${value.length}).`, { limit: isNodeIds ? 'maxNodeIds' : 'maxListLength', max }, node);
        return;
      }
      value.forEach((item, index) => check(item, `${path}[${index}]`, key, depth + 1, node));
    } else if (value && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) check(item, `${path}.${name}`, name, depth + 1, node);
    }
  };

  // The whole document, so arguments inside fragments count too; other operations are skipped.
  visit(document, {
    OperationDefinition: (node) => (node === operation ? undefined : false),
    Field: {
      enter: (node) => void fields.push(node.name.value),
      leave: () => void fields.pop(),
    },
    Argument(node) {
      const value = node.value.kind === Kind.VARIABLE ? variables[node.value.name.value] : valueFromASTUntyped(node.value, variables);
      check(value, `${fields.at(-1)}.${node.name.value}`, node.name.value, 0, node.value);
    },
  });
  return errors;
}
