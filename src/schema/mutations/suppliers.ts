import { createSupplier, deactivateSupplier, updateSupplier } from '../../resolvers/suppliers.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/** Catalogue suppliers: create, edit, deactivate. */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const SupplierPayload = builder.objectRef<{ id: number; replayed: boolean }>('SupplierPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    supplier: t.prismaField({
      type: 'Supplier',
      resolve: (query, p, _args, ctx) => ctx.prisma.supplier.findUniqueOrThrow({ ...query, where: { id: p.id } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const supplierFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  contactName: t.string(),
  email: t.string(),
  phone: t.string(),
  website: t.string(),
  address: t.string(),
  currencyCode: t.string(),
  leadTimeDays: t.int(),
  minimumOrderValue: t.field({ type: 'Decimal' }),
  paymentTerms: t.string(),
  notes: t.string(),
  rating: t.int({ description: '1 to 5.' }),
  idempotencyKey: idempotencyKeyField(t),
});

const CreateSupplierInput = builder.inputType('CreateSupplierInput', {
  fields: (t) => ({ name: t.string({ required: true }), ...supplierFields(t) }),
});
const UpdateSupplierInput = builder.inputType('UpdateSupplierInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({ id: t.id({ required: true }), name: t.string(), ...supplierFields(t) }),
});
const DeactivateSupplierInput = builder.inputType('DeactivateSupplierInput', {
  fields: (t) => ({ id: t.id({ required: true }), idempotencyKey: idempotencyKeyField(t) }),
});

builder.mutationFields((t) => ({
  createSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('createSupplier', ERRORS),
    args: { input: t.arg({ type: CreateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => createSupplier(ctx, input),
  }),
  updateSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('updateSupplier', ERRORS),
    args: { input: t.arg({ type: UpdateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateSupplier(ctx, { ...input, id: String(input.id) }),
  }),
  deactivateSupplier: t.field({
    authScopes: { scope: 'catalog:write' },
    type: SupplierPayload,
    errors: mutationResult('deactivateSupplier', ERRORS),
    args: { input: t.arg({ type: DeactivateSupplierInput, required: true }) },
    resolve: (_root, { input }, ctx) => deactivateSupplier(ctx, { ...input, id: String(input.id) }),
  }),
}));
