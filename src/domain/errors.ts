/**
 * Expected failures of mutations (README, API › Conventions). Plain classes with no I/O so that
 * resolvers (and domain code) can throw them without importing the schema; src/schema/errors.ts
 * registers each one as a GraphQL object type implementing the `Error` interface, and a mutation
 * lists the ones it can return in `errors: { types: [...] }` (see BASE_MUTATION_ERRORS in src/schema/errors.ts).
 *
 * Anything thrown that is not one of these stays an unexpected error: yoga masks it and app.ts logs it.
 */

/** Every code a typed mutation error can carry; the GraphQL enum `ErrorCode` (src/schema/errors.ts) lists the same. */
export const ERROR_CODES = [
  'NOT_FOUND',
  'VALIDATION',
  'INVALID_TRANSITION',
  'GUARDRAIL_VIOLATION',
  'CONFLICT',
  'DUPLICATE_JOB',
  'IDEMPOTENCY_KEY_REUSE',
  'EMPTY_BOM',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export abstract class MutationError extends Error {
  /** A stable machine-readable code (NOT_FOUND, VALIDATION, ...). */
  abstract readonly code: ErrorCode;

  constructor(message: string) {
    super(message);
    // The subclass's own name (NotFoundError, ...), as logs and error.name show it.
    this.name = new.target.name;
  }
}

/** The entity named by an ID does not exist (or the ID is not a valid global ID of that type). */
export class NotFoundError extends MutationError {
  readonly code = 'NOT_FOUND';
  constructor(
    /** GraphQL type name of what was looked up, e.g. "Bom". */
    readonly entityType: string,
    /** The ID as the client gave it (global ID or database id). */
    readonly id: string,
    message = `${entityType} ${id} was not found`,
  ) {
    super(message);
  }
}

/**
 * An input value is invalid. `field` is its path inside the mutation's `input`: field names joined
 * by ".", list positions 0-based in brackets — "lines[2].quantity" is the third line's quantity;
 * "input" means the input as a whole.
 */
export class ValidationError extends MutationError {
  readonly code = 'VALIDATION';
  constructor(
    readonly field: string,
    /** Why, in words (also the message, prefixed with the field). */
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** The state machine does not allow `attemptedAction` from `currentStatus`. */
export class InvalidTransitionError extends MutationError {
  readonly code = 'INVALID_TRANSITION';
  constructor(
    readonly currentStatus: string,
    readonly attemptedAction: string,
    message = `cannot ${attemptedAction.toLowerCase()} a recommendation that is ${currentStatus}`,
  ) {
    super(message);
  }
}

export interface GuardrailViolationDetail {
  rule: string;
  severity: string;
  /** Numbers as decimal strings (or null when the rule had no value), never floats. */
  threshold: string | null;
  actual: string | null;
  message: string;
}

/** Guardrails (docs/domain-rules.md §3) block the change; each failing rule with its numbers. */
export class GuardrailViolationError extends MutationError {
  readonly code = 'GUARDRAIL_VIOLATION';
  constructor(
    readonly violations: GuardrailViolationDetail[],
    /** The full §3.3 result ({passed, checks, violations}) for clients that want every rule. */
    readonly result: unknown,
    message = `guardrails failed: ${violations.map((v) => v.rule).join(', ')}`,
  ) {
    super(message);
  }
}

/** A concurrent change won (serialization failure, deadlock, unique race): the call changed nothing and is safe to retry. */
export class ConflictError extends MutationError {
  readonly code = 'CONFLICT';
  constructor(
    message = 'a concurrent change won; nothing was changed, retry the call',
    /** False only when the outcome is unknown (connection lost during commit, no idempotency key). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

/**
 * Not a union member: the change WAS committed, but its payload could not be read afterwards (the
 * database connection was lost). The GraphQL layer answers it as a top-level error saying so,
 * with the result reference and how to read it again.
 */
export class CommittedResultUnavailableError extends Error {
  override name = 'CommittedResultUnavailableError';
  constructor(
    readonly operation: string,
    readonly idempotencyKey: string | null,
    /** The committed result reference (database ids of what the mutation wrote). */
    readonly result: unknown,
    override readonly cause: unknown,
  ) {
    super(
      `${operation} was committed, but its result could not be read (no database connection); ` +
        (idempotencyKey ? 'repeat the call with the same idempotencyKey to read it' : 'read the objects in extensions.result'),
    );
  }
}

/** A publish job of this type is already PENDING/RUNNING for the listing (jobs_publish_dedup_unique). */
export class DuplicateJobError extends MutationError {
  readonly code = 'DUPLICATE_JOB';
  constructor(
    readonly jobType: string,
    readonly listingId: number | null,
    /** The job that already holds the slot, when it could be read. */
    readonly existingJobId: number | null = null,
    message = `a ${jobType} job is already pending or running for this listing`,
  ) {
    super(message);
  }
}

/**
 * A BOM without lines cannot be the active version (it would cost 0.00 and make every margin look
 * perfect); it can be created as a draft (`activate: false`) and filled by a later version.
 */
export class EmptyBomError extends MutationError {
  readonly code = 'EMPTY_BOM';
  constructor(
    /** The version that would have been activated, when it exists (activateBomVersion). */
    readonly bomId: number | null = null,
    message = bomId === null
      ? 'a BOM version without lines cannot be active: give lines, or create it with activate: false'
      : 'this BOM version has no lines and cannot be activated',
  ) {
    super(message);
  }
}

/** The idempotency key was already used with a different input (or for another mutation). */
export class IdempotencyKeyReuseError extends MutationError {
  readonly code = 'IDEMPOTENCY_KEY_REUSE';
  constructor(
    readonly idempotencyKey: string,
    /** The mutation the key was first used with. */
    readonly firstOperation: string,
    message = `idempotency key ${JSON.stringify(idempotencyKey)} was already used with a different input`,
  ) {
    super(message);
  }
}
