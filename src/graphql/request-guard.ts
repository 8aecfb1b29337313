import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Malformed requests are the client's fault and get a 400, never a 500 or the parser's message:
 * - a request parser that throws something other than a GraphQLError (yoga's GET parser runs
 *   JSON.parse on `variables`/`extensions` unguarded) → 400 naming the parameters;
 * - yoga's own JSON-body error carries the parser's message in `extensions.originalError`: dropped;
 * - a document nested deeper than `maxNesting` brackets is refused before parsing (graphql-js
 *   parses recursively: ~4,000 nested `[` overflow the stack before the token limit is reached);
 * - a JSON body or a query string that is not valid UTF-8 → 400 (yoga would silently turn the
 *   bad bytes into U+FFFD and run the request on text the client never sent).
 */
export function requestGuard(maxNesting: number): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      const original = requestParser;
      setRequestParser(async (request) => {
        try {
          return await original(await strictUtf8(request));
        } catch (error) {
          throw cleanParseError(error, request);
        }
      });
    },
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      const depth = bracketNesting(source, maxNesting);
      if (depth > maxNesting) {
        throw new GraphQLError(`The document nests brackets deeper than ${maxNesting} levels.`, {
          extensions: { code: 'NESTING_LIMIT_EXCEEDED', limit: 'maxNesting', max: maxNesting, http: { status: 400 } },
        });
      }
    },
  };
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The request, its body re-read as strictly decoded UTF-8 text (JSON bodies); 400 on bad bytes. */
async function strictUtf8(request: Request): Promise<Request> {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
  for (const part of query.split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw badRequest('The query string is not valid percent-encoded UTF-8.');
    }
  }
  const type = request.headers.get('content-type') ?? '';
  if (request.method !== 'POST' || !/^application\/(?:graphql\+)?json\b/i.test(type)) return request;
  let text: string;
  try {
    text = fatalUtf8.decode(await request.arrayBuffer());
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    throw badRequest('The request body is not valid UTF-8.');
  }
  return new Request(request.url, { method: request.method, headers: request.headers, body: text });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

function cleanParseError(error: unknown, request: Request): GraphQLError {
  if (error instanceof GraphQLError) {
    if (!error.extensions.originalError) return error;
    // Yoga marks its invalid-JSON answer `spec: true` (HTTP 200 unless the client accepts
    // application/graphql-response+json); a malformed body is a 400 for every client.
    const { originalError: _dropped, ...extensions } = error.extensions;
    return new GraphQLError(error.message, { extensions: { ...extensions, http: { status: 400 } } });
  }
  const url = new URL(request.url, 'http://localhost');
  const bad = ['variables', 'extensions'].filter((name) => !isJsonOrAbsent(url.searchParams.get(name)));
  const message = bad.length ? `The ${bad.map((name) => `"${name}"`).join(' and ')} parameter must be JSON.` : 'The request could not be parsed.';
  return badRequest(message);
}

function isJsonOrAbsent(value: string | null): boolean {
  if (!value) return true;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** Deepest nesting of ( [ { outside strings and comments; stops counting once past `stopAbove`. */
export function bracketNesting(source: string, stopAbove: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else if (c === '"') {
      i = source.startsWith('"""', i) ? skipBlockString(source, i) : skipString(source, i);
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAbove) return max;
    } else if (c === ')' || c === ']' || c === '}') {
      depth = Math.max(0, depth - 1);
    }
  }
  return max;
}

function skipString(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === '"' || source[i] === '\n') return i;
  }
  return source.length;
}

function skipBlockString(source: string, start: number): number {
  for (let i = start + 3; i < source.length; i++) {
    if (source[i] === '\\' && source.startsWith('"""', i + 1)) i += 3;
    else if (source.startsWith('"""', i)) return i + 2;
  }
  return source.length;
}
