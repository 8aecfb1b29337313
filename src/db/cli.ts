import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type DatabaseConfig } from '../config.js';
import { migrate, MigrationError, rollback, status, type RollbackPlan } from './migrator.js';
import { DataFolderLockedError } from './owner-lock.js';
import { measureLosses } from './rollback-impact.js';
import { DatabaseUnavailableError, openSqlDriver, raw, sql, type SqlDriver, type SqlSession } from './sql.js';

export const USAGE =
  'usage: npm run db:<command> -- [flags], commands: migrate | rollback [--steps N | --to NNN] [--yes] | status | seed [--listings N] [--append]; add --help to any command';

class UsageError extends Error {
  override name = 'UsageError';
}

/** The command would destroy or mix data and was not told to: nothing was changed. */
class RefusedError extends Error {
  override name = 'RefusedError';
}

// Node's socket errors and PostgreSQL's connection-level SQLSTATEs (class 08 connection, class 28
// authorization, 3D000 unknown database, 53300 too many connections, 57P01-57P03 shutdown/starting).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const CONNECTION_SQLSTATE = /^(08...|28...|3D000|53300|57P0[123])$/;

/**
 * The one line to show a person for a failure they must fix outside the code (configuration, an
 * unreachable or unusable database, a migration problem); undefined for anything else, which is
 * a bug and deserves its stack. Shared by the CLI and the server's startup.
 */
export function describeStartupError(error: unknown): string | undefined {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof MigrationError ||
    error instanceof DataFolderLockedError ||
    error instanceof RefusedError
  ) {
    return error.message;
  }
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  if ((error as { syscall?: unknown }).syscall === 'listen' && (code === 'EADDRINUSE' || code === 'EACCES')) {
    const { address, port } = error as { address?: unknown; port?: unknown };
    const reason = code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied';
    return `Cannot listen on ${String(address)}:${String(port)}: ${reason} (set PORT, or METRICS_PORT for the metrics listener)`;
  }
  if (code && NETWORK_CODES.has(code)) {
    return `Cannot reach the database: ${message || code}`;
  }
  if (code && CONNECTION_SQLSTATE.test(code)) {
    return `The database refused the connection: ${message} (SQLSTATE ${code})`;
  }
  if (/^Connection terminated|^Client has encountered a connection error|connection timeout/i.test(message)) {
    return `Lost the connection to the database: ${message}`;
  }
  if (error instanceof AggregateError && error.errors.length > 0) {
    return describeStartupError(error.errors[0]);
  }
  return undefined;
}

