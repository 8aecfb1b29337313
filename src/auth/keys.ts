import { createHash, randomBytes } from 'node:crypto';
import type { ApiKey, PrismaClient } from '../generated/prisma/client.js';
import { isRole, ROLES, scopesOf, type Role } from './roles.js';

/** Secrets look like `lh_` + base64url(32 random bytes), so secret scanners can spot a leaked one. */
export const SECRET_PREFIX = 'lh_';
const DISPLAY_PREFIX_LENGTH = 10;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** A request the caller must fix: an unknown role, scope or marketplace, a bad name or duration. */
export class KeyInputError extends Error {
  override name = 'KeyInputError';
}

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface CreateKeyInput {
  name: string;
  role: string;
  scopes?: readonly string[];
  /** Marketplace country codes (GB, DE) or Amazon marketplace ids. */
  marketplaces?: readonly string[];
  /** e.g. "90d", "12h", "30m"; none = never expires. */
  expiresIn?: string | null;
  now?: Date;
}

export interface CreatedKey {
  key: ApiKey;
  /** Shown once; only its hash is stored. */
  secret: string;
}

/** `90d` / `12h` / `30m` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([dhm])$/.exec(text.trim());
  if (!match) throw new KeyInputError(`invalid duration "${text}": use a number followed by d, h or m (e.g. 90d)`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  const ms = Number(match[1]) * unit;
  if (ms <= 0) throw new KeyInputError(`invalid duration "${text}": must be positive`);
  return ms;
}

/** Marketplace codes (country code or Amazon marketplace id) → ids; an unknown code is named. */
export async function resolveMarketplaces(prisma: PrismaClient, codes: readonly string[]): Promise<number[]> {
  if (codes.length === 0) return [];
  const all = await prisma.marketplace.findMany({ select: { id: true, countryCode: true, amazonMarketplaceId: true } });
  return codes.map((code) => {
    const wanted = code.trim().toUpperCase();
    const found = all.find((m) => m.countryCode.toUpperCase() === wanted || m.amazonMarketplaceId.toUpperCase() === wanted);
    if (!found) {
      const known = all.map((m) => `${m.countryCode} (${m.amazonMarketplaceId})`).join(', ') || 'none';
      throw new KeyInputError(`unknown marketplace "${code}" (known: ${known})`);
    }
    return found.id;
  });
}

export async function createKey(prisma: PrismaClient, input: CreateKeyInput): Promise<CreatedKey> {
  const now = input.now ?? new Date();
  if (!NAME_PATTERN.test(input.name)) {
    throw new KeyInputError(`invalid key name "${input.name}": letters, digits and . _ : - only, at most 100 characters`);
  }
  if (!isRole(input.role)) throw new KeyInputError(`unknown role "${input.role}" (known: ${ROLES.join(', ')})`);
  const role: Role = input.role;
  const scopes = [...new Set(input.scopes ?? [])];
  try {
    scopesOf(role, scopes);
  } catch (error) {
    throw new KeyInputError((error as Error).message);
  }
  const marketplaceIds = [...new Set(await resolveMarketplaces(prisma, input.marketplaces ?? []))];
  const expiresAt = input.expiresIn ? new Date(now.getTime() + parseDuration(input.expiresIn)) : null;
  if (await prisma.apiKey.findUnique({ where: { name: input.name }, select: { id: true } })) {
    throw new KeyInputError(`a key named "${input.name}" already exists`);
  }
  const secret = generateSecret();
  const key = await prisma.apiKey.create({
    data: {
      name: input.name,
      prefix: secret.slice(0, DISPLAY_PREFIX_LENGTH),
      secretSha256: hashSecret(secret),
      role,
      scopes,
      marketplaceIds,
      createdAt: now,
      expiresAt,
    },
  });
  return { key, secret };
}

export function listKeys(prisma: PrismaClient): Promise<ApiKey[]> {
  return prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
}

/** Revokes a key by name (idempotent: an already revoked key keeps its first revocation time). */
export async function revokeKey(prisma: PrismaClient, name: string, now: Date = new Date()): Promise<ApiKey> {
  const key = await prisma.apiKey.findUnique({ where: { name } });
  if (!key) throw new KeyInputError(`no key named "${name}"`);
  if (key.revokedAt) return key;
  return prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: now } });
}

export function findKeyBySecret(prisma: PrismaClient, secret: string): Promise<ApiKey | null> {
  return prisma.apiKey.findUnique({ where: { secretSha256: hashSecret(secret) } });
}

/** A key that may be used now: not revoked, not expired. */
export function isUsable(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}
