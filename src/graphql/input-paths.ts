import { GraphQLError, Kind, visit, type ASTNode, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * A value GraphQL itself refuses before any resolver runs (an invalid Decimal such as "abc", a
 * string that is no enum value) gets the argument path it was found at, in the format of
 * `ValidationError.field` prefixed with the field: `extensions: { code: 'BAD_USER_INPUT',
 * argument: 'createBomVersion.input.lines[0].quantity' }` — for literals and for variables alike.
 * graphql-js only says where in the text (literals) or puts the path in the message (variables).
 */
export function inputPaths(): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length === 0) return;
        const paths = literalPaths(params.documentAST);
        setResult(result.map((error) => withArgument(error, argumentOfLiteral(error, paths))));
      };
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          if (!('errors' in result) || !result.errors?.length || result.data) return;
          setResult({ ...result, errors: result.errors.map((error) => withArgument(error, argumentOfVariable(error, args.document))) });
        },
      };
    },
  };
}

const INVALID_VARIABLE = /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)"/s;
const INVALID_VARIABLE_WHOLE = /^Variable "\$(\w+)" (got invalid value|of required type|of non-null type)/;

function withArgument(error: GraphQLError, argument: string | null): GraphQLError {
  if (argument === null || error.extensions.argument) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', argument },
  });
}

/** `field.argument.inner[0].path` of every literal value below an argument, keyed by its node. */
function literalPaths(document: DocumentNode): Map<ASTNode, string> {
  const paths = new Map<ASTNode, string>();
  const walk = (node: ValueNode, path: string): void => {
    // A variable's own problems (wrong type in this position) are about the document, not a value.
    if (node.kind === Kind.VARIABLE) return;
    paths.set(node, path);
    if (node.kind === Kind.LIST) node.values.forEach((value, index) => walk(value, `${path}[${index}]`));
    if (node.kind === Kind.OBJECT) {
      for (const field of node.fields) {
        paths.set(field, `${path}.${field.name.value}`);
        walk(field.value, `${path}.${field.name.value}`);
      }
    }
  };
  const fields: string[] = [];
  visit(document, {
    Field: { enter: (node) => void fields.push(node.name.value), leave: () => void fields.pop() },
    Argument: (node) => walk(node.value, `${fields.at(-1)}.${node.name.value}`),
  });
  return paths;
}

function argumentOfLiteral(error: GraphQLError, paths: Map<ASTNode, string>): string | null {
  const node = error.nodes?.[0];
  return node ? (paths.get(node) ?? null) : null;
}

/** The path of a refused variable value, starting at the field argument the variable is passed to. */
function argumentOfVariable(error: GraphQLError, document: DocumentNode): string | null {
  const inner = INVALID_VARIABLE.exec(error.message);
  const whole = inner ? null : INVALID_VARIABLE_WHOLE.exec(error.message);
  const variable = inner?.[1] ?? whole?.[1];
  if (!variable) return null;
  let usedAt: string | null = null;
  const fields: string[] = [];
  visit(document, {
    Field: { enter: (node) => void fields.push(node.name.value), leave: () => void fields.pop() },
    Argument(node) {
      if (usedAt === null && node.value.kind === Kind.VARIABLE && node.value.name.value === variable) usedAt = `${fields.at(-1)}.${node.name.value}`;
    },
  });
  if (usedAt === null) return null;
  // The message's path starts with the variable's name: "input.lines[0].quantity".
  const rest = inner ? inner[2]!.slice(variable.length) : '';
  return `${usedAt}${rest}`;
}
