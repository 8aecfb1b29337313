import { createComponent, deactivateComponent, updateComponent } from '../../resolvers/components.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/** Catalogue components (the parts BOM lines use): create, edit, deactivate. */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const ComponentPayload = builder.objectRef<{ id: number; replayed: boolean }>('ComponentPayload').implement({
  authScopes: AUTHENTICATED,
  fields: (t) => ({
    component: t.prismaField({
      type: 'Component',
      resolve: (query, p, _args, ctx) => ctx.prisma.component.findUniqueOrThrow({ ...query, where: { id: p.id } }),
    }),
    replayed: t.exposeBoolean('replayed'),
  }),
});

const componentFields = (t: PothosSchemaTypes.InputFieldBuilder<any, 'InputObject'>) => ({
  description: t.string(),
  category: t.string(),
  supplierId: t.id({ description: 'A Supplier ID; an empty string detaches the supplier.' }),
  supplierSku: t.string(),
  unitCostExVat: t.field({ type: 'Decimal' }),
  unitOfMeasure: t.string(),
  packSize: t.int(),
  weightGrams: t.field({ type: 'Decimal' }),
  minStockLevel: t.int(),
  currentStock: t.int(),
  reorderPoint: t.int(),
  idempotencyKey: idempotencyKeyField(t),
});

const CreateComponentInput = builder.inputType('CreateComponentInput', {
  fields: (t) => ({ componentSku: t.string({ required: true }), name: t.string({ required: true }), ...componentFields(t) }),
});
const UpdateComponentInput = builder.inputType('UpdateComponentInput', {
  description: 'Omitted or null fields stay as they are; an empty string clears a text field.',
  fields: (t) => ({ id: t.id({ required: true }), componentSku: t.string(), name: t.string(), ...componentFields(t) }),
});
const DeactivateComponentInput = builder.inputType('DeactivateComponentInput', {
  fields: (t) => ({ id: t.id({ required: true }), idempotencyKey: idempotencyKeyField(t) }),
});

builder.mutationFields((t) => ({
  createComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    errors: mutationResult('createComponent', ERRORS),
    args: { input: t.arg({ type: CreateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createComponent(ctx, { ...input, supplierId: input.supplierId == null ? input.supplierId : String(input.supplierId) }),
  }),
  updateComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    description: 'A changed unit cost is appended to price_history; every BOM using the component picks it up (costs are read live).',
    errors: mutationResult('updateComponent', ERRORS),
    args: { input: t.arg({ type: UpdateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateComponent(ctx, { ...input, id: String(input.id), supplierId: input.supplierId == null ? input.supplierId : String(input.supplierId) }),
  }),
  deactivateComponent: t.field({
    authScopes: { scope: 'catalog:write' },
    type: ComponentPayload,
    errors: mutationResult('deactivateComponent', ERRORS),
    args: { input: t.arg({ type: DeactivateComponentInput, required: true }) },
    resolve: (_root, { input }, ctx) => deactivateComponent(ctx, { ...input, id: String(input.id) }),
  }),
}));
