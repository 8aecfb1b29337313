import { encodeGlobalID } from '@pothos/plugin-relay';
import {
  ConflictError,
  DuplicateJobError,
  EmptyBomError,
  GuardrailViolationError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
  type ErrorCode,
  type GuardrailViolationDetail,
  type MutationError,
} from '../domain/errors.js';
import { AUTHENTICATED, builder } from './builder.js';

/**
 * Typed mutation errors (plugin-errors). Every error type implements the `Error` interface, so a
 * client can always ask `... on Error { code message }` and add fragments for the details it needs.
 * Mutations name their errors through `mutationResult()` (mutation-contract.ts).
 */

const ERROR_CODE_VALUES: Record<ErrorCode, { description: string }> = {
  NOT_FOUND: { description: 'NotFoundError: a row named by the input does not exist or is not visible to this key.' },
  VALIDATION: { description: 'ValidationError: an input value is invalid; `field` says which.' },
  INVALID_TRANSITION: { description: 'InvalidTransitionError: the state machine does not allow this action from the current status.' },
  GUARDRAIL_VIOLATION: { description: 'GuardrailViolationError: a BLOCK guardrail failed (docs/domain-rules.md §3); nothing was written.' },
  CONFLICT: { description: 'ConflictError: a concurrent change won; see `retryable`.' },
  DUPLICATE_JOB: { description: 'DuplicateJobError: a publish job of this kind is already pending or running for the listing.' },
  IDEMPOTENCY_KEY_REUSE: { description: 'IdempotencyKeyReuseError: the idempotency key was already used with another input or mutation.' },
  EMPTY_BOM: { description: 'EmptyBomError: a BOM version without lines cannot be the active version.' },
};

export const ErrorCodeEnum = builder.enumType('ErrorCode', {
  description: 'The machine-readable code of a typed mutation error: one value per error type, stable across releases.',
  values: ERROR_CODE_VALUES,
});

export const ErrorInterface = builder.interfaceRef<MutationError>('Error').implement({
  authScopes: AUTHENTICATED,
  description:
    'An expected failure of a mutation: the requested change was not made. (One exception is recorded, not hidden: an action on a recommendation past its expiry first records the expiry, then answers InvalidTransitionError with currentStatus EXPIRED.)',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, in English, for people; match on `code`, not on this text.' }),
    code: t.field({ type: ErrorCodeEnum, description: 'Which error this is (one value per error type).', resolve: (error) => error.code }),
  }),
});

/** A nullable global ID field made from a database id the error carries (null stays null). */
function globalIdOf<E>(
  t: PothosSchemaTypes.ObjectFieldBuilder<typeof builder.$inferSchemaTypes, E>,
  typename: string,
  databaseId: (error: E) => number | null,
  description: string,
) {
  return t.id({
    nullable: true,
    description,
    resolve: (error) => {
      const id = databaseId(error);
      return id === null ? null : encodeGlobalID(typename, id);
    },
  });
}

builder.objectType(NotFoundError, {
  authScopes: AUTHENTICATED,
  name: 'NotFoundError',
  description: 'A row named by the input does not exist, or belongs to a marketplace this key may not see.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entityType: t.exposeString('entityType', { description: 'GraphQL type of what was looked up, e.g. "Bom".' }),
    id: t.exposeString('id', { description: 'The ID exactly as the input gave it (a global ID; a name for API keys).' }),
  }),
});

builder.objectType(ValidationError, {
  authScopes: AUTHENTICATED,
  name: 'ValidationError',
  description: 'An input value is invalid; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', {
      description:
        'Path of the offending value inside the mutation\'s `input`: field names joined by ".", list positions 0-based in brackets, e.g. "lines[0].quantity" (the first line\'s quantity). "input" means the input as a whole.',
    }),
    reason: t.exposeString('reason', { description: 'Why the value was refused, e.g. "must be greater than 0".' }),
  }),
});

builder.objectType(InvalidTransitionError, {
  authScopes: AUTHENTICATED,
  name: 'InvalidTransitionError',
  description: 'The state machine (docs/domain-rules.md §5.4 recommendations, §6.1 jobs) does not allow this action from the current status.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentStatus: t.exposeString('currentStatus', { description: 'The status the row has now, e.g. "ACCEPTED".' }),
    attemptedAction: t.exposeString('attemptedAction', { description: 'The refused action, e.g. "REJECT".' }),
  }),
});

