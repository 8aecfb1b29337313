import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type DatabaseConfig } from '../config.js';
import { migrate, MigrationError, rollback, status } from './migrator.js';
import { DatabaseUnavailableError, openSqlDriver, type SqlDriver } from './sql.js';

export const USAGE = 'usage: tsx src/db/cli.ts migrate | rollback [--to NNN] [--steps N] | status | seed [--listings N]';

class UsageError extends Error {
  override name = 'UsageError';
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
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError || error instanceof MigrationError) {
    return error.message;
  }
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
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

function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`--${flag} must be a whole number ≥ ${min}, got "${value}"`);
  return Number(value);
}

type Command = (driver: SqlDriver, flags: Record<string, string | undefined>, log: (line: string) => void) => Promise<void>;

const commands: Record<string, { flags: Record<string, { type: 'string' }>; prepare?: (flags: Record<string, string | undefined>) => void; run: Command }> = {
  migrate: {
    flags: {},
    async run(driver, _flags, log) {
      await migrate(driver, { log });
    },
  },
  rollback: {
    flags: { to: { type: 'string' }, steps: { type: 'string' } },
    prepare(flags) {
      if (flags.to !== undefined && flags.steps !== undefined) throw new UsageError('give --to or --steps, not both');
      wholeNumber('steps', flags.steps, 1, 1);
    },
    async run(driver, flags, log) {
      await rollback(driver, flags.to !== undefined ? { to: flags.to, log } : { steps: wholeNumber('steps', flags.steps, 1, 1), log });
    },
  },
  status: {
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
    flags: { listings: { type: 'string' } },
    prepare(flags) {
      wholeNumber('listings', flags.listings, 200, 0);
    },
    async run(driver, flags, log) {
      await migrate(driver, { log });
      const { seed } = await import('./seed.js');
      await seed(driver, { listings: wholeNumber('listings', flags.listings, 200, 0), log });
    },
  },
};

function parse(argv: string[]): { name: string; flags: Record<string, string | undefined> } {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!name || !command) throw new UsageError(name ? `unknown command "${name}"` : 'no command given');
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: command.flags, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags = values as Record<string, string | undefined>;
  command.prepare?.(flags);
  return { name, flags };
}

/** Runs one command; returns the exit code (0 done, 1 failed, 2 bad usage). */
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
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const log = (line: string) => console.log(line);
  try {
    const config = loadConfig(env);
    // Maintenance commands are not requests: no statement timeout.
    const driver = await openSqlDriver(config.database.kind === 'postgres' ? { ...config.database, statementTimeoutMs: 0 } : config.database);
    try {
      if (parsed.name !== 'status') log(`database: ${describeDatabase(config.database)}`);
      await commands[parsed.name]!.run(driver, parsed.flags, log);
    } finally {
      await driver.close().catch(() => undefined);
    }
    return 0;
  } catch (error) {
    reportFatal(error);
    return 1;
  }
}

function reportFatal(error: unknown): void {
  const line = describeStartupError(error);
  console.error(line !== undefined ? `error: ${line}` : error);
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