function describeDatabase(config: DatabaseConfig): string {
  if (config.kind === 'pglite') return `PGlite at ${config.dataDir}`;
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

function wholeNumber(flag: string, value: string | boolean | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got "${String(value)}"`);
  return Number(value);
}

type Flags = Record<string, string | boolean | undefined>;
type Log = (line: string) => void;

interface Command {
  help: string;
  flags: Record<string, { type: 'string' | 'boolean' }>;
  prepare?: (flags: Flags) => void;
  run(driver: SqlDriver, flags: Flags, log: Log): Promise<void>;
}

const commands: Record<string, Command> = {
  migrate: {
    help: `npm run db:migrate
  Applies every pending migration of prisma/migrations, each in its own transaction.`,
    flags: {},
    async run(driver, _flags, log) {
      await migrate(driver, { log });
    },
  },
  rollback: {
    help: `npm run db:rollback -- [--steps N | --to NNN] [--yes]
  Rolls back applied migrations, newest first (one by default), and names each table and column
  it would drop with its row count first.
  --steps N   roll back the newest N migrations
  --to NNN    roll back every migration after NNN
  --yes       go ahead when rows would be lost (without it such a rollback changes nothing)`,
    flags: { to: { type: 'string' }, steps: { type: 'string' }, yes: { type: 'boolean' } },
    prepare(flags) {
      if (flags.to !== undefined && flags.steps !== undefined) throw new UsageError('give --to or --steps, not both');
      wholeNumber('steps', flags.steps, 1, 1);
    },
    async run(driver, flags, log) {
      const confirm = (plan: RollbackPlan, session: SqlSession) => confirmLosses(plan, session, flags.yes === true, log);
      const target = typeof flags.to === 'string' ? { to: flags.to } : { steps: wholeNumber('steps', flags.steps, 1, 1) };
      await rollback(driver, { ...target, log, confirm });
    },
  },
  status: {
    help: `npm run db:status
  Lists every migration: applied (when), pending, changed since applied, or missing its folder.`,
    flags: {},
    async run(driver, _flags, log) {
      const rows = await status(driver);
      if (rows.length === 0) log('no migrations');
      const width = Math.max(...rows.map((row) => row.name.length), 4);
      for (const row of rows) {
        log(`${row.name.padEnd(width)}  ${row.state.padEnd(12)}  ${row.appliedAt ? row.appliedAt.toISOString() : ''}`.trimEnd());
      }
    },
  },
  seed: {
    help: `npm run db:seed -- [--listings N] [--append]
  Migrates, then writes deterministic demo data (N listings, default 200, with their BOMs, offers,
  sales, features, recommendations and jobs).
  --listings N  how many listings
  --append      add to a database that already holds data (without it, such a seed changes nothing)`,
    flags: { listings: { type: 'string' }, append: { type: 'boolean' } },
    prepare(flags) {
      wholeNumber('listings', flags.listings, 200, 0);
    },
    async run(driver, flags, log) {
      // Checked before migrating: a refused seed writes nothing at all.
      if (flags.append !== true) {
        const held = await existingData(driver);
        if (held) throw new RefusedError(`the database already holds data (${held}); db:seed adds to it only with --append`);
      }
      await migrate(driver, { log });
      const { seed } = await import('./seed.js');
      await seed(driver, { listings: wholeNumber('listings', flags.listings, 200, 0), log });
    },
  },
};

/** Prints what the rollback drops; refuses (before anything runs) when rows would go and --yes is missing. */
async function confirmLosses(plan: RollbackPlan, session: SqlSession, yes: boolean, log: Log): Promise<void> {
  const losses = await measureLosses(plan, session);
  for (const { name } of plan) {
    const mine = losses.filter((loss) => loss.migration === name);
    const drops = mine.map((loss) => `${loss.what} (${loss.rows} ${loss.rows === 1 ? 'row' : 'rows'}${loss.derived ? ', derived: rebuilt when migrated up again' : ''})`).join(', ');
    log(`rollback of ${name} drops: ${drops || 'no tables or columns'}`);
  }
  const lost = losses.filter((loss) => loss.rows > 0 && !loss.derived);
  if (lost.length === 0 || yes) return;
  const rows = lost.reduce((sum, loss) => sum + loss.rows, 0);
  throw new RefusedError(`rolling back would delete ${rows} rows in ${lost.map((loss) => loss.what).join(', ')}; nothing was rolled back (add --yes to go ahead)`);
}

/** "3 listings, 40 components" when the seeded tables hold rows; undefined when they are empty or absent. */
async function existingData(driver: SqlDriver): Promise<string | undefined> {
  return driver.withSession(async (session) => {
    const counts: string[] = [];
    for (const table of ['listings', 'components', 'suppliers']) {
      const exists = await session.query<{ ok: boolean }>(sql`SELECT to_regclass(${table}) IS NOT NULL AS ok`);
      if (!exists.rows[0]?.ok) continue;
      const { rows } = await session.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${raw(table)}`); // a name from the fixed list above
      if (rows[0]!.n > 0) counts.push(`${rows[0]!.n} ${table}`);
    }
    return counts.length ? counts.join(', ') : undefined;
  });
}

function parse(argv: string[]): { name: string; flags: Flags } {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!name || !command) throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
  let values: Flags;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...command.flags, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (npm run db:${name} -- --help)`);
  }
  if (values.help !== true) command.prepare?.(values);
  return { name, flags: values };
}

/** Runs one command; returns the exit code (0 done, 1 failed or refused, 2 bad usage). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    console.log(USAGE);
    return 0;
  }
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}; ${USAGE}`);
    return 2;
  }
  const command = commands[parsed.name]!;
  if (parsed.flags.help === true) {
    console.log(command.help);
    return 0;
  }
  const log = (line: string) => console.log(line);
  let debug = false;
  try {
    const config = loadConfig(env);
    debug = config.logLevel === 'debug' || config.logLevel === 'trace';
    // Maintenance commands are not requests: no statement timeout.
    const driver = await openSqlDriver(config.database.kind === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database);
    try {
      if (parsed.name !== 'status') log(`database: ${describeDatabase(config.database)}`);
      await command.run(driver, parsed.flags, log);
    } finally {
      await driver.close().catch(() => undefined);
    }
    return 0;
  } catch (error) {
    reportFatal(error, debug);
    return 1;
  }
}

/** One line; an unexpected error (a bug) shows its stack too when LOG_LEVEL is debug or trace. */
function reportFatal(error: unknown, debug = false): void {
  const line = describeStartupError(error);
  if (line !== undefined) {
    console.error(`error: ${line}`);
    return;
  }
  const e = error instanceof Error ? error : new Error(String(error));
  console.error(debug && e.stack ? e.stack : `error: ${e.name}: ${e.message.split('\n')[0]} (LOG_LEVEL=debug shows the stack)`);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  const self = fileURLToPath(import.meta.url);
  try {
    return realpathSync(script) === realpathSync(self);
  } catch {
    return path.resolve(script) === self;
  }
}

if (isEntryPoint()) {
  // Errors that escape the awaited chain (a pg pool's idle client losing its server) get the
  // same one-line treatment instead of a stack trace.
  const fatal = (error: unknown) => {
    reportFatal(error);
    process.exit(1);
  };
  process.on('uncaughtException', fatal);
  process.on('unhandledRejection', fatal);
  main(process.argv.slice(2)).then((code) => process.exit(code), fatal);
}
