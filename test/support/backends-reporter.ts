import type { Reporter, TestCase, TestModule, TestSuite, Vitest } from 'vitest/node';

/**
 * Says at the end of a run which tests did not run on PostgreSQL, by name: the skipped suites and
 * tests (PostgreSQL-only ones are skipped without TEST_DATABASE_URL), and, without
 * TEST_DATABASE_URL, the database suites that ran on PGlite only (`describe.each(backends)` creates
 * their PostgreSQL twin only when TEST_DATABASE_URL is set). Added next to the default reporter.
 * Quiet on a run filtered by test name (`-t`), where most tests are skipped on purpose.
 */
export default class BackendsReporter implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (this.filtered) return;
    const postgres = Boolean(process.env.TEST_DATABASE_URL?.trim());
    const skipped: string[] = [];
    const pgliteOnly: string[] = [];
    for (const module of modules) {
      for (const child of module.children) collectSkipped(child, module.relativeModuleId, skipped);
      if (postgres) continue;
      for (const suite of module.children.suites()) {
        if (suite.state() !== 'skipped' && /\bpglite\b/i.test(suite.name)) pgliteOnly.push(`${module.relativeModuleId} › ${suite.name} (${countTests(suite)})`);
      }
    }
    const lines: string[] = [''];
    if (skipped.length > 0) {
      lines.push(`[tests] SKIPPED${postgres ? '' : ' (PostgreSQL only: set TEST_DATABASE_URL to run them)'}:`, ...skipped.sort().map((s) => `  ${s}`));
    }
    if (pgliteOnly.length > 0) {
      lines.push('[tests] ran on PGlite only (their PostgreSQL run needs TEST_DATABASE_URL):', ...pgliteOnly.sort().map((s) => `  ${s}`));
    }
    if (postgres && skipped.length === 0) lines.push('[tests] TEST_DATABASE_URL is set: database suites ran on PGlite and PostgreSQL; nothing was skipped.');
    if (lines.length > 1) process.stdout.write(`${lines.join('\n')}\n`);
  }
}

/** A skipped suite is listed once with its test count; inside running suites, each skipped test. */
function collectSkipped(entry: TestSuite | TestCase, file: string, out: string[]): void {
  if (entry.type === 'test') {
    if (entry.result().state === 'skipped') out.push(`${file} › ${entry.fullName}`);
    return;
  }
  if (entry.state() === 'skipped') {
    out.push(`${file} › ${entry.fullName} (${countTests(entry)})`);
    return;
  }
  for (const child of entry.children) collectSkipped(child, file, out);
}

function countTests(suite: TestSuite): string {
  const n = [...suite.children.allTests()].length;
  return `${n} test${n === 1 ? '' : 's'}`;
}
