import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { createListing, gid } from './fixtures.js';

/**
 * Serialization failures (40001) and deadlocks (40P01) are retried inside the resolver in a fresh
 * transaction, a bounded number of times; what the failed attempt wrote is gone, and when every
 * attempt fails the client gets ConflictError (safe to retry). The failures are injected after the
 * mutation's first write, shaped as PostgreSQL reports them through Prisma's driver adapter.
 */

const ACTIVATE = `mutation($input: ActivateBomVersionInput!) {
  activateBomVersion(input: $input) {
    __typename
    ... on ActivateBomVersionPayload { bom { version isActive } }
    ... on ConflictError { message retryable }
  }
}`;

function databaseError(sqlState: string): Error {
  return Object.assign(new Error(sqlState === '40P01' ? 'deadlock detected' : 'could not serialize access'), {
    cause: { kind: 'postgres', code: sqlState, originalCode: sqlState },
  });
}

describe.each(backends)('bounded retries of transient database failures on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterEach(() => t?.setFailureHook(null));
  afterAll(() => t?.close());

  async function twoVersions() {
    const { listingId, componentIds } = await createListing(t.db.prisma);
    // With a line each: an empty version cannot be activated (EmptyBomError).
    const lines = { create: [{ componentId: componentIds[0]!, quantity: '1' }] };
    const old = await t.db.prisma.bom.create({ data: { listingId, version: 1, isActive: false, lines } });
    await t.db.prisma.bom.create({ data: { listingId, version: 2, isActive: true, lines } });
    return { listingId, oldBomId: old.id };
  }

  it.each(['40001', '40P01'])('retries after %s and applies the change once', async (sqlState) => {
    const { listingId, oldBomId } = await twoVersions();
    const attempts: number[] = [];
    t.setFailureHook(({ mutation, label, attempt }) => {
      if (mutation !== 'activateBomVersion' || label !== 'after-first-write') return;
      attempts.push(attempt);
      if (attempt < 3) throw databaseError(sqlState);
    });
    const result = await t.gql(ACTIVATE, { input: { bomId: gid('Bom', oldBomId) } });
    expect(result.data.activateBomVersion).toEqual({ __typename: 'ActivateBomVersionPayload', bom: { version: 1, isActive: true } });
    expect(attempts).toEqual([1, 2, 3]);
    const events = await t.db.prisma.listingEvent.count({ where: { listingId, eventType: 'BOM_UPDATED' } });
    expect(events).toBe(1);
    const active = await t.db.prisma.bom.findMany({ where: { listingId, isActive: true }, select: { version: true } });
    expect(active).toEqual([{ version: 1 }]);
  });

  it('gives up with ConflictError after the bounded number of attempts, having written nothing', async () => {
    const { listingId, oldBomId } = await twoVersions();
    let calls = 0;
    t.setFailureHook(({ mutation, label }) => {
      if (mutation !== 'activateBomVersion' || label !== 'after-first-write') return;
      calls++;
      throw databaseError('40001');
    });
    const result = await t.gql(ACTIVATE, { input: { bomId: gid('Bom', oldBomId) } });
    expect(result.data.activateBomVersion.__typename).toBe('ConflictError');
    expect(result.data.activateBomVersion.retryable).toBe(true);
    expect(calls).toBe(8);
    expect(await t.db.prisma.listingEvent.count({ where: { listingId, eventType: 'BOM_UPDATED' } })).toBe(0);
    const active = await t.db.prisma.bom.findMany({ where: { listingId, isActive: true }, select: { version: true } });
    expect(active).toEqual([{ version: 2 }]);
  });

  it('does not retry an unexpected error: it is masked and nothing is written', async () => {
    const { listingId, oldBomId } = await twoVersions();
    let calls = 0;
    t.setFailureHook(({ mutation, label }) => {
      if (mutation !== 'activateBomVersion' || label !== 'after-first-write') return;
      calls++;
      throw new Error('disk on fire');
    });
    const result = await t.gql(ACTIVATE, { input: { bomId: gid('Bom', oldBomId) } });
    expect(result.errors?.[0]?.message).toBe('Unexpected error.');
    expect(JSON.stringify(result)).not.toContain('disk on fire');
    expect(calls).toBe(1);
    expect(await t.db.prisma.listingEvent.count({ where: { listingId, eventType: 'BOM_UPDATED' } })).toBe(0);
  });
});
