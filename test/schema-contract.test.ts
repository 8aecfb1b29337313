import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isUnionType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLObjectType,
} from 'graphql';
import { describe, expect, test } from 'vitest';
import { ERROR_CODES } from '../src/domain/errors.js';
import { getDatamodel } from '../src/generated/pothos-types.js';
import { schema } from '../src/schema/index.js';

/**
 * The API contract clients rely on (issue 13), checked on the schema itself — no database:
 * one error model on every mutation, and nullability that follows the Prisma datamodel.
 */

const mutationFields = Object.values(schema.getMutationType()!.getFields());
const capitalized = (name: string) => `${name[0]!.toUpperCase()}${name.slice(1)}`;

describe('one error model', () => {
  test('every mutation returns a non-null union named <MutationName>Result whose errors implement Error', () => {
    expect(mutationFields.length).toBeGreaterThanOrEqual(26);
    for (const field of mutationFields) {
      expect(isNonNullType(field.type), `${field.name} is non-null`).toBe(true);
      const union = getNamedType(field.type);
      expect(isUnionType(union), `${field.name} returns a union`).toBe(true);
      if (!isUnionType(union)) continue;
      expect(union.name).toBe(`${capitalized(field.name)}Result`);
      const members = union.getTypes();
      const errors = members.filter((member) => member.getInterfaces().some((i) => i.name === 'Error'));
      expect(members.length - errors.length, `${union.name} has exactly one payload`).toBe(1);
      expect(errors.length, `${union.name} lists its errors`).toBeGreaterThan(0);
    }
  });

  test('one `... on Error { code message }` selection validates on every mutation', () => {
    const operations = mutationFields.map((field) => {
      const variables = field.args.map((arg) => `$${arg.name}: ${arg.type}`).join(', ');
      const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
      return `mutation M_${field.name}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''} { __typename ... on Error { code message } } }`;
    });
    const errors = validate(schema, parse(operations.join('\n')));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  test('Error.code is the ErrorCode enum, which lists exactly the codes the domain errors carry', () => {
    const error = schema.getType('Error');
    expect(isInterfaceType(error)).toBe(true);
    if (!isInterfaceType(error)) return;
    expect(String(error.getFields().code!.type)).toBe('ErrorCode!');
    expect(String(error.getFields().message!.type)).toBe('String!');
    const codes = schema.getType('ErrorCode');
    expect(isEnumType(codes) && codes.getValues().map((v) => v.name).sort()).toEqual([...ERROR_CODES].sort());
  });

  test('every mutation input has the same optional idempotencyKey field', () => {
    const described = new Set<string>();
    for (const field of mutationFields) {
      const input = field.args.find((arg) => arg.name === 'input');
      const type = input && getNamedType(input.type);
      if (!isInputObjectType(type) || field.name === 'createApiKey' || field.name === 'revokeApiKey') continue;
      const key = type.getFields().idempotencyKey;
      expect(key, `${type.name}.idempotencyKey`).toBeDefined();
      expect(String(key!.type)).toBe('String');
      described.add(key!.description!.split(' A preview')[0]!);
    }
    expect(described.size).toBe(1);
  });

  test('nodeByDatabaseId takes every Node type', () => {
    const nodeTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'));
    const named = schema.getType('NodeType');
    expect(isEnumType(named) && named.getValues().map((v) => v.name).sort()).toEqual(nodeTypes.map((type) => type.name).sort());
  });

  test('errors that name a row give its global ID and its databaseId', () => {
    for (const [typeName, pairs] of Object.entries({ DuplicateJobError: ['listing', 'existingJob'], EmptyBomError: ['bom'] })) {
      const type = schema.getType(typeName) as GraphQLObjectType;
      for (const row of pairs) {
        expect(String(type.getFields()[`${row}Id`]!.type), `${typeName}.${row}Id`).toBe('ID');
        expect(String(type.getFields()[`${row}DatabaseId`]!.type), `${typeName}.${row}DatabaseId`).toBe('Int');
      }
    }
  });
});

describe('descriptions', () => {
  test('every type, field, argument, input field and enum value is described', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      if (!type.description?.trim()) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
          for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  test('money and ratio fields say their unit', () => {
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name !== 'Decimal' || !/(ExVat|IncVat|margin|Margin|Rate|rate)/.test(field.name)) continue;
        if (!/decimal|%|Decimal|fraction|ratio|limit|in its unit|reveals|\(/i.test(field.description ?? '')) undocumented.push(`${type.name}.${field.name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });
});

describe('nullability follows the Prisma datamodel', () => {
  type PothosFieldExtensions = { pothosExposedField?: string; pothosPrismaRelationField?: string; pothosOptions?: { authScopes?: unknown } };
  const models = getDatamodel().datamodel.models;

  /** A field guarded by a narrower scope than its type is nullable: refused, it is null and its parent survives. */
  function guardedByItsOwnScope(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): boolean {
    const own = (field.extensions as PothosFieldExtensions).pothosOptions?.authScopes;
    if (own === undefined) return false;
    const ofType = (type.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions?.authScopes;
    const scope = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { scope?: string }).scope : undefined);
    // Row-limited types carry their read policy as a function; a field asking only for `read` adds nothing.
    if (typeof ofType === 'function') return scope(own) !== 'read';
    return JSON.stringify(own) !== JSON.stringify(ofType);
  }

  test('exposed columns and relations: non-null exactly when the column/relation is required and no narrower scope guards it', () => {
    const drift: string[] = [];
    let checked = 0;
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type)) continue;
      const modelName = (type.extensions as { pothosPrismaModel?: string }).pothosPrismaModel;
      if (!modelName) continue;
      const model = models[modelName]!;
      for (const field of Object.values(type.getFields())) {
        const ext = field.extensions as PothosFieldExtensions;
        const column = ext.pothosExposedField ?? ext.pothosPrismaRelationField;
        const modelField = column === undefined ? undefined : model.fields.find((f) => f.name === column);
        if (!modelField) continue;
        checked++;
        const expectedNullable = (!modelField.isRequired && !modelField.isList) || guardedByItsOwnScope(type, field);
        if (isNonNullType(field.type) === expectedNullable) {
          drift.push(`${type.name}.${field.name}: ${field.type} (column ${modelName}.${column} ${modelField.isRequired ? 'NOT NULL' : 'NULL'})`);
        }
      }
    }
    expect(checked).toBeGreaterThan(200);
    expect(drift).toEqual([]);
  });

  test('connections: totalCount Int!, edges and nodes non-null', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
      const fields = type.getFields();
      expect(String(fields.totalCount?.type), `${type.name}.totalCount`).toBe('Int!');
      expect(String(fields.edges!.type)).toMatch(/^\[\w+!\]!$/);
    }
  });
});
