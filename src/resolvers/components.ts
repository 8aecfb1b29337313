/**
 * Components: create, patch, deactivate (never delete: BOM lines and history refer to them). No
 * listing_events row (a component belongs to no listing); `updated_at` and `price_history` record
 * the change, and a cost change queues the features of every listing whose active BOM uses it.
 */
import { InvalidTransitionError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { decodeId } from './global-id.js';
import { optionalInt, optionalMoney, optionalText, requiredText } from './core/input-checks.js';
import { enqueueFollowUpJob } from './core/job-enqueueing.js';
import { lockRows } from './core/row-locks.js';
import { runMutation, type MutationContext, type Tx } from './core/run-mutation.js';
import type { EntityResult } from './suppliers.js';

type Ctx = MutationContext;

export interface ComponentFields {
  componentSku?: string | null;
  name?: string | null;
  description?: string | null;
  category?: string | null;
  supplierId?: string | null;
  supplierSku?: string | null;
  unitCostExVat?: string | null;
  unitOfMeasure?: string | null;
  packSize?: number | null;
  weightGrams?: string | null;
  minStockLevel?: number | null;
  currentStock?: number | null;
  reorderPoint?: number | null;
}

const skuTaken = () => new ValidationError('componentSku', 'is already used by another component');

interface ComponentPatch {
  data: Prisma.ComponentUncheckedUpdateInput;
  /** Global ID as given, when the input names a supplier (null = detach). */
  supplierGlobalId?: string | null;
  supplierId?: number | null;
}

function componentPatch(input: ComponentFields): ComponentPatch {
  const data: Prisma.ComponentUncheckedUpdateInput = {};
  if (input.componentSku != null) data.componentSku = requiredText(input.componentSku, 'componentSku', 100);
  if (input.name != null) data.name = requiredText(input.name, 'name', 255);
  const description = optionalText(input.description, 'description', 20_000);
  if (description !== undefined) data.description = description;
  const category = optionalText(input.category, 'category', 100);
  if (category !== undefined) data.category = category;
  const supplierSku = optionalText(input.supplierSku, 'supplierSku', 100);
  if (supplierSku !== undefined) data.supplierSku = supplierSku;
  const cost = optionalMoney(input.unitCostExVat, 'unitCostExVat', 10);
  if (cost !== undefined) data.unitCostExVat = cost;
  const uom = optionalText(input.unitOfMeasure, 'unitOfMeasure', 50);
  if (uom !== undefined) data.unitOfMeasure = uom;
  const pack = optionalInt(input.packSize, 'packSize', 1);
  if (pack !== undefined) data.packSize = pack;
  const weight = optionalMoney(input.weightGrams, 'weightGrams', 8);
  if (weight !== undefined) data.weightGrams = weight;
  const minStock = optionalInt(input.minStockLevel, 'minStockLevel', 0);
  if (minStock !== undefined) data.minStockLevel = minStock;
  const stock = optionalInt(input.currentStock, 'currentStock', 0);
  if (stock !== undefined) data.currentStock = stock;
  const reorder = optionalInt(input.reorderPoint, 'reorderPoint', 0);
  if (reorder !== undefined) data.reorderPoint = reorder;
  const patch: ComponentPatch = { data };
  if (input.supplierId !== undefined && input.supplierId !== null) {
    // '' detaches the supplier; anything else must be a Supplier ID.
    if (input.supplierId.trim() === '') patch.supplierId = null;
    else patch.supplierId = decodeId(input.supplierId, 'Supplier', 'supplierId');
  }
  return patch;
}

async function checkSupplierExists(tx: Tx, supplierId: number | null | undefined): Promise<void> {
  if (supplierId === undefined || supplierId === null) return;
  const found = await tx.supplier.findUnique({ where: { id: supplierId }, select: { id: true } });
  if (!found) throw new ValidationError('supplierId', 'no such supplier');
}

async function checkSkuFree(tx: Tx, sku: unknown, exceptId?: number): Promise<void> {
  if (typeof sku !== 'string') return;
  const clash = await tx.component.findUnique({ where: { componentSku: sku }, select: { id: true } });
  if (clash && clash.id !== exceptId) throw skuTaken();
}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

export async function createComponent(ctx: Ctx, input: ComponentFields & { idempotencyKey?: string | null }) {
  const componentSku = requiredText(input.componentSku, 'componentSku', 100);
  const name = requiredText(input.name, 'name', 255);
  const patch = componentPatch(input);
  const cost = (patch.data.unitCostExVat as string | undefined) ?? '0.00';
  const run = await runMutation(
    ctx,
    { name: 'createComponent', idempotencyKey: input.idempotencyKey, input, constraintErrors: { components_component_sku_key: skuTaken } },
    async (tx, m) => {
      await checkSupplierExists(tx, patch.supplierId);
      await checkSkuFree(tx, componentSku);
      const component = await tx.component.create({
        data: {
          ...(patch.data as Prisma.ComponentUncheckedCreateInput),
          componentSku,
          name,
          unitCostExVat: cost,
          supplierId: patch.supplierId ?? null,
          priceHistory: [{ unit_cost_ex_vat: cost, changed_at: isoDate(m.now) }],
          createdAt: m.now,
          updatedAt: m.now,
        },
      });
      return { id: component.id } satisfies EntityResult;
    },
  );
  return run.resultWithReplayed;
}

async function lockComponent(tx: Tx, id: number, shownId: string) {
  const rows = await tx.$queryRaw<Array<{ id: number }>>`SELECT id FROM components WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) throw new NotFoundError('Component', shownId);
  return tx.component.findUniqueOrThrow({ where: { id } });
}

/**
 * Component costs are read live (§1.2), so a cost change moves the margins of every listing (and
 * ASIN scenario) whose active BOM uses the component: their features jobs are enqueued, each
 * deduplicated under its owner's lock (listings in id order, as every other writer locks them).
 */
async function enqueueFeaturesOfComponentUsers(tx: Tx, componentId: number, now: Date): Promise<void> {
  const boms = await tx.bom.findMany({
    where: { isActive: true, lines: { some: { componentId } } },
    select: { listingId: true, asinEntityId: true },
  });
  const listingIds = [...new Set(boms.map((b) => b.listingId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
  const asinIds = [...new Set(boms.map((b) => b.asinEntityId).filter((id): id is number => id !== null))].sort((a, b) => a - b);
  await lockRows(tx, 'listings', listingIds);
  await lockRows(tx, 'asin_entities', asinIds);
  for (const listingId of listingIds) await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_LISTING', listingId, priority: 3, now });
  for (const asinEntityId of asinIds) await enqueueFollowUpJob(tx, { jobType: 'COMPUTE_FEATURES_ASIN', asinEntityId, priority: 3, now });
}

/** Patch; a cost change appends `{unit_cost_ex_vat, changed_at}` to price_history (costs are read live, §1.2). */
export async function updateComponent(ctx: Ctx, input: ComponentFields & { id: string; idempotencyKey?: string | null }) {
  const id = decodeId(input.id, 'Component', 'id');
  const patch = componentPatch(input);
  const run = await runMutation(
    ctx,
    { name: 'updateComponent', idempotencyKey: input.idempotencyKey, input, constraintErrors: { components_component_sku_key: skuTaken } },
    async (tx, m) => {
      const current = await lockComponent(tx, id, input.id);
      await checkSupplierExists(tx, patch.supplierId);
      await checkSkuFree(tx, patch.data.componentSku, id);
      const data: Prisma.ComponentUncheckedUpdateInput = { ...patch.data, updatedAt: m.now };
      if (patch.supplierId !== undefined) data.supplierId = patch.supplierId;
      const newCost = patch.data.unitCostExVat as string | undefined;
      if (newCost !== undefined && newCost !== current.unitCostExVat.toFixed(2)) {
        const history = Array.isArray(current.priceHistory) ? current.priceHistory : [];
        data.priceHistory = [...(history as Prisma.InputJsonValue[]), { unit_cost_ex_vat: newCost, changed_at: isoDate(m.now) }];
      }
      await tx.component.update({ where: { id }, data });
      if (data.priceHistory !== undefined) await enqueueFeaturesOfComponentUsers(tx, id, m.now);
      return { id } satisfies EntityResult;
    },
  );
  return run.resultWithReplayed;
}

export async function deactivateComponent(ctx: Ctx, input: { id: string; idempotencyKey?: string | null }) {
  const id = decodeId(input.id, 'Component', 'id');
  const run = await runMutation(ctx, { name: 'deactivateComponent', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    const current = await lockComponent(tx, id, input.id);
    if (current.isActive === false) throw new InvalidTransitionError('inactive', 'DEACTIVATE', 'the component is already inactive');
    await tx.component.update({ where: { id }, data: { isActive: false, updatedAt: m.now } });
    return { id } satisfies EntityResult;
  });
  return run.resultWithReplayed;
}