const GuardrailViolationRef = builder.objectRef<GuardrailViolationDetail>('GuardrailViolation').implement({
  authScopes: AUTHENTICATED,
  description: 'One failed guardrail rule (docs/domain-rules.md §3.3).',
  fields: (t) => ({
    rule: t.exposeString('rule', { description: 'Rule name, e.g. "min_margin".' }),
    severity: t.exposeString('severity', { description: 'BLOCK (refuses the change) or WARN (reported only).' }),
    threshold: t.expose('threshold', {
      type: 'Decimal',
      nullable: true,
      authScopes: { scope: 'costs:read' },
      description: 'The limit the rule applies (a ratio at 4 dp, money at 2 dp, or days); null when the rule has none.',
    }),
    actual: t.expose('actual', {
      type: 'Decimal',
      nullable: true,
      authScopes: { scope: 'costs:read' },
      description: 'The value measured, in the threshold\'s unit; null when its input was missing.',
    }),
    message: t.exposeString('message', { nullable: true, authScopes: { scope: 'costs:read' }, description: 'The rule\'s explanation (reveals costs).' }),
  }),
});

builder.objectType(GuardrailViolationError, {
  authScopes: AUTHENTICATED,
  name: 'GuardrailViolationError',
  description: 'A BLOCK guardrail failed (docs/domain-rules.md §3); nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    violations: t.field({ type: [GuardrailViolationRef], description: 'Every failed rule, BLOCK and WARN.', resolve: (error) => error.violations }),
    result: t.field({
      type: 'JSON',
      nullable: true,
      authScopes: { scope: 'costs:read' },
      description: 'The full guardrail result: {passed, checks, violations}.',
      resolve: (error) => error.result,
    }),
  }),
});

builder.objectType(ConflictError, {
  authScopes: AUTHENTICATED,
  name: 'ConflictError',
  description: 'A concurrent change won (serialization failure, deadlock, unique race) or the database was unavailable.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryable: t.exposeBoolean('retryable', {
      description: 'True: nothing was changed, retry. False: the outcome is unknown (connection lost during commit, no idempotency key).',
    }),
  }),
});

builder.objectType(DuplicateJobError, {
  authScopes: AUTHENTICATED,
  name: 'DuplicateJobError',
  description: 'A publish job of this kind is already PENDING or RUNNING for the listing (one at a time).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    jobType: t.exposeString('jobType', { description: 'The job type, e.g. "PUBLISH_PRICE_CHANGE".' }),
    listingId: globalIdOf(t, 'Listing', (error) => error.listingId, 'Global ID of the listing; null when the database reported the race without naming it.'),
    listingDatabaseId: t.exposeInt('listingId', { nullable: true, description: 'databaseId of the listing (same row as listingId).' }),
    existingJobId: globalIdOf(t, 'Job', (error) => error.existingJobId, 'Global ID of the job that holds the slot; null when it could not be read.'),
    existingJobDatabaseId: t.exposeInt('existingJobId', { nullable: true, description: 'databaseId of that job (same row as existingJobId).' }),
  }),
});

builder.objectType(EmptyBomError, {
  authScopes: AUTHENTICATED,
  name: 'EmptyBomError',
  description:
    'A BOM version without lines cannot be the active version (it would cost 0.00). Create it with `activate: false` as a draft, or give lines.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    bomId: globalIdOf(t, 'Bom', (error) => error.bomId, 'Global ID of the empty version activateBomVersion was asked to activate; null when no version was created.'),
    bomDatabaseId: t.exposeInt('bomId', { nullable: true, description: 'databaseId of that version (same row as bomId).' }),
  }),
});

builder.objectType(IdempotencyKeyReuseError, {
  authScopes: AUTHENTICATED,
  name: 'IdempotencyKeyReuseError',
  description: 'The idempotency key was already used with a different input, or for another mutation; nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    idempotencyKey: t.exposeString('idempotencyKey', { description: 'The key as given.' }),
    firstOperation: t.exposeString('firstOperation', { description: 'The mutation the key was first used with, e.g. "createBomVersion".' }),
  }),
});

/** The errors every transactional mutation can return (runMutation produces them). */
export const BASE_MUTATION_ERRORS = [NotFoundError, ValidationError, ConflictError, IdempotencyKeyReuseError] as const;
