import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import type { CORSOptions, GraphiQLOptions, Plugin } from 'graphql-yoga';

/**
 * Browser safety. CORS is closed unless origins are configured (never with credentials: keys
 * travel in a header, not a cookie). CSRF prevention: a request a browser sends without a
 * preflight (GET, or a POST form) must carry `x-graphql-yoga-csrf`, which a foreign page cannot
 * add without a preflight that CORS then refuses.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function corsOptions(origins: readonly string[]): ((request: Request) => CORSOptions | false) | false {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  // Decided per request, so a foreign origin gets no Access-Control-Allow-Origin header at all.
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return { origin, credentials: false, methods: ['GET', 'POST'], allowedHeaders: ['authorization', 'content-type', CSRF_HEADER] };
  };
}

export function csrfPrevention(): Plugin {
  return useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
}

/**
 * GraphiQL from the installed @graphql-yoga/render-graphiql package: its scripts, styles and
 * workers are inlined into the page, so it makes no request to any CDN. With `presetKey`, a
 * browser on this machine (loopback) gets the page with `Authorization` already filled in.
 */
export function graphiqlOptions(presetKey: string | undefined) {
  return (_request: Request, serverContext?: unknown): GraphiQLOptions => {
    const options: GraphiQLOptions = { title: 'Listing Helper GraphQL', shouldPersistHeaders: false };
    if (presetKey && isLoopback(serverContext)) options.headers = JSON.stringify({ Authorization: `Bearer ${presetKey}` });
    return options;
  };
}

/**
 * The GraphiQL page, its bundle loaded on the first page request: the bundle is about 30 MB of
 * strings once loaded, which a server nobody opens GraphiQL on (production, the benchmark) never pays.
 */
export async function renderGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL: render } = await import('@graphql-yoga/render-graphiql');
  return render(options);
}

function isLoopback(serverContext: unknown): boolean {
  const address = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
