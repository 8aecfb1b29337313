import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * One process at a time may open an embedded (PGlite) data folder: two PGlite instances on one
 * folder each keep their own copy of the database in memory and overwrite each other's files, so
 * rows written by the second are lost. The owner keeps `owner.lock` (its PID, host and a token) in
 * the folder for as long as it has the database open.
 *
 * Node has no flock(2), so the lock is a file that appears atomically (written aside, then
 * hard-linked into place: link fails when the name exists, and readers never see half a file).
 * A lock whose process is gone is stale: it is moved aside (rename is atomic, so one taker wins)
 * and checked to be the one judged stale before it is deleted.
 */

export const LOCK_FILE = 'owner.lock';

export class DataFolderLockedError extends Error {
  override name = 'DataFolderLockedError';
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    const where = owner.hostname === os.hostname() ? `process ${owner.pid}` : `process ${owner.pid} on host ${owner.hostname}`;
    super(
      `The embedded database at ${folder} is in use by ${where} (since ${owner.since}). ` +
        'Stop that process first (or point PGLITE_DATA_DIR elsewhere); nothing was changed. ' +
        `If that process is certainly gone, delete ${path.join(folder, LOCK_FILE)}`,
    );
  }
}

export interface LockOwner {
  pid: number;
  hostname: string;
  since: string;
  token: string;
}

export interface OwnerLock {
  readonly folder: string;
  release(): Promise<void>;
}

/** Tokens of the locks this process holds: a second open of the same folder here is refused too. */
const heldHere = new Set<string>();

/** Takes the folder's lock, creating the folder if needed; throws DataFolderLockedError when owned. */
export async function acquireOwnerLock(folder: string): Promise<OwnerLock> {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, hostname: os.hostname(), since: new Date().toISOString(), token: randomUUID() };
  // A few rounds: each lost race either meets a live owner (refused) or a lock that just vanished.
  for (let round = 0; round < 5; round++) {
    // Counted as held before the lock appears: another open in this process reading it meanwhile
    // must see a live owner, not a stale lock with our PID.
    heldHere.add(me.token);
    let created = false;
    try {
      created = await createExclusive(file, me);
    } finally {
      if (!created) heldHere.delete(me.token);
    }
    if (created) return { folder, release: () => releaseLock(file, me.token) };
    const owner = await readOwner(file);
    if (owner === 'missing') continue;
    if (owner !== 'unreadable' && isAlive(owner)) throw new DataFolderLockedError(folder, owner);
    await removeIfUnchanged(file, owner);
  }
  throw new Error(`Could not take the lock ${file}: other processes keep taking and dropping it`);
}

async function createExclusive(file: string, me: LockOwner): Promise<boolean> {
  const aside = `${file}.${me.token}`;
  await writeFile(aside, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o644 });
  try {
    await link(aside, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(aside).catch(() => undefined);
  }
}

async function readOwner(file: string): Promise<LockOwner | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, hostname: value.hostname, token: value.token, since: String(value.since ?? 'unknown') };
    }
  } catch {
    // fall through: a lock file nobody can read belongs to nobody (the lock is always written whole)
  }
  return 'unreadable';
}

/**
 * Alive unless proven gone. Another host's process cannot be checked from here, so it counts as
 * alive (the message says how to clear it). Our own PID holding a token we did not issue is a
 * previous run that had the same PID (containers start every run as PID 1): stale.
 */
function isAlive(owner: LockOwner): boolean {
  if (owner.hostname !== os.hostname()) return true;
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Moves the stale lock aside and deletes it only if it is still the one judged stale. */
async function removeIfUnchanged(file: string, stale: LockOwner | 'unreadable'): Promise<void> {
  const aside = `${file}.stale-${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // another taker got there first
    throw error;
  }
  const moved = await readOwner(aside);
  const same = stale === 'unreadable' ? moved === 'unreadable' : moved !== 'missing' && moved !== 'unreadable' && moved.token === stale.token;
  if (same) {
    await unlink(aside).catch(() => undefined);
    return;
  }
  // A new owner took over between our read and our rename: put its lock back (link refuses to
  // overwrite, so a third process that got in meanwhile keeps its own) and let the loop re-check.
  await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

async function releaseLock(file: string, token: string): Promise<void> {
  if (!heldHere.delete(token)) return;
  const owner = await readOwner(file).catch(() => 'missing' as const);
  // Never delete a lock that is not ours (someone removed ours by hand and started elsewhere).
  if (owner !== 'missing' && owner !== 'unreadable' && owner.token === token) await unlink(file).catch(() => undefined);
}
