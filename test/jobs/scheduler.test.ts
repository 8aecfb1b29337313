import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { attachPrisma } from '../../src/db/client.js';
import { PostgresDriver } from '../../src/db/sql.js';
import { SimulatedMarketplace } from '../../src/jobs/adapters.js';
import { createLiveUpdates, recommendationTopic } from '../../src/jobs/live-updates.js';
import type { JobEnv } from '../../src/jobs/runner.js';
import { DEFAULT_SCHEDULE, Scheduler, latestSlot, scheduleFromConfig } from '../../src/jobs/scheduler.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';

test('latestSlot: the §6.2 cadences in UTC', () => {
  const at = new Date('2026-07-01T13:47:10Z');
  expect(latestSlot(DEFAULT_SCHEDULE.offers!, at)?.toISOString()).toBe('2026-07-01T12:00:00.000Z');
  expect(latestSlot(DEFAULT_SCHEDULE.nightly!, at)?.toISOString()).toBe('2026-07-01T02:00:00.000Z');
  expect(latestSlot(DEFAULT_SCHEDULE.sweep!, at)?.toISOString()).toBe('2026-07-01T13:45:00.000Z');
  expect(latestSlot(DEFAULT_SCHEDULE.sweep!, new Date('2026-07-01T13:45:00Z'))?.toISOString()).toBe('2026-07-01T13:45:00.000Z');
  expect(scheduleFromConfig({ enabled: false, overrides: {} })).toBeNull();
  expect(scheduleFromConfig({ enabled: true, overrides: { keepa: 'off', offers: '0 * * * *' } })).toEqual({ ...DEFAULT_SCHEDULE, keepa: null, offers: '0 * * * *' });
});

const kind = backends.includes('postgres') ? 'postgres' : 'pglite';

describe(`scheduler on ${kind}`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp(kind);
  });
  afterAll(async () => app?.close());

  test('many schedulers on one slot enqueue it once; the next slot enqueues again; the sweep expires due recommendations and publishes the event after commit', async () => {
    let now = new Date('2026-07-01T02:00:30Z');
    const envs: JobEnv[] = [];
    for (let i = 0; i < 3; i++) {
      // On PostgreSQL each scheduler gets its own pool, as separate worker processes would.
      const db = app.kind === 'postgres' && app.testDb.config.kind === 'postgres' ? await attachPrisma(app.testDb.config, PostgresDriver.fromUrl(app.testDb.config.url, 2)) : app.db;
      envs.push({ db, logger: pino({ level: 'silent' }), clock: () => now, marketplace: new SimulatedMarketplace(), keepa: null, publishEnabled: true, live: null });
    }
    const listing = await app.db.prisma.listing.create({ data: { sellerSku: `SCHED-${Date.now()}`, title: 'x' } });
    const due = await app.db.prisma.recommendation.create({
      data: { recommendationType: 'ANOMALY_SALES_DROP', entityType: 'LISTING', entityId: listing.id, actionPayloadJson: {}, evidenceJson: {}, impactJson: {}, generatedAt: new Date('2026-06-20T00:00:00Z'), expiresAt: new Date('2026-06-27T00:00:00Z') },
    });
    // Subscribers see the sweep's event once it has committed.
    const live = createLiveUpdates();
    for (const env of envs) env.live = live;
    const updates = live.subscribe(recommendationTopic('LISTING', listing.id))[Symbol.asyncIterator]();
    const firstUpdate = updates.next();
    const schedulers = envs.map((env) => new Scheduler(env, DEFAULT_SCHEDULE));
    const ticks = await Promise.all(schedulers.map((s) => s.tick()));
    // offers@00:00 and nightly@02:00 (Keepa is skipped without a Keepa client), each by exactly one scheduler.
    expect(ticks.flatMap((t) => t.enqueued).sort()).toEqual(['nightly@2026-07-01T02:00:00.000Z', 'offers@2026-07-01T00:00:00.000Z']);
    expect(ticks.every((t) => t.swept)).toBe(true);
    const jobs = await app.db.prisma.job.findMany({ where: { createdBy: 'scheduler' }, orderBy: { id: 'asc' } });
    expect(jobs.map((j) => [j.jobType, j.scopeType, (j.inputJson as { schedule_slot: string }).schedule_slot])).toEqual(
      expect.arrayContaining([
        ['SYNC_AMAZON_OFFER', 'GLOBAL', 'SYNC_AMAZON_OFFER@2026-07-01T00:00:00.000Z'],
        ['COMPUTE_FEATURES_LISTING', 'GLOBAL', 'COMPUTE_FEATURES_LISTING@2026-07-01T02:00:00.000Z'],
      ]),
    );
    expect(jobs).toHaveLength(2);
    expect((await app.db.prisma.recommendation.findUniqueOrThrow({ where: { id: due.id } })).status).toBe('EXPIRED');
    const expiredEvent = await app.db.prisma.recommendationEvent.findFirstOrThrow({ where: { recommendationId: due.id, eventType: 'EXPIRED' } });
    expect((await firstUpdate).value).toEqual({ id: expiredEvent.id });
    await updates.return?.();
    await live.close();

    now = new Date('2026-07-01T06:00:05Z');
    const later = await Promise.all(schedulers.map((s) => s.tick()));
    expect(later.flatMap((t) => t.enqueued)).toEqual(['offers@2026-07-01T06:00:00.000Z']);
    for (const env of envs) if (env.db !== app.db) await env.db.close();
  });
});
