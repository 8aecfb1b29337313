import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; Node hands the CJS one to the
    // externalised libraries (Pothos, yoga), so the project's own code must get the same one or
    // graphql's instanceof checks fail ("another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // The second one names what did not run on PostgreSQL (skipped suites, PGlite-only runs).
    reporters: ['default', './test/support/backends-reporter.ts'],
    pool: 'forks',
    // Two cores: PGlite instances are CPU-heavy, so run a couple of files at a time.
    maxWorkers: 2,
    testTimeout: 60_000,
    // Servers the tests spawn inherit this: the default metrics port (9464) would clash between
    // test files running at once.
    env: { METRICS_PORT: '0' },
    hookTimeout: 120_000,
  },
});
