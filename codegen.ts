import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * `npm run codegen` (scripts/codegen.ts) first prints the Pothos schema to schema.graphql, then runs
 * this config: typed documents for the operations internal scripts use (scripts/client/operations,
 * README "Typed client for scripts") and for the ones tests use (test/operations).
 */
const typedDocuments = {
  preset: 'client',
  config: {
    // Inputs take global IDs (strings) only: without this, codegen types ID inputs as string | number.
    scalars: { ID: { input: 'string', output: 'string' }, Decimal: 'string', DateTime: 'string', Date: 'string', JSON: 'unknown' },
    enumsAsTypes: true,
    useTypeImports: true,
  },
  presetConfig: { fragmentMasking: false },
} as const;

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  // NodeNext resolution needs explicit .js extensions in the generated imports.
  emitLegacyCommonJSImports: false,
  generates: {
    'scripts/client/generated/': { ...typedDocuments, documents: ['scripts/client/operations/**/*.graphql'] },
    'test/operations/generated/': { ...typedDocuments, documents: ['test/operations/**/*.graphql'] },
  },
};

export default config;
