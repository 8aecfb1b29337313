import type { SqlDriver } from '../../src/db/sql.js';

/** Runs one statement on its own session. */
export async function sql<Row = Record<string, unknown>>(driver: SqlDriver, text: string, params?: unknown[]): Promise<Row[]> {
  return driver.withSession(async (s) => (await s.query<Row>(text, params)).rows);
}

/** Runs `fn` inside a transaction that is always rolled back (probe inserts leave nothing behind). */
export async function inRolledBackTransaction<T>(driver: SqlDriver, fn: (q: (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>) => Promise<T>): Promise<T> {
  return driver.withSession(async (s) => {
    await s.query('BEGIN');
    try {
      return await fn(async (text, params) => (await s.query(text, params)).rows);
    } finally {
      await s.query('ROLLBACK');
    }
  });
}

/** Whatever the error is, its SQLSTATE and constraint name (pg and PGlite both carry them). */
export async function sqlError(promise: Promise<unknown>): Promise<{ code?: string; constraint?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; constraint?: string; message: string };
    return { code: e.code, constraint: e.constraint, message: e.message };
  }
  throw new Error('expected the statement to fail, but it succeeded');
}

export interface CatalogSnapshot {
  tables: string[];
  /** "table.column" -> type, nullability, default, in column order per table. */
  columns: Record<string, string[]>;
  /** "table.name" -> type + definition. */
  constraints: Record<string, string>;
  /** name -> definition as pg_indexes prints it. */
  indexes: Record<string, string>;
  /** enum -> values in order. */
  enums: Record<string, string[]>;
  sequences: string[];
  /** Schemas other than public and the system ones (e.g. bookkeeping). */
  schemas: string[];
}

const EXCLUDED_TABLES = ['_prisma_migrations'];

/**
 * The structure of the public schema: tables, columns (type, nullability, default, in order),
 * constraints, indexes, enum types with their values and sequences. Column order is the order of
 * the live columns (ordinal position ignores dropped ones), so dropping and re-adding a trailing
 * column compares equal. `_prisma_migrations` (the runner's own table) is left out.
 */
