// prisma/schema.prisma mirrors the migrated database: every model field has its column with a
// compatible type and the same nullability, every table has a model, enums have the same values in
// the same order, and every relation, unique and index Prisma names exists in SQL.
// Field lists, types and nullability come from the generated datamodel (getDatamodel); @map/@@map
// names and @db native types, which that datamodel does not carry, are read from schema.prisma.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { migrate } from '../src/db/migrator.js';
import { getDatamodel } from '../src/generated/pothos-types.js';
import { backends, createTestDatabase, type TestDatabase } from './support/databases.js';
import { columnsOf, enumValues, sql, type ColumnInfo } from './support/catalog.js';

const schemaPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'prisma', 'schema.prisma');

interface ParsedField {
  name: string;
  type: string;
  column: string;
  native?: string;
  list?: boolean;
  relation?: { fields: string[]; onDelete?: string; map?: string };
}
interface ParsedModel {
  name: string;
  table: string;
  fields: ParsedField[];
  /** Index / unique names given with map: (@@index, @@unique, @unique). */
  indexNames: string[];
}
interface ParsedSchema {
  models: Record<string, ParsedModel>;
  enums: Record<string, { dbName: string; values: string[] }>;
}

/** A small reader for the subset of the Prisma schema language this project uses. */
function parseSchema(text: string): ParsedSchema {
  const models: ParsedSchema['models'] = {};
  const enums: ParsedSchema['enums'] = {};
  const blocks = text.matchAll(/^(model|enum)\s+(\w+)\s*\{([\s\S]*?)^\}/gm);
  for (const [, kind, name, body] of blocks) {
    const lines = body!
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, '').trim())
      .filter(Boolean);
    const mapped = body!.match(/@@map\("([^"]+)"\)/)?.[1] ?? name!;
    if (kind === 'enum') {
      enums[name!] = { dbName: mapped, values: lines.filter((l) => !l.startsWith('@@')) };
      continue;
    }
    const model: ParsedModel = { name: name!, table: mapped, fields: [], indexNames: [] };
    for (const line of lines) {
      for (const m of line.matchAll(/@(?:@index|@unique|unique)\([^)]*?map:\s*"([^"]+)"/g)) model.indexNames.push(m[1]!);
      if (line.startsWith('@@')) continue;
      const [, fieldName, type] = line.match(/^(\w+)\s+(\w+)/) ?? [];
      if (!fieldName || !type) continue;
      const field: ParsedField = {
        name: fieldName,
        type,
        column: line.match(/@map\("([^"]+)"\)/)?.[1] ?? fieldName,
        native: line.match(/@db\.(\w+(?:\([^)]*\))?)/)?.[1],
        list: /^\w+\s+\w+\[\]/.test(line),
      };
      const relation = line.match(/@relation\(([^)]*(?:\[[^\]]*\][^)]*)*)\)/)?.[1];
      if (relation?.includes('fields:')) {
        field.relation = {
          fields: relation.match(/fields:\s*\[([^\]]*)\]/)![1]!.split(',').map((s) => s.trim()),
          onDelete: relation.match(/onDelete:\s*(\w+)/)?.[1],
          map: relation.match(/map:\s*"([^"]+)"/)?.[1],
        };
      }
      model.fields.push(field);
    }
    models[name!] = model;
  }
  return { models, enums };
}

/** What a Prisma scalar (with its @db native type) must be in PostgreSQL. */
function expectedSqlType(field: ParsedField, enums: ParsedSchema['enums']): Partial<ColumnInfo> {
  if (field.list) {
    // A Prisma list is a PostgreSQL array: udt_name is the element's with a leading underscore.
    const element = expectedSqlType({ ...field, list: false }, enums);
    return { udtName: `_${element.udtName}` };
  }
  const native = field.native;
  const args = native?.match(/\(([^)]*)\)/)?.[1]?.split(',').map((s) => Number(s.trim()));
  switch (field.type) {
    case 'Int':
      return { udtName: 'int4' };
    case 'String':
      if (native?.startsWith('VarChar')) return { udtName: 'varchar', characterMaximumLength: args?.[0] ?? null };
      return { udtName: 'text' };
    case 'Decimal':
      return { udtName: 'numeric', numericPrecision: args?.[0] ?? null, numericScale: args?.[1] ?? null };
    case 'Boolean':
      return { udtName: 'bool' };
    case 'Json':
      return { udtName: 'jsonb' };
    case 'DateTime':
      // Prisma's default for DateTime is timestamp(3); the schema says Timestamp(6) (= timestamp) or Date.
      if (native === 'Date') return { udtName: 'date' };
      return { udtName: 'timestamp' };
    default:
      if (enums[field.type]) return { udtName: enums[field.type]!.dbName };
      throw new Error(`no SQL type known for Prisma type ${field.type}`);
  }
}

const ON_DELETE: Record<string, string> = { Cascade: 'c', SetNull: 'n', Restrict: 'r', NoAction: 'a', SetDefault: 'd' };

