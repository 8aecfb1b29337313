/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The input of the `acceptRecommendation` mutation. */
export type AcceptRecommendationInput = {
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
  /** Why, in words; stored on the audit row (at most 5,000 characters). */
  reason?: string | null | undefined;
  /** Global ID of the recommendation (its `id`, not its databaseId). */
  recommendationId: string;
};

/** The input of the `activateBomVersion` mutation. */
export type ActivateBomVersionInput = {
  /** Global ID of the bom (its `id`, not its databaseId). */
  bomId: string;
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
};

/** The input of the `bomLine` mutation. */
export type BomLineInput = {
  /** Global ID of an existing Component. */
  componentId: string;
  /** Notes of the line. */
  notes?: string | null | undefined;
  /** > 0, at most 4 decimal places. */
  quantity: string;
  /** Fraction in [0, 1); default 0. */
  wastageRate?: string | null | undefined;
};

/** Buy Box state as synced from Amazon. */
export type BuyBoxStatus =
  /** Another seller holds the Buy Box. */
  | 'LOST'
  /** Not known. */
  | 'UNKNOWN'
  /** This seller holds the Buy Box. */
  | 'WON';

/** How sure the generator is. */
export type ConfidenceBand =
  /** High confidence. */
  | 'HIGH'
  /** Low confidence. */
  | 'LOW'
  /** Medium confidence. */
  | 'MEDIUM';

/** The input of the `createBomVersion` mutation. */
export type CreateBomVersionInput = {
  /** Make the new version the active one (default true). */
  activate?: boolean | null | undefined;
  /** An AsinEntity ID (ASIN_SCENARIO scope). */
  asinEntityId?: string | null | undefined;
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
  /** The lines (at most 1,000). An empty list is allowed only with activate: false (EmptyBomError otherwise). */
  lines: Array<BomLineInput>;
  /** A Listing ID (LISTING scope). Give exactly one of listingId / asinEntityId. */
  listingId?: string | null | undefined;
  /** Free-text notes. */
  notes?: string | null | undefined;
};

/** The machine-readable code of a typed mutation error: one value per error type, stable across releases. */
export type ErrorCode =
  /** ConflictError: a concurrent change won; see `retryable`. */
  | 'CONFLICT'
  /** DuplicateJobError: a publish job of this kind is already pending or running for the listing. */
  | 'DUPLICATE_JOB'
  /** EmptyBomError: a BOM version without lines cannot be the active version. */
  | 'EMPTY_BOM'
  /** GuardrailViolationError: a BLOCK guardrail failed (docs/domain-rules.md §3); nothing was written. */
  | 'GUARDRAIL_VIOLATION'
  /** IdempotencyKeyReuseError: the idempotency key was already used with another input or mutation. */
  | 'IDEMPOTENCY_KEY_REUSE'
  /** InvalidTransitionError: the state machine does not allow this action from the current status. */
  | 'INVALID_TRANSITION'
  /** NotFoundError: a row named by the input does not exist or is not visible to this key. */
  | 'NOT_FOUND'
  /** ValidationError: an input value is invalid; `field` says which. */
  | 'VALIDATION';

/** Queue state of a job. */
export type JobStatus =
  /** Cancelled before it ran. */
  | 'CANCELLED'
  /** Gave up after its attempts (retryJob runs it again). */
  | 'FAILED'
  /** Waiting to be claimed. */
  | 'PENDING'
  /** Claimed by a worker. */
  | 'RUNNING'
  /** Done. */
  | 'SUCCEEDED';

/** What a job does. */
export type JobType =
  /** Compute the features of an ASIN entity. */
  | 'COMPUTE_FEATURES_ASIN'
  /** Compute the features of a listing. */
  | 'COMPUTE_FEATURES_LISTING'
  /** Generate recommendations for an ASIN entity. */
  | 'GENERATE_RECOMMENDATIONS_ASIN'
  /** Generate recommendations for a listing. */
  | 'GENERATE_RECOMMENDATIONS_LISTING'
  /** Send a new price to Amazon. */
  | 'PUBLISH_PRICE_CHANGE'
  /** Send a new quantity to Amazon. */
  | 'PUBLISH_STOCK_CHANGE'
  /** Sync catalog data of an ASIN. */
  | 'SYNC_AMAZON_CATALOG'
  /** Sync the offer and Buy Box of a listing. */
  | 'SYNC_AMAZON_OFFER'
  /** Sync daily sales. */
  | 'SYNC_AMAZON_SALES'
  /** Sync Keepa history of an ASIN. */
  | 'SYNC_KEEPA_ASIN';

/** Lifecycle of a listing (listings.status). Stored values map exactly; any other stored text is OTHER (see statusRaw). */
export type ListingStatus =
  /** Stored "active": on sale; the default for a new listing. */
  | 'ACTIVE'
  /** Stored "archived": retired by archiveListing; no publishes or recommendations. */
  | 'ARCHIVED'
  /** Stored "inactive": kept but not on sale. */
  | 'INACTIVE'
  /** A legacy value outside the three above, kept as stored; read it from statusRaw. Not accepted as input. */
  | 'OTHER';

/** The input of the `previewPriceChange` mutation. */
export type PreviewPriceChangeInput = {
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. A preview writes nothing, so here the key is accepted for uniformity and has no effect. */
  idempotencyKey?: string | null | undefined;
  /** Global ID of the listing (its `id`, not its databaseId). */
  listingId: string;
  /** New price inc VAT (Decimal string, 2 decimals, > 0). */
  priceIncVat: string;
};

/** The input of the `publishPriceChange` mutation. */
export type PublishPriceChangeInput = {
  /** Ties the job and its events together; generated when omitted (max 100 characters). */
  correlationId?: string | null | undefined;
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
  /** Global ID of the listing (its `id`, not its databaseId). */
  listingId: string;
  /** New price inc VAT (Decimal string, 2 decimals, > 0). */
  priceIncVat: string;
  /** Why, in words; stored on the audit row (at most 5,000 characters). */
  reason?: string | null | undefined;
};

/** Lifecycle status (docs/domain-rules.md §5). */
export type RecommendationStatus =
  /** Accepted. */
  | 'ACCEPTED'
  /** Passed expiresAt while pending. */
  | 'EXPIRED'
  /** Awaiting a decision. */
  | 'PENDING'
  /** Rejected. */
  | 'REJECTED'
  /** Postponed until snoozedUntil. */
  | 'SNOOZED'
  /** Replaced by a newer recommendation. */
  | 'SUPERSEDED';

/** What a recommendation proposes (docs/domain-rules.md §5). */
export type RecommendationType =
  /** The Buy Box share dropped unusually. */
  | 'ANOMALY_BUY_BOX_LOSS'
  /** Conversion dropped unusually. */
  | 'ANOMALY_CONVERSION_DROP'
  /** Sales dropped unusually. */
  | 'ANOMALY_SALES_DROP'
  /** A component cost rise threatens the margin. */
  | 'MARGIN_AT_RISK_COMPONENT_COST'
  /** An ASIN entity is worth listing. */
  | 'OPPORTUNITY_CREATE_LISTING'
  /** Lower the price to win the Buy Box back. */
  | 'PRICE_DECREASE_REGAIN_BUYBOX'
  /** Raise the price: margin can improve. */
  | 'PRICE_INCREASE_MARGIN_OPPORTUNITY'
  /** Reduce stock: too much cover. */
  | 'STOCK_DECREASE_OVERSTOCK'
  /** Add stock: a stock-out is near. */
  | 'STOCK_INCREASE_STOCKOUT_RISK';

/** The input of the `rejectRecommendation` mutation. */
export type RejectRecommendationInput = {
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
  /** Why (required, not blank). */
  reason: string;
  /** Global ID of the recommendation (its `id`, not its databaseId). */
  recommendationId: string;
};

/** The input of the `snoozeRecommendation` mutation. */
export type SnoozeRecommendationInput = {
  /** Retry safety: a retry with the same key and the same input returns the first result (`replayed: true`) instead of applying the change again; the same key with another input is refused (IdempotencyKeyReuseError). At most 200 characters, not blank. */
  idempotencyKey?: string | null | undefined;
  /** Global ID of the recommendation (its `id`, not its databaseId). */
  recommendationId: string;
  /** now < until ≤ now + 365 days. */
  until: string;
};

export type CreateBomVersionMutationVariables = Exact<{
  input: CreateBomVersionInput;
}>;