export async function catalogSnapshot(driver: SqlDriver, options: { excludeTables?: string[] } = {}): Promise<CatalogSnapshot> {
  const excluded = [...EXCLUDED_TABLES, ...(options.excludeTables ?? [])];
  const tables = (
    await sql<{ name: string }>(
      driver,
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1))
       ORDER BY table_name`,
      [excluded],
    )
  ).map((r) => r.name);

  const columnRows = await sql<{ table_name: string; column_name: string; type: string; not_null: boolean; default: string | null }>(
    driver,
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
       AND NOT (c.relname = ANY($1))
     ORDER BY c.relname, a.attnum`,
    [excluded],
  );
  const columns: Record<string, string[]> = {};
  for (const r of columnRows) {
    (columns[r.table_name] ??= []).push(`${r.column_name} ${r.type}${r.not_null ? ' NOT NULL' : ''}${r.default !== null ? ` DEFAULT ${r.default}` : ''}`);
  }

  const constraintRows = await sql<{ table_name: string; name: string; type: string; def: string }>(
    driver,
    `SELECT c.relname AS table_name, con.conname AS name, con.contype AS type, pg_get_constraintdef(con.oid) AS def
     FROM pg_constraint con
     JOIN pg_class c ON c.oid = con.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT (c.relname = ANY($1))
     ORDER BY c.relname, con.conname`,
    [excluded],
  );
  const constraints: Record<string, string> = {};
  for (const r of constraintRows) constraints[`${r.table_name}.${r.name}`] = `${r.type} ${r.def}`;

  const indexRows = await sql<{ name: string; def: string }>(
    driver,
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
     WHERE schemaname = 'public' AND NOT (tablename = ANY($1)) ORDER BY indexname`,
    [excluded],
  );
  const indexes: Record<string, string> = {};
  for (const r of indexRows) indexes[r.name] = r.def;

  const enumRows = await sql<{ name: string; label: string }>(
    driver,
    `SELECT t.typname AS name, e.enumlabel AS label
     FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' ORDER BY t.typname, e.enumsortorder`,
  );
  const enums: Record<string, string[]> = {};
  for (const r of enumRows) (enums[r.name] ??= []).push(r.label);

  const sequences = (
    await sql<{ name: string }>(
      driver,
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relname NOT LIKE '\\_prisma%' ORDER BY c.relname`,
    )
  ).map((r) => r.name);

  const schemas = (
    await sql<{ name: string }>(
      driver,
      `SELECT nspname AS name FROM pg_namespace
       WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname`,
    )
  ).map((r) => r.name);

  return { tables, columns, constraints, indexes, enums, sequences, schemas };
}

/** Every object name a snapshot holds (tables, constraints, indexes, enums, sequences), for "what is left" checks. */
export function objectNames(snapshot: CatalogSnapshot): string[] {
  return [
    ...snapshot.tables.map((t) => `table ${t}`),
    ...Object.keys(snapshot.constraints).map((c) => `constraint ${c}`),
    ...Object.keys(snapshot.indexes).map((i) => `index ${i}`),
    ...Object.keys(snapshot.enums).map((e) => `type ${e}`),
    ...snapshot.sequences.map((s) => `sequence ${s}`),
  ].sort();
}

export interface ColumnInfo {
  name: string;
  dataType: string;
  udtName: string;
  isNullable: boolean;
  characterMaximumLength: number | null;
  numericPrecision: number | null;
  numericScale: number | null;
  default: string | null;
}

/** The columns of a public table in order, as information_schema describes them. */
export async function columnsOf(driver: SqlDriver, table: string): Promise<ColumnInfo[]> {
  const rows = await sql<Record<string, unknown>>(
    driver,
    `SELECT column_name, data_type, udt_name, is_nullable, character_maximum_length, numeric_precision, numeric_scale, column_default
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({
    name: String(r.column_name),
    dataType: String(r.data_type),
    udtName: String(r.udt_name),
    isNullable: r.is_nullable === 'YES',
    characterMaximumLength: r.character_maximum_length === null ? null : Number(r.character_maximum_length),
    numericPrecision: r.numeric_precision === null ? null : Number(r.numeric_precision),
    numericScale: r.numeric_scale === null ? null : Number(r.numeric_scale),
    default: (r.column_default as string | null) ?? null,
  }));
}

/** Values of an enum type, in order. */
export async function enumValues(driver: SqlDriver, name: string): Promise<string[]> {
  const rows = await sql<{ label: string }>(
    driver,
    `SELECT e.enumlabel AS label FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
     JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typname = $1 ORDER BY e.enumsortorder`,
    [name],
  );
  return rows.map((r) => r.label);
}

export interface IndexShape {
  table: string;
  unique: boolean;
  columns: string[];
  /** The WHERE clause as PostgreSQL prints it, or null. */
  predicate: string | null;
}

/** An index's meaning (table, uniqueness, key columns, predicate), independent of pg_indexes' text. */
export async function indexShape(driver: SqlDriver, name: string): Promise<IndexShape | undefined> {
  const rows = await sql<{ table: string; unique: boolean; columns: string[]; predicate: string | null }>(
    driver,
    `SELECT t.relname AS table, ix.indisunique AS unique,
            ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) AS k ORDER BY k) AS columns,
            pg_get_expr(ix.indpred, ix.indrelid) AS predicate
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = i.relnamespace
     WHERE n.nspname = 'public' AND i.relname = $1`,
    [name],
  );
  return rows[0];
}

/**
 * Normalises a boolean SQL expression for comparison: drops casts (`::bom_scope_type`), parentheses
 * and case, collapses whitespace, and sorts top-level AND terms. "is_active = true AND
 * scope_type = 'LISTING'" and PostgreSQL's "((is_active = true) AND (scope_type =
 * 'LISTING'::bom_scope_type))" normalise to the same text.
 */
export function normalizePredicate(expr: string): string {
  const flat = expr
    .replace(/::[a-z_][a-z0-9_ ]*(\[\])?/gi, '')
    .replace(/[()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return flat
    .split(/ and /)
    .map((term) => term.trim())
    .sort()
    .join(' and ');
}
