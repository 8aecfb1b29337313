import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseConfig } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import { migrate } from './migrator.js';
import { PgliteDriver, PostgresDriver, openSqlDriver, yieldingPglite, type SqlDriver } from './sql.js';
import { MAX_PREPARED_STATEMENTS, PreparedStatementNames } from './prepared-statements.js';
import { countStatement } from './statement-counter.js';

export { PrismaClient };
export type { Prisma } from '../generated/prisma/client.js';

export interface Database {
  config: DatabaseConfig;
  /** Raw SQL on the same pool / PGlite instance Prisma uses. */
  driver: SqlDriver;
  prisma: PrismaClient;
  /**
   * A read statement built by the service itself (the compiled read path). On PostgreSQL it runs
   * as a named prepared statement, so its parse and plan are paid once per connection rather than
   * on every request; PGlite runs it through Prisma. Counted like Prisma's statements.
   */
  readRows<T>(text: string, values: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (the service does; tests that build their own schema don't). */
  migrate?: boolean;
  log?: (line: string) => void;
  /** Called with every SQL statement Prisma sends: used to prove there is no N+1. */
  onQuery?: (sql: string) => void;
}

/**
 * `postgres://…` uses @prisma/adapter-pg; otherwise the embedded PGlite database, stored in its data
 * folder (or in memory). The raw driver and Prisma share one pool / one PGlite instance.
 */
export async function openDatabase(config: DatabaseConfig, options: OpenDatabaseOptions = {}): Promise<Database> {
  const driver = await openSqlDriver(config);
  return attachPrisma(config, driver, options);
}

export async function attachPrisma(config: DatabaseConfig, driver: SqlDriver, options: OpenDatabaseOptions = {}): Promise<Database> {
  try {
    if (options.migrate) await migrate(driver, { log: options.log });
    const adapter = driver instanceof PostgresDriver ? new PrismaPg(driver.pool) : new PrismaPGlite(yieldingPglite((driver as PgliteDriver).db));
    // Query events feed the per-request statement count (metrics, the operation log) and tests.
    const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
    const onQuery = options.onQuery;
    (prisma as unknown as { $on(e: 'query', cb: (event: { query: string }) => void): void }).$on('query', (event) => {
      countStatement();
      onQuery?.(event.query);
    });
    const names = new PreparedStatementNames(config.kind === 'postgres' && config.preparedStatements === false ? 0 : MAX_PREPARED_STATEMENTS);
    const readRows = driver instanceof PostgresDriver
      ? async <T>(text: string, values: unknown[]): Promise<T[]> => {
          countStatement();
          onQuery?.(text);
          const name = names.nameFor(text);
          return (await driver.pool.query(name ? { name, text, values } : { text, values })).rows as T[];
        }
      : <T>(text: string, values: unknown[]) => prisma.$queryRawUnsafe<T[]>(text, ...values);
    return {
      config,
      driver,
      prisma,
      readRows,
      async close() {
        await prisma.$disconnect();
        await driver.close();
      },
    };
  } catch (error) {
    await driver.close().catch(() => undefined);
    throw error;
  }
}
