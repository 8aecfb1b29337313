import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * A reproducible corpus of hostile requests (issue 7): boundary values for every argument of
 * every root field, random JSON bodies, random token soups, and malformed HTTP. Seeded, so a
 * failing case can be replayed by its index.
 */

export interface HostileCase {
  name: string;
  url: string;
  init: RequestInit;
}

/** mulberry32: small, seedable, good enough to pick cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENDPOINT = 'http://test/graphql';
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const HOSTILE_STRINGS = ['', ' ', 'ab\u0000cd', '\u0000', '\uD800', 'x\uDFFFy', '\uD83D\uDE00', "'; DROP TABLE listings; --", '%_\\', 'a'.repeat(5_001), 'é'.repeat(300), '\u202Eevil', '${x}'];
const INTS = [0, -1, 1, 2_147_483_647, 2_147_483_648, -2_147_483_649, 1.5, '1'];
const FLOATS = [0, -0, 1e308, -1e308, 5e-324, 'NaN'];
const DECIMALS = ['0', '-0', '-1', '1e999', 'abc', '0.00001', '99999999999999999999999999.99', '1,5', ' 1', ''];
const DATES = ['2025-01-01', '0000-00-00', '9999-12-31', '2025-02-30', 'x', ''];
const DATETIMES = ['2025-01-01T00:00:00.000Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2025-13-01T00:00:00Z', 'yesterday', ''];
const GLOBAL_IDS = ['TGlzdGluZzox', 'Qm9tOjE=', 'TGlzdGluZzotMQ==', 'TGlzdGluZzo5OTk5OTk5OTk5OTk5', 'TGlzdGluZzoA', '!!!', ''];

/** Boundary values of a named input type (leaf types; input objects and lists are built around them). */
function leafValues(typeName: string, enumValues: string[]): unknown[] {
  switch (typeName) {
    case 'Int':
      return INTS;
    case 'Float':
      return FLOATS;
    case 'Boolean':
      return [true, false, 'true', 0];
    case 'ID':
      return [...GLOBAL_IDS, ...HOSTILE_STRINGS.slice(2, 6)];
    case 'Decimal':
      return DECIMALS;
    case 'Date':
      return DATES;
    case 'DateTime':
      return DATETIMES;
    case 'JSON':
      return [null, {}, [], 'x', { a: { b: [1, '\u0000'] } }];
    case 'String':
      return HOSTILE_STRINGS;
    default:
      return [...enumValues, 'NOT_A_VALUE', ''];
  }
}

/** A plausible value of the type (for the arguments not under test). */
function plainValue(type: GraphQLInputType, pick: () => number, depth = 0): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [plainValue(nullable.ofType, pick, depth + 1)];
  if (isInputObjectType(nullable)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(nullable.getFields())) {
      if (isNonNullType(field.type) || (depth < 2 && pick() < 0.4)) out[field.name] = plainValue(field.type, pick, depth + 1);
    }
    return out;
  }
  const named = getNamedType(type);
  const values = leafValues(named.name, isEnumType(named) ? named.getValues().map((v) => v.name) : []);
  return values[0];
}

/** Variants of one argument's value: each boundary value at each leaf (bounded per argument). */
function argumentVariants(type: GraphQLInputType, pick: () => number, budget: number): unknown[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [[], null, ...argumentVariants(nullable.ofType, pick, budget - 2).map((v) => [v])];
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields());
    const variants: unknown[] = [{}];
    for (const field of fields) {
      for (const value of argumentVariants(field.type, pick, 3)) {
        variants.push({ ...(plainValue(nullable, pick) as object), [field.name]: value });
      }
    }
    return shuffle(variants, pick).slice(0, budget);
  }
  const named = getNamedType(type);
  if (!isLeafType(named)) return [];
  const values = leafValues(named.name, isEnumType(named) ? named.getValues().map((v) => v.name) : []);
  return shuffle([...values, null], pick).slice(0, budget);
}

function shuffle<T>(items: T[], pick: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(pick() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function selectionOf(field: GraphQLField<unknown, unknown>): string {
  return isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
}

function fieldCases(kind: 'query' | 'mutation', root: GraphQLObjectType, pick: () => number, perArgument: number): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const field of Object.values(root.getFields())) {
    const args: readonly GraphQLArgument[] = field.args;
    const signature = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
    const query = `${kind} Probe${signature ? `(${signature})` : ''} { ${field.name}${call ? `(${call})` : ''}${selectionOf(field)} }`;
    if (args.length === 0) cases.push({ name: `${field.name}()`, url: ENDPOINT, init: json({ query }) });
    for (const arg of args) {
      for (const value of argumentVariants(arg.type, pick, perArgument)) {
        const variables: Record<string, unknown> = {};
        for (const other of args) if (other !== arg && isNonNullType(other.type)) variables[other.name] = plainValue(other.type, pick);
        variables[arg.name] = value;
        cases.push({ name: `${field.name}(${arg.name}: ${JSON.stringify(value)?.slice(0, 60)})`, url: ENDPOINT, init: json({ query, variables }) });
      }
    }
  }
  return cases;
}

