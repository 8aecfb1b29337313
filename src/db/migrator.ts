import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  compareNames,
  defaultMigrationsDir,
  displayPath,
  loadSources,
  matchesChecksum,
  MigrationError,
  type MigrationSource,
} from './migration-files.js';
import { asDate, checkHistory, ensureMigrationsTable, readRows, summarize } from './migration-history.js';
import { sql, type SqlDriver, type SqlSession } from './sql.js';
import { splitSqlStatements, TRANSACTION_CONTROL, type SqlStatement } from './sql-statements.js';

/**
 * The project's own migration runner. It applies prisma/migrations/NNN_name/migration.sql in name
 * order and records them in `_prisma_migrations` exactly as Prisma's schema engine does, so
 * `prisma migrate status` agrees with it; unlike Prisma it can also roll back (down.sql), and it
 * runs in-process on PGlite.
 */

export { defaultMigrationsDir, loadMigrations, MigrationError, type MigrationFile } from './migration-files.js';

/** Prisma's own advisory-lock key: our runner and `prisma migrate deploy` exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

export type MigrationState = 'applied' | 'pending' | 'changed' | 'missing-file';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt?: Date;
}

// ---------------------------------------------------------------------------------------------
// Running

async function withMigrationLock<T>(driver: SqlDriver, fn: (session: SqlSession) => Promise<T>): Promise<T> {
  return driver.withSession(async (session) => {
    await session.query(sql`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY}::bigint)`);
    try {
      return await fn(session);
    } finally {
      // A pooled connection outlives this call, and with it a session lock: always release it.
      await session.query(sql`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY}::bigint)`).catch(() => undefined);
    }
  });
}

/** Matches a migration by full name or unique prefix ('003' for '003_slice_c_schema'). */
function resolveTarget(target: string, names: string[], dir: string): string {
  if (names.includes(target)) return target;
  const matches = names.filter((name) => name.startsWith(target));
  if (matches.length === 1) return matches[0]!;
  const problem = matches.length === 0 ? 'matches no migration' : `is ambiguous (${matches.join(', ')})`;
  throw new MigrationError(`Target migration "${target}" ${problem}`, { migration: target, file: displayPath(dir) });
}

function statementsOf(source: MigrationSource, which: 'up' | 'down'): SqlStatement[] {
  const file = which === 'up' ? source.upFile : source.downFile;
  const statements = splitSqlStatements((which === 'up' ? source.upSql : source.downSql) ?? '');
  for (const statement of statements) {
    if (TRANSACTION_CONTROL.test(statement.text)) {
      throw new MigrationError(
        `${displayPath(file)} line ${statement.line}: "${statement.text}" — migrations must not manage transactions; ` +
          'the runner already runs each file in one transaction',
        { migration: source.name, file: displayPath(file), statement: statement.text, line: statement.line },
      );
    }
  }
  return statements;
}

/** Runs the statements and `record` in one transaction; on failure rolls it all back and names the statement. */
async function runInTransaction(
  session: SqlSession,
  source: MigrationSource,
  file: string,
  statements: SqlStatement[],
  record: () => Promise<unknown>,
  verb: string,
): Promise<void> {
  await session.query('BEGIN');
  // Schema changes may run long on a big database: the request statement timeout is not for them.
  await session.query('SET LOCAL statement_timeout = 0');
  let current: SqlStatement | undefined;
  try {
    for (const statement of statements) {
      current = statement;
      await session.query(statement.text);
    }
    current = undefined;
    await record();
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw failure(error, source.name, file, current, verb);
  }
}

function failure(error: unknown, migration: string, file: string, statement: SqlStatement | undefined, verb: string): MigrationError {
  const e = error as Error & { detail?: string; hint?: string; position?: string };
  const shown = displayPath(file);
  if (!statement) {
    return new MigrationError(`${verb} ${migration} failed while recording it: ${e.message}`, { migration, file: shown, cause: error });
  }
  let line = statement.line;
  const position = Number(e.position);
  if (Number.isInteger(position) && position > 0) {
    line += (statement.text.slice(0, position - 1).match(/\n/g) ?? []).length;
  }
  const extra = [e.detail && `detail: ${e.detail}`, e.hint && `hint: ${e.hint}`].filter(Boolean).join('; ');
  const excerpt = statement.text.length > 400 ? `${statement.text.slice(0, 400)}…` : statement.text;
  return new MigrationError(
    `${verb} ${migration} failed in ${shown} at line ${line}: ${e.message}${extra ? ` (${extra})` : ''}\n` +
      `  statement: ${excerpt}\n` +
      `  nothing of ${migration} was kept; the database is at the last complete migration`,
    { migration, file: shown, statement: statement.text, line, cause: error },
  );
}

function elapsed(startedAt: number): string {
  return `${Math.round(performance.now() - startedAt)} ms`;
}

