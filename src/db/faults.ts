/**
 * What a database error means for the caller, whatever wrapped it (Prisma's known-request errors,
 * its driver-adapter errors, pg's DatabaseError, node's socket errors): the facts are collected
 * from the error and its causes.
 */

export interface ErrorFacts {
  prismaCodes: Set<string>;
  sqlStates: Set<string>;
  kinds: Set<string>;
  constraints: string[];
  fields: string[];
  messages: string[];
  /** Node socket error codes (ECONNRESET…). */
  errnos: string[];
}

export function collectFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { prismaCodes: new Set(), sqlStates: new Set(), kinds: new Set(), constraints: [], fields: [], messages: [], errnos: [] };
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || seen.has(value) || depth > 6) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    const code = record.code;
    if (typeof code === 'string') {
      if (/^P\d{4}$/.test(code)) facts.prismaCodes.add(code);
      else if (/^[0-9A-Z]{5}$/.test(code)) facts.sqlStates.add(code);
      else if (/^E[A-Z]+$/.test(code)) facts.errnos.push(code);
    }
    if (typeof record.originalCode === 'string') facts.sqlStates.add(record.originalCode);
    if (typeof record.kind === 'string') facts.kinds.add(record.kind);
    if (typeof record.message === 'string') facts.messages.push(record.message);
    const constraint = record.constraint;
    if (typeof constraint === 'string') facts.constraints.push(constraint);
    else if (constraint && typeof constraint === 'object') {
      const c = constraint as { index?: unknown; fields?: unknown };
      if (typeof c.index === 'string') facts.constraints.push(c.index);
      if (Array.isArray(c.fields)) facts.fields.push(...c.fields.map(String));
    }
    const target = record.target;
    if (typeof target === 'string') facts.constraints.push(target);
    else if (Array.isArray(target)) facts.fields.push(...target.map(String));
    for (const key of ['cause', 'meta', 'driverAdapterError', 'error', 'originalError']) visit(record[key], depth + 1);
  };
  visit(error, 0);
  return facts;
}

/** Connection-level SQLSTATEs: admin shutdown / crash / cannot connect now, and class 08. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma: cannot reach / timed out / server closed the connection. */
const CONNECTION_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017']);
const CONNECTION_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout', 'TooManyConnections']);
const CONNECTION_MESSAGE = /connection terminated|not queryable|connection (?:ended|closed|reset)|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up|server closed the connection/i;

/** The database connection was lost or could not be had: nothing about the request itself was wrong. */
export function isConnectionLost(error: unknown): boolean {
  const facts = collectFacts(error);
  if ([...facts.sqlStates].some((code) => CONNECTION_SQLSTATES.has(code) || code.startsWith('08'))) return true;
  if ([...facts.prismaCodes].some((code) => CONNECTION_PRISMA_CODES.has(code))) return true;
  if ([...facts.kinds].some((kind) => CONNECTION_KINDS.has(kind))) return true;
  return facts.messages.some((message) => CONNECTION_MESSAGE.test(message)) || facts.errnos.some((code) => CONNECTION_MESSAGE.test(code));
}

/**
 * No pooled connection became free within the pool's connection timeout (the service is
 * overloaded): nothing was started, and retrying at once would only add to the queue.
 */
export function isPoolExhausted(error: unknown): boolean {
  const facts = collectFacts(error);
  return facts.prismaCodes.has('P2024') || facts.messages.some((m) => /timeout exceeded when trying to connect/i.test(m));
}

/** Lost, or none to be had in time: either way the request itself was fine. */
export function isConnectionUnavailable(error: unknown): boolean {
  return isConnectionLost(error) || isPoolExhausted(error);
}

/** PostgreSQL cancelled a statement that ran past statement_timeout (57014). */
export function isStatementTimeout(error: unknown): boolean {
  const facts = collectFacts(error);
  return facts.sqlStates.has('57014') || facts.messages.some((m) => /canceling statement due to statement timeout/i.test(m));
}

/** Text PostgreSQL cannot store or compare (a NUL byte: 22021, or invalid UTF-8: 22P05). */
export function isUnstorableText(error: unknown): boolean {
  const facts = collectFacts(error);
  return facts.sqlStates.has('22021') || facts.sqlStates.has('22P05');
}
