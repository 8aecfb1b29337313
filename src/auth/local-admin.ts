import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.js';
import { createKey, findKeyBySecret, isUsable, SECRET_PREFIX } from './keys.js';

const LOCAL_ADMIN_NAME = 'local-admin';

/**
 * The embedded database's own admin key, so `npm install && npm start` still opens a working
 * GraphiQL: created on first start (stored hashed like any key), its secret kept in a 0600 file in
 * the data folder. A file whose key was revoked or lost is replaced by a fresh key.
 */
export async function ensureLocalAdminKey(prisma: PrismaClient, file: string | null): Promise<{ secret: string; created: boolean }> {
  const existing = file ? await readSecret(file) : null;
  if (existing) {
    const key = await findKeyBySecret(prisma, existing);
    if (key && isUsable(key, new Date())) return { secret: existing, created: false };
  }
  const name = (await prisma.apiKey.findUnique({ where: { name: LOCAL_ADMIN_NAME }, select: { id: true } }))
    ? `${LOCAL_ADMIN_NAME}-${Date.now().toString(36)}`
    : LOCAL_ADMIN_NAME;
  const { secret } = await createKey(prisma, { name, role: 'admin' });
  if (!file) return { secret, created: true };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { secret, created: true };
}

async function readSecret(file: string): Promise<string | null> {
  try {
    const text = (await readFile(file, 'utf8')).trim();
    return text.startsWith(SECRET_PREFIX) ? text : null;
  } catch {
    return null;
  }
}
