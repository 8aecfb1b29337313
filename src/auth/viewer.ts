import { scopesOf, type Role, type Scope } from './roles.js';

/** Who is calling: the key behind the request, with its scopes and row limits. */
export interface Viewer {
  /** The key's database id; null for a viewer injected by tests. */
  keyId: number | null;
  name: string;
  role: Role;
  scopes: ReadonlySet<Scope>;
  /** Marketplace ids the key is limited to; null = every marketplace. */
  marketplaceIds: readonly number[] | null;
}

export function makeViewer(input: { keyId?: number | null; name: string; role: Role; scopes?: readonly string[]; marketplaceIds?: readonly number[] | null }): Viewer {
  const marketplaceIds = input.marketplaceIds && input.marketplaceIds.length > 0 ? [...input.marketplaceIds] : null;
  return { keyId: input.keyId ?? null, name: input.name, role: input.role, scopes: scopesOf(input.role, input.scopes ?? []), marketplaceIds };
}

/** What audit rows record as their author (listing_events / recommendation_events / jobs.created_by). */
export function actorOf(viewer: Viewer | null | undefined): string {
  return viewer ? `key:${viewer.name}` : 'user';
}
