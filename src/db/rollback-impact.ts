import type { RollbackPlan } from './migrator.js';
import { raw, sql, type SqlSession } from './sql.js';

/** A table or column a rollback drops, with the rows whose data goes with it. */
export interface Loss {
  migration: string;
  /** `table` or `table.column`. */
  what: string;
  rows: number;
  /**
   * A projection the migration keeps from other tables (marked `-- derived: <table>` in its
   * down.sql): its rows are shown but lose no data, since migrating up again rebuilds them.
   */
  derived: boolean;
}

const DERIVED = /^--\s*derived:\s*([\w.]+)/gim;

const IDENT = String.raw`(?:"[^"]+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\.${IDENT})?`;
const DROP_TABLE = new RegExp(String.raw`\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(${QUALIFIED}(?:\s*,\s*${QUALIFIED})*)`, 'gi');
const DROP_COLUMN = new RegExp(
  String.raw`\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})\s+DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?(?!CONSTRAINT\b)(${IDENT})`,
  'gi',
);

/**
 * What the down.sql files of a plan would destroy, measured on the database as it is now. Read
 * from the SQL text: conditional drops (inside DO blocks) are counted as if they ran, so the
 * figure errs on the side of asking. Tables or columns that do not exist are left out.
 */
export async function measureLosses(plan: RollbackPlan, session: SqlSession): Promise<Loss[]> {
  const losses: Loss[] = [];
  for (const { name, downSql } of plan) {
    const derived = new Set([...downSql.matchAll(DERIVED)].map((m) => m[1]!));
    const sql = withoutComments(downSql);
    for (const match of sql.matchAll(DROP_TABLE)) {
      for (const table of match[1]!.split(',').map((t) => t.trim())) {
        const rows = await countRows(session, table);
        if (rows !== undefined) losses.push({ migration: name, what: unquote(table), rows, derived: derived.has(unquote(table)) });
      }
    }
    for (const match of sql.matchAll(DROP_COLUMN)) {
      const [table, column] = [match[1]!, match[2]!];
      const rows = await countRows(session, table, column);
      if (rows !== undefined) losses.push({ migration: name, what: `${unquote(table)}.${unquote(column)}`, rows, derived: false });
    }
  }
  return losses;
}

/** Rows of `table` (with a non-null `column`, when given); undefined when either does not exist. */
async function countRows(session: SqlSession, table: string, column?: string): Promise<number | undefined> {
  const name = column === undefined ? null : unquote(column);
  const exists = await session.query<{ ok: boolean }>(
    sql`SELECT to_regclass(${table}) IS NOT NULL AND (${name}::text IS NULL OR EXISTS (
          SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${table}) AND attname = ${name} AND NOT attisdropped)) AS ok`,
  );
  if (!exists.rows[0]?.ok) return undefined;
  // Identifiers come from our own migration files and exist in the catalog (checked above).
  const where = raw(column === undefined ? '' : ` WHERE ${column} IS NOT NULL`);
  const result = await session.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${raw(table)}${where}`);
  return result.rows[0]?.n ?? 0;
}

function withoutComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}

function unquote(identifier: string): string {
  return identifier.replace(/"/g, '');
}
