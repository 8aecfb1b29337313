// The keys CLI on both backends: create → use → revoke → 401, refusals naming what is wrong, and
// the exact interface other tools rely on (the secret alone on the last line of stdout).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../../src/app.js';
import { main } from '../../src/auth/cli.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { backends, createTestDatabase, type TestDatabase } from '../support/databases.js';

const root = path.resolve(import.meta.dirname, '../..');

async function run(args: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, env, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}

describe.each(backends)('keys CLI (%s)', (kind) => {
  let env: NodeJS.ProcessEnv;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (kind === 'pglite') {
      const dir = await mkdtemp(path.join(tmpdir(), 'lh-keys-'));
      env = { PGLITE_DATA_DIR: path.join(dir, 'pglite') };
      cleanup = () => rm(dir, { recursive: true, force: true });
    } else {
      const db: TestDatabase = await createTestDatabase('postgres');
      env = { DATABASE_URL: (db.config as { url: string }).url };
      cleanup = () => db.drop();
    }
  }, 300_000);
  afterAll(async () => {
    await cleanup?.();
  });

  async function withApp<T>(fn: (fetchGraphQL: (secret: string) => Promise<Response>, db: Database) => Promise<T>): Promise<T> {
    const db = await openDatabase(kind === 'pglite' ? { kind: 'pglite', dataDir: env.PGLITE_DATA_DIR! } : { kind: 'postgres', url: env.DATABASE_URL! });
    try {
      const app = createApp({ db, logger: pino({ level: 'silent' }), graphiql: false, keyCacheTtlMs: 0 });
      return await fn(
        async (secret) =>
          app.fetch('http://test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
            body: JSON.stringify({ query: '{ marketplaces { countryCode } }' }),
          }),
        db,
      );
    } finally {
      await db.close();
    }
  }

  test('create prints a summary and the secret alone on the last line; the key works until revoked', async () => {
    const created = await run(['create', '--name', `ci-${kind}`, '--role', 'dashboard', '--expires-in', '90d'], env);
    expect(created.code).toBe(0);
    const secret = created.out.at(-1)!;
    expect(secret).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
    expect(created.out.slice(0, -1).join('\n')).toContain(`ci-${kind}`);
    expect(created.out.slice(0, -1).join('\n')).not.toContain(secret);

    const again = await run(['create', '--name', `ci-${kind}`, '--role', 'dashboard'], env);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`a key named "ci-${kind}" already exists`);

    const listed = await run(['list'], env);
    expect(listed.code).toBe(0);
    expect(listed.out.join('\n')).toContain(`ci-${kind}`);
    expect(listed.out.join('\n')).not.toContain(secret);

    await withApp(async (fetchGraphQL, db) => {
      const ok = await fetchGraphQL(secret);
      expect(ok.status).toBe(200);
      expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { name: `ci-${kind}` } })).secretSha256).not.toContain(secret);
    });
    expect((await run(['revoke', `ci-${kind}`], env)).code).toBe(0);
    await withApp(async (fetchGraphQL) => {
      expect((await fetchGraphQL(secret)).status).toBe(401);
    });
  }, 300_000);

  test('an unknown role, scope or marketplace, or a duplicate name, is refused by name (exit 2)', async () => {
    const cases: Array<[string[], string]> = [
      [['create', '--name', 'x1', '--role', 'boss'], 'unknown role "boss"'],
      [['create', '--name', 'x2', '--role', 'script', '--scope', 'everything'], 'unknown scope "everything"'],
      [['create', '--name', 'x3', '--role', 'partner', '--marketplace', 'ZZ'], 'unknown marketplace "ZZ"'],
      [['create', '--name', 'x4', '--role', 'partner', '--scope', 'costs:read'], '"costs:read" cannot be granted to a partner'],
      [['create', '--name', 'x5', '--role', 'dashboard', '--expires-in', 'soon'], 'invalid duration "soon"'],
      [['revoke', 'nobody'], 'no key named "nobody"'],
    ];
    for (const [args, message] of cases) {
      const result = await run(args, env);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.err).toContain(message);
      expect(result.out).toEqual([]);
    }
    const marketplaceById = await run(['create', '--name', `mk-${kind}`, '--role', 'partner', '--marketplace', 'A1F83G8C2ARO7P'], env);
    expect(marketplaceById.code).toBe(0);
    expect(marketplaceById.out[0]).toContain('marketplaces GB');
  }, 300_000);
});

test('`npm run -s keys -- create` as the peer benchmark calls it: the secret is the last stdout line', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'lh-keys-npm-'));
  try {
    const child = spawn('npm', ['run', '-s', 'keys', '--', 'create', '--name', 'bench-1', '--role', 'dashboard'], {
      cwd: root,
      env: { ...process.env, PGLITE_DATA_DIR: path.join(dir, 'pglite'), DATABASE_URL: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 300_000);
