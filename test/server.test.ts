import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  exit: Promise<number | null>;
}

/** Starts `src/server.ts` as `npm start` does and waits for its "ready" line. */
function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(tsx, ['src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/GraphQL ready at (http:\/\/[^ ]+\/graphql)/);
      if (match) resolve({ child, url: match[1]!, exit });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exit.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${output}`)));
  });
}

async function totalListings(url: string, key: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ listings(first: 1) { totalCount } }' }),
  });
  const body = (await response.json()) as { data: { listings: { totalCount: number } } };
  return body.data.listings.totalCount;
}

describe('npm start on the embedded database', () => {
  let dataDir: string;
  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('migrates, seeds an empty database, creates the local admin key, serves GraphQL and health, stops cleanly on SIGTERM, keeps its data', async () => {
    dataDir = path.join(await mkdtemp(path.join(tmpdir(), 'lh-server-')), 'nested', 'pglite');
    const first = await startServer({ PGLITE_DATA_DIR: dataDir });
    const health = await fetch(first.url.replace('/graphql', '/health'));
    expect(health.status).toBe(200);
    // The newcomer's key: in a 0600 file in the data folder, and preset in GraphiQL for this machine.
    const keyFile = path.join(path.dirname(dataDir), 'local-admin.key');
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(key).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
    const anonymous = await fetch(first.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ listings(first: 1) { totalCount } }' }) });
    expect(anonymous.status).toBe(401);
    const seeded = await totalListings(first.url, key);
    expect(seeded).toBe(200);
    const graphiql = await fetch(first.url, { headers: { accept: 'text/html' } });
    const page = await graphiql.text();
    expect(page).toContain('GraphiQL');
    expect(page).toContain(`Bearer ${key}`);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);

    // Same folder again: the data survived and nothing was seeded twice.
    const second = await startServer({ PGLITE_DATA_DIR: dataDir });
    expect(await totalListings(second.url, key)).toBe(seeded);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 180_000);

  test('an unreachable PostgreSQL gives one line and exit code 1', async () => {
    const child = spawn(tsx, ['src/server.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', PORT: '0' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*(127\.0\.0\.1|ECONNREFUSED|reach)/);
  }, 60_000);

  test('a malformed DATABASE_URL is named', async () => {
    const child = spawn(tsx, ['src/server.ts'], { cwd: root, env: { ...process.env, DATABASE_URL: 'mysql://x', PORT: '0' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
