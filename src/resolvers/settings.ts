/**
 * Settings: the guardrail thresholds and default VAT rate every price check reads (once per
 * request), and the admin mutation that changes them.
 */
import { memo, type Context } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import {
  DEFAULT_GUARDRAILS,
  GUARDRAIL_SETTING_KEYS,
  guardrailSettingsToRows,
  parseGuardrailSettings,
  validateGuardrailSettings,
  type GuardrailSettings,
} from '../domain/guardrails.js';
import { Decimal } from '../domain/money.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { runMutation, type MutationContext } from './core/run-mutation.js';

/** `settings.key` of the VAT rate used when a listing has no marketplace (docs/domain-rules.md §0, §1.1). */
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
 * invalid row falls back to its seeded default (docs/domain-rules.md §0), so a bad row never disables a guardrail.
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

// ── Changing them ────────────────────────────────────────────────────────────────────────────────

export interface UpdateGuardrailSettingsInput {
  minMargin?: string | null;
  maxPriceChangePctPerDay?: string | null;
  minDaysOfCoverBeforePriceChange?: number | null;
  minStockThreshold?: number | null;
  allowPriceBelowBreakEven?: boolean | null;
  defaultVatRate?: string | null;
  idempotencyKey?: string | null;
}

const SETTING_DESCRIPTIONS: Record<string, string> = {
  'guardrails.min_margin': 'Minimum acceptable profit margin (0.15 = 15%)',
  'guardrails.max_price_change_pct_per_day': 'Maximum price change per day (0.05 = 5%)',
  'guardrails.min_days_of_cover_before_price_change': 'Min stock days before allowing price cut',
  'guardrails.min_stock_threshold': 'Minimum stock level before alerts',
  'guardrails.allow_price_below_break_even': 'Allow prices below break-even (dangerous)',
  default_vat_rate: 'Default VAT rate (0.20 = 20%)',
};

function ratioInput(value: string | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  return Number(value);
}

/** Validated ranges (guardrails.validateGuardrailSettings); writes one settings row per given field. */
export async function updateGuardrailSettings(ctx: MutationContext, input: UpdateGuardrailSettingsInput) {
  const partial: Partial<GuardrailSettings> = {};
  const minMargin = ratioInput(input.minMargin);
  if (minMargin !== undefined) partial.minMargin = minMargin;
  const maxChange = ratioInput(input.maxPriceChangePctPerDay);
  if (maxChange !== undefined) partial.maxPriceChangePctPerDay = maxChange;
  if (input.minDaysOfCoverBeforePriceChange != null) partial.minDaysOfCoverBeforePriceChange = input.minDaysOfCoverBeforePriceChange;
  if (input.minStockThreshold != null) partial.minStockThreshold = input.minStockThreshold;
  if (input.allowPriceBelowBreakEven != null) partial.allowPriceBelowBreakEven = input.allowPriceBelowBreakEven;
  const [error] = validateGuardrailSettings(partial);
  if (error) throw new ValidationError(error.field, error.message);
  const rows: Array<{ key: string; value: number | boolean }> = guardrailSettingsToRows(partial);
  const vat = ratioInput(input.defaultVatRate);
  if (vat !== undefined) {
    if (!(vat >= 0 && vat < 1)) throw new ValidationError('defaultVatRate', 'must be a number in [0, 1)');
    rows.push({ key: DEFAULT_VAT_RATE_KEY, value: vat });
  }
  if (rows.length === 0) throw new ValidationError('input', 'give at least one setting');

  const run = await runMutation(ctx, { name: 'updateGuardrailSettings', idempotencyKey: input.idempotencyKey, input }, async (tx, m) => {
    for (const row of rows) {
      await tx.setting.upsert({
        where: { key: row.key },
        create: { key: row.key, value: row.value, description: SETTING_DESCRIPTIONS[row.key] ?? null, updatedAt: m.now },
        update: { value: row.value, updatedAt: m.now },
      });
      if (row === rows[0]) await m.checkpoint('after-first-write');
    }
    return { keys: rows.map((row) => row.key) };
  });
  return { ...run.resultWithReplayed, allKeys: [...SETTING_KEYS] };
}

