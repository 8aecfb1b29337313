import {
  ConflictError,
  DuplicateJobError,
  GuardrailViolationError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
  type GuardrailViolationDetail,
  type MutationError,
} from '../domain/errors.js';
import { AUTHENTICATED, builder } from './builder.js';

/**
 * Typed mutation errors (plugin-errors). Every error type implements the `Error` interface, so a
 * client can always ask `... on Error { message code }` and add fragments for the details it needs.
 * A mutation field lists what it can return:
 *
 *   builder.mutationField('x', (t) => t.field({ type: XPayload, errors: { types: MUTATION_ERROR_TYPES, directResult: true }, ... }))
 */
export const ErrorInterface = builder.interfaceRef<MutationError>('Error').implement({
  authScopes: AUTHENTICATED,
  description:
    'An expected failure of a mutation: the requested change was not made. (One exception is recorded, not hidden: an action on a recommendation past its expiry first records the expiry, then answers InvalidTransitionError with currentStatus EXPIRED.)',
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code', { description: 'Stable machine-readable code, e.g. NOT_FOUND, CONFLICT.' }),
  }),
});

builder.objectType(NotFoundError, {
  authScopes: AUTHENTICATED,
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    entityType: t.exposeString('entityType'),
    id: t.exposeString('id'),
  }),
});

builder.objectType(ValidationError, {
  authScopes: AUTHENTICATED,
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    field: t.exposeString('field', { description: 'Path of the offending input field, e.g. "lines.1.quantity".' }),
    reason: t.exposeString('reason'),
  }),
});

builder.objectType(InvalidTransitionError, {
  authScopes: AUTHENTICATED,
  name: 'InvalidTransitionError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    currentStatus: t.exposeString('currentStatus'),
    attemptedAction: t.exposeString('attemptedAction'),
  }),
});

const GuardrailViolationRef = builder.objectRef<GuardrailViolationDetail>('GuardrailViolation').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    rule: t.exposeString('rule'),
    severity: t.exposeString('severity'),
    threshold: t.expose('threshold', { type: 'Decimal', nullable: true, authScopes: { scope: 'costs:read' } }),
    actual: t.expose('actual', { type: 'Decimal', nullable: true, authScopes: { scope: 'costs:read' } }),
    message: t.exposeString('message', { authScopes: { scope: 'costs:read' } }),
  }),
});

builder.objectType(GuardrailViolationError, {
  authScopes: AUTHENTICATED,
  name: 'GuardrailViolationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    violations: t.field({ type: [GuardrailViolationRef], resolve: (error) => error.violations }),
    result: t.field({ type: 'JSON', authScopes: { scope: 'costs:read' }, description: 'The full guardrail result: {passed, checks, violations}.', resolve: (error) => error.result }),
  }),
});

builder.objectType(ConflictError, {
  authScopes: AUTHENTICATED,
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    retryable: t.exposeBoolean('retryable'),
  }),
});

builder.objectType(DuplicateJobError, {
  authScopes: AUTHENTICATED,
  name: 'DuplicateJobError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    jobType: t.exposeString('jobType'),
    listingDatabaseId: t.exposeInt('listingId', { nullable: true }),
    existingJobDatabaseId: t.exposeInt('existingJobId', { nullable: true }),
  }),
});

builder.objectType(IdempotencyKeyReuseError, {
  authScopes: AUTHENTICATED,
  name: 'IdempotencyKeyReuseError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    idempotencyKey: t.exposeString('idempotencyKey'),
    firstOperation: t.exposeString('firstOperation'),
  }),
});

/** The errors every transactional mutation can return (runMutation produces them). */
export const BASE_MUTATION_ERRORS = [NotFoundError, ValidationError, ConflictError, IdempotencyKeyReuseError] as const;

export {
  ConflictError,
  DuplicateJobError,
  GuardrailViolationError,
  IdempotencyKeyReuseError,
  InvalidTransitionError,
  NotFoundError,
  ValidationError,
};