export type CreateBomVersionMutation = { createBomVersion:
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'CreateBomVersionPayload', replayed: boolean, bom: { id: string, version: number, isActive: boolean, costRollup: { bomCostExVat: string } | null } }
    | { __typename: 'EmptyBomError', code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export type ActivateBomVersionMutationVariables = Exact<{
  input: ActivateBomVersionInput;
}>;


export type ActivateBomVersionMutation = { activateBomVersion:
    | { __typename: 'ActivateBomVersionPayload', replayed: boolean, changed: boolean, bom: { id: string, version: number, isActive: boolean } }
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'EmptyBomError', code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

type ErrorFields_ConflictError_Fragment = { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string };

type ErrorFields_DuplicateJobError_Fragment = { __typename: 'DuplicateJobError', code: ErrorCode, message: string };

type ErrorFields_EmptyBomError_Fragment = { __typename: 'EmptyBomError', code: ErrorCode, message: string };

type ErrorFields_GuardrailViolationError_Fragment = { __typename: 'GuardrailViolationError', code: ErrorCode, message: string, violations: Array<{ rule: string, threshold: string | null, actual: string | null, message: string | null }> };

type ErrorFields_IdempotencyKeyReuseError_Fragment = { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string };

type ErrorFields_InvalidTransitionError_Fragment = { __typename: 'InvalidTransitionError', code: ErrorCode, message: string };

type ErrorFields_NotFoundError_Fragment = { __typename: 'NotFoundError', code: ErrorCode, message: string };

type ErrorFields_ValidationError_Fragment = { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string };

export type ErrorFieldsFragment =
  | ErrorFields_ConflictError_Fragment
  | ErrorFields_DuplicateJobError_Fragment
  | ErrorFields_EmptyBomError_Fragment
  | ErrorFields_GuardrailViolationError_Fragment
  | ErrorFields_IdempotencyKeyReuseError_Fragment
  | ErrorFields_InvalidTransitionError_Fragment
  | ErrorFields_NotFoundError_Fragment
  | ErrorFields_ValidationError_Fragment
;

export type ListingBySkuQueryVariables = Exact<{
  sellerSku: string;
  marketplaceId?: string | null | undefined;
}>;


export type ListingBySkuQuery = { listing: { id: string, databaseId: number, sellerSku: string, title: string | null, status: ListingStatus | null, offer: { priceIncVat: string | null, buyBoxStatus: BuyBoxStatus | null } | null, activeBom: { id: string, version: number, costRollup: { bomCostExVat: string } | null } | null, economics: { priceIncVat: string | null, profitExVat: string | null, margin: string | null, breakEvenPriceIncVat: string | null } | null, recommendations: Array<{ id: string, recommendationType: RecommendationType, confidence: ConfidenceBand }> } | null };

export type PreviewPriceChangeMutationVariables = Exact<{
  input: PreviewPriceChangeInput;
}>;


export type PreviewPriceChangeMutation = { previewPriceChange:
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'PriceChangePreview', passed: boolean, currentPriceIncVat: string | null, newPriceIncVat: string, economicsAfter: { profitExVat: string | null, margin: string | null }, violations: Array<{ rule: string, threshold: string | null, actual: string | null, message: string | null }> }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export type PublishPriceChangeMutationVariables = Exact<{
  input: PublishPriceChangeInput;
}>;


export type PublishPriceChangeMutation = { publishPriceChange:
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'DuplicateJobError', code: ErrorCode, message: string }
    | { __typename: 'GuardrailViolationError', code: ErrorCode, message: string, violations: Array<{ rule: string, threshold: string | null, actual: string | null, message: string | null }> }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'InvalidTransitionError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'PublishPriceChangePayload', replayed: boolean, correlationId: string, job: { id: string, status: JobStatus } }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export type AcceptRecommendationMutationVariables = Exact<{
  input: AcceptRecommendationInput;
}>;


export type AcceptRecommendationMutation = { acceptRecommendation:
    | { __typename: 'AcceptRecommendationPayload', replayed: boolean, recommendation: { id: string, status: RecommendationStatus }, job: { id: string, jobType: JobType, status: JobStatus } | null }
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'DuplicateJobError', code: ErrorCode, message: string }
    | { __typename: 'GuardrailViolationError', code: ErrorCode, message: string, violations: Array<{ rule: string, threshold: string | null, actual: string | null, message: string | null }> }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'InvalidTransitionError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export type RejectRecommendationMutationVariables = Exact<{
  input: RejectRecommendationInput;
}>;


