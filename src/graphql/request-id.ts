import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

export const REQUEST_ID_HEADER = 'x-request-id';

/** A caller's own id is kept when it is a plain token (no spaces, quotes or control characters). */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

const ids = new WeakMap<Request, string>();

/** The request's id: the caller's `x-request-id` when sane, else a new UUID. Stable per request. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const given = request.headers.get(REQUEST_ID_HEADER);
    id = given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}

/** Every response carries the request id (x-request-id), so a user can quote it; logs carry it too. */
export function requestIdPlugin(): Plugin {
  return {
    onResponse({ request, response }) {
      response.headers.set(REQUEST_ID_HEADER, requestIdOf(request));
    },
  };
}
