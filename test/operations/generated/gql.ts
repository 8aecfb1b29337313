/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Dashboard($first: Int!, $after: String, $filter: ListingFilter, $orderBy: ListingOrder) {\n  listings(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        databaseId\n        sellerSku\n        title\n        status\n        marketplace {\n          name\n          vatRate\n        }\n        offer {\n          priceIncVat\n          availableQuantity\n          buyBoxStatus\n          buyBoxPercentage30d\n        }\n        activeBom {\n          id\n          version\n          costRollup {\n            bomCostExVat\n            lineCount\n          }\n          lines {\n            quantity\n            wastageRate\n            lineCostExVat\n            component {\n              componentSku\n              name\n              unitCostExVat\n              supplier {\n                name\n                leadTimeDays\n              }\n            }\n          }\n        }\n        latestFeatures {\n          computedAt\n          margin\n          unitsThirtyDays: units30d\n          stockoutRisk\n        }\n        recommendations(status: [PENDING]) {\n          id\n          recommendationType\n          confidence\n          confidenceScore\n          actionState\n          events {\n            eventType\n            createdAt\n          }\n        }\n        economics {\n          priceIncVat\n          priceExVat\n          bomCostExVat\n          totalCostExVat\n          profitExVat\n          margin\n          breakEvenPriceIncVat\n          fees {\n            totalFeeExVat\n            source\n          }\n        }\n      }\n    }\n  }\n}": typeof types.DashboardDocument,
};
const documents: Documents = {
    "query Dashboard($first: Int!, $after: String, $filter: ListingFilter, $orderBy: ListingOrder) {\n  listings(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        databaseId\n        sellerSku\n        title\n        status\n        marketplace {\n          name\n          vatRate\n        }\n        offer {\n          priceIncVat\n          availableQuantity\n          buyBoxStatus\n          buyBoxPercentage30d\n        }\n        activeBom {\n          id\n          version\n          costRollup {\n            bomCostExVat\n            lineCount\n          }\n          lines {\n            quantity\n            wastageRate\n            lineCostExVat\n            component {\n              componentSku\n              name\n              unitCostExVat\n              supplier {\n                name\n                leadTimeDays\n              }\n            }\n          }\n        }\n        latestFeatures {\n          computedAt\n          margin\n          unitsThirtyDays: units30d\n          stockoutRisk\n        }\n        recommendations(status: [PENDING]) {\n          id\n          recommendationType\n          confidence\n          confidenceScore\n          actionState\n          events {\n            eventType\n            createdAt\n          }\n        }\n        economics {\n          priceIncVat\n          priceExVat\n          bomCostExVat\n          totalCostExVat\n          profitExVat\n          margin\n          breakEvenPriceIncVat\n          fees {\n            totalFeeExVat\n            source\n          }\n        }\n      }\n    }\n  }\n}": types.DashboardDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dashboard($first: Int!, $after: String, $filter: ListingFilter, $orderBy: ListingOrder) {\n  listings(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        databaseId\n        sellerSku\n        title\n        status\n        marketplace {\n          name\n          vatRate\n        }\n        offer {\n          priceIncVat\n          availableQuantity\n          buyBoxStatus\n          buyBoxPercentage30d\n        }\n        activeBom {\n          id\n          version\n          costRollup {\n            bomCostExVat\n            lineCount\n          }\n          lines {\n            quantity\n            wastageRate\n            lineCostExVat\n            component {\n              componentSku\n              name\n              unitCostExVat\n              supplier {\n                name\n                leadTimeDays\n              }\n            }\n          }\n        }\n        latestFeatures {\n          computedAt\n          margin\n          unitsThirtyDays: units30d\n          stockoutRisk\n        }\n        recommendations(status: [PENDING]) {\n          id\n          recommendationType\n          confidence\n          confidenceScore\n          actionState\n          events {\n            eventType\n            createdAt\n          }\n        }\n        economics {\n          priceIncVat\n          priceExVat\n          bomCostExVat\n          totalCostExVat\n          profitExVat\n          margin\n          breakEvenPriceIncVat\n          fees {\n            totalFeeExVat\n            source\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query Dashboard($first: Int!, $after: String, $filter: ListingFilter, $orderBy: ListingOrder) {\n  listings(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      cursor\n      node {\n        id\n        databaseId\n        sellerSku\n        title\n        status\n        marketplace {\n          name\n          vatRate\n        }\n        offer {\n          priceIncVat\n          availableQuantity\n          buyBoxStatus\n          buyBoxPercentage30d\n        }\n        activeBom {\n          id\n          version\n          costRollup {\n            bomCostExVat\n            lineCount\n          }\n          lines {\n            quantity\n            wastageRate\n            lineCostExVat\n            component {\n              componentSku\n              name\n              unitCostExVat\n              supplier {\n                name\n                leadTimeDays\n              }\n            }\n          }\n        }\n        latestFeatures {\n          computedAt\n          margin\n          unitsThirtyDays: units30d\n          stockoutRisk\n        }\n        recommendations(status: [PENDING]) {\n          id\n          recommendationType\n          confidence\n          confidenceScore\n          actionState\n          events {\n            eventType\n            createdAt\n          }\n        }\n        economics {\n          priceIncVat\n          priceExVat\n          bomCostExVat\n          totalCostExVat\n          profitExVat\n          margin\n          breakEvenPriceIncVat\n          fees {\n            totalFeeExVat\n            source\n          }\n        }\n      }\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;