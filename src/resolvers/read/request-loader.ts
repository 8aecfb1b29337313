/**
 * The request cache: every loader is a DataLoader kept in the request's `cache` through `memo`
 * (src/context.ts), the one mechanism request-scoped values share. (`t.loadable` fields in
 * src/schema use Pothos's own per-request loaders; they batch the same way.)
 */
import DataLoader from 'dataloader';
import { memo, type Context } from '../../context.js';

/** One DataLoader per request and per `key` (the key carries every argument that shapes the batch). */
export function requestLoader<K, V>(ctx: Context, key: string, batch: (keys: readonly K[]) => Promise<Array<V | Error>>): DataLoader<K, V> {
  return memo(ctx, `loader:${key}`, () => new DataLoader<K, V>(batch));
}

/** Rows grouped by their parent id, in the order they came. */
export function groupByParent<T>(rows: readonly T[], parentOf: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const parent = parentOf(row);
    const list = groups.get(parent);
    if (list) list.push(row);
    else groups.set(parent, [row]);
  }
  return groups;
}
