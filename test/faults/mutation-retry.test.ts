import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/graphql.js';

/** Issue 7: a mutation whose connection is lost before COMMIT runs again on a fresh one. */

const CREATE = `mutation($input: CreateSupplierInput!) { createSupplier(input: $input) {
  __typename ... on SupplierPayload { supplier { name } } ... on ConflictError { retryable message } } }`;
const lost = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('connection loss inside a mutation (PGlite, injected)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterEach(() => t?.setFailureHook(null));
  afterAll(() => t?.close());

  it('is retried transparently: one supplier, no error', async () => {
    t.setFailureHook(({ attempt }) => {
      if (attempt === 1) throw lost();
    });
    const name = `Retried ${Date.now()}`;
    const answer = await t.gql(CREATE, { input: { name } });
    expect(answer.data.createSupplier).toMatchObject({ __typename: 'SupplierPayload', supplier: { name } });
    expect(await t.db.prisma.supplier.count({ where: { name } })).toBe(1);
  });

  it('still lost after every attempt → ConflictError, retryable, nothing written', async () => {
    t.setFailureHook(() => {
      throw lost();
    });
    const name = `Never ${Date.now()}`;
    const answer = await t.gql(CREATE, { input: { name } });
    expect(answer.data.createSupplier).toMatchObject({ __typename: 'ConflictError', retryable: true });
    expect(await t.db.prisma.supplier.count({ where: { name } })).toBe(0);
  });

  it('no connection free in time (pool exhausted) → ConflictError at once, not retried', async () => {
    const attempts: number[] = [];
    t.setFailureHook(({ attempt }) => {
      attempts.push(attempt);
      throw new Error('timeout exceeded when trying to connect');
    });
    const answer = await t.gql(CREATE, { input: { name: `Busy ${Date.now()}` } });
    expect(answer.data.createSupplier).toMatchObject({ __typename: 'ConflictError', retryable: true, message: expect.stringMatching(/overloaded/) });
    expect(attempts).toEqual([1]);
  });
});
