import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiKeyAuth } from './auth.js';

/** sha256 (hex) of a document → the document; written by `npm run persisted` (scripts/persisted.ts). */
export type PersistedManifest = Record<string, string>;

// Resolved from the project root, so the built server (dist/graphql/) reads the same committed file.
export const MANIFEST_PATH = fileURLToPath(new URL('../../src/graphql/persisted/manifest.json', import.meta.url));

export function loadManifest(file = MANIFEST_PATH): PersistedManifest {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PersistedManifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/**
 * Partner keys run only registered operations, sent as
 * `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<hash>"}}}`; any other caller may
 * also send a document. Partner keys never get introspection either.
 */
export function usePartnerPersistedOperations(auth: ApiKeyAuth, manifest: PersistedManifest): Plugin[] {
  const isPartner = (request: Request) => auth.viewerOf(request).role === 'partner';
  return [
    usePersistedOperations({
      getPersistedOperation: (hash) => manifest[hash] ?? null,
      allowArbitraryOperations: (request) => !isPartner(request),
      customErrors: {
        persistedQueryOnly: () =>
          new GraphQLError('This key may run only persisted operations: send extensions.persistedQuery.sha256Hash of a registered document.', {
            extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
          }),
      },
    }),
    {
      onValidate({ context, addValidationRule }) {
        const request = (context as { request?: Request }).request;
        if (request && isPartner(request)) addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    },
  ];
}
