import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'; // migration 009's search indexes; PostgreSQL ships it in contrib
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { acquireOwnerLock, type OwnerLock } from './owner-lock.js';

/**
 * A parameterised statement for a driver session, written with the `sql` tag as in Prisma's
 * `$queryRaw`: every interpolated value becomes a parameter ($1…$n).
 */
export class SqlQuery {
  constructor(
    readonly text: string,
    readonly values: readonly unknown[],
  ) {}
}

/** SQL text spliced as is: identifiers from a fixed list or the catalog only, never input values. */
export class SqlRaw {
  constructor(readonly text: string) {}
}

export const raw = (text: string): SqlRaw => new SqlRaw(text);

/** `sql\`SELECT … WHERE id = ${id}\``: the values travel as parameters; `raw(...)` splices an identifier. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlQuery {
  let text = strings[0]!;
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof SqlRaw) text += value.text;
    else {
      params.push(value);
      text += `$${params.length}`;
    }
    text += strings[i + 1]!;
  });
  return new SqlQuery(text, params);
}

/** One database connection: statements run in order, so a transaction spans the calls made on it. */
export interface SqlSession {
  /** A statement without values (migration files, BEGIN/COMMIT), or a `sql`-tagged query; `params` for positional ones. */
  query<Row = Record<string, unknown>>(sql: string | SqlQuery, params?: unknown[]): Promise<{ rows: Row[]; affectedRows: number }>;
}

function textAndValues(statement: string | SqlQuery, params?: unknown[]): [string, unknown[] | undefined] {
  return typeof statement === 'string' ? [statement, params] : [statement.text, [...statement.values]];
}

/**
 * The raw SQL side of a database (migrations, seeding, catalog checks), the same for PostgreSQL
 * and PGlite. Prisma is built on top of the same connection pool / PGlite instance.
 */
export interface SqlDriver {
  readonly kind: 'postgres' | 'pglite';
  /** A dedicated connection for the callback (advisory locks and transactions need one). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export function pgSession(client: pg.PoolClient | pg.Client): SqlSession {
  return {
    async query(statement, positional) {
      const [sql, params] = textAndValues(statement, positional);
      const result = await client.query(sql, params);
      return { rows: result.rows, affectedRows: result.rowCount ?? 0 };
    },
  };
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async query(statement, positional) {
      const [sql, params] = textAndValues(statement, positional);
      // PGlite's query() takes one statement; exec() runs several (no parameters).
      if (!params?.length && hasSeveralStatements(sql)) {
        const results = await db.exec(sql);
        const last = results.at(-1);
        return { rows: (last?.rows ?? []) as never[], affectedRows: last?.affectedRows ?? 0 };
      }
      const result = await db.query(sql, params);
      return { rows: result.rows as never[], affectedRows: result.affectedRows ?? 0 };
    },
  };
}

function hasSeveralStatements(sql: string): boolean {
  return sql.trim().replace(/;\s*$/, '').includes(';');
}

export interface PostgresPoolOptions {
  /** PostgreSQL statement_timeout of every connection, ms (unset or 0 = none). */
  statementTimeoutMs?: number;
}

export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  constructor(readonly pool: pg.Pool) {}

  static fromUrl(url: string, max = 10, options: PostgresPoolOptions = {}): PostgresDriver {
    const pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: 10_000,
      // Sent at connection start: no statement of this pool (Prisma's or ours) runs longer.
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    const onError = () => undefined;
    // A connection the server closes (restart, failover, pg_terminate_backend, DROP DATABASE … FORCE)
    // emits 'error' on its Client, idle or checked out; pg-pool listens only while the client is
    // idle and between short windows, and an 'error' event nobody listens to kills the process. So
    // every client gets a listener for its whole life; the query it was running fails on its own,
    // and the pool discards the dead client on release (it is no longer queryable).
    pool.on('connect', (client) => client.on('error', onError));
    pool.on('error', onError);
    return new PostgresDriver(pool);
  }

  async withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL (${describeUrl(this.pool)}): ${describeThrown(error)}`);
    }
    try {
      return await fn(pgSession(client));
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  // PGlite has a single connection: sessions must not interleave, so they queue here.
  private queue: Promise<unknown> = Promise.resolve();
  constructor(
    readonly db: PGlite,
    private readonly lock?: OwnerLock,
  ) {}

  /** Opens (creating if needed) the folder's database; a folder another process has open is refused. */
  static async open(dataDir: string | 'memory'): Promise<PgliteDriver> {
    if (dataDir === 'memory') return new PgliteDriver(await startPglite(dataDir, () => new PGlite({ extensions: { pg_trgm } })));
    const folder = path.resolve(dataDir);
    // Before PGlite reads a byte: the lock also creates the folder (and the folders above it).
    const lock = await acquireOwnerLock(folder);
    try {
      return new PgliteDriver(await startPglite(dataDir, () => new PGlite(folder, { extensions: { pg_trgm } })), lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn(pgliteSession(this.db)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    try {
      if (!this.db.closed) await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }
}

async function startPglite(dataDir: string, create: () => PGlite): Promise<PGlite> {
  try {
    const db = create();
    await db.waitReady;
    return db;
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot open the embedded database at ${dataDir}: ${describeThrown(error)}. ` +
        'The folder may be corrupt or written by another PGlite version; move it aside to start afresh.',
    );
  }
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite runs SQL synchronously on this thread and settles its promises as microtasks, so a run of
 * statements (a job's transaction, a big request) never lets timers, I/O or signal handlers in:
 * the process then misses a SIGTERM relay (tsx gives the child 30 ms) or starves HTTP while the
 * inline worker is busy. This view of the instance waits one macrotask before each statement; Prisma
 * uses it (the driver's own sessions keep the raw instance).
 */
export function yieldingPglite(db: PGlite): PGlite {
  const wrap = <T extends object>(target: T, transaction: boolean): T =>
    new Proxy(target, {
      get(t, property) {
        const value = Reflect.get(t, property) as unknown;
        if (property === 'query' || property === 'exec') {
          return async (...args: unknown[]) => {
            await nextMacrotask();
            return (value as (...a: unknown[]) => unknown).apply(t, args);
          };
        }
        if (property === 'transaction' && !transaction) {
          return (fn: (tx: object) => unknown) => (value as (f: (tx: object) => unknown) => unknown).call(t, (tx: object) => fn(wrap(tx, true)));
        }
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      },
    });
  return wrap(db, false);
}

function describeUrl(pool: pg.Pool): string {
  const o = pool.options;
  if (o.connectionString) {
    // The pool was built from a URL: its host/port/database options are unset, so read the URL.
    try {
      const url = new URL(o.connectionString);
      return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
    } catch {
      // fall through to the discrete options
    }
  }
  return `${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
}

/** PGlite's file-system layer throws plain objects ({ name: 'ErrnoError', errno }), and Node an AggregateError, with no message. */
function describeThrown(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const e = error as { name?: unknown; errno?: unknown; code?: unknown } | null;
  if (e && typeof e === 'object' && (e.errno !== undefined || e.code !== undefined)) {
    return `${String(e.name ?? 'error')} (${e.code !== undefined ? `code ${String(e.code)}` : `errno ${String(e.errno)}`})`;
  }
  return String(error);
}

export async function openSqlDriver(config: DatabaseConfig): Promise<SqlDriver> {
  return config.kind === 'postgres'
    ? PostgresDriver.fromUrl(config.url, 10, { statementTimeoutMs: config.statementTimeoutMs })
    : PgliteDriver.open(config.dataDir);
}
