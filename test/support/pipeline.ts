import type { TestApp } from './graphql.js';
import { ACCEPT_ERROR_FIELDS, createListing, createRecommendation } from '../mutations/fixtures.js';

export const ACCEPT = `mutation($id: ID!) { acceptRecommendation(input: { recommendationId: $id }) { ${ACCEPT_ERROR_FIELDS} ... on AcceptRecommendationPayload { job { databaseId status } } } }`;

/** A listing at 24.00 (example-A costs without BOM) with a publishable PENDING rec to 25.00 and a second PENDING rec. */
export async function acceptableListing(app: TestApp, generatedAt: Date) {
  const { listingId } = await createListing(app.db.prisma, { quantity: 30 });
  const accepted = await createRecommendation(app.db.prisma, { listingId, generatedAt });
  const other = await createRecommendation(app.db.prisma, {
    listingId,
    generatedAt,
    type: 'MARGIN_AT_RISK_COMPONENT_COST',
    payload: { action: 'REVIEW_COSTS', current_margin: '0.1000', min_margin: '0.15' },
  });
  return { listingId, accepted, other };
}