describe.each(backends)('Prisma schema agrees with the migrated database (%s)', (kind) => {
  let db: TestDatabase;
  let parsed: ParsedSchema;
  const datamodel = getDatamodel().datamodel as unknown as {
    models: Record<string, { fields: Array<{ name: string; kind: string; type: string; isRequired: boolean; isList: boolean; hasDefaultValue: boolean }> }>;
  };
  const columns: Record<string, ColumnInfo[]> = {};

  beforeAll(async () => {
    parsed = parseSchema(await readFile(schemaPath, 'utf8'));
    db = await createTestDatabase(kind);
    await migrate(db.driver);
    for (const model of Object.values(parsed.models)) columns[model.table] = await columnsOf(db.driver, model.table);
  });

  afterAll(async () => {
    await db?.drop();
  });

  test('the generated datamodel is that of prisma/schema.prisma (same models and scalar fields)', () => {
    expect(Object.keys(datamodel.models).sort()).toEqual(Object.keys(parsed.models).sort());
    for (const [name, model] of Object.entries(datamodel.models)) {
      const generated = model.fields.filter((f) => f.kind !== 'object').map((f) => `${f.name}:${f.type}`);
      const fromSchema = parsed.models[name]!.fields.filter((f) => !parsed.models[f.type]).map((f) => `${f.name}:${f.type}`);
      expect({ model: name, fields: generated }).toEqual({ model: name, fields: fromSchema });
    }
  });

  test('every table (but _prisma_migrations) has a model, and every model a table', async () => {
    const tables = (
      await sql<{ name: string }>(
        db.driver,
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).map((r) => r.name);
    const modelTables = Object.values(parsed.models).map((m) => m.table).sort();
    expect(tables.filter((t) => t !== '_prisma_migrations')).toEqual(modelTables);
  });

  test('every scalar field has its column with a compatible type, the same nullability and a default where Prisma expects one', () => {
    const problems: string[] = [];
    for (const [name, model] of Object.entries(datamodel.models)) {
      const parsedModel = parsed.models[name]!;
      const tableColumns = columns[parsedModel.table]!;
      for (const field of model.fields.filter((f) => f.kind !== 'object')) {
        const parsedField = parsedModel.fields.find((f) => f.name === field.name)!;
        const where = `${name}.${field.name} -> ${parsedModel.table}.${parsedField.column}`;
        const column = tableColumns.find((c) => c.name === parsedField.column);
        if (!column) {
          problems.push(`${where}: no such column`);
          continue;
        }
        const expected = expectedSqlType(parsedField, parsed.enums);
        for (const [key, value] of Object.entries(expected)) {
          if (column[key as keyof ColumnInfo] !== value) problems.push(`${where}: ${key} is ${String(column[key as keyof ColumnInfo])}, Prisma says ${String(value)}`);
        }
        if (field.isRequired === column.isNullable) problems.push(`${where}: Prisma ${field.isRequired ? 'required' : 'optional'}, column ${column.isNullable ? 'nullable' : 'NOT NULL'}`);
        if (field.hasDefaultValue && column.default === null) problems.push(`${where}: Prisma has a default, the column none`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every column of a modelled table is a model field (nothing Prisma cannot see)', () => {
    const problems: string[] = [];
    for (const model of Object.values(parsed.models)) {
      const known = new Set(model.fields.filter((f) => !parsed.models[f.type]).map((f) => f.column));
      for (const column of columns[model.table]!) if (!known.has(column.name)) problems.push(`${model.table}.${column.name}`);
    }
    expect(problems).toEqual([]);
  });

  test('Prisma enums have the values of the SQL enums, in order', async () => {
    for (const [name, e] of Object.entries(parsed.enums)) {
      expect({ enum: name, values: await enumValues(db.driver, e.dbName) }).toEqual({ enum: name, values: e.values });
    }
  });

  test('every relation has its foreign key on the same columns with the same ON DELETE rule (and name, where Prisma gives one)', async () => {
    const fks = await sql<{ name: string; table: string; columns: string[]; target: string; on_delete: string }>(
      db.driver,
      `SELECT con.conname AS name, c.relname AS table, t.relname AS target, con.confdeltype AS on_delete,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, o)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.o) AS columns
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE con.contype = 'f' AND n.nspname = 'public'`,
    );
    const problems: string[] = [];
    let relations = 0;
    for (const model of Object.values(parsed.models)) {
      for (const field of model.fields.filter((f) => f.relation)) {
        relations++;
        const cols = field.relation!.fields.map((f) => model.fields.find((x) => x.name === f)!.column);
        const target = parsed.models[field.type]!.table;
        const fk = fks.find((k) => k.table === model.table && k.target === target && k.columns.join() === cols.join());
        const where = `${model.name}.${field.name} (${model.table}(${cols.join()}) -> ${target})`;
        if (!fk) {
          problems.push(`${where}: no foreign key`);
          continue;
        }
        if (field.relation!.map && fk.name !== field.relation!.map) problems.push(`${where}: named ${fk.name}, Prisma says ${field.relation!.map}`);
        const rule = ON_DELETE[field.relation!.onDelete ?? 'NoAction'];
        if (fk.on_delete !== rule) problems.push(`${where}: ON DELETE ${fk.on_delete}, Prisma says ${field.relation!.onDelete}`);
      }
    }
    expect(relations).toBeGreaterThan(20);
    expect(problems).toEqual([]);
    // And no foreign key Prisma does not know about.
    expect(fks.length).toBe(relations);
  });

  test('every index and unique Prisma names exists in SQL', async () => {
    const names = new Set(
      (await sql<{ name: string }>(db.driver, `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'`)).map((r) => r.name),
    );
    const missing = Object.values(parsed.models).flatMap((m) => m.indexNames.filter((n) => !names.has(n)).map((n) => `${m.table}: ${n}`));
    expect(missing).toEqual([]);
  });
});
