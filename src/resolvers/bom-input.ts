import { validateBomLines } from '../domain/bom.js';
import { ValidationError } from '../domain/errors.js';
import { decodeId } from './global-id.js';

/**
 * The BOM mutations' arguments and their checks before any transaction: the scope (exactly one of
 * a listing or an ASIN entity) and the lines (component IDs decoded, quantities and wastage checked
 * by docs/domain-rules.md §2). The mutations themselves are in bom.ts.
 */

export interface BomLineArgs {
  componentId: string;
  quantity: string;
  wastageRate?: string | null;
  notes?: string | null;
}

export interface CreateBomVersionArgs {
  listingId?: string | null;
  asinEntityId?: string | null;
  lines: BomLineArgs[];
  notes?: string | null;
  activate?: boolean | null;
  idempotencyKey?: string | null;
}

export interface ReplaceBomLinesArgs {
  bomId: string;
  lines: BomLineArgs[];
  notes?: string | null;
  idempotencyKey?: string | null;
}

export interface ActivateBomVersionArgs {
  bomId: string;
  idempotencyKey?: string | null;
}


export type Scope = { kind: 'LISTING'; listingId: number; shownId: string } | { kind: 'ASIN_SCENARIO'; asinEntityId: number; shownId: string };

export interface ParsedLine {
  componentId: number;
  quantity: string;
  wastageRate: string;
  notes: string | null;
}

// ── Input parsing (before any transaction) ─────────────────────────────────────────────────────

export function parseScope(args: Pick<CreateBomVersionArgs, 'listingId' | 'asinEntityId'>): Scope {
  const hasListing = args.listingId !== null && args.listingId !== undefined;
  const hasAsin = args.asinEntityId !== null && args.asinEntityId !== undefined;
  if (hasListing === hasAsin) {
    throw new ValidationError(hasListing ? 'asinEntityId' : 'listingId', 'give exactly one of listingId or asinEntityId');
  }
  return hasListing
    ? { kind: 'LISTING', listingId: decodeId(args.listingId!, 'Listing', 'listingId'), shownId: args.listingId! }
    : { kind: 'ASIN_SCENARIO', asinEntityId: decodeId(args.asinEntityId!, 'AsinEntity', 'asinEntityId'), shownId: args.asinEntityId! };
}

export function parseLines(lines: readonly BomLineArgs[]): ParsedLine[] {
  const componentIds = lines.map((line, index) => decodeId(line.componentId, 'Component', `lines[${index}].componentId`));
  const errors = validateBomLines(
    lines.map((line, index) => ({ componentId: componentIds[index], quantity: line.quantity, wastageRate: line.wastageRate ?? null })),
  );
  if (errors.length > 0) throw new ValidationError(errors[0]!.field, errors[0]!.message);
  return lines.map((line, index) => ({
    componentId: componentIds[index]!,
    quantity: line.quantity,
    wastageRate: line.wastageRate ?? '0',
    notes: line.notes ?? null,
  }));
}
