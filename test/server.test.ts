import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { migrate } from '../src/db/migrator.js';
import { seed } from '../src/db/seed.js';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from './support/databases.js';
import { parsePrometheus, valueOf } from './support/prometheus.js';

const root = path.resolve(import.meta.dirname, '..');
// Generous: the machine running the tests may be busy; what is tested is that the stop waits for
// requests in flight and then exits 0 on its own, well before the grace period would end them.
const GRACE_MS = 20_000;

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  metricsUrl: string;
  exit: Promise<number | null>;
  output: () => string;
}

const children: ChildProcessWithoutNullStreams[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

/** Starts the server with `command` (npm start, npm run start:prod, node …) and waits for its "ready" line. */
function startServer(command: string[], env: Record<string, string>): Promise<Running> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', METRICS_PORT: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: String(GRACE_MS), ...env },
  });
  children.push(child);
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.match(/GraphQL ready at (http:\/\/[^ ]+\/graphql)/);
      const metrics = output.match(/metrics at (http:\/\/[^ "]+\/metrics)/);
      if (ready && metrics) resolve({ child, url: ready[1]!, metricsUrl: metrics[1]!, exit, output: () => output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${output}`)));
  });
}

async function totalListings(url: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ listings(first: 1) { totalCount } }' }),
  });
  const body = (await response.json()) as { data: { listings: { totalCount: number } } };
  return body.data.listings.totalCount;
}

const PAGE = JSON.stringify({
  query: `query Page { listings(first: 5) { totalCount edges { node { sellerSku title offer { priceIncVat } } } } }`,
});

interface Sent {
  /** When the request's last byte was handed to the socket. */
  sentAt: number;
  doneAt: number;
  status: number | 'failed';
}

/** One request on the keep-alive agent; never rejects. */
function send(url: URL, agent: Agent): Promise<Sent> {
  return new Promise((resolve) => {
    let sentAt = Infinity;
    const request = httpRequest(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ sentAt, doneAt: performance.now(), status: response.statusCode ?? 0 }));
      response.on('error', () => resolve({ sentAt, doneAt: performance.now(), status: 'failed' }));
    });
    request.on('finish', () => (sentAt = performance.now()));
    request.on('error', () => resolve({ sentAt, doneAt: performance.now(), status: 'failed' }));
    request.end(PAGE);
  });
}

/**
 * 16 readers loop on keep-alive connections; once every reader has had two answers (so each one's
 * connection is established and accepted) the server gets SIGTERM. Every request written before
 * the signal must come back 200, and the process must exit 0 within the grace period. Readers stop
 * at their first failure (the server no longer takes connections).
 *
 * A connection still waiting in the kernel's accept queue when the listener closes is reset: no
 * server can answer it, so the test does not send the signal while readers are still connecting.
 */
async function sigtermUnderLoad(running: Running): Promise<{ results: Sent[]; signalAt: number; exitCode: number | null; exitMs: number }> {
  const url = new URL(running.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const results: Sent[] = [];
  let signalAt = Infinity;
  let warmReaders = 0;
  let warmedUp!: () => void;
  const warm = new Promise<void>((resolve) => (warmedUp = resolve));
  const reader = async () => {
    for (let answered = 1; ; answered++) {
      const result = await send(url, agent);
      results.push(result);
      if (answered === 2 && ++warmReaders === 16) warmedUp();
      if (result.status !== 200 || results.length > 5_000) return;
    }
  };
  const readers = Array.from({ length: 16 }, reader);
  await warm;
  signalAt = performance.now();
  running.child.kill('SIGTERM');
  const exitCode = await running.exit;
  const exitMs = performance.now() - signalAt;
  await Promise.all(readers);
  agent.destroy();
  return { results, signalAt, exitCode, exitMs };
}

function expectCleanStop({ results, signalAt, exitCode, exitMs }: Awaited<ReturnType<typeof sigtermUnderLoad>>): void {
  const before = results.filter((r) => r.sentAt < signalAt);
  const inFlight = before.filter((r) => r.doneAt > signalAt);
  const relative = (r: Sent) => ({ ...r, sentAt: r.sentAt - signalAt, doneAt: r.doneAt - signalAt });
  expect(before.filter((r) => r.status !== 200).map(relative), `exit ${exitCode} after ${Math.round(exitMs)} ms`).toEqual([]);
  expect(inFlight.length).toBeGreaterThan(0); // the signal did land among running requests
  expect(exitCode).toBe(0);
  expect(exitMs).toBeLessThan(GRACE_MS);
}

describe('npm start on the embedded database', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
  });

  test('migrates, seeds, serves GraphQL, probes and metrics; SIGTERM to npm under 16 readers drops no request; data survives', async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'lh-server-')), 'nested', 'pglite');
    const first = await startServer(['npm', 'start'], { PGLITE_DATA_DIR: dataDir });
    const base = first.url.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404); // not on the public port
    const seeded = await totalListings(first.url);
    expect(seeded).toBe(200);
    const graphiql = await fetch(first.url, { headers: { accept: 'text/html' } });
    expect(await graphiql.text()).toContain('GraphiQL');
    const metrics = parsePrometheus(await (await fetch(first.metricsUrl)).text());
    expect(valueOf(metrics, 'graphql_operations_total', { operation_type: 'query', outcome: 'ok' })).toBe(1);
    expect(first.output()).toMatch(/"msg":"graphql operation"/);

    expectCleanStop(await sigtermUnderLoad(first));
    expect(first.output()).toMatch(/stopped cleanly/);
    expect(first.output()).not.toMatch(/Cannot use a pool|unexpected error/i);

    // Same folder again (the lock was released): the data survived and nothing was seeded twice.
    const second = await startServer([process.execPath, '--import', 'tsx', 'src/server.ts'], { PGLITE_DATA_DIR: dataDir });
    expect(await totalListings(second.url)).toBe(seeded);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 300_000);

  test('an unreachable PostgreSQL gives one line and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', PORT: '0' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*(127\.0\.0\.1|ECONNREFUSED|reach)/);
  }, 60_000);

  test('a malformed DATABASE_URL is named', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: 'mysql://x', PORT: '0' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe.skipIf(!testDatabaseUrl)('the production build on PostgreSQL', () => {
  let testDb: TestDatabase;
  afterAll(async () => {
    await testDb?.drop();
  });

  test('npm run build, then SIGTERM to npm run start:prod under 16 readers drops no request', async () => {
    testDb = await createTestDatabase('postgres');
    const build = promisify(execFile)('npm', ['run', 'build'], { cwd: root, timeout: 180_000 });
    const url = (testDb.config as { url: string }).url;
    await Promise.all([build, seedThroughMigrations(testDb)]);
    const running = await startServer(['npm', 'run', 'start:prod'], { DATABASE_URL: url });
    expect((await fetch(running.url.replace('/graphql', '/ready'))).status).toBe(200);
    expect(await totalListings(running.url)).toBe(20);
    expectCleanStop(await sigtermUnderLoad(running));
    expect(running.output()).not.toMatch(/Cannot use a pool|unexpected error/i);
  }, 300_000);
});

async function seedThroughMigrations(testDb: TestDatabase): Promise<void> {
  await migrate(testDb.driver);
  await seed(testDb.driver, { listings: 20 });
}
