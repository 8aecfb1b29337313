/**
 * Roles and scopes: the one home of "who may see and do what". The schema declares, on every type,
 * field and mutation, the scope it needs (src/schema/*: `authScopes: { scope: 'costs:read' }`);
 * a key holds the scopes of its role plus any extra scopes it was granted.
 */

export const ROLES = ['dashboard', 'partner', 'script', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = {
  read: 'listings, marketplaces, offers and Buy Box, sales, features that reveal no cost, ASIN entities and snapshots, BOM structure, recommendations and their events, listing events',
  'costs:read': 'supplier and component costs, cost overrides, BOM costs, fee snapshots, economics (profit, margin, break-even) and cost features',
  'internal:read': 'suppliers, the component and supplier lists, settings, jobs',
  'listings:write': 'createListing, updateListing, archiveListing, requestListingEnrichment',
  'catalog:write': 'component and supplier mutations, upsertCostOverride',
  'bom:write': 'createBomVersion, replaceBomLines, activateBomVersion',
  'pricing:write': 'previewPriceChange, publishPriceChange, previewStockChange, publishStockChange',
  'recommendations:write': 'markRecommendationViewed, acceptRecommendation, rejectRecommendation, snoozeRecommendation',
  'recommendations:sweep': 'sweepRecommendations',
  'jobs:write': 'cancelJob, retryJob',
  'settings:write': 'updateGuardrailSettings',
  'keys:admin': 'the apiKeys list, createApiKey, revokeApiKey',
} as const;
export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];

const READ_ALL: Scope[] = ['read', 'costs:read', 'internal:read'];
const SCRIPT_WRITES: Scope[] = ['listings:write', 'catalog:write', 'bom:write', 'pricing:write', 'recommendations:write', 'recommendations:sweep', 'jobs:write'];

/** What each role holds without extra scopes. */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  dashboard: READ_ALL,
  partner: ['read'],
  script: [...READ_ALL, ...SCRIPT_WRITES],
  admin: SCOPE_NAMES,
};

/**
 * Extra scopes a partner key may be granted. Only write scopes whose mutations apply the partner
 * row limits (a foreign listing or recommendation is NotFound) are grantable, and never a read
 * scope that would reveal costs.
 */
export const PARTNER_GRANTABLE: readonly Scope[] = ['pricing:write', 'recommendations:write'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

/** The scopes a key of `role` with `extra` holds; refuses an extra scope its role may not get. */
export function scopesOf(role: Role, extra: readonly string[]): Set<Scope> {
  const scopes = new Set<Scope>(ROLE_SCOPES[role]);
  for (const scope of extra) {
    if (!isScope(scope)) throw new Error(`unknown scope "${scope}" (known: ${SCOPE_NAMES.join(', ')})`);
    if (role === 'partner' && !PARTNER_GRANTABLE.includes(scope)) {
      throw new Error(`scope "${scope}" cannot be granted to a partner key (grantable: ${PARTNER_GRANTABLE.join(', ')})`);
    }
    scopes.add(scope);
  }
  return scopes;
}
