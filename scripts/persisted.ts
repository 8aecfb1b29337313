/**
 * `npm run persisted`: registers the operations partner keys may run. Reads every `.graphql` file
 * in src/graphql/persisted/, validates it against the schema (introspection is refused), and
 * writes src/graphql/persisted/manifest.json: sha256 (hex) of the file's text → the text. Clients
 * send `{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"<hash>"}},"variables":…}`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from 'graphql';
import { MANIFEST_PATH } from '../src/graphql/persisted-operations.js';
import { schema } from '../src/schema/index.js';

const folder = path.dirname(MANIFEST_PATH);
const files = (await readdir(folder)).filter((name) => name.endsWith('.graphql')).sort();
const manifest: Record<string, string> = {};
let failed = false;
for (const name of files) {
  const text = await readFile(path.join(folder, name), 'utf8');
  const errors = validate(schema, parse(text), [...specifiedRules, NoSchemaIntrospectionCustomRule]);
  if (errors.length) {
    failed = true;
    console.error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
    continue;
  }
  const hash = createHash('sha256').update(text).digest('hex');
  manifest[hash] = text;
  console.log(`${hash}  ${name}`);
}
if (failed) process.exit(1);
await writeFile(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`wrote ${Object.keys(manifest).length} operations to ${path.relative(process.cwd(), MANIFEST_PATH)}`);
