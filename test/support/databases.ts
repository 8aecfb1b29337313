import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PgliteDriver, PostgresDriver, type SqlDriver } from '../../src/db/sql.js';
import type { DatabaseConfig } from '../../src/config.js';

export type BackendKind = 'pglite' | 'postgres';

/** Admin URL of a PostgreSQL server the tests may create databases on; unset = PGlite only. */
export const testDatabaseUrl = process.env.TEST_DATABASE_URL?.trim() || undefined;

/** The backends every database test runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const backends: BackendKind[] = testDatabaseUrl ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDatabase {
  kind: BackendKind;
  config: DatabaseConfig;
  driver: SqlDriver;
  /** Closes the driver and, on PostgreSQL, drops the database. */
  drop(): Promise<void>;
}

/** A new, empty database of its own for one test file (nothing migrated). */
export async function createTestDatabase(kind: BackendKind, options: { poolSize?: number; statementTimeoutMs?: number } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const driver = await PgliteDriver.open('memory');
    return { kind, config: { kind: 'pglite', dataDir: 'memory' }, driver, drop: () => driver.close() };
  }
  if (!testDatabaseUrl) throw new Error('TEST_DATABASE_URL is not set: the PostgreSQL suite cannot run');
  const name = `lh_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdminClient((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = databaseUrlFor(name);
  const driver = PostgresDriver.fromUrl(url, options.poolSize ?? 10, { statementTimeoutMs: options.statementTimeoutMs });
  return {
    kind,
    config: { kind: 'postgres', url },
    driver,
    async drop() {
      await driver.close();
      await withAdminClient((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

export function databaseUrlFor(name: string): string {
  const url = new URL(testDatabaseUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