export type RejectRecommendationMutation = { rejectRecommendation:
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'InvalidTransitionError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'RejectRecommendationPayload', replayed: boolean, recommendation: { id: string, status: RecommendationStatus } }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export type SnoozeRecommendationMutationVariables = Exact<{
  input: SnoozeRecommendationInput;
}>;


export type SnoozeRecommendationMutation = { snoozeRecommendation:
    | { __typename: 'ConflictError', retryable: boolean, code: ErrorCode, message: string }
    | { __typename: 'IdempotencyKeyReuseError', code: ErrorCode, message: string }
    | { __typename: 'InvalidTransitionError', code: ErrorCode, message: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'SnoozeRecommendationPayload', replayed: boolean, recommendation: { id: string, status: RecommendationStatus, snoozedUntil: string | null } }
    | { __typename: 'ValidationError', field: string, reason: string, code: ErrorCode, message: string }
   };

export const ErrorFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<ErrorFieldsFragment, unknown>;
export const CreateBomVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateBomVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateBomVersionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createBomVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CreateBomVersionPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"bom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}},{"kind":"Field","name":{"kind":"Name","value":"costRollup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}}]}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<CreateBomVersionMutation, CreateBomVersionMutationVariables>;
export const ActivateBomVersionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ActivateBomVersion"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivateBomVersionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activateBomVersion"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ActivateBomVersionPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"changed"}},{"kind":"Field","name":{"kind":"Name","value":"bom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"isActive"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<ActivateBomVersionMutation, ActivateBomVersionMutationVariables>;
export const ListingBySkuDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListingBySku"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sellerSku"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"marketplaceId"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"listing"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"sellerSku"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sellerSku"}}},{"kind":"Argument","name":{"kind":"Name","value":"marketplaceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"marketplaceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"databaseId"}},{"kind":"Field","name":{"kind":"Name","value":"sellerSku"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"offer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"buyBoxStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activeBom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"costRollup"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"bomCostExVat"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"economics"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"priceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"profitExVat"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}},{"kind":"Field","name":{"kind":"Name","value":"breakEvenPriceIncVat"}}]}},{"kind":"Field","name":{"kind":"Name","value":"recommendations"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"PENDING"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"recommendationType"}},{"kind":"Field","name":{"kind":"Name","value":"confidence"}}]}}]}}]}}]} as unknown as DocumentNode<ListingBySkuQuery, ListingBySkuQueryVariables>;
export const PreviewPriceChangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PreviewPriceChange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PreviewPriceChangeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewPriceChange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PriceChangePreview"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"passed"}},{"kind":"Field","name":{"kind":"Name","value":"currentPriceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"newPriceIncVat"}},{"kind":"Field","name":{"kind":"Name","value":"economicsAfter"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"profitExVat"}},{"kind":"Field","name":{"kind":"Name","value":"margin"}}]}},{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<PreviewPriceChangeMutation, PreviewPriceChangeMutationVariables>;
export const PublishPriceChangeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PublishPriceChange"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PublishPriceChangeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"publishPriceChange"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PublishPriceChangePayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"correlationId"}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<PublishPriceChangeMutation, PublishPriceChangeMutationVariables>;
export const AcceptRecommendationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AcceptRecommendation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AcceptRecommendationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"acceptRecommendation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AcceptRecommendationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"recommendation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"job"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"jobType"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<AcceptRecommendationMutation, AcceptRecommendationMutationVariables>;
export const RejectRecommendationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RejectRecommendation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RejectRecommendationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rejectRecommendation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RejectRecommendationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"recommendation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<RejectRecommendationMutation, RejectRecommendationMutationVariables>;
export const SnoozeRecommendationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SnoozeRecommendation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SnoozeRecommendationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"snoozeRecommendation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SnoozeRecommendationPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replayed"}},{"kind":"Field","name":{"kind":"Name","value":"recommendation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"snoozedUntil"}}]}}]}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ErrorFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ErrorFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"GuardrailViolationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"violations"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rule"}},{"kind":"Field","name":{"kind":"Name","value":"threshold"}},{"kind":"Field","name":{"kind":"Name","value":"actual"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConflictError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"retryable"}}]}}]}}]} as unknown as DocumentNode<SnoozeRecommendationMutation, SnoozeRecommendationMutationVariables>;