import path from 'node:path';
import { displayPath, matchesChecksum, MigrationError, type MigrationSource } from './migration-files.js';
import { sql, type SqlSession } from './sql.js';

/**
 * The record of applied migrations: `_prisma_migrations`, created and read exactly as Prisma's
 * schema engine does, summarized per migration, and checked against the migration files before
 * anything runs. The runner (migrator.ts) writes its rows.
 */

const MIGRATIONS_TABLE = '_prisma_migrations';

// The table as Prisma's PostgreSQL connector creates it.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;


export interface AppliedRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export async function ensureMigrationsTable(session: SqlSession): Promise<void> {
  await session.query(CREATE_MIGRATIONS_TABLE);
}

export async function readRows(session: SqlSession): Promise<AppliedRow[]> {
  const exists = await session.query<{ present: boolean }>(sql`SELECT to_regclass(${MIGRATIONS_TABLE}) IS NOT NULL AS present`);
  if (!exists.rows[0]?.present) return [];
  const result = await session.query<AppliedRow>(
    `SELECT id, checksum, migration_name, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

export interface History {
  /** Successfully applied, not rolled back: the latest such row per migration. */
  applied: Map<string, AppliedRow>;
  /** Started but never finished nor marked rolled back (a failed `prisma migrate deploy`). */
  failed: Map<string, AppliedRow>;
}

export function summarize(rows: AppliedRow[]): History {
  const applied = new Map<string, AppliedRow>();
  const failed = new Map<string, AppliedRow>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at !== null) applied.set(row.migration_name, row);
    else failed.set(row.migration_name, row);
  }
  for (const name of applied.keys()) failed.delete(name);
  return { applied, failed };
}

export function asDate(value: Date | string | null): Date | undefined {
  if (value === null) return undefined;
  return value instanceof Date ? value : new Date(value);
}

// ---------------------------------------------------------------------------------------------

/** Refuses to run on a history that disagrees with the files: a half-applied, missing or edited migration. */
export function checkHistory(history: History, sources: MigrationSource[], dir: string): void {
  const byName = new Map(sources.map((s) => [s.name, s]));
  for (const [name] of history.failed) {
    throw new MigrationError(
      `Migration ${name} is recorded in _prisma_migrations as started but never finished (a failed run of another tool). ` +
        'Repair the database by hand, then delete that row (or run `prisma migrate resolve`)',
      { migration: name, file: displayPath(path.join(dir, name, 'migration.sql')) },
    );
  }
  for (const [name, row] of history.applied) {
    const source = byName.get(name);
    if (!source) {
      throw new MigrationError(
        `Migration ${name} is applied to the database but its folder is missing from ${displayPath(dir)}. ` +
          'Restore it (or roll the database back with the code that has it) before migrating',
        { migration: name, file: displayPath(path.join(dir, name, 'migration.sql')) },
      );
    }
    if (!matchesChecksum(source, row.checksum)) {
      throw new MigrationError(
        `Migration ${name} was changed after it was applied: ${displayPath(source.upFile)} has checksum ` +
          `${source.checksum.slice(0, 12)}…, the database recorded ${row.checksum.slice(0, 12)}…. ` +
          'Restore the file and put the change in a new migration (or roll it back first, then edit it)',
        { migration: name, file: displayPath(source.upFile) },
      );
    }
  }
}

