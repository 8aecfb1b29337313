import type { Plugin } from 'graphql-yoga';
import type { KeyCache } from '../auth/key-cache.js';
import type { Viewer } from '../auth/viewer.js';

/** Resolves the viewer of a request before anything of GraphQL runs; undefined = not decided here. */
export type ViewerOverride = (request: Request) => Viewer | undefined;

/** The key check's answer: the viewer, or why there is none (HTTP status and error code). */
export type Admission = { ok: true; viewer: Viewer } | { ok: false; status: number; code: string; message: string };

export interface ApiKeyAuth {
  plugin: Plugin;
  /**
   * The key check itself, for transports that never pass `onRequest` (graphql-ws): on success the
   * request's viewer is remembered, so `viewerOf(request)` and the context see it.
   */
  authenticate(request: Request): Promise<Admission>;
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
  async function authenticate(request: Request): Promise<Admission> {
    const injected = options.override?.(request);
    const admission: Admission = injected ? { ok: true, viewer: injected } : await checkBearer(request);
    if (admission.ok) viewers.set(request, admission.viewer);
    return admission;
  }
  async function checkBearer(request: Request): Promise<Admission> {
    const secret = bearerSecret(request);
    let viewer: Viewer | null;
    try {
      viewer = secret ? await lookUp(options.keys, secret, options.clock()) : null;
    } catch {
      // The database could not be asked (connection lost twice): a typed retry-later answer,
      // as every other database outage gets (src/graphql/error-handling.ts), nothing executed.
      return { ok: false, status: 200, code: 'DATABASE_UNAVAILABLE', message: 'The database is unavailable; retry shortly.' };
    }
    if (viewer) return { ok: true, viewer };
    const message = secret ? 'The API key is unknown, revoked or expired.' : 'An API key is required: send Authorization: Bearer <key>.';
    return { ok: false, status: 401, code: 'UNAUTHENTICATED', message };
  }
  const plugin: Plugin = {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== options.graphqlEndpoint && url.pathname !== `${options.graphqlEndpoint}/`) return;
      const admission = await authenticate(request);
      if (admission.ok) return;
      const headers: Record<string, string> = admission.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
      endResponse(refusal(admission.status, admission.code, admission.message, headers));
    },
  };
  return {
    plugin,
    authenticate,
    viewerOf(request) {
      const viewer = viewers.get(request);
      // Unreachable for requests on the endpoint; refuse rather than run without a viewer.
      if (!viewer) throw new Error('request reached GraphQL without an authenticated viewer');
      return viewer;
    },
  };
}
