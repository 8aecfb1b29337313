import { Writable } from 'node:stream';
import pino from 'pino';
import { GraphQLError } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { CommittedResultUnavailableError } from '../../src/domain/errors.js';
import { cleanError } from '../../src/graphql/error-handling.js';
import { afterCommit } from '../../src/resolvers/core/after-commit.js';
import type { FailureHook } from '../../src/resolvers/core/run-mutation.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/graphql.js';

/** Issue 7: unexpected errors are logged once, with the operation name and the request id the client got. */

describe('error logging and request ids', () => {
  let t: TestApp;
  let app: App;
  const lines: Array<Record<string, unknown>> = [];
  let failureHook: FailureHook | null = null;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    app = createApp({ db: t.db, logger: pino({ level: 'info' }, sink), graphiql: false, viewerOverride: () => TEST_ADMIN, failureHook: (point) => failureHook?.(point) });
  });
  afterEach(() => {
    failureHook = null;
  });
  afterAll(() => t?.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers with x-request-id: the caller’s own when sane, a new one otherwise', async () => {
    expect((await post({ query: '{ __typename }' }, { 'x-request-id': 'job-42.retry:1' })).headers.get('x-request-id')).toBe('job-42.retry:1');
    for (const bad of ['has space', 'x'.repeat(129), 'quote"d']) {
      const id = (await post({ query: '{ __typename }' }, { 'x-request-id': bad })).headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const a = (await post({ query: '{ __typename }' })).headers.get('x-request-id');
    const b = (await app.fetch('http://test/graphql?query={bad')).headers.get('x-request-id');
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
  });

  it('logs an unexpected error exactly once, with the operation name and request id', async () => {
    const marker = `boom-${Date.now()}`;
    failureHook = () => {
      throw new Error(marker);
    };
    const response = await post({
      query: 'mutation MakeSupplier($input: CreateSupplierInput!) { createSupplier(input: $input) { __typename } }',
      variables: { input: { name: 'Logged once' } },
    });
    const body = await response.json();
    expect(body.errors[0].message).toBe('Unexpected error.');
    const logged = lines.filter((line) => JSON.stringify(line).includes(marker));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ requestId: response.headers.get('x-request-id'), operationName: 'MakeSupplier', path: ['createSupplier'] });
  });
});

describe('connection faults become coded answers', () => {
  const lost = () => Object.assign(new Error('Connection terminated unexpectedly'), {});
  const located = (original: Error, path: string[]) => new GraphQLError(original.message, { path, originalError: original });

  it('afterCommit re-reads the payload, then reports the change as committed with its result', async () => {
    const run = { result: { bomId: 7 }, replayed: false, attempts: 1, operation: 'activateBomVersion', idempotencyKey: 'k-1' };
    let reads = 0;
    const flaky = () => (++reads < 3 ? Promise.reject(lost()) : Promise.resolve('payload'));
    await expect(afterCommit(run, flaky)).resolves.toBe('payload');
    const failing = afterCommit(run, () => Promise.reject(lost()));
    await expect(failing).rejects.toBeInstanceOf(CommittedResultUnavailableError);
    const error = await failing.catch((e: unknown) => e as Error);
    const answer = cleanError(located(error, ['activateBomVersion']), true, 1000)!;
    expect(answer.extensions).toMatchObject({ code: 'COMMITTED_RESULT_UNAVAILABLE', committed: true, idempotencyKey: 'k-1', result: { bomId: 7 } });
    expect(answer.message).toMatch(/was committed.*same idempotencyKey/);
    // Anything else is not retried and stays an unexpected error.
    await expect(afterCommit(run, () => Promise.reject(new Error('bug')))).rejects.toThrow('bug');
  });

  it('a lost connection is DATABASE_UNAVAILABLE for a query, "committed" under a mutation payload', () => {
    expect(cleanError(located(lost(), ['listings']), false, 1000)!.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    const pg = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(cleanError(located(pg, ['updateListing', 'listing']), true, 1000)!.extensions).toMatchObject({ code: 'COMMITTED_RESULT_UNAVAILABLE', operation: 'updateListing' });
    const busy = new Error('timeout exceeded when trying to connect');
    expect(cleanError(located(busy, ['listings']), false, 1000)!.extensions).toMatchObject({ code: 'DATABASE_UNAVAILABLE', retryable: true });
    expect(cleanError(located(new Error('a bug'), ['listings']), false, 1000)).toBeNull();
  });
});
