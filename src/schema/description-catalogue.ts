/**
 * Descriptions for what has no convenient place to write one where it is defined (Prisma enums,
 * generated connection types, model fields exposed one per line); descriptions.ts applies them
 * wherever a definition has none. Conventions: money is a Decimal string with 2 decimals, ratios
 * (margin, rates, shares) have 4; amounts are ex VAT unless the name says IncVat; times are
 * ISO 8601 UTC. "docs/domain-rules.md §n" points to a section of the domain rules in this repository.
 */

import { FEATURES } from './description-catalogue/features.js';
import { ROOTS } from './description-catalogue/roots.js';
import { LISTINGS } from './description-catalogue/listings.js';
import { ECONOMICS } from './description-catalogue/economics.js';
import { BOMS_AND_CATALOGUE } from './description-catalogue/boms-and-catalogue.js';
import { ASIN_ENTITIES } from './description-catalogue/asin-entities.js';
import { RECOMMENDATIONS } from './description-catalogue/recommendations.js';
import { JOBS } from './description-catalogue/jobs.js';
import { GUARDRAILS_PRICING_SETTINGS } from './description-catalogue/guardrails-pricing-settings.js';
import { API_KEYS } from './description-catalogue/api-keys.js';
import { MUTATION_INPUTS } from './description-catalogue/mutation-inputs.js';

// One file per area of the schema, in description-catalogue/; each key appears in one of them.
const ENTRIES: Record<string, string> = {
  ...ROOTS,
  ...LISTINGS,
  ...ECONOMICS,
  ...BOMS_AND_CATALOGUE,
  ...ASIN_ENTITIES,
  ...RECOMMENDATIONS,
  ...JOBS,
  ...GUARDRAILS_PRICING_SETTINGS,
  ...API_KEYS,
  ...MUTATION_INPUTS,
};

for (const [name, text] of Object.entries(FEATURES)) ENTRIES[`FeatureSnapshot.${name}`] ??= `${text} Null when the snapshot lacks it.`;
for (const [name, text] of Object.entries(ENTRIES)) {
  // The update and create inputs of a model share its field meanings (Update*, Create*).
  const match = /^Create(Supplier|Component|Listing)Input\.(\w+)$/.exec(name);
  if (match) ENTRIES[`Update${match[1]}Input.${match[2]}`] ??= text;
}

export const DESCRIPTION_CATALOGUE: Readonly<Record<string, string>> = ENTRIES;