function randomJson(pick: () => number, depth = 0): unknown {
  const r = pick();
  if (depth > 3 || r < 0.3) return [null, true, 0, -1e309, 'x', '\u0000', HOSTILE_STRINGS[Math.floor(pick() * HOSTILE_STRINGS.length)]][Math.floor(pick() * 7)];
  if (r < 0.6) return Array.from({ length: Math.floor(pick() * 4) }, () => randomJson(pick, depth + 1));
  const keys = ['query', 'variables', 'operationName', 'extensions', 'id', 'x'];
  return Object.fromEntries(Array.from({ length: Math.floor(pick() * 4) }, () => [keys[Math.floor(pick() * keys.length)]!, randomJson(pick, depth + 1)]));
}

const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '$', '...', '@', '!', '=', '|', '&', 'query', 'mutation', 'fragment', 'on', 'listings', 'listing', 'node', 'nodes', 'ids', 'first', 'filter', 'search', 'edges', 'id', '__typename', '__schema', 'activateBomVersion', 'input', '"x"', '"\\u0000"', '"\\uD800"', '"""a"""', '1', '-0', '1e999', '0x10', 'null', 'true', '#c\n', '\u0000', '\uFFFF', ','];

function randomDocument(pick: () => number): string {
  const length = 1 + Math.floor(pick() * 40);
  return Array.from({ length }, () => TOKENS[Math.floor(pick() * TOKENS.length)]).join(pick() < 0.5 ? ' ' : '');
}

function httpCases(): HostileCase[] {
  const get = (qs: string): HostileCase => ({ name: `GET ?${qs.slice(0, 60)}`, url: `${ENDPOINT}?${qs}`, init: { method: 'GET' } });
  const raw = (name: string, contentType: string | null, body: BodyInit, method = 'POST'): HostileCase => ({
    name,
    url: ENDPOINT,
    init: { method, headers: contentType ? { 'content-type': contentType } : {}, body },
  });
  const deep = (n: number) => `{ listings(filter: { status: ${'['.repeat(n)}"a"${']'.repeat(n)} }) { totalCount } }`;
  return [
    get('query={__typename}&variables={bad'),
    get('query={__typename}&extensions={bad'),
    get('query={__typename}&variables=[1,2'),
    get('query={__typename}&variables=%FF%FE'),
    get('query=%00'),
    get('query=' + encodeURIComponent(deep(4_000))),
    get('query=mutation{sweepRecommendations(input:{}){__typename}}'),
    get(''),
    raw('bad JSON', 'application/json', '{"query": '),
    raw('JSON null', 'application/json', 'null'),
    raw('JSON string', 'application/json', '"{__typename}"'),
    raw('JSON array batch', 'application/json', '[{"query":"{__typename}"}]'),
    raw('empty body', 'application/json', ''),
    raw('invalid UTF-8 body', 'application/json', new Uint8Array([0x7b, 0x22, 0x71, 0x75, 0x65, 0x72, 0x79, 0x22, 0x3a, 0x22, 0xff, 0xc0, 0x80, 0x22, 0x7d])),
    raw('invalid UTF-8 in a string', 'application/json', new Uint8Array([...Buffer.from('{"query":"{ listings(filter:{search:\\"'), 0xed, 0xa0, 0x80, ...Buffer.from('\\"}) { totalCount } }"}')])),
    raw('deep literal', 'application/json', JSON.stringify({ query: deep(4_000) })),
    raw('deep variables', 'application/json', `{"query":"query($s:[String]){ listings(filter:{statusRaw:$s}) { totalCount } }","variables":{"s":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`),
    raw('text/plain', 'text/plain', '{"query":"{__typename}"}'),
    raw('no content type', null, '{"query":"{__typename}"}'),
    raw('application/graphql garbage', 'application/graphql', '{{{'),
    raw('form garbage', 'application/x-www-form-urlencoded', 'query=%ZZ&variables={'),
    raw('multipart garbage', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{bad\r\n--x--'),
    raw('multipart without boundary', 'multipart/form-data', 'garbage'),
    raw('content type with charset junk', 'application/json; charset=klingon', '{"query":"{__typename}"}'),
    raw('PUT', 'application/json', '{"query":"{__typename}"}', 'PUT'),
    raw('DELETE', 'application/json', '{"query":"{__typename}"}', 'DELETE'),
    raw('huge body', 'application/json', JSON.stringify({ query: '{__typename}', variables: { x: 'a'.repeat(2_000_000) } })),
    raw('1000 aliases', 'application/json', JSON.stringify({ query: `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` })),
  ];
}

export function hostileCorpus(schema: GraphQLSchema, seed: number): HostileCase[] {
  const pick = prng(seed);
  const cases = [
    ...httpCases(),
    ...fieldCases('query', schema.getQueryType()!, pick, 4),
    ...fieldCases('mutation', schema.getMutationType()!, pick, 3),
    ...Array.from({ length: 40 }, (_, i) => ({ name: `random JSON #${i}`, url: ENDPOINT, init: json(randomJson(pick)) })),
    ...Array.from({ length: 60 }, (_, i) => ({ name: `random document #${i}`, url: ENDPOINT, init: json({ query: randomDocument(pick) }) })),
  ];
  return cases;
}
