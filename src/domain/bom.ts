import { type DecimalLike, toDecimal } from './money.js';

/** BOM line rules (docs/domain-rules.md §2). */

export interface BomLineDraft {
  /** Existing component; either this or `componentSku` identifies the component. */
  componentId?: number | string | null;
  componentSku?: string | null;
  quantity: DecimalLike | null | undefined;
  /** Defaults to 0. */
  wastageRate?: DecimalLike | null;
}

export interface BomFieldError {
  /** Path of the offending input, e.g. `lines[2].quantity`. */
  field: string;
  message: string;
}

/** bom_lines.quantity is numeric(10,4). */
const MAX_QUANTITY = 1_000_000;

function parse(value: DecimalLike | null | undefined): ReturnType<typeof toDecimal> | 'invalid' {
  try {
    return toDecimal(value);
  } catch {
    return 'invalid';
  }
}

function componentKey(line: BomLineDraft): string | null {
  if (line.componentId !== null && line.componentId !== undefined && String(line.componentId).trim() !== '') {
    return `id:${String(line.componentId).trim()}`;
  }
  if (line.componentSku) return `sku:${line.componentSku.trim().toLowerCase()}`;
  return null;
}

/**
 * Validation errors for the full line set of a new BOM version. An empty list is valid (cost 0).
 * A component repeated in one payload would violate `bom_lines_unique`, so it is reported here
 * instead of surfacing as a constraint error.
 */
export function validateBomLines(lines: readonly BomLineDraft[], fieldPrefix = 'lines'): BomFieldError[] {
  const errors: BomFieldError[] = [];
  const firstIndexByComponent = new Map<string, number>();
  lines.forEach((line, index) => {
    const at = `${fieldPrefix}[${index}]`;
    const key = componentKey(line);
    if (key === null) {
      errors.push({ field: `${at}.componentId`, message: 'a component id or SKU is required' });
    } else if (firstIndexByComponent.has(key)) {
      errors.push({ field: `${at}.componentId`, message: `duplicate component (also on line ${firstIndexByComponent.get(key)})` });
    } else {
      firstIndexByComponent.set(key, index);
    }

    const quantity = parse(line.quantity);
    if (quantity === null || quantity === 'invalid' || !quantity.greaterThan(0)) {
      errors.push({ field: `${at}.quantity`, message: 'quantity must be a number greater than 0' });
    } else if (quantity.decimalPlaces() > 4 || quantity.greaterThanOrEqualTo(MAX_QUANTITY)) {
      // numeric(10,4): PostgreSQL would silently round extra digits or fail on overflow.
      errors.push({ field: `${at}.quantity`, message: 'quantity must be below 1000000 with at most 4 decimal places' });
    }

    const wastage = parse(line.wastageRate);
    if (wastage === 'invalid' || (wastage !== null && (wastage.lessThan(0) || wastage.greaterThanOrEqualTo(1)))) {
      errors.push({ field: `${at}.wastageRate`, message: 'wastage rate must be in [0, 1)' });
    } else if (wastage !== null && wastage.decimalPlaces() > 4) {
      errors.push({ field: `${at}.wastageRate`, message: 'wastage rate must have at most 4 decimal places' });
    }
  });
  return errors;
}

/** Versions count from 1 per listing / per ASIN entity: MAX(version) + 1. */
export function nextVersion(maxVersion: number | null | undefined): number {
  return (maxVersion ?? 0) + 1;
}
