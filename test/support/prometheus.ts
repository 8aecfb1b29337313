/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?,?\\})? (\\S+)(?: -?\\d+)?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A strict reading of the Prometheus text format (0.0.4): every line is HELP, TYPE or a sample;
 * every sample belongs to a family whose TYPE came first; values are numbers; histogram buckets
 * are cumulative and end in +Inf equal to _count. Throws on the first violation.
 */
export function parsePrometheus(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new Error('the exposition must end with a newline');
  for (const [index, line] of lines.slice(0, -1).entries()) {
    const where = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    const type = line.match(new RegExp(`^# TYPE (${NAME}) (\\w+)$`));
    if (type) {
      if (!TYPES.has(type[2]!)) throw new Error(`unknown type, ${where}`);
      if (types.has(type[1]!)) throw new Error(`TYPE given twice, ${where}`);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (new RegExp(`^# HELP ${NAME} .*$`).test(line)) continue;
    if (line.startsWith('#')) throw new Error(`malformed comment, ${where}`);
    const match = line.match(SAMPLE);
    if (!match) throw new Error(`malformed sample, ${where}`);
    const name = match[1]!;
    const family = [name, name.replace(/_(bucket|sum|count)$/, '')].find((candidate) => types.has(candidate));
    if (!family) throw new Error(`sample without a TYPE, ${where}`);
    // Go's ParseFloat, which Prometheus uses, reads NaN in any case (prom-client writes "Nan").
    const raw = match.at(-1)!;
    const value = /^nan$/i.test(raw) ? NaN : Number(raw.replace(/^\+Inf$/, 'Infinity').replace(/^-Inf$/, '-Infinity'));
    if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`value is not a number, ${where}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(new RegExp(LABEL, 'g'))) labels[pair[1]!] = pair[2]!;
    samples.push({ name, labels, value });
  }
  checkHistograms(samples, types);
  return samples;
}

function checkHistograms(samples: Sample[], types: Map<string, string>): void {
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, { buckets: { le: number; value: number }[]; count?: number }>();
    const keyOf = (labels: Record<string, string>) =>
      JSON.stringify(Object.entries(labels).filter(([key]) => key !== 'le').sort());
    for (const sample of samples) {
      if (sample.name !== `${family}_bucket` && sample.name !== `${family}_count`) continue;
      const entry = series.get(keyOf(sample.labels)) ?? { buckets: [] };
      series.set(keyOf(sample.labels), entry);
      if (sample.name.endsWith('_count')) entry.count = sample.value;
      else entry.buckets.push({ le: Number(sample.labels.le!.replace('+Inf', 'Infinity')), value: sample.value });
    }
    for (const [key, { buckets, count }] of series) {
      const sorted = [...buckets].sort((a, b) => a.le - b.le);
      sorted.forEach((bucket, i) => {
        if (i > 0 && bucket.value < sorted[i - 1]!.value) throw new Error(`${family}${key}: buckets are not cumulative`);
      });
      if (sorted.at(-1)?.le !== Infinity || sorted.at(-1)!.value !== count) throw new Error(`${family}${key}: +Inf bucket must equal _count`);
    }
  }
}

/** The value of the one sample named `name` whose labels include `labels` (0 when absent). */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value ?? 0;
}
