import type { Plugin } from 'graphql-yoga';
import type { KeyCache } from '../auth/key-cache.js';
import type { Viewer } from '../auth/viewer.js';

/** Resolves the viewer of a request before anything of GraphQL runs; undefined = not decided here. */
export type ViewerOverride = (request: Request) => Viewer | undefined;

export interface ApiKeyAuth {
  plugin: Plugin;
  /** The viewer the plugin admitted for this request (set for every request that reaches GraphQL). */
  viewerOf(request: Request): Viewer;
}

/** A GraphQL-shaped refusal: HTTP status, `errors[0].extensions.code`, nothing executed. */
export function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A lost connection fails one query while the pool reconnects: ask once more before giving up. */
async function lookUp(keys: KeyCache, secret: string, now: Date): Promise<Viewer | null> {
  try {
    return await keys.viewerFor(secret, now);
  } catch {
    return keys.viewerFor(secret, now);
  }
}

function bearerSecret(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/**
 * API-key authentication on the GraphQL endpoint: `Authorization: Bearer <secret>`. No key, an
 * unknown, revoked or expired one → 401 before parsing, so nothing executes. /health, /ready and the
 * GraphiQL page (which holds no data) are answered by earlier plugins and stay public.
 */
export function useApiKeyAuth(options: {
  keys: KeyCache;
  graphqlEndpoint: string;
  clock: () => Date;
  /** Tests only (AppOptions.viewerOverride); the server never sets it. */
  override?: ViewerOverride;
}): ApiKeyAuth {
  const viewers = new WeakMap<Request, Viewer>();
  const plugin: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.graphqlEndpoint && url.pathname !== `${options.graphqlEndpoint}/`) return;
      const injected = options.override?.(request);
      if (injected) {
        viewers.set(request, injected);
        return;
      }
      const secret = bearerSecret(request);
      let viewer: Viewer | null;
      try {
        viewer = secret ? await lookUp(options.keys, secret, options.clock()) : null;
      } catch {
        // The database could not be asked (connection lost twice): a typed retry-later answer,
        // as every other database outage gets (src/graphql/error-handling.ts), nothing executed.
        endResponse(refusal(200, 'DATABASE_UNAVAILABLE', 'The database is unavailable; retry shortly.'));
        return;
      }
      if (!viewer) {
        const message = secret ? 'The API key is unknown, revoked or expired.' : 'An API key is required: send Authorization: Bearer <key>.';
        endResponse(refusal(401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer' }));
        return;
      }
      viewers.set(request, viewer);
    },
  };
  return {
    plugin,
    viewerOf(request) {
      const viewer = viewers.get(request);
      // Unreachable for requests on the endpoint; refuse rather than run without a viewer.
      if (!viewer) throw new Error('request reached GraphQL without an authenticated viewer');
      return viewer;
    },
  };
}