/** Applies every pending migration (up to and including `to`), each in its own transaction. */
export async function migrate(
  driver: SqlDriver,
  opts: { dir?: string; log?: (line: string) => void; to?: string } = {},
): Promise<{ applied: string[] }> {
  const dir = opts.dir ?? defaultMigrationsDir;
  const log = opts.log ?? (() => undefined);
  const sources = await loadSources(dir);
  const target = opts.to === undefined ? undefined : resolveTarget(opts.to, sources.map((s) => s.name), dir);

  return withMigrationLock(driver, async (session) => {
    await ensureMigrationsTable(session);
    const history = summarize(await readRows(session));
    checkHistory(history, sources, dir);

    const pending = sources.filter((s) => !history.applied.has(s.name) && (target === undefined || s.name <= target));
    // Parse everything first: a malformed later file stops the run before anything changes.
    const plans = pending.map((source) => ({ source, statements: statementsOf(source, 'up') }));
    if (plans.length === 0) {
      log(`no pending migrations (${history.applied.size} applied)`);
      return { applied: [] };
    }

    const applied: string[] = [];
    for (const { source, statements } of plans) {
      const startedAt = performance.now();
      await runInTransaction(
        session,
        source,
        source.upFile,
        statements,
        () =>
          session.query(
            sql`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
                VALUES (${randomUUID()}, ${source.checksum}, ${source.name}, clock_timestamp(), 1)`,
          ),
        'Migration',
      );
      applied.push(source.name);
      log(`applied ${source.name} (${elapsed(startedAt)})`);
    }
    return { applied };
  });
}

export type RollbackPlan = { name: string; downSql: string }[];

/**
 * Rolls back applied migrations, newest (highest name) first, each down.sql in its own
 * transaction: one step by default, `steps` steps, or every one after `to`. `confirm`, when
 * given, sees the plan under the migration lock before anything runs, and may refuse by throwing.
 */
export async function rollback(
  driver: SqlDriver,
  opts: {
    dir?: string;
    to?: string;
    steps?: number;
    log?: (line: string) => void;
    confirm?: (plan: RollbackPlan, session: SqlSession) => Promise<void>;
  } = {},
): Promise<{ rolledBack: string[] }> {
  const dir = opts.dir ?? defaultMigrationsDir;
  const log = opts.log ?? (() => undefined);
  if (opts.to !== undefined && opts.steps !== undefined) {
    throw new MigrationError('Give either a target or a number of steps to roll back, not both', { migration: '', file: displayPath(dir) });
  }
  const steps = opts.steps ?? 1;
  if (!Number.isInteger(steps) || steps < 0) {
    throw new MigrationError(`Cannot roll back ${steps} steps: give a whole number ≥ 0`, { migration: '', file: displayPath(dir) });
  }
  const sources = await loadSources(dir);
  const byName = new Map(sources.map((s) => [s.name, s]));

  return withMigrationLock(driver, async (session) => {
    const history = summarize(await readRows(session));
    const appliedNames = [...history.applied.keys()].sort(compareNames).reverse();
    let chosen: string[];
    if (opts.to !== undefined) {
      const target = resolveTarget(opts.to, [...new Set([...sources.map((s) => s.name), ...appliedNames])].sort(compareNames), dir);
      chosen = appliedNames.filter((name) => name > target);
    } else {
      chosen = appliedNames.slice(0, steps);
    }

    // Check every file before touching anything.
    const plans = chosen.map((name) => {
      const source = byName.get(name);
      const downFile = path.join(dir, name, 'down.sql');
      if (!source || source.downSql === null) {
        throw new MigrationError(
          `Cannot roll back ${name}: ${displayPath(downFile)} is missing` +
            (chosen.length > 1 ? ` (nothing was rolled back; needed: ${chosen.join(', ')})` : ' (nothing was rolled back)'),
          { migration: name, file: displayPath(downFile) },
        );
      }
      return { source, statements: statementsOf(source, 'down') };
    });
    if (plans.length === 0) {
      log('nothing to roll back');
      return { rolledBack: [] };
    }
    await opts.confirm?.(
      plans.map(({ source }) => ({ name: source.name, downSql: source.downSql! })),
      session,
    );

    const rolledBack: string[] = [];
    for (const { source, statements } of plans) {
      const row = history.applied.get(source.name)!;
      if (!matchesChecksum(source, row.checksum)) {
        log(`warning: ${source.name}'s migration.sql changed since it was applied; running its current down.sql`);
      }
      const startedAt = performance.now();
      await runInTransaction(
        session,
        source,
        source.downFile,
        statements,
        () => session.query(sql`DELETE FROM "_prisma_migrations" WHERE migration_name = ${source.name}`),
        'Rollback of',
      );
      rolledBack.push(source.name);
      log(`rolled back ${source.name} (${elapsed(startedAt)})`);
    }
    return { rolledBack };
  });
}

/** Every migration known to the folder or the database, in name order, with its state. */
export async function status(driver: SqlDriver, opts: { dir?: string } = {}): Promise<MigrationStatus[]> {
  // The database first: an unreachable one is the more fundamental problem to report.
  const history = summarize(await driver.withSession(readRows));
  const sources = await loadSources(opts.dir ?? defaultMigrationsDir);
  const result: MigrationStatus[] = sources.map((source) => {
    const row = history.applied.get(source.name);
    if (!row) return { name: source.name, state: 'pending' };
    const appliedAt = asDate(row.finished_at);
    return {
      name: source.name,
      state: matchesChecksum(source, row.checksum) ? 'applied' : 'changed',
      ...(appliedAt ? { appliedAt } : {}),
    };
  });
  const known = new Set(sources.map((s) => s.name));
  for (const [name, row] of history.applied) {
    if (known.has(name)) continue;
    const appliedAt = asDate(row.finished_at);
    result.push({ name, state: 'missing-file', ...(appliedAt ? { appliedAt } : {}) });
  }
  return result.sort((a, b) => compareNames(a.name, b.name));
}
