import type { Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { createMetrics, type Metrics } from '../../src/graphql/metrics.js';
import { serveMetrics } from '../../src/http/metrics-server.js';
import { closeRedis, openRedis } from '../../src/redis.js';
import { backends, testDatabaseUrl, withAdminClient } from '../support/databases.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/graphql.js';
import { parsePrometheus, valueOf } from '../support/prometheus.js';

const LISTINGS = `query FewListings($search: String) { listings(first: 2, filter: { search: $search }) { totalCount edges { node { sellerSku } } } }`;

function post(app: App, body: unknown, headers: Record<string, string> = {}) {
  return app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe.each(backends)('operations on %s', (kind) => {
  let t: TestApp;
  let metrics: Metrics;
  let app: App;
  let listener: { server: Server; port: number };
  let stopping = false;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 2 });
    metrics = createMetrics({ db: t.db });
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    app = createApp({ db: t.db, logger, graphiql: false, metrics, isStopping: () => stopping, viewerOverride: () => TEST_ADMIN });
    listener = await serveMetrics(metrics.registry, { port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await new Promise((resolve) => listener?.server.close(resolve));
    await t?.close();
  });

  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${listener.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await response.text());
  };

  test('/metrics parses as Prometheus text and its counters move with requests', async () => {
    const ok = { operation_name: 'FewListings', operation_type: 'query', outcome: 'ok' };
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await post(app, { query: LISTINGS })).status).toBe(200);
    await post(app, { query: '{ noSuchField }' });
    await t.db.driver.withSession((s) => s.query(`INSERT INTO jobs (job_type, status) VALUES ('SYNC_KEEPA_ASIN', 'PENDING')`));
    const after = await scrape();

    expect(valueOf(after, 'graphql_operations_total', ok) - valueOf(before, 'graphql_operations_total', ok)).toBe(3);
    expect(valueOf(after, 'graphql_operation_duration_seconds_count', ok) - valueOf(before, 'graphql_operation_duration_seconds_count', ok)).toBe(3);
    const rejected = { operation_name: 'anonymous', outcome: 'rejected' };
    expect(valueOf(after, 'graphql_operations_total', rejected) - valueOf(before, 'graphql_operations_total', rejected)).toBe(1);
    const invalid = { code: 'GRAPHQL_VALIDATION_FAILED' };
    expect(valueOf(after, 'graphql_errors_total', invalid) - valueOf(before, 'graphql_errors_total', invalid)).toBe(1);
    // Each listings page costs the same statements; the histogram's sum moves by three times that.
    const statements = { operation_name: 'FewListings', operation_type: 'query' };
    const added = valueOf(after, 'graphql_operation_sql_statements_sum', statements) - valueOf(before, 'graphql_operation_sql_statements_sum', statements);
    expect(added).toBeGreaterThanOrEqual(3);
    expect(added % 3).toBe(0);
    // yoga's plugin: HTTP duration by status.
    expect(valueOf(after, 'graphql_yoga_http_duration_count', { operationType: 'query', method: 'POST', statusCode: '200' })).toBeGreaterThanOrEqual(3);
    const pendingKeepa = { job_type: 'SYNC_KEEPA_ASIN', status: 'PENDING' };
    expect(valueOf(after, 'jobs_queue_depth', pendingKeepa) - valueOf(before, 'jobs_queue_depth', pendingKeepa)).toBe(1);
    expect(valueOf(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(after.some((s) => s.name === 'db_pool_connections' && s.labels.state === 'in_use')).toBe(kind === 'postgres');
  });

  test('operation names become labels only while they are few and well-formed', async () => {
    await post(app, { query: '{ listings(first: 1) { totalCount } }', operationName: 'x"} 1\nfake_metric 2' });
    const samples = await scrape();
    expect(samples.some((s) => s.name === 'fake_metric')).toBe(false);
  });

  test('one structured log line per operation, with no variable values', async () => {
    lines.length = 0;
    await post(app, { query: LISTINGS, variables: { search: 'SECRET-SKU-4711' } }, { 'x-request-id': 'req-42' });
    await post(app, { query: 'query Broken { listings(first: 1) {' });
    const operations = lines.filter((line) => line.msg === 'graphql operation');
    expect(operations).toHaveLength(2);
    expect(operations[0]).toMatchObject({ operation: 'FewListings', type: 'query', outcome: 'ok', status: 200, requestId: 'req-42', caller: 'test-admin' });
    expect(operations[0]!.statements).toBeGreaterThan(0);
    expect(operations[0]!.durationMs).toBeGreaterThan(0);
    expect(operations[1]).toMatchObject({ operation: 'anonymous', outcome: 'rejected', errors: ['GRAPHQL_PARSE_FAILED'], statements: 0 });
    expect(JSON.stringify(lines)).not.toContain('SECRET-SKU-4711');
  });

  test('/ready is 200 when migrated (newer migrations are fine), 503 with the reason when one is pending or the process stops', async () => {
    const ready = await app.fetch('http://test/ready');
    expect([ready.status, await ready.text()]).toEqual([200, 'ready\n']);

    const [latest] = await t.db.driver.withSession((s) =>
      s.query<{ migration_name: string }>(`DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING *`),
    ).then((r) => r.rows);
    try {
      const behind = await app.fetch('http://test/ready');
      expect(behind.status).toBe(503);
      expect(await behind.text()).toBe(`not ready: migrations: ${latest!.migration_name} pending\n`);
    } finally {
      const row = latest as unknown as Record<string, unknown>;
      await t.db.driver.withSession((s) =>
        s.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, started_at, applied_steps_count) VALUES ($1, $2, $3, $4, $5, $6)`, [
          row.id, row.checksum, row.migration_name, row.finished_at, row.started_at, row.applied_steps_count,
        ]),
      );
    }
    expect((await app.fetch('http://test/ready')).status).toBe(200);

    // A migration from a newer release (migrate first, then roll): old instances stay ready.
    await t.db.driver.withSession((s) =>
      s.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('future', 'x', '999_newer_release', now(), 1)`),
    );
    try {
      const newer = await app.fetch('http://test/ready');
      expect([newer.status, await newer.text()]).toEqual([200, 'ready\n']);
    } finally {
      await t.db.driver.withSession((s) => s.query(`DELETE FROM "_prisma_migrations" WHERE id = 'future'`));
    }

    stopping = true;
    const stoppingResponse = await app.fetch('http://test/ready');
    expect([stoppingResponse.status, await stoppingResponse.text()]).toEqual([503, 'not ready: shutting down\n']);
    stopping = false;
    expect((await app.fetch('http://test/health')).status).toBe(200);
  });
});

