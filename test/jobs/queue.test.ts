import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JobType } from '../../src/generated/prisma/enums.js';
import { JobError } from '../../src/jobs/queue.js';
import type { HandlerRegistry } from '../../src/jobs/runner.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { testWorker } from '../support/worker.js';
import { gid } from '../mutations/fixtures.js';

const T0 = new Date('2026-03-02T12:00:00.000Z');

describe.each(backends)('job queue on %s', (kind) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(kind, { clock: () => T0 });
  });
  afterAll(async () => app?.close());

  const addJob = (jobType: JobType, data: { priority?: number; scheduledFor?: Date; status?: 'PENDING' | 'RUNNING' | 'FAILED'; startedAt?: Date; attempts?: number } = {}) =>
    app.db.prisma.job.create({
      data: { jobType, scopeType: 'GLOBAL', status: data.status ?? 'PENDING', priority: data.priority ?? 5, scheduledFor: data.scheduledFor ?? T0, startedAt: data.startedAt, attempts: data.attempts ?? 0, inputJson: {}, createdAt: T0 },
    });

  test('a retryable failure goes back to PENDING with the §6.1 backoff; attempt 5 is final, with one log entry per attempt', async () => {
    let now = T0;
    const calls: number[] = [];
    const handlers: HandlerRegistry = {
      SYNC_AMAZON_CATALOG: {
        async run(run) {
          calls.push(run.job.attempts);
          throw new JobError('NETWORK', `upstream 503 on attempt ${run.job.attempts}`, true);
        },
      },
    };
    // random() = 0 → the lower edge of U[0.5, 1.5): 15, 30, 60, 120 s.
    const worker = testWorker(app.db, { handlers, clock: () => now, random: () => 0, types: ['SYNC_AMAZON_CATALOG'] });
    const job = await addJob('SYNC_AMAZON_CATALOG');
    const delays = [15, 30, 60, 120];
    for (const [i, delay] of delays.entries()) {
      expect((await worker.runOne())?.status).toBe('RETRY');
      const row = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
      expect([row.status, row.attempts]).toEqual(['PENDING', i + 1]);
      expect(row.scheduledFor!.getTime() - now.getTime()).toBe(delay * 1000);
      // Not due a millisecond early.
      now = new Date(row.scheduledFor!.getTime() - 1);
      expect(await worker.runOne()).toBeNull();
      now = row.scheduledFor!;
    }
    expect((await worker.runOne())?.status).toBe('FAILED');
    const failed = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([failed.status, failed.attempts, failed.finishedAt?.toISOString()]).toEqual(['FAILED', 5, now.toISOString()]);
    expect(failed.errorMessage).toBe('upstream 503 on attempt 5');
    const log = failed.logJson as Array<{ code: string; attempt: number; error: string; timestamp: string }>;
    expect(log.map((e) => [e.code, e.attempt])).toEqual([1, 2, 3, 4, 5].map((n) => ['NETWORK', n]));
    expect(calls).toEqual([1, 2, 3, 4, 5]);
    expect(await worker.runOne()).toBeNull();
  });

  test('the jitter stays within U[0.5, 1.5) of the nominal delay', async () => {
    const handlers: HandlerRegistry = { SYNC_AMAZON_CATALOG: { run: async () => Promise.reject(new JobError('NETWORK', 'x', true)) } };
    const job = await addJob('SYNC_AMAZON_CATALOG', { attempts: 2 });
    const worker = testWorker(app.db, { handlers, clock: () => T0, random: () => 0.999, types: ['SYNC_AMAZON_CATALOG'] });
    expect((await worker.runOne())?.status).toBe('RETRY');
    const row = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    // attempt 3: nominal 120 s × 1.499
    expect(row.scheduledFor!.getTime() - T0.getTime()).toBe(Math.round(120 * 1.499 * 1000));
    await app.db.prisma.job.update({ where: { id: job.id }, data: { status: 'CANCELLED' } });
  });

  test('a non-retryable failure is FAILED at once; SYNC_AMAZON_SALES always is', async () => {
    const job = await addJob('SYNC_AMAZON_SALES');
    const worker = testWorker(app.db, { clock: () => T0, types: ['SYNC_AMAZON_SALES'] });
    expect((await worker.runOne())?.status).toBe('FAILED');
    const row = await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } });
    expect([row.status, row.attempts]).toEqual(['FAILED', 1]);
    expect((row.logJson as Array<{ code: string }>)[0]!.code).toBe('JOB_TYPE_REMOVED');
  });

  test('claim order: priority DESC, then scheduled_for; a job is not claimed before scheduled_for', async () => {
    const order: number[] = [];
    const handlers: HandlerRegistry = { SYNC_AMAZON_OFFER: { run: async (run) => void order.push(run.job.id) } };
    const late = await addJob('SYNC_AMAZON_OFFER', { priority: 9, scheduledFor: new Date(T0.getTime() + 60_000) });
    const low = await addJob('SYNC_AMAZON_OFFER', { priority: 3, scheduledFor: new Date(T0.getTime() - 5_000) });
    const highNewer = await addJob('SYNC_AMAZON_OFFER', { priority: 7, scheduledFor: new Date(T0.getTime() - 1_000) });
    const highOlder = await addJob('SYNC_AMAZON_OFFER', { priority: 7, scheduledFor: new Date(T0.getTime() - 2_000) });
    const worker = testWorker(app.db, { handlers, clock: () => T0, types: ['SYNC_AMAZON_OFFER'] });
    await worker.drain();
    expect(order).toEqual([highOlder.id, highNewer.id, low.id]);
    expect((await app.db.prisma.job.findUniqueOrThrow({ where: { id: late.id } })).status).toBe('PENDING');
    await app.db.prisma.job.update({ where: { id: late.id }, data: { status: 'CANCELLED' } });
  });

  test('the reaper fails RUNNING jobs older than 2 × their timeout (JOB_TIMEOUT, retried); younger ones are left alone', async () => {
    // COMPUTE_FEATURES_LISTING times out after 30 s: reaped after 60 s.
    const stuck = await addJob('COMPUTE_FEATURES_LISTING', { status: 'RUNNING', attempts: 1, startedAt: new Date(T0.getTime() - 61_000) });
    const young = await addJob('COMPUTE_FEATURES_LISTING', { status: 'RUNNING', attempts: 1, startedAt: new Date(T0.getTime() - 59_000) });
    const worker = testWorker(app.db, { clock: () => T0, random: () => 0 });
    expect(await worker.reap()).toBe(1);
    const reaped = await app.db.prisma.job.findUniqueOrThrow({ where: { id: stuck.id } });
    expect([reaped.status, reaped.attempts, reaped.scheduledFor!.getTime() - T0.getTime()]).toEqual(['PENDING', 1, 15_000]);
    expect((reaped.logJson as Array<{ code: string }>).map((e) => e.code)).toEqual(['JOB_TIMEOUT']);
    expect((await app.db.prisma.job.findUniqueOrThrow({ where: { id: young.id } })).status).toBe('RUNNING');
    await app.db.prisma.job.updateMany({ where: { id: { in: [stuck.id, young.id] } }, data: { status: 'CANCELLED' } });
  });

  test('cancelJob (PENDING only) and retryJob (FAILED/CANCELLED → PENDING, attempts 0) over GraphQL, with typed errors', async () => {
    const cancel = `mutation($id: ID!, $key: String) { cancelJob(input: { jobId: $id, idempotencyKey: $key }) { __typename
      ... on CancelJobPayload { replayed job { status finishedAt } } ... on InvalidTransitionError { currentStatus attemptedAction } ... on NotFoundError { id } } }`;
    const retry = `mutation($id: ID!) { retryJob(input: { jobId: $id }) { __typename
      ... on RetryJobPayload { job { status attempts errorMessage scheduledFor } } ... on InvalidTransitionError { currentStatus attemptedAction } } }`;
    const pending = await addJob('SYNC_AMAZON_OFFER');
    const first = await app.gql(cancel, { id: gid('Job', pending.id), key: `cancel-${kind}-${pending.id}` });
    expect(first.data.cancelJob).toMatchObject({ __typename: 'CancelJobPayload', replayed: false, job: { status: 'CANCELLED', finishedAt: T0.toISOString() } });
    const replay = await app.gql(cancel, { id: gid('Job', pending.id), key: `cancel-${kind}-${pending.id}` });
    expect(replay.data.cancelJob).toMatchObject({ __typename: 'CancelJobPayload', replayed: true });
    expect((await app.gql(cancel, { id: gid('Job', pending.id) })).data.cancelJob).toEqual({ __typename: 'InvalidTransitionError', currentStatus: 'CANCELLED', attemptedAction: 'CANCEL' });
    expect((await app.gql(cancel, { id: gid('Job', 99_999_999) })).data.cancelJob.__typename).toBe('NotFoundError');

    const failed = await addJob('SYNC_AMAZON_OFFER', { status: 'FAILED', attempts: 5 });
    await app.db.prisma.job.update({ where: { id: failed.id }, data: { errorMessage: 'boom' } });
    expect((await app.gql(retry, { id: gid('Job', failed.id) })).data.retryJob).toEqual({
      __typename: 'RetryJobPayload',
      job: { status: 'PENDING', attempts: 0, errorMessage: null, scheduledFor: T0.toISOString() },
    });
    expect((await app.gql(retry, { id: gid('Job', pending.id) })).data.retryJob.job.status).toBe('PENDING');
    expect((await app.gql(retry, { id: gid('Job', pending.id) })).data.retryJob).toEqual({ __typename: 'InvalidTransitionError', currentStatus: 'PENDING', attemptedAction: 'RETRY' });
    await app.db.prisma.job.updateMany({ where: { id: { in: [pending.id, failed.id] } }, data: { status: 'CANCELLED' } });
  });
});
