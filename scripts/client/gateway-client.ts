/**
 * The typed client internal scripts use: graphql-request with the API key in the Authorization
 * header, sending the typed documents `npm run codegen` writes to ./generated from ./operations.
 * `request(Document, variables)` is typed end to end: variables are checked by the compiler and the
 * result has the exact shape the operation selects.
 */
import { GraphQLClient } from 'graphql-request';

export interface GatewayClientOptions {
  /** e.g. http://127.0.0.1:4000/graphql */
  url: string;
  /** An `lh_…` secret (`npm run -s keys -- create --name my-script --role script`). */
  apiKey: string;
  /** Another fetch (tests pass the in-process server's). */
  fetch?: typeof fetch;
}

export function gatewayClient(options: GatewayClientOptions): GraphQLClient {
  return new GraphQLClient(options.url, {
    headers: { authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** A mutation's union answer: the payload (by its typename) or an `Error` (it has `code`). */
export function isError<T extends object>(result: T): result is Extract<T, { code: unknown }> {
  return 'code' in result;
}
