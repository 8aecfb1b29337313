import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { createApp, DEFAULT_RATE_LIMITS, type App } from '../../src/app.js';
import { attachGraphqlWs } from '../../src/graphql/ws.js';
import { createKey, revokeKey } from '../../src/auth/keys.js';
import { createLiveUpdates, type LiveUpdates } from '../../src/jobs/live-updates.js';
import { testDatabaseUrl } from '../support/databases.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/graphql.js';
import { gid } from '../mutations/fixtures.js';
import { ACCEPT, acceptableListing } from '../support/pipeline.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = path.resolve(import.meta.dirname, '../..');

/** Subscribes over SSE (yoga's default transport) through app.fetch and collects the `data` payloads. */
function sseSubscribe(app: App, query: string, variables: Record<string, unknown>) {
  const received: any[] = [];
  const controller = new AbortController();
  const ready = (async () => {
    const response = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const chunk = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = chunk.split('\n').find((line) => line.startsWith('data: '));
            if (data) received.push(JSON.parse(data.slice(6)));
          }
        }
      } catch {
        // aborted
      }
    })();
  })();
  return { received, ready, close: () => controller.abort() };
}

async function waitFor(check: () => boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting for live updates');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!testDatabaseUrl)('live updates through Redis (PostgreSQL)', () => {
  let app: TestApp;
  let gatewayA: App;
  let live: LiveUpdates;
  const prefix = `test-${randomBytes(6).toString('hex')}:`;

  beforeAll(async () => {
    app = await createTestApp('postgres');
    live = createLiveUpdates({ redisUrl, prefix });
    gatewayA = createApp({ db: app.db, logger: pino({ level: 'silent' }), live, graphiql: false, viewerOverride: () => TEST_ADMIN });
  });
  afterAll(async () => {
    await live?.close();
    await app?.close();
  });

  test('a subscriber on gateway A sees, in order and once each, the events a separate `worker --drain` process committed', async () => {
    const { listingId } = await acceptableListing(app, new Date(Date.now() - 3_600_000));
    const listingSub = sseSubscribe(gatewayA, 'subscription($id: ID!) { listingEvents(listingId: $id) { databaseId eventType } }', { id: gid('Listing', listingId) });
    const recSub = sseSubscribe(gatewayA, 'subscription($id: ID!) { recommendationEvents(listingId: $id) { databaseId eventType } }', { id: gid('Listing', listingId) });
    await Promise.all([listingSub.ready, recSub.ready]);
    await new Promise((r) => setTimeout(r, 300)); // let the Redis SUBSCRIBEs land
    const recId = (await app.db.prisma.recommendation.findFirstOrThrow({ where: { entityId: listingId, recommendationType: 'PRICE_INCREASE_MARGIN_OPPORTUNITY' } })).id;
    const accept = await app.gql(ACCEPT, { id: gid('Recommendation', recId) });
    const jobId = accept.data.acceptRecommendation.job.databaseId as number;
    const jobSub = sseSubscribe(gatewayA, 'subscription($id: ID!) { jobUpdated(id: $id) { databaseId status } }', { id: gid('Job', jobId) });
    await jobSub.ready;
    await new Promise((r) => setTimeout(r, 300));

    const url = app.testDb.config.kind === 'postgres' ? app.testDb.config.url : '';
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/worker.ts', '--drain'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: prefix, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toMatch(/^drain: \d+ job attempts in [\d.]+ s — .*PUBLISH_PRICE_CHANGE SUCCEEDED=1/);

    const committedListing = await app.db.prisma.listingEvent.findMany({ where: { listingId, createdBy: 'worker' }, orderBy: { id: 'asc' } });
    const committedRec = await app.db.prisma.recommendationEvent.findMany({
      where: { createdBy: 'worker', recommendation: { entityType: 'LISTING', entityId: listingId } },
      orderBy: { id: 'asc' },
    });
    expect(committedListing.map((e) => e.eventType)).toEqual(['PRICE_CHANGE_PUBLISHED', 'PRICE_CHANGE_SUCCEEDED', 'FEATURES_COMPUTED']);
    expect(committedRec.map((e) => e.eventType).slice(0, 3)).toEqual(['ACTION_STARTED', 'ACTION_COMPLETED', 'SUPERSEDED']);
    await waitFor(() => listingSub.received.length >= committedListing.length && recSub.received.length >= committedRec.length && jobSub.received.some((r) => r.data?.jobUpdated?.status === 'SUCCEEDED'));
    await new Promise((r) => setTimeout(r, 300)); // nothing arrives twice
    expect(listingSub.received.map((r) => r.data.listingEvents.databaseId)).toEqual(committedListing.map((e) => e.id));
    expect(recSub.received.map((r) => r.data.recommendationEvents.databaseId)).toEqual(committedRec.map((e) => e.id));
    expect(jobSub.received.map((r) => r.data.jobUpdated.status)).toEqual(['RUNNING', 'SUCCEEDED']);
    for (const s of [listingSub, recSub, jobSub]) s.close();
  }, 120_000);

  describe('graphql-ws on the HTTP server (in-process pub/sub, real API keys)', () => {
    let wsApp: App;
    let server: ReturnType<typeof createServer>;
    let closeWs: () => Promise<void>;
    let url: string;
    const secrets: Record<'script' | 'dashboard' | 'partner' | 'revoked', string> = { script: '', dashboard: '', partner: '', revoked: '' };
    const revokedName = `ws-revoked-${randomBytes(4).toString('hex')}`;

    beforeAll(async () => {
      const tag = randomBytes(4).toString('hex');
      for (const role of ['script', 'dashboard', 'partner'] as const) {
        secrets[role] = (await createKey(app.db.prisma, { name: `ws-${role}-${tag}`, role, marketplaces: role === 'partner' ? ['GB'] : [] })).secret;
      }
      secrets.revoked = (await createKey(app.db.prisma, { name: revokedName, role: 'script' })).secret;
      // No viewer override: every operation goes through the real key check. No key cache, so a revocation shows at once.
      wsApp = createApp({ db: app.db, logger: pino({ level: 'silent' }), live: createLiveUpdates(), graphiql: false, keyCacheTtlMs: 0 });
      server = createServer(wsApp);
      closeWs = attachGraphqlWs(server, wsApp);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `ws://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
    });
    afterAll(async () => {
      await closeWs?.();
      await new Promise((r) => server?.close(r));
    });

    const clientWith = (authorization?: string) =>
      createClient({ url, webSocketImpl: WebSocket, lazy: false, onNonLazyError: () => undefined, retryAttempts: 0, connectionParams: authorization ? { authorization } : {} });
    const post = (secret: string, query: string, variables: Record<string, unknown>) =>
      wsApp.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query, variables }),
      });
    /** How the server ends a connection that only sends connection_init (no operation); code 0 = still open after 3 s. */
    const refusal = async (authorization?: string) => {
      let client: ReturnType<typeof createClient> | undefined;
      const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
        client = createClient({ url, webSocketImpl: WebSocket, lazy: false, onNonLazyError: () => undefined, retryAttempts: 0, connectionParams: authorization ? { authorization } : {}, on: { closed: (e) => resolve(e as { code: number; reason: string }) } });
        setTimeout(() => resolve({ code: 0, reason: 'still open' }), 3_000);
      });
      await client?.dispose();
      return closed;
    };

    test('no key, an unknown key or a partner key: the connection is closed before any operation runs', async () => {
      expect(await refusal()).toMatchObject({ code: 4401, reason: expect.stringContaining('UNAUTHENTICATED') });
      expect(await refusal('Bearer lh_not-a-key')).toMatchObject({ code: 4401 });
      expect(await refusal(`Bearer ${secrets.partner}`)).toMatchObject({ code: 4403, reason: expect.stringContaining('PERSISTED_QUERY_ONLY') });
    });

    test('field policies hold over graphql-ws: a dashboard key (read-only) cannot cancel a job, and nothing is written', async () => {
      const client = clientWith(`Bearer ${secrets.dashboard}`);
      const job = await app.db.prisma.job.create({ data: { jobType: 'SYNC_AMAZON_OFFER', scopeType: 'GLOBAL', inputJson: {}, scheduledFor: new Date(Date.now() + 3_600_000) } });
      const answer = await new Promise<any>((resolve) => {
        client.subscribe({ query: 'mutation($id: ID!) { cancelJob(input: { jobId: $id }) { __typename } }', variables: { id: gid('Job', job.id) } }, { next: resolve, error: resolve, complete: () => undefined });
      });
      await client.dispose();
      expect(answer.data?.cancelJob ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await app.db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe('PENDING');
    });

    test('a script key: jobUpdated after cancelJob commits, listingEvents after publishPriceChange commits', async () => {
      const client = clientWith(`Bearer ${secrets.script}`);
      const job = await app.db.prisma.job.create({ data: { jobType: 'SYNC_AMAZON_OFFER', scopeType: 'GLOBAL', inputJson: {}, scheduledFor: new Date(Date.now() + 3_600_000) } });
      const statuses: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe<{ jobUpdated: { status: string } }>(
          { query: 'subscription($id: ID!) { jobUpdated(id: $id) { status } }', variables: { id: gid('Job', job.id) } },
          { next: (r) => (statuses.push(r.data!.jobUpdated.status), resolve()), error: reject, complete: () => undefined },
        );
      });
      await new Promise((r) => setTimeout(r, 300));
      const cancel = await post(secrets.script, 'mutation($id: ID!) { cancelJob(input: { jobId: $id }) { __typename } }', { id: gid('Job', job.id) });
      expect(((await cancel.json()) as any).data.cancelJob.__typename).toBe('CancelJobPayload');
      await done;
      expect(statuses).toEqual(['CANCELLED']);

      // A mutation's audit row is published once its transaction commits: publishPriceChange → DRAFTED.
      const { listingId } = await acceptableListing(app, new Date());
      const drafted = new Promise<string>((resolve, reject) => {
        client.subscribe<{ listingEvents: { eventType: string } }>(
          { query: 'subscription($id: ID!) { listingEvents(listingId: $id) { eventType } }', variables: { id: gid('Listing', listingId) } },
          { next: (r) => resolve(r.data!.listingEvents.eventType), error: reject, complete: () => undefined },
        );
      });
      await new Promise((r) => setTimeout(r, 300));
      await post(secrets.script, 'mutation($id: ID!) { publishPriceChange(input: { listingId: $id, priceIncVat: "24.50" }) { __typename } }', { id: gid('Listing', listingId) });
      expect(await drafted).toBe('PRICE_CHANGE_DRAFTED');
      await client.dispose();
    });

    test('each operation over the socket counts against the key\'s per-minute request limit', async () => {
      const limited = createApp({ db: app.db, logger: pino({ level: 'silent' }), graphiql: false, rateLimits: { ...DEFAULT_RATE_LIMITS, requestsPerMinute: 2, keyPrefix: `test-${randomBytes(4).toString('hex')}` } });
      const limitedServer = createServer(limited);
      const close = attachGraphqlWs(limitedServer, limited);
      await new Promise<void>((resolve) => limitedServer.listen(0, '127.0.0.1', resolve));
      const client = createClient({ url: `ws://127.0.0.1:${(limitedServer.address() as { port: number }).port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, connectionParams: { authorization: `Bearer ${secrets.script}` } });
      const run = () => new Promise<any>((resolve) => client.subscribe({ query: '{ __typename }' }, { next: resolve, error: resolve, complete: () => undefined }));
      const answers = [await run(), await run(), await run()];
      await client.dispose();
      await close();
      await new Promise((r) => limitedServer.close(r));
      expect(answers.slice(0, 2)).toEqual([{ data: { __typename: 'Query' } }, { data: { __typename: 'Query' } }]);
      expect(answers[2][0]?.extensions?.code ?? answers[2].errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    });

    test('a key revoked after the connection opened runs no further operation: the socket is closed with 4401', async () => {
      let closed: { code: number } | undefined;
      const client = createClient({ url, webSocketImpl: WebSocket, lazy: false, onNonLazyError: () => undefined, retryAttempts: 0, connectionParams: { authorization: `Bearer ${secrets.revoked}` }, on: { closed: (e) => (closed = e as { code: number }) } });
      const first = await new Promise<unknown>((resolve) => client.subscribe({ query: '{ __typename }' }, { next: resolve, error: resolve, complete: () => undefined }));
      expect(first).toEqual({ data: { __typename: 'Query' } });
      await revokeKey(app.db.prisma, revokedName);
      const second = await new Promise<unknown>((resolve) => client.subscribe({ query: '{ __typename }' }, { next: resolve, error: resolve, complete: () => undefined }));
      expect(JSON.stringify(second)).not.toContain('"Query"');
      await waitFor(() => closed !== undefined, 5_000);
      expect(closed!.code).toBe(4401);
      await client.dispose();
    });
  });
});
