import { type EffectiveSettings, requestSettings } from '../resolvers/settings.js';
import { builder } from './builder.js';

export const SettingRef = builder.prismaNode('Setting', {
  authScopes: { scope: 'internal:read' },
  id: { field: 'id' },
  fields: (t) => ({
    databaseId: t.exposeInt('id'),
    key: t.exposeString('key'),
    value: t.expose('value', { type: 'JSON', nullable: true }),
    description: t.exposeString('description', { nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
  }),
});

const GuardrailSettingsRef = builder.objectRef<EffectiveSettings>('GuardrailSettings').implement({
  authScopes: { scope: 'internal:read' },
  description: 'Guardrail settings and the default VAT rate; a missing or invalid row reads as its seeded default.',
  fields: (t) => ({
    minMargin: t.field({ type: 'Decimal', resolve: (s) => String(s.minMargin) }),
    maxPriceChangePctPerDay: t.field({ type: 'Decimal', resolve: (s) => String(s.maxPriceChangePctPerDay) }),
    minDaysOfCoverBeforePriceChange: t.exposeInt('minDaysOfCoverBeforePriceChange'),
    minStockThreshold: t.exposeInt('minStockThreshold'),
    allowPriceBelowBreakEven: t.exposeBoolean('allowPriceBelowBreakEven'),
    defaultVatRate: t.field({ type: 'Decimal', resolve: (s) => s.defaultVatRate.toFixed() }),
  }),
});

/** The root `settings` object carries nothing itself; its fields load what they need. */
const SettingsRef = builder.objectRef<Record<string, never>>('Settings').implement({
  authScopes: { scope: 'internal:read' },
  fields: (t) => ({
    all: t.prismaField({
      type: ['Setting'],
      description: 'Every settings row, ordered by key.',
      resolve: (query, _parent, _args, ctx) => ctx.prisma.setting.findMany({ ...query, orderBy: { key: 'asc' } }),
    }),
    guardrails: t.field({
      type: GuardrailSettingsRef,
      resolve: (_parent, _args, ctx) => requestSettings(ctx),
    }),
  }),
});

builder.queryField('settings', (t) => t.field({ type: SettingsRef, nullable: true, authScopes: { scope: 'internal:read' }, resolve: () => ({}) }));
