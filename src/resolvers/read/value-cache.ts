/**
 * Values the compiled path computes in JS from a row's columns with the decimal domain rules
 * (economics, BOM roll-ups): pure functions of those columns and the guardrail settings, and the
 * largest share of a dashboard page's CPU when recomputed (decimal.js). Dashboards reread the same
 * rows page after page, so results are kept here, keyed by the exact input text; a changed price,
 * cost, BOM line or setting is a different key, so nothing stale is ever served.
 */
import type { Runtime } from './fields.js';

const MAX_ENTRIES = 20_000;

const cache = new Map<string, unknown>();

export function cachedValue(raw: unknown[], rt: Runtime, field: string, compute: () => unknown): unknown {
  const key = `${field}\u0000${rt.settings ? `${rt.settings.minMargin.toString()}|${rt.settings.defaultVatRate.toString()}` : ''}\u0000${JSON.stringify(raw)}`;
  if (cache.has(key)) return cache.get(key);
  const value = compute();
  // Oldest first out: a Map iterates in insertion order.
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}
