// Writes schema.graphql from the code-first schema, then generates typed documents (codegen.ts).
import { writeFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';
import { printSchemaFile, SCHEMA_FILE } from './schema-file.js';

await writeFile(SCHEMA_FILE, printSchemaFile());
console.log(`wrote ${SCHEMA_FILE}`);
await generate(config, true);
