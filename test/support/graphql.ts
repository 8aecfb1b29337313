import { createHash } from 'node:crypto';
import pino from 'pino';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { makeViewer, type Viewer } from '../../src/auth/viewer.js';
import type { Role } from '../../src/auth/roles.js';
import { attachPrisma, type Database } from '../../src/db/client.js';
import { seed } from '../../src/db/seed.js';
import { loadManifest } from '../../src/graphql/persisted-operations.js';
import type { FailureHook } from '../../src/resolvers/core/run-mutation.js';
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
  /**
   * POSTs a GraphQL operation to /graphql in-process (yoga.fetch, no port), as the injected admin
   * viewer unless `as` names another viewer (`viewerFor(...)`) or a real key (`{ key: secret }`).
   */
  gql<T = any>(query: string, variables?: Record<string, unknown>, as?: CallAs): Promise<GraphQLResponse<T>>;
  /** The raw HTTP response of a GraphQL POST (status, headers), with the same `as`. */
  post(body: unknown, as?: CallAs, headers?: Record<string, string>): Promise<Response>;
  /** Registers a document as a persisted operation of this app; returns its sha256 hash. */
  persist(query: string): string;
  /** Runs `hook` at every mutation checkpoint of this app (AppOptions.failureHook); null removes it. */
  setFailureHook(hook: FailureHook | null): void;
  close(): Promise<void>;
}

/**
 * Who a test request runs as: an injected viewer, a real API key secret, or no credentials at all.
 * Partner viewers (and keys marked `persisted`) may run only persisted operations, so `gql`
 * registers the document in the test app's manifest and sends its hash, as a partner tool would.
 */
export type CallAs = Viewer | { key: string; persisted?: boolean } | { anonymous: true };

/** An injected viewer of a role (no key row behind it), for tests of policies. */
export function viewerFor(role: Role, options: { name?: string; scopes?: string[]; marketplaceIds?: number[] } = {}): Viewer {
  return makeViewer({ name: options.name ?? `test-${role}`, role, scopes: options.scopes, marketplaceIds: options.marketplaceIds });
}

/** What every existing test runs as unless it says otherwise. */
export const TEST_ADMIN = viewerFor('admin', { name: 'test-admin' });

const VIEWER_HEADER = 'x-test-viewer';

export interface TestAppOptions {
  /** Seed this many demo listings (deterministic) after migrating. */
  seedListings?: number;
  clock?: () => Date;
  poolSize?: number;
  /** Extra app options (rate limits, CORS, …) for tests of those. */
  app?: Partial<Omit<AppOptions, 'db' | 'logger'>>;
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
  // Injected viewers travel in a test-only header the override reads; a request with an
  // Authorization header (or marked anonymous) goes through the real key check.
  const injected = new Map<string, Viewer>();
  const viewerOverride = (request: Request): Viewer | undefined => {
    const token = request.headers.get(VIEWER_HEADER);
    if (token === 'anonymous') return undefined;
    if (token) return injected.get(token);
    return request.headers.has('authorization') ? undefined : TEST_ADMIN;
  };
  const manifest = { ...loadManifest() };
  const persist = (query: string) => {
    const hash = createHash('sha256').update(query).digest('hex');
    manifest[hash] = query;
    return hash;
  };
  const limits = options.statementTimeoutMs ? { statementTimeoutMs: options.statementTimeoutMs } : undefined;
  let failureHook: FailureHook | null = null;
  const app = createApp({
    db,
    logger,
    clock: options.clock,
    graphiql: false,
    limits,
    viewerOverride,
    persistedOperations: manifest,
    failureHook: (point) => failureHook?.(point),
    ...options.app,
  });
  const headersFor = (as: CallAs | undefined): Record<string, string> => {
    if (!as) return {};
    if ('key' in as) return { authorization: `Bearer ${as.key}` };
    if ('anonymous' in as) return { [VIEWER_HEADER]: 'anonymous' };
    const token = `v${injected.size + 1}`;
    injected.set(token, as);
    return { [VIEWER_HEADER]: token };
  };
  const post = async (body: unknown, as?: CallAs, headers: Record<string, string> = {}): Promise<Response> =>
    app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headersFor(as), ...headers },
      body: JSON.stringify(body),
    });
  return {
    kind,
    db,
    testDb,
    app,
    statements,
    post,
    persist,
    setFailureHook(hook) {
      failureHook = hook;
    },
    async gql(query, variables, as) {
      const persisted = as && (('role' in as && as.role === 'partner') || ('key' in as && as.persisted));
      const body = persisted ? { variables, extensions: { persistedQuery: { version: 1, sha256Hash: persist(query) } } } : { query, variables };
      const response = await post(body, as);
      return (await response.json()) as GraphQLResponse;
    },
    async close() {
      await db.prisma.$disconnect();
      await testDb.drop();
    },
  };
}
