/**
 * graphql-ws on the HTTP server's /graphql path, executing through the yoga app's envelop (the same
 * plugins, limits and context as HTTP and SSE). SSE needs nothing: yoga serves it by default.
 */
import type { Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { App } from '../app.js';

interface EnvelopRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** Returns a function that closes the WebSocket server (and its sockets). */
export function attachGraphqlWs(server: Server, app: App): () => Promise<void> {
  const wsServer = new WebSocketServer({ server, path: app.graphqlEndpoint });
  const disposable = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        // The yoga context and plugins read a Fetch Request (request id header, …): one from the upgrade request.
        const upgrade = ctx.extra.request;
        const headers = new Headers();
        for (const [name, value] of Object.entries(upgrade.headers)) if (typeof value === 'string') headers.set(name, value);
        const request = new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? '/graphql'}`, { headers });
        const { schema, execute, subscribe, contextFactory, parse, validate } = app.getEnveloped({ ...ctx, req: upgrade, request, socket: ctx.extra.socket, params });
        const args: ExecutionArgs = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
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
