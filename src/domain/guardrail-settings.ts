/**
 * Guardrail settings (docs/domain-rules.md §3): their defaults, the settings-table keys they are
 * stored under, validation of a partial update, and reading/writing the rows. Re-exported by
 * guardrails.ts.
 */

export interface GuardrailSettings {
  /** Fraction, [0, 1). */
  minMargin: number;
  /** Fraction, (0, 1]. */
  maxPriceChangePctPerDay: number;
  /** Whole days, ≥ 0. */
  minDaysOfCoverBeforePriceChange: number;
  /** Units, ≥ 0. */
  minStockThreshold: number;
  allowPriceBelowBreakEven: boolean;
}

/** The seeded values of migrations 001/002 (§0). */
export const DEFAULT_GUARDRAILS: Readonly<GuardrailSettings> = Object.freeze({
  minMargin: 0.15,
  maxPriceChangePctPerDay: 0.05,
  minDaysOfCoverBeforePriceChange: 7,
  minStockThreshold: 5,
  allowPriceBelowBreakEven: false,
});

/** `settings.key` of each field. */
export const GUARDRAIL_SETTING_KEYS: Readonly<Record<keyof GuardrailSettings, string>> = Object.freeze({
  minMargin: 'guardrails.min_margin',
  maxPriceChangePctPerDay: 'guardrails.max_price_change_pct_per_day',
  minDaysOfCoverBeforePriceChange: 'guardrails.min_days_of_cover_before_price_change',
  minStockThreshold: 'guardrails.min_stock_threshold',
  allowPriceBelowBreakEven: 'guardrails.allow_price_below_break_even',
});

export interface FieldError {
  field: string;
  message: string;
}

type SettingsField = keyof GuardrailSettings;
const FIELDS = Object.keys(GUARDRAIL_SETTING_KEYS) as SettingsField[];

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Error message for one field's value, or null if it is acceptable. */
function checkField(field: SettingsField, value: unknown): string | null {
  switch (field) {
    case 'minMargin':
      return isNumber(value) && value >= 0 && value < 1 ? null : 'must be a number in [0, 1)';
    case 'maxPriceChangePctPerDay':
      return isNumber(value) && value > 0 && value <= 1 ? null : 'must be a number in (0, 1]';
    case 'minDaysOfCoverBeforePriceChange':
    case 'minStockThreshold':
      return isNumber(value) && Number.isInteger(value) && value >= 0 ? null : 'must be an integer ≥ 0';
    case 'allowPriceBelowBreakEven':
      return typeof value === 'boolean' ? null : 'must be a boolean';
  }
}

/** Field errors for a (partial) settings update; fields that are absent are not checked. */
export function validateGuardrailSettings(partial: Partial<Record<SettingsField, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of FIELDS) {
    if (!(field in partial) || partial[field] === undefined) continue;
    const message = checkField(field, partial[field]);
    if (message) errors.push({ field, message });
  }
  return errors;
}

/** jsonb values are JSON numbers/booleans, but tolerate the string forms a hand-edited row may hold. */
function coerceSettingValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  return value;
}

/**
 * Settings from `settings` rows. Unknown keys are ignored; a missing or invalid value falls back to
 * its default, because a bad row must neither disable guardrails nor make every publish fail
 * (writes are validated with {@link validateGuardrailSettings}).
 */
export function parseGuardrailSettings(rows: ReadonlyArray<{ key: string; value: unknown }>): GuardrailSettings {
  const settings: GuardrailSettings = { ...DEFAULT_GUARDRAILS };
  const byKey = new Map(rows.map((row) => [row.key, row.value]));
  for (const field of FIELDS) {
    const key = GUARDRAIL_SETTING_KEYS[field];
    if (!byKey.has(key)) continue;
    const value = coerceSettingValue(byKey.get(key));
    if (checkField(field, value) === null) (settings as unknown as Record<SettingsField, unknown>)[field] = value;
  }
  return settings;
}

/** Rows to upsert for a validated partial update. */
export function guardrailSettingsToRows(partial: Partial<GuardrailSettings>): Array<{ key: string; value: number | boolean }> {
  return FIELDS.filter((field) => partial[field] !== undefined).map((field) => ({
    key: GUARDRAIL_SETTING_KEYS[field],
    value: partial[field] as number | boolean,
  }));
}
