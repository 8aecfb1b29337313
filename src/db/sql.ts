import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';

/** One database connection: statements run in order, so a transaction spans the calls made on it. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[]; affectedRows: number }>;
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
    async query(sql, params) {
      const result = await client.query(sql, params as unknown[] | undefined);
      return { rows: result.rows, affectedRows: result.rowCount ?? 0 };
    },
  };
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async query(sql, params) {
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

export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  constructor(readonly pool: pg.Pool) {}

  static fromUrl(url: string, max = 10): PostgresDriver {
    return new PostgresDriver(new pg.Pool({ connectionString: url, max }));
  }

  async withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new DatabaseUnavailableError(`Cannot connect to PostgreSQL (${describeUrl(this.pool)}): ${(error as Error).message}`);
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
  constructor(readonly db: PGlite) {}

  static async open(dataDir: string | 'memory'): Promise<PgliteDriver> {
    try {
      const db = dataDir === 'memory' ? new PGlite() : new PGlite(dataDir);
      await db.waitReady;
      return new PgliteDriver(db);
    } catch (error) {
      throw new DatabaseUnavailableError(
        `Cannot open the embedded database at ${dataDir}: ${(error as Error).message || String(error)}. ` +
          'The folder may be corrupt or written by another PGlite version; move it aside to start afresh.',
      );
    }
  }

  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T> {
    const run = this.queue.then(() => fn(pgliteSession(this.db)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    if (!this.db.closed) await this.db.close();
  }
}

function describeUrl(pool: pg.Pool): string {
  const o = pool.options;
  return `${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`;
}

export async function openSqlDriver(config: DatabaseConfig): Promise<SqlDriver> {
  return config.kind === 'postgres' ? PostgresDriver.fromUrl(config.url) : PgliteDriver.open(config.dataDir);
}
