/**
 * Relay global IDs → database ids: the one decoder behind every ID argument, read or write
 * (src/schema/global-id.ts wraps parseGlobalId for query arguments; mutations use decodeId).
 */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors.js';

const DATABASE_ID = /^[1-9]\d{0,9}$/;
const MAX_INT4 = 2_147_483_647;

/** Decodes a Relay global ID without throwing: null when it is not one. */
export function safeDecodeGlobalID(globalID: string): { typename: string; id: string } | null {
  try {
    const decoded = decodeGlobalID(globalID);
    return decoded.typename && decoded.id ? decoded : null;
  } catch {
    return null;
  }
}

/** A positive PostgreSQL `integer` key, as every table here uses. */
export function isDatabaseId(id: string): boolean {
  return DATABASE_ID.test(id) && Number(id) <= MAX_INT4;
}

export type ParsedGlobalId = { ok: true; id: number } | { ok: false; reason: 'malformed' } | { ok: false; reason: 'wrong-type'; typename: string };

/** The integer key behind a global ID of one of `types`, or why there is none. */
export function parseGlobalId(globalID: string, types: readonly string[]): ParsedGlobalId {
  const decoded = safeDecodeGlobalID(globalID);
  if (!decoded || !isDatabaseId(decoded.id)) return { ok: false, reason: 'malformed' };
  if (!types.includes(decoded.typename)) return { ok: false, reason: 'wrong-type', typename: decoded.typename };
  return { ok: true, id: Number(decoded.id) };
}

/** A relay global ID of `typename` → its integer database id; ValidationError on `field` otherwise. */
export function decodeId(globalId: string | number, typename: string, field: string): number {
  const parsed = parseGlobalId(String(globalId), [typename]);
  if (parsed.ok) return parsed.id;
  if (parsed.reason === 'wrong-type') throw new ValidationError(field, `must be the ID of a ${typename} (got a ${parsed.typename} ID)`);
  throw new ValidationError(field, `is not a valid global ID`);
}
