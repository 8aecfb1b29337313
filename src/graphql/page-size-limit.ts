import {
  GraphQLError,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

const PAGE_ARGUMENTS = new Set(['first', 'last']);

/**
 * Refuses `first`/`last` above the maximum page size instead of silently clamping them (Pothos
 * clamps), so a script asking for 500 rows learns it gets at most `max`. Variables are resolved,
 * which a plain validation rule cannot do.
 */
export function pageSizeLimit(max: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = findOversizedPages(args.schema, args.document, args.variableValues ?? {}, max);
      if (errors.length) setResultAndStopExecution({ errors });
    },
  };
}

function findOversizedPages(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  max: number,
): GraphQLError[] {
  const errors: GraphQLError[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const definition = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        if (!definition || !field || !PAGE_ARGUMENTS.has(node.name.value)) return;
        const value = valueFromAST(node.value, definition.type, variables);
        if (typeof value === 'number' && (value > max || value < 0)) {
          errors.push(
            new GraphQLError(`Argument "${node.name.value}" of field "${field.name}" must be between 0 and ${max}; got ${value}.`, {
              nodes: [node],
              extensions: { code: 'PAGE_SIZE_EXCEEDED', argument: node.name.value, max },
            }),
          );
        }
      },
    }),
  );
  return errors;
}
