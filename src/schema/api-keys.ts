import { createKey, KeyInputError, listKeys, revokeKey } from '../auth/keys.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { AUTHENTICATED, builder } from './builder.js';
import { mutationResult } from './mutation-contract.js';

/** API keys (admin only): never the secret, only its display prefix. */
export const ApiKeyRef = builder.prismaObject('ApiKey', {
  authScopes: { scope: 'keys:admin' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell keys apart.' }),
    role: t.exposeString('role'),
    scopes: t.exposeStringList('scopes', { description: 'Extra scopes on top of the role.' }),
    marketplaceIds: t.exposeIntList('marketplaceIds', { description: 'Marketplaces the key is limited to; empty = all.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiKeyPayload = builder.objectRef<{ key: ApiKey; secret: string }>('CreateApiKeyPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.key }),
    secret: t.exposeString('secret', { description: 'Shown this once; only its SHA-256 is stored.' }),
  }),
});

const RevokeApiKeyPayload = builder.objectRef<{ key: ApiKey }>('RevokeApiKeyPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({ apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.key }) }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    role: t.string({ required: true, description: 'dashboard, partner, script or admin.' }),
    scopes: t.stringList({ description: 'Extra scopes (see the README table).' }),
    marketplaces: t.stringList({ description: 'Country codes (GB, DE) or Amazon marketplace ids; none = all.' }),
    expiresIn: t.string({ description: 'e.g. 90d, 12h; none = never.' }),
  }),
});

const RevokeApiKeyInput = builder.inputType('RevokeApiKeyInput', { fields: (t) => ({ name: t.string({ required: true }) }) });

/** KeyInputError names what is wrong (role, scope, marketplace, name, duration); it becomes a typed error. */
async function asValidation<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof KeyInputError) {
      if (error.message.startsWith('no key named')) throw new NotFoundError('ApiKey', field);
      throw new ValidationError(field, error.message);
    }
    throw error;
  }
}

builder.queryField('apiKeys', (t) =>
  t.field({
    type: [ApiKeyRef],
    nullable: true,
    authScopes: { scope: 'keys:admin' },
    description: 'Every API key, oldest first (never a secret).',
    resolve: (_root, _args, ctx) => listKeys(ctx.prisma),
  }),
);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayload,
    authScopes: { scope: 'keys:admin' },
    description: 'Creates a key; the payload carries its secret, the only time it is shown.',
    errors: mutationResult('createApiKey', [ValidationError]),
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      asValidation('input', () =>
        createKey(ctx.prisma, {
          name: input.name,
          role: input.role,
          scopes: input.scopes ?? [],
          marketplaces: input.marketplaces ?? [],
          expiresIn: input.expiresIn ?? null,
          now: ctx.now,
        }),
      ),
  }),
  revokeApiKey: t.field({
    type: RevokeApiKeyPayload,
    authScopes: { scope: 'keys:admin' },
    description: 'Revokes a key by name; every gateway stops accepting it within the key cache time (README).',
    errors: mutationResult('revokeApiKey', [NotFoundError]),
    args: { input: t.arg({ type: RevokeApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({ key: await asValidation(input.name, () => revokeKey(ctx.prisma, input.name, ctx.now)) }),
  }),
}));
