import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, test } from 'vitest';
import config from '../codegen.js';
import { printSchemaFile, SCHEMA_FILE } from '../scripts/schema-file.js';

const root = path.resolve(import.meta.dirname, '..');

describe('generated artefacts are up to date (run `npm run codegen` when these fail)', () => {
  test('schema.graphql matches the schema the code builds', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printSchemaFile());
  });

  test('typed documents of scripts/client/operations and test/operations match the committed ones', async () => {
    const outputs = await generate({ ...config, cwd: root, silent: true }, false);
    const files = outputs.map((output: { filename: string }) => path.relative(root, path.resolve(root, output.filename)));
    expect(files).toEqual(expect.arrayContaining(['scripts/client/generated/graphql.ts', 'test/operations/generated/graphql.ts']));
    for (const output of outputs) {
      expect(await readFile(path.resolve(root, output.filename), 'utf8'), output.filename).toBe(output.content);
    }
  }, 60_000);
});
