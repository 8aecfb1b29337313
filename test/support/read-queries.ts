import { afterAll, beforeAll, expect } from 'vitest';
import { Decimal } from '../../src/domain/money.js';
import type { BackendKind } from './databases.js';
import { createTestApp, type TestApp } from './graphql.js';

/** Decimal strings compared by value ("0.2" equals "0.20"). */
export function dec(value: string | number | null | undefined): string | null {
  return value === null || value === undefined ? null : new Decimal(String(value)).toFixed();
}

/** SELECT statements Prisma sent (the harness records everything, BEGIN/COMMIT included). */
export function selects(statements: string[]): string[] {
  return statements.filter((sql) => /^\s*select/i.test(sql));
}

/** 'YYYY-MM-DD' of the UTC day `offsetDays` from `now`'s. */
export function isoDay(now: Date, offsetDays: number): string {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Query helpers over the test app `app()` returns (read lazily: the app is created in beforeAll). */
export function readQueries(app: () => TestApp) {
  /** The data of a query that must not fail. */
  async function ok<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const response = await app().gql<T>(query, variables);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data as T;
  }
  /** Runs a query and returns its data and the SELECTs it issued. */
  async function measured<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ data: T; selects: string[] }> {
    app().statements.length = 0;
    const data = await ok<T>(query, variables);
    return { data, selects: selects([...app().statements]) };
  }
  /** A raw SQL read of the test database (fixed test queries; values as parameters). */
  async function sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]> {
    return app().db.prisma.$queryRawUnsafe<T[]>(query, ...params);
  }
  return { ok, measured, sql };
}

/**
 * For a describe block: its own app on a database seeded with 15 listings, requests clocked at
 * `now`, closed after the block; `app()` is it, and the helpers of `readQueries` query it.
 */
export function useSeededReads(kind: BackendKind, now: Date) {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(kind, { seedListings: 15, clock: () => now });
  });
  afterAll(async () => {
    await app?.close();
  });
  return { app: () => app, ...readQueries(() => app) };
}
