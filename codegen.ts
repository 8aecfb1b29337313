import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen` (scripts/codegen.ts) first prints the Pothos schema to schema.graphql, then runs
 * this config: typed documents for the operations clients and tests use (test/operations).
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  // NodeNext resolution needs explicit .js extensions in the generated imports.
  emitLegacyCommonJSImports: false,
  generates: {
    'test/operations/generated/': {
      preset: 'client',
      config: {
        // Inputs take global IDs (strings) only: without this, codegen types ID inputs as string | number.
        scalars: { ID: { input: 'string', output: 'string' }, Decimal: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