describe.skipIf(!testDatabaseUrl)('readiness when PostgreSQL goes away', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('postgres');
  });
  afterAll(async () => {
    await t?.close();
  });

  test('/ready turns 503 when the backends are terminated and connections refused, 200 after recovery', async () => {
    const app = createApp({ db: t.db, logger: pino({ level: 'silent' }), graphiql: false });
    const name = new URL(t.testDb.config.kind === 'postgres' ? t.testDb.config.url : '').pathname.slice(1);
    expect((await app.fetch('http://test/ready')).status).toBe(200);
    await withAdminClient(async (admin) => {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
    });
    try {
      const down = await app.fetch('http://test/ready');
      expect(down.status).toBe(503);
      const reason = await down.text();
      expect(reason).toMatch(/^not ready: database: .+\n$/);
      expect(reason.trim().split('\n')).toHaveLength(1);
      expect((await app.fetch('http://test/health')).status).toBe(200);
    } finally {
      await withAdminClient((admin) => admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`));
    }
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await app.fetch('http://test/ready')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
  });

  test('/ready pings Redis when configured: 200 while it answers, 503 naming Redis when it does not', async () => {
    const up = openRedis('redis://127.0.0.1:6379', () => undefined);
    const down = openRedis('redis://127.0.0.1:1', () => undefined);
    try {
      const withRedis = createApp({ db: t.db, logger: pino({ level: 'silent' }), graphiql: false, redis: up });
      if (up.status !== 'ready') await new Promise((resolve) => up.once('ready', resolve));
      expect((await withRedis.fetch('http://test/ready')).status).toBe(200);
      const withoutRedis = createApp({ db: t.db, logger: pino({ level: 'silent' }), graphiql: false, redis: down });
      const response = await withoutRedis.fetch('http://test/ready');
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/^not ready: redis: (connecting|reconnecting|connect)\n$/);
    } finally {
      await closeRedis(up);
      await closeRedis(down);
    }
  });
});
