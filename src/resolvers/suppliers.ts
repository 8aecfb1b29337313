/**
 * Suppliers: create, patch, deactivate (never delete: components and history refer to them). No
 * listing_events row: the audit table is per listing (listing_id NOT NULL) and a supplier belongs
 * to none; `updated_at` records the change.
 */
import { InvalidTransitionError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Prisma } from '../generated/prisma/client.js';
import { decodeId } from './global-id.js';
import { optionalInt, optionalMoney, optionalText, requiredText } from './core/input-checks.js';
import { runMutation, type MutationContext, type Tx } from './core/run-mutation.js';

type Ctx = MutationContext;

const CURRENCY = /^[A-Z]{3}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a supplier or component mutation stores and replays. */
export interface EntityResult {
  id: number;
}

export interface SupplierFields {
  name?: string | null;
  contactName?: string | null;
  email?: string | null;
  phone?: string | null;
  website?: string | null;
  address?: string | null;
  currencyCode?: string | null;
  leadTimeDays?: number | null;
  minimumOrderValue?: string | null;
  paymentTerms?: string | null;
  notes?: string | null;
  rating?: number | null;
}

/** Checked patch: undefined = unchanged, null = cleared (a text given as ''). */
function supplierPatch(input: SupplierFields): Prisma.SupplierUpdateInput {
  const patch: Prisma.SupplierUpdateInput = {};
  if (input.name != null) patch.name = requiredText(input.name, 'name', 255);
  const contactName = optionalText(input.contactName, 'contactName', 255);
  if (contactName !== undefined) patch.contactName = contactName;
  const email = optionalText(input.email, 'email', 255);
  if (email !== undefined) {
    if (email !== null && !EMAIL.test(email)) throw new ValidationError('email', 'is not an email address');
    patch.email = email;
  }
  const phone = optionalText(input.phone, 'phone', 50);
  if (phone !== undefined) patch.phone = phone;
  const website = optionalText(input.website, 'website', 500);
  if (website !== undefined) patch.website = website;
  const address = optionalText(input.address, 'address', 5000);
  if (address !== undefined) patch.address = address;
  if (input.currencyCode != null) {
    const code = input.currencyCode.trim().toUpperCase();
    if (!CURRENCY.test(code)) throw new ValidationError('currencyCode', 'must be a 3-letter ISO 4217 code, e.g. GBP');
    patch.currencyCode = code;
  }
  const lead = optionalInt(input.leadTimeDays, 'leadTimeDays', 0, 365);
  if (lead !== undefined) patch.leadTimeDays = lead;
  const mov = optionalMoney(input.minimumOrderValue, 'minimumOrderValue', 10);
  if (mov !== undefined) patch.minimumOrderValue = mov;
  const terms = optionalText(input.paymentTerms, 'paymentTerms', 100);
  if (terms !== undefined) patch.paymentTerms = terms;
  const notes = optionalText(input.notes, 'notes', 20_000);
  if (notes !== undefined) patch.notes = notes;
  const rating = optionalInt(input.rating, 'rating', 1, 5);
  if (rating !== undefined) patch.rating = rating;
  return patch;
}

export async function createSupplier(ctx: Ctx, input: SupplierFields & { idempotencyKey?: string | null }) {
  const name = requiredText(input.name, 'name', 255);
  const patch = supplierPatch(input);
  const run = await runMutation(ctx, { name: 'createSupplier', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    const supplier = await tx.supplier.create({
      data: { ...(patch as Prisma.SupplierCreateInput), name, createdAt: m.now, updatedAt: m.now },
    });
    return { id: supplier.id } satisfies EntityResult;
  });
  return run.resultWithReplayed;
}

async function lockSupplier(tx: Tx, id: number, shownId: string) {
  const rows = await tx.$queryRaw<Array<{ is_active: boolean | null }>>`SELECT is_active FROM suppliers WHERE id = ${id} FOR UPDATE`;
  if (rows.length === 0) throw new NotFoundError('Supplier', shownId);
  return rows[0]!;
}

export async function updateSupplier(ctx: Ctx, input: SupplierFields & { id: string; idempotencyKey?: string | null }) {
  const id = decodeId(input.id, 'Supplier', 'id');
  const patch = supplierPatch(input);
  const run = await runMutation(ctx, { name: 'updateSupplier', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    await lockSupplier(tx, id, input.id);
    await tx.supplier.update({ where: { id }, data: { ...patch, updatedAt: m.now } });
    return { id } satisfies EntityResult;
  });
  return run.resultWithReplayed;
}

export async function deactivateSupplier(ctx: Ctx, input: { id: string; idempotencyKey?: string | null }) {
  const id = decodeId(input.id, 'Supplier', 'id');
  const run = await runMutation(ctx, { name: 'deactivateSupplier', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    const row = await lockSupplier(tx, id, input.id);
    if (row.is_active === false) throw new InvalidTransitionError('inactive', 'DEACTIVATE', 'the supplier is already inactive');
    await tx.supplier.update({ where: { id }, data: { isActive: false, updatedAt: m.now } });
    return { id } satisfies EntityResult;
  });
  return run.resultWithReplayed;
}
