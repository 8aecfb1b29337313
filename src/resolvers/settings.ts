import { DEFAULT_GUARDRAILS, GUARDRAIL_SETTING_KEYS, type GuardrailSettings, parseGuardrailSettings } from '../domain/guardrails.js';
import { Decimal } from '../domain/money.js';
import { memo, type Context } from '../context.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** `settings.key` of the VAT rate used when a listing has no marketplace (DOMAIN §0, §1.1). */
export const DEFAULT_VAT_RATE_KEY = 'default_vat_rate';
export const DEFAULT_VAT_RATE = new Decimal('0.20');

export interface EffectiveSettings extends GuardrailSettings {
  /** Fraction, e.g. 0.20. */
  defaultVatRate: Decimal;
}

/** Every key `loadGuardrailSettings` reads. */
export const SETTING_KEYS: readonly string[] = [...Object.values(GUARDRAIL_SETTING_KEYS), DEFAULT_VAT_RATE_KEY];

/** Anything with the settings delegate: the client or an interactive transaction client. */
type SettingsReader = { setting: Pick<PrismaClient['setting'], 'findMany'> };

/** jsonb number (or a numeric string a hand-edited row may hold) → a VAT rate in [0, 1), else the default. */
function parseVatRate(value: unknown): Decimal {
  if ((typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value))) {
    const rate = new Decimal(String(value).trim());
    if (rate.greaterThanOrEqualTo(0) && rate.lessThan(1)) return rate;
  }
  return DEFAULT_VAT_RATE;
}

/**
 * The guardrail settings and default VAT rate from `settings` rows in one query; a missing or
 * invalid row falls back to its seeded default (DOMAIN §0), so a bad row never disables a guardrail.
 */
export async function loadGuardrailSettings(prisma: SettingsReader): Promise<EffectiveSettings> {
  const rows = await prisma.setting.findMany({ where: { key: { in: [...SETTING_KEYS] } }, select: { key: true, value: true } });
  return settingsFromRows(rows);
}

/** The effective settings from `settings` rows of SETTING_KEYS, however they were read. */
export function settingsFromRows(rows: Array<{ key: string; value: unknown }>): EffectiveSettings {
  const vatRow = rows.find((row) => row.key === DEFAULT_VAT_RATE_KEY);
  return {
    ...parseGuardrailSettings(rows),
    defaultVatRate: vatRow ? parseVatRate(vatRow.value) : DEFAULT_VAT_RATE,
  };
}

/** The settings as this request sees them: read once, shared by every field that needs them. */
export function requestSettings(ctx: Context): Promise<EffectiveSettings> {
  return memo(ctx, 'settings:effective', () => loadGuardrailSettings(ctx.prisma));
}

export { DEFAULT_GUARDRAILS };
