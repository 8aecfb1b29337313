/**
 * Database errors of a mutation transaction → retry, a typed error the client sees as a union
 * member, or unknown (left to be masked as "Unexpected error."). Constraint violations are never
 * passed through raw: `jobs_publish_dedup_unique` → DuplicateJobError, `bom_lines_unique` →
 * ValidationError('lines'), other unique → retry then ConflictError, FK / NOT NULL / CHECK →
 * ValidationError. RunMutationOptions.constraintErrors overrides per constraint name (e.g. to name
 * the job type and listing in DuplicateJobError).
 */
import { collectFacts, type ErrorFacts } from '../../db/faults.js';
import { DuplicateJobError, ValidationError } from '../../domain/errors.js';
import { IdempotencyRaceError } from './idempotency.js';

/** Typed error for a violated constraint, by constraint name; `undefined` = default mapping. */
export type ConstraintErrors = Record<string, (violation: ConstraintViolation) => Error | undefined>;

export interface ConstraintViolation {
  /** UNIQUE, FOREIGN_KEY, NOT_NULL, CHECK */
  kind: 'UNIQUE' | 'FOREIGN_KEY' | 'NOT_NULL' | 'CHECK';
  /** Constraint / index name when the driver reported it. */
  constraint: string | null;
  fields: string[];
  message: string;
}

export type Outcome = { kind: 'retry' } | { kind: 'typed'; error: Error } | { kind: 'unknown' };

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);

/** Turns a database error into retry / a typed error / unknown (left to be masked). */
export function classifyDatabaseError(
  error: unknown,
  overrides: ConstraintErrors = {},
): Outcome {
  if (error instanceof IdempotencyRaceError) return { kind: 'retry' };
  const facts = collectFacts(error);
  if (facts.prismaCodes.has('P2034') || facts.kinds.has('TransactionWriteConflict')) return { kind: 'retry' };
  if ([...facts.sqlStates].some((code) => RETRYABLE_SQLSTATES.has(code))) return { kind: 'retry' };
  if (facts.prismaCodes.has('P2028')) return { kind: 'retry' };
  // A text input PostgreSQL cannot store (a NUL byte): the client's input, not a server fault.
  if (facts.sqlStates.has('22021')) return { kind: 'typed', error: new ValidationError('input', 'contains a character that cannot be stored (NUL)') };

  const violation = constraintViolationOf(facts);
  if (!violation) return { kind: 'unknown' };
  const custom = violation.constraint ? overrides[violation.constraint]?.(violation) : undefined;
  if (custom) return { kind: 'typed', error: custom };
  const mapped = defaultConstraintError(violation);
  return mapped ? { kind: 'typed', error: mapped } : { kind: 'retry' };
}

function defaultConstraintError(v: ConstraintViolation): Error | undefined {
  switch (v.kind) {
    case 'UNIQUE':
      if (v.constraint === 'jobs_publish_dedup_unique') return new DuplicateJobError('PUBLISH', null);
      if (v.constraint === 'bom_lines_unique') return new ValidationError('lines', 'a component appears more than once');
      // A concurrent insert won (version number, active flag, idempotency key): retry, then CONFLICT.
      return undefined;
    // The database names columns and constraints, not input paths: `field` stays in the documented
    // path format (`input`, the input as a whole) and the reason names what the database refused.
    case 'FOREIGN_KEY':
      return new ValidationError('input', `refers to a row that does not exist (${v.fields[0] ?? v.constraint ?? 'a foreign key'})`);
    case 'NOT_NULL':
      return new ValidationError('input', `leaves a required value empty (${v.fields[0] ?? 'a column'})`);
    case 'CHECK':
      return new ValidationError('input', `violates a database rule (${v.constraint ?? 'a check constraint'})`);
  }
}

function constraintViolationOf(facts: ErrorFacts): ConstraintViolation | null {
  let kind: ConstraintViolation['kind'] | null = null;
  if (facts.kinds.has('UniqueConstraintViolation') || facts.sqlStates.has('23505') || facts.prismaCodes.has('P2002')) kind = 'UNIQUE';
  else if (facts.kinds.has('ForeignKeyConstraintViolation') || facts.sqlStates.has('23503') || facts.prismaCodes.has('P2003')) kind = 'FOREIGN_KEY';
  else if (facts.kinds.has('NullConstraintViolation') || facts.sqlStates.has('23502') || facts.prismaCodes.has('P2011')) kind = 'NOT_NULL';
  else if (facts.sqlStates.has('23514')) kind = 'CHECK';
  if (!kind) return null;
  let constraint = facts.constraints[0] ?? null;
  if (!constraint) {
    // Raw-query errors carry only the server message: `… violates unique constraint "name"`.
    for (const message of facts.messages) {
      const match = /constraint "([^"]+)"/.exec(message);
      if (match) {
        constraint = match[1]!;
        break;
      }
    }
  }
  return { kind, constraint, fields: facts.fields, message: facts.messages[0] ?? '' };
}

