import pino from 'pino';
import { createApp, type App } from '../../src/app.js';
import { attachPrisma, type Database } from '../../src/db/client.js';
import { seed } from '../../src/db/seed.js';
import { createTestDatabase, type BackendKind, type TestDatabase } from './databases.js';

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface TestApp {
  kind: BackendKind;
  db: Database;
  testDb: TestDatabase;
  app: App;
  /** Every SQL statement Prisma sent since the last `statements.length = 0`. */
  statements: string[];
  /** POSTs a GraphQL operation to /graphql in-process (yoga.fetch, no port). */
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Seed this many demo listings (deterministic) after migrating. */
  seedListings?: number;
  clock?: () => Date;
  poolSize?: number;
  /** PostgreSQL statement_timeout of the pool (ms). */
  statementTimeoutMs?: number;
}

/** A migrated database of its own plus the GraphQL app over it, for one test file. */
export async function createTestApp(kind: BackendKind, options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await createTestDatabase(kind, { poolSize: options.poolSize, statementTimeoutMs: options.statementTimeoutMs });
  const statements: string[] = [];
  const db = await attachPrisma(testDb.config, testDb.driver, { migrate: true, onQuery: (sql) => statements.push(sql) });
  if (options.seedListings) await seed(testDb.driver, { listings: options.seedListings });
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const limits = options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : undefined;
  const app = createApp({ db, logger, clock: options.clock, graphiql: false, limits });
  return {
    kind,
    db,
    testDb,
    app,
    statements,
    async gql(query, variables) {
      const response = await app.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      await db.prisma.$disconnect();
      await testDb.drop();
    },
  };
}
