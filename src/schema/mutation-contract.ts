import { BASE_MUTATION_ERRORS } from './errors.js';

/**
 * What every mutation shares, defined once: the idempotency key input field, the base error list,
 * and the result union's name (`<MutationName>Result`, e.g. `createListing` → `CreateListingResult`),
 * so `... on Error { code message }` and per-mutation fragments read the same everywhere.
 */

type ErrorClass = abstract new (...args: never[]) => Error;

export { BASE_MUTATION_ERRORS };

/**
 * The `errors` option of a mutation field: its payload or one of `types`, in a union named
 * `<MutationName>Result`. The field itself is non-null (the builder's default), so a result
 * always arrives unless the whole call failed with a top-level error.
 */
export function mutationResult<T extends readonly ErrorClass[]>(mutationName: string, types: T) {
  return {
    types: [...types],
    directResult: true as const,
    union: {
      name: `${mutationName[0]!.toUpperCase()}${mutationName.slice(1)}Result`,
      description: `What \`${mutationName}\` returns: its payload, or one of the errors listed (each implements Error).`,
    },
  };
}

const IDEMPOTENCY_KEY =
  'Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank.';

/** The optional `idempotencyKey` input field every mutation input has. */
export function idempotencyKeyField(t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>, note?: string) {
  return t.string({ required: false, description: note ? `${IDEMPOTENCY_KEY} ${note}` : IDEMPOTENCY_KEY });
}
