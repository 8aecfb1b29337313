import { execFile, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { acquireOwnerLock, DataFolderLockedError, LOCK_FILE } from '../../src/db/owner-lock.js';
import { migrate } from '../../src/db/migrator.js';
import { PgliteDriver } from '../../src/db/sql.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const folders: string[] = [];
afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

async function freshFolder(): Promise<string> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'lh-lock-'));
  folders.push(base);
  return path.join(base, 'pglite');
}

/** The PID of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

async function writeLock(folder: string, owner: Record<string, unknown>): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, LOCK_FILE), JSON.stringify(owner));
}

describe('the owner lock of a data folder', () => {
  test('a second open is refused, naming the folder and the owner; released, the folder can be taken again', async () => {
    const folder = await freshFolder();
    const lock = await acquireOwnerLock(folder);
    const refused = await acquireOwnerLock(folder).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DataFolderLockedError);
    expect((refused as Error).message).toContain(folder);
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    await lock.release();
    expect(await readdir(folder)).toEqual([]);
    const again = await acquireOwnerLock(folder);
    await again.release();
  });

  test('a lock whose process is gone is taken over; one of several racing takers wins', async () => {
    const folder = await freshFolder();
    await writeLock(folder, { pid: deadPid(), hostname: os.hostname(), since: 'yesterday', token: 'old' });
    const attempts = await Promise.allSettled(Array.from({ length: 6 }, () => acquireOwnerLock(folder)));
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) expect(lost.reason).toBeInstanceOf(DataFolderLockedError);
    const owner = JSON.parse(await readFile(path.join(folder, LOCK_FILE), 'utf8')) as { pid: number; token: string };
    expect(owner.pid).toBe(process.pid);
    expect(owner.token).not.toBe('old');
    expect((await readdir(folder)).sort()).toEqual([LOCK_FILE]); // nothing left aside
    await won[0]!.value.release();
  });

  test('a lock held on another host is never taken over; an unreadable one is', async () => {
    const folder = await freshFolder();
    await writeLock(folder, { pid: 1, hostname: 'elsewhere.example', since: 'now', token: 't' });
    await expect(acquireOwnerLock(folder)).rejects.toThrow(/process 1 on host elsewhere\.example/);
    await writeFile(path.join(folder, LOCK_FILE), '{"pid":');
    const lock = await acquireOwnerLock(folder);
    await lock.release();
  });

  test('a second process (CLI, server) on a folder in use is refused at once and the owner keeps its data', async () => {
    const folder = await freshFolder();
    const owner = await PgliteDriver.open(folder);
    try {
      await migrate(owner);
      await owner.withSession((s) => s.query(`INSERT INTO suppliers (name) VALUES ('kept by the owner')`));
      const env = { ...process.env, PGLITE_DATA_DIR: folder, DATABASE_URL: '', PORT: '0' };
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = execFile(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env, timeout: 60_000 }, (error, _stdout, stderr) =>
            resolve({ code: error ? (child.exitCode ?? null) : 0, stderr }),
          );
        });
      const [seed, server] = await Promise.all([run(['src/db/cli.ts', 'seed', '--listings', '5', '--append']), run(['src/server.ts'])]);
      for (const result of [seed, server]) {
        expect(result.code).toBe(1);
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toContain(`The embedded database at ${folder} is in use by process ${process.pid}`);
      }
      // The owner carries on, and its data is what it wrote: nothing of the refused seed.
      await owner.withSession((s) => s.query(`INSERT INTO suppliers (name) VALUES ('written after the refusals')`));
      const names = await owner.withSession((s) => s.query<{ name: string }>('SELECT name FROM suppliers ORDER BY id'));
      expect(names.rows.map((r) => r.name)).toEqual(['kept by the owner', 'written after the refusals']);
    } finally {
      await owner.close();
    }
    const reopened = await PgliteDriver.open(folder);
    try {
      const count = await reopened.withSession((s) => s.query<{ n: number }>('SELECT count(*)::int AS n FROM suppliers'));
      expect(count.rows[0]!.n).toBe(2);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
