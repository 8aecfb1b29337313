import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { DESCRIPTION_CATALOGUE } from './description-catalogue.js';

/**
 * Fills in the descriptions the type definitions leave out, so every type, field, argument, input
 * field and enum value is documented (test/schema-contract.test.ts fails on a missing one).
 * A description written on the definition always wins. Then, in order:
 *  1. the catalogue (description-catalogue.ts), keyed `Type`, `Type.field`, `Type.field(arg)` or
 *     `Enum.VALUE` — for what Pothos builds without a place to write one (Prisma enums, generated
 *     connection types) and for the model fields;
 *  2. rules for what repeats with one meaning everywhere: Relay ids, connections, edges, page
 *     info and their arguments, timestamps, `replayed`, inputs' global ID fields.
 */
export function describeSchema(schema: GraphQLSchema): GraphQLSchema {
  // Input objects last: their fields fall back to the output fields described first.
  const types = Object.values(schema.getTypeMap()).sort((a, b) => Number(isInputObjectType(a)) - Number(isInputObjectType(b)));
  for (const type of types) {
    if (type.name.startsWith('__')) continue;
    type.description ??= DESCRIPTION_CATALOGUE[type.name] ?? typeRule(type);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        field.description ??= DESCRIPTION_CATALOGUE[`${type.name}.${field.name}`] ?? fieldRule(type.name, field);
        for (const arg of field.args) {
          arg.description ??= DESCRIPTION_CATALOGUE[`${type.name}.${field.name}(${arg.name})`] ?? DESCRIPTION_CATALOGUE[`*(${arg.name})`] ?? inputRule(arg);
        }
      }
    }
    if (isInputObjectType(type)) {
      // CreateComponentInput.category means Component.category: fall back to the model's field.
      const model = schema.getType(type.name.replace(/^(Create|Update|Upsert)|Input$/g, ''));
      for (const field of Object.values(type.getFields())) {
        const modelField = model && (isObjectType(model) || isInterfaceType(model)) ? model.getFields()[field.name]?.description : undefined;
        field.description ??=
          DESCRIPTION_CATALOGUE[`${type.name}.${field.name}`] ?? DESCRIPTION_CATALOGUE[`*(${field.name})`] ?? inputRule(field) ?? modelField ?? undefined;
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) value.description ??= DESCRIPTION_CATALOGUE[`${type.name}.${value.name}`];
    }
  }
  return schema;
}

const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

function typeRule(type: GraphQLNamedType): string | undefined {
  const name = type.name;
  if (name.endsWith('ConnectionEdge')) return `One row of a ${name.slice(0, -'Edge'.length)} page, with its cursor.`;
  if (name.endsWith('Connection')) return 'A page of rows (Relay cursor connection): at most 100 per page, 20 by default.';
  if (name.endsWith('Payload')) return `What the mutation returns when it succeeds: the objects as they are after the change.`;
  if (name.endsWith('Input')) return `The input of the \`${name[0]!.toLowerCase()}${name.slice(1, -'Input'.length)}\` mutation.`;
  if (name.endsWith('Filter')) return `Narrows the ${words(name.slice(0, -'Filter'.length))} list; every given field must match (AND), an empty list matches nothing.`;
  return undefined;
}

function fieldRule(typeName: string, field: GraphQLField<unknown, unknown>): string | undefined {
  const target = getNamedType(field.type).name;
  switch (field.name) {
    case 'id':
      return 'Global ID (Relay): opaque; give it to inputs and to node(id:).';
    case 'databaseId':
      return 'The integer primary key, for scripts, logs and SQL (inputs take `id`; nodeByDatabaseId looks it up).';
    case 'createdAt':
      return 'When the row was created (ISO 8601, UTC); null only on legacy rows without the value.';
    case 'updatedAt':
      return 'When the row was last changed by the application (ISO 8601, UTC); nothing else maintains it.';
    case 'replayed':
      return 'True when an idempotency key returned an earlier result (nothing new was written).';
    case 'edges':
      return 'The rows of this page, in the order of the connection.';
    case 'pageInfo':
      return 'Where this page sits: whether more pages follow or precede, and the cursors to ask for them.';
    case 'totalCount':
      return 'How many rows match in all (every page together), with the same filter and visibility.';
    case 'cursor':
      return 'Opaque position of this row; pass it as `after` or `before`.';
    case 'node':
      if (typeName.endsWith('Edge')) return `The ${target} itself.`;
      break;
  }
  if (typeName.endsWith('Payload') && isObjectType(getNamedType(field.type))) return `The ${words(target)} as it is after the change.`;
  if (isObjectType(getNamedType(field.type)) && !['Query', 'Mutation', 'Subscription'].includes(typeName) && field.name === target[0]!.toLowerCase() + target.slice(1)) {
    return `The ${words(target)} this ${words(typeName)} belongs to.`;
  }
  return undefined;
}

function inputRule(field: GraphQLInputField | { name: string; type: GraphQLInputField['type'] }): string | undefined {
  switch (field.name) {
    case 'first':
      return 'Page size from the start (or after `after`): 0 to 100, default 20; more is refused (PAGE_SIZE_EXCEEDED).';
    case 'last':
      return 'Page size from the end (or before `before`): 0 to 100; more is refused (PAGE_SIZE_EXCEEDED).';
    case 'after':
      return 'Cursor of the row after which the page starts (from pageInfo.endCursor).';
    case 'before':
      return 'Cursor of the row before which the page ends (from pageInfo.startCursor).';
    case 'id':
      return 'Global ID of the object to change.';
  }
  if (getNamedType(field.type).name === 'ID' && /Ids?$/.test(field.name)) {
    const target = field.name.replace(/Ids?$/, '');
    return `Global ID of the ${words(target)} (its \`id\`, not its databaseId).`;
  }
  return undefined;
}
