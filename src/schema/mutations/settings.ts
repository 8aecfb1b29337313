import { updateGuardrailSettings } from '../../resolvers/settings.js';
import { AUTHENTICATED, builder } from '../builder.js';
import { InvalidTransitionError } from '../../domain/errors.js';
import { BASE_MUTATION_ERRORS, idempotencyKeyField, mutationResult } from '../mutation-contract.js';

/** The guardrail settings (and the default VAT rate) the price and stock checks read. */

const ERRORS = [...BASE_MUTATION_ERRORS, InvalidTransitionError];

const GuardrailSettingsPayload = builder
  .objectRef<{ keys: string[]; allKeys: string[]; replayed: boolean }>('UpdateGuardrailSettingsPayload')
  .implement({
    authScopes: AUTHENTICATED,
    fields: (t) => ({
      updated: t.prismaField({
        type: ['Setting'],
        description: 'The settings rows this call wrote.',
        resolve: (query, p, _args, ctx) => ctx.prisma.setting.findMany({ ...query, where: { key: { in: p.keys } }, orderBy: { key: 'asc' } }),
      }),
      settings: t.prismaField({
        type: ['Setting'],
        description: 'Every guardrail setting row and default_vat_rate after the change.',
        resolve: (query, p, _args, ctx) => ctx.prisma.setting.findMany({ ...query, where: { key: { in: p.allKeys } }, orderBy: { key: 'asc' } }),
      }),
      replayed: t.exposeBoolean('replayed'),
    }),
  });

const UpdateGuardrailSettingsInput = builder.inputType('UpdateGuardrailSettingsInput', {
  description: 'Only the given settings change.',
  fields: (t) => ({
    minMargin: t.field({ type: 'Decimal', description: 'Fraction in [0, 1), e.g. "0.15".' }),
    maxPriceChangePctPerDay: t.field({ type: 'Decimal', description: 'Fraction in (0, 1], e.g. "0.05".' }),
    minDaysOfCoverBeforePriceChange: t.int({ description: 'Whole days ≥ 0.' }),
    minStockThreshold: t.int({ description: 'Units ≥ 0.' }),
    allowPriceBelowBreakEven: t.boolean(),
    defaultVatRate: t.field({ type: 'Decimal', description: 'Fraction in [0, 1), used when a listing has no marketplace.' }),
    idempotencyKey: idempotencyKeyField(t),
  }),
});

builder.mutationFields((t) => ({
  updateGuardrailSettings: t.field({
    authScopes: { scope: 'settings:write' },
    type: GuardrailSettingsPayload,
    description: 'Validates the ranges and writes the settings rows; guardrails read them on the next call.',
    errors: mutationResult('updateGuardrailSettings', ERRORS),
    args: { input: t.arg({ type: UpdateGuardrailSettingsInput, required: true }) },
    resolve: (_root, { input }, ctx) => updateGuardrailSettings(ctx, input),
  }),
}));
