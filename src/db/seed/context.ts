/** What every generator of one seed call shares: the ids, the row buffers, the catalogue. */
import { Ids, T, Table, type TableName } from './bulk-insert.js';

export interface ComponentInfo {
  id: number;
  costPence: number;
  leadTimeDays: number;
  uom: string;
}

export interface Ctx {
  seed: number;
  D: number; // UTC midnight of asOf, ms
  ukId: number;
  ukVatBp: number; // vat_rate × 10,000
  otherMarketplaceIds: number[];
  components: ComponentInfo[];
  tables: Record<TableName, Table>;
  ids: Ids;
}

export function newTables(): Record<TableName, Table> {
  const out = {} as Record<TableName, Table>;
  for (const name of Object.keys(T) as TableName[]) out[name] = new Table(name, T[name]);
  return out;
}
