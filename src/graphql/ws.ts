/**
 * graphql-ws on the HTTP server's /graphql path, executing through the yoga app's envelop (the same
 * plugins, limits and context as HTTP and SSE). SSE needs nothing: yoga serves it by default.
 *
 * A WebSocket upgrade never passes yoga's `onRequest` hooks, so the key check, the partner rule and
 * the per-key request limit run here through the app's `SocketGate`: at `connection_init` (a bad
 * key closes the socket, nothing runs) and again for every operation (a key revoked since then
 * stops new operations within the key cache's lifetime; each operation counts as one request).
 */
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { App } from '../app.js';
import type { Admission, ApiKeyAuth } from './auth.js';
import type { KeyRateLimits } from './rate-limit.js';
import { bracketNesting } from './request-guard.js';

interface EnvelopRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

export interface SocketGate {
  /** The key check of a connection (`connection_init`); partner keys are refused (persisted operations run over HTTP only). */
  admitConnection(request: Request): Promise<Admission>;
  /** The same check for one operation, which also counts against the key's per-minute request limit. */
  admitOperation(request: Request): Promise<Admission>;
  /** The request guard's bracket-nesting limit, checked before parsing as on HTTP. */
  maxNesting: number;
}

export function socketGate(auth: ApiKeyAuth, rateLimits: KeyRateLimits, maxNesting: number): SocketGate {
  async function admitConnection(request: Request): Promise<Admission> {
    const admission = await auth.authenticate(request);
    if (admission.ok && admission.viewer.role === 'partner') {
      return { ok: false, status: 403, code: 'PERSISTED_QUERY_ONLY', message: 'Partner keys run persisted operations over HTTP only.' };
    }
    return admission;
  }
  return {
    admitConnection,
    async admitOperation(request) {
      const admission = await admitConnection(request);
      if (!admission.ok) return admission;
      const refused = await rateLimits.consumeRequest(admission.viewer);
      return refused ? { ok: false, status: 429, code: 'RATE_LIMITED', message: refused.message } : admission;
    },
    maxNesting,
  };
}

/** The connection as a Fetch Request: the upgrade's headers, and `connectionParams.authorization` (browsers cannot set headers on a WebSocket). */
function requestOf(upgrade: IncomingMessage, connectionParams: Readonly<Record<string, unknown>> | undefined): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upgrade.headers)) if (typeof value === 'string') headers.set(name, value);
  const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  // POST: an operation sent over an open socket is not a cacheable GET, so yoga lets mutations run as over HTTP POST.
  return new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? '/graphql'}`, { method: 'POST', headers });
}

/** Close codes: graphql-ws's 4401/4403 for the key, WebSocket's 1013 "try again later" for a database outage. */
function closeCodeOf(admission: Extract<Admission, { ok: false }>): number {
  if (admission.status === 401) return CloseCode.Unauthorized;
  if (admission.status === 403) return CloseCode.Forbidden;
  return 1013;
}

function refusedReason(admission: Extract<Admission, { ok: false }>): string {
  return admission.status === 401 ? `${admission.code}: send connectionParams { authorization: "Bearer <key>" } with a valid key.` : `${admission.code}: ${admission.message}`;
}

/** Returns a function that closes the WebSocket server (and its sockets). */
export function attachGraphqlWs(server: Server, app: App): () => Promise<void> {
  const wsServer = new WebSocketServer({ server, path: app.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopRoot).subscribe(args) as never,
      onConnect: async (ctx) => {
        const admission = await app.sockets.admitConnection(requestOf(ctx.extra.request, ctx.connectionParams));
        if (admission.ok) return true;
        ctx.extra.socket.close(closeCodeOf(admission), refusedReason(admission));
        return false;
      },
      onSubscribe: async (ctx, _id, params) => {
        // The yoga context and plugins read a Fetch Request (request id header, the viewer, …).
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        const admission = await app.sockets.admitOperation(request);
        if (!admission.ok) {
          if (admission.status === 401 || admission.status === 403) ctx.extra.socket.close(closeCodeOf(admission), refusedReason(admission));
          return [new GraphQLError(admission.message, { extensions: { code: admission.code } })];
        }
        if (bracketNesting(params.query, app.sockets.maxNesting) > app.sockets.maxNesting) {
          return [new GraphQLError(`The document nests brackets deeper than ${app.sockets.maxNesting} levels.`, { extensions: { code: 'NESTING_LIMIT_EXCEEDED' } })];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = app.getEnveloped({ ...ctx, req: ctx.extra.request, request, socket: ctx.extra.socket, params });
        let document;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('The document could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wsServer,
  );
  return async () => {
    for (const client of wsServer.clients) client.terminate();
    await disposable.dispose();
  };
}
