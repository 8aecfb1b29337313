import { createHash } from 'node:crypto';
import { IdempotencyKeyReuseError, ValidationError } from '../../domain/errors.js';
import type { Prisma } from '../../generated/prisma/client.js';

/**
 * Mutation idempotency keys (table idempotency_keys, migration 006).
 *
 * Protocol, inside the mutation's own transaction (see runMutation):
 *  1. `INSERT … ON CONFLICT (key) DO NOTHING RETURNING key` — if another transaction holds an
 *     uncommitted row with the same key, PostgreSQL makes this insert wait until that transaction
 *     ends, so two concurrent calls with one key never both do the work.
 *  2. Inserted → this call owns the key: do the work, then store the result reference
 *     (storeIdempotentResult) before commit. A rollback (typed error, failure) removes the key too.
 *  3. Not inserted → the key was committed earlier: same operation and request hash → replay the
 *     stored result (nothing else is written); otherwise IdempotencyKeyReuseError.
 */

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export type Tx = Prisma.TransactionClient;

export type ClaimResult = { kind: 'claimed' } | { kind: 'replay'; response: unknown };

export function validateIdempotencyKey(key: string | null | undefined): string | null {
  if (key === null || key === undefined) return null;
  if (key.trim().length === 0) throw new ValidationError('idempotencyKey', 'must not be empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new ValidationError('idempotencyKey', `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  }
  return key;
}

/** sha256 over the operation name and a canonical JSON of the input without its idempotencyKey. */
export function requestHash(operation: string, input: unknown): string {
  return createHash('sha256').update(operation).update('\n').update(canonicalJson(input, true)).digest('hex');
}

export function canonicalJson(value: unknown, dropIdempotencyKey = false): string {
  return JSON.stringify(canonicalize(value, dropIdempotencyKey));
}

function canonicalize(value: unknown, dropKey: boolean): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => canonicalize(item, false));
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') {
    if (typeof (value as { toFixed?: unknown }).toFixed === 'function') {
      return (value as { toFixed(): string }).toFixed();
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as object).sort()) {
      if (dropKey && key === 'idempotencyKey') continue;
      const item = (value as Record<string, unknown>)[key];
      // Omitted and explicit null mean the same thing in GraphQL inputs here.
      if (item === undefined || item === null) continue;
      out[key] = canonicalize(item, false);
    }
    return out;
  }
  return value;
}

export async function claimIdempotencyKey(
  tx: Tx,
  args: { key: string; operation: string; hash: string; now: Date },
): Promise<ClaimResult> {
  const inserted = await tx.$queryRaw<Array<{ key: string }>>`
    INSERT INTO idempotency_keys (key, operation, request_hash, created_at)
    VALUES (${args.key}, ${args.operation}, ${args.hash}, ${args.now})
    ON CONFLICT (key) DO NOTHING
    RETURNING key`;
  if (inserted.length > 0) return { kind: 'claimed' };
  const rows = await tx.$queryRaw<Array<{ operation: string; request_hash: string; response_json: unknown }>>`
    SELECT operation, request_hash, response_json FROM idempotency_keys WHERE key = ${args.key}`;
  const row = rows[0];
  if (!row) {
    // The holder rolled back between our insert and select (a rare race): let the caller retry.
    throw new IdempotencyRaceError();
  }
  if (row.operation !== args.operation || row.request_hash !== args.hash) {
    throw new IdempotencyKeyReuseError(args.key, row.operation);
  }
  return { kind: 'replay', response: row.response_json };
}

export async function storeIdempotentResult(tx: Tx, key: string, response: unknown): Promise<void> {
  await tx.$executeRaw`UPDATE idempotency_keys SET response_json = ${JSON.stringify(response ?? null)}::jsonb WHERE key = ${key}`;
}

/** Internal: retried by runMutation like a serialization failure. */
export class IdempotencyRaceError extends Error {
  override name = 'IdempotencyRaceError';
}
