import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig } from '../config.js';
import { describeStartupError } from '../db/cli.js';
import { openDatabase } from '../db/client.js';
import type { ApiKey, PrismaClient } from '../generated/prisma/client.js';
import { createKey, KeyInputError, listKeys, revokeKey } from './keys.js';
import { ROLE_SCOPES, isRole } from './roles.js';

export const USAGE = [
  'usage: npm run -s keys -- create --name NAME --role ROLE [--scope S]... [--marketplace CODE]... [--expires-in 90d]',
  '       npm run -s keys -- list',
  '       npm run -s keys -- revoke NAME',
  'roles: dashboard, partner, script, admin; CODE: a country code (GB, DE) or an Amazon marketplace id',
].join('\n');

class UsageError extends Error {}

type Out = { out: (line: string) => void; err: (line: string) => void };

async function marketplaceCodes(prisma: PrismaClient, ids: readonly number[]): Promise<string> {
  if (ids.length === 0) return 'all';
  const rows = await prisma.marketplace.findMany({ where: { id: { in: [...ids] } }, select: { id: true, countryCode: true } });
  return ids.map((id) => rows.find((r) => r.id === id)?.countryCode ?? `#${id}`).join(', ');
}

const when = (date: Date | null) => (date ? date.toISOString() : '-');

async function describeKey(prisma: PrismaClient, key: ApiKey): Promise<string> {
  const role = isRole(key.role) ? key.role : 'dashboard';
  const scopes = [...new Set([...ROLE_SCOPES[role], ...key.scopes])].join(' ');
  return `role ${key.role}; scopes ${scopes}; marketplaces ${await marketplaceCodes(prisma, key.marketplaceIds)}; expires ${when(key.expiresAt)}`;
}

const commands: Record<string, (prisma: PrismaClient, args: string[], io: Out) => Promise<void>> = {
  async create(prisma, args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        scope: { type: 'string', multiple: true },
        marketplace: { type: 'string', multiple: true },
        'expires-in': { type: 'string' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.name) throw new UsageError('--name is required');
    if (!values.role) throw new UsageError('--role is required');
    const { key, secret } = await createKey(prisma, {
      name: values.name,
      role: values.role,
      scopes: values.scope ?? [],
      marketplaces: values.marketplace ?? [],
      expiresIn: values['expires-in'] ?? null,
    });
    io.out(`created key "${key.name}" (${key.prefix}…): ${await describeKey(prisma, key)}`);
    io.out('the secret follows, shown this once: send it as "Authorization: Bearer <secret>"');
    io.out(secret);
  },
  async list(prisma, args, io) {
    if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
    const keys = await listKeys(prisma);
    if (keys.length === 0) io.out('no keys');
    for (const key of keys) {
      const state = key.revokedAt ? `revoked ${when(key.revokedAt)}` : key.expiresAt && key.expiresAt <= new Date() ? 'expired' : 'active';
      io.out(`${key.name}  ${key.prefix}…  ${state}  ${await describeKey(prisma, key)}; created ${when(key.createdAt)}; last used ${when(key.lastUsedAt)}`);
    }
  },
  async revoke(prisma, args, io) {
    if (args.length !== 1) throw new UsageError('revoke takes exactly one key name');
    const key = await revokeKey(prisma, args[0]!);
    io.out(`revoked key "${key.name}" at ${when(key.revokedAt)} (servers stop accepting it within a few seconds)`);
  },
};

/** Runs one command; returns the exit code (0 done, 1 failed, 2 bad usage or refused input). */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Out = { out: console.log, err: console.error }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help' || !commands[name]) {
    if (name && name !== '--help' && name !== 'help') io.err(`unknown command "${name}"`);
    io.err(USAGE);
    return name === '--help' || name === 'help' ? 0 : 2;
  }
  try {
    const config = loadConfig(env);
    // Migration progress goes to stderr: stdout carries only the command's answer (the secret last).
    const db = await openDatabase(config.database, { migrate: true, log: io.err });
    try {
      await commands[name]!(db.prisma, rest, io);
    } finally {
      await db.close().catch(() => undefined);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof KeyInputError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    const line = error instanceof ConfigError ? error.message : describeStartupError(error);
    io.err(line !== undefined ? `error: ${line}` : String((error as Error).stack ?? error));
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
