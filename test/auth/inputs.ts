import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { gid } from '../support/global-id.js';

/**
 * A valid-by-type value for every required input field, so every mutation of the schema can be
 * called (mutations added later included). IDs point at a row that does not exist.
 */
export function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sampleValue(field.type);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return gid('Listing', 999_999_999);
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'Decimal':
        return '1.00';
      case 'DateTime':
        return '2099-01-01T00:00:00.000Z';
      case 'Date':
        return '2099-01-01';
      case 'JSON':
        return {};
      default:
        return 'x';
    }
  }
  throw new Error(`no sample for ${String(type)}`);
}

/** `mutation($input: T!) { name(input: $input) { __typename } }` and its variables, for every mutation. */
export function everyMutation(schema: GraphQLSchema): Array<{ name: string; query: string; variables: Record<string, unknown> }> {
  const mutation = schema.getMutationType()!;
  return Object.values(mutation.getFields()).map((field) => {
    const params = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
    const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    const variables = Object.fromEntries(field.args.map((arg) => [arg.name, sampleValue(arg.type)]));
    const named = getNamedType(field.type);
    const selection = `{ __typename }`;
    void named;
    return {
      name: field.name,
      query: `mutation${params ? `(${params})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`,
      variables,
    };
  });
}
