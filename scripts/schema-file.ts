import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema.graphql');

/** The committed SDL: a test compares it with the schema the code builds. */
export function printSchemaFile(): string {
  return `${printSchema(schema)}\n`;
}
