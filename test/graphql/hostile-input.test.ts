import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.js';
import { backends } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/graphql.js';
import { hostileCorpus } from '../support/hostile-corpus.js';

/**
 * Issue 7: no input the corpus generates makes the server answer 5xx, "Unexpected error.", or
 * leak a stack, SQL, a file path or a parser's message; the server keeps serving.
 */

const SEED = Number(process.env.HOSTILE_SEED ?? 7);
const LEAKS: Array<[string, RegExp]> = [
  ['masked internal error', /Unexpected error/],
  ['stack frame', /\bat [\w$.<>]+ \(|\bat (?:file:\/\/|\/)/],
  ['file path', /\/work\/|node_modules|\.[cm]?[jt]s:\d+/],
  ['SQL', /\b(?:SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]{0,80}\b(?:FROM|VALUES|SET|WHERE)\b|syntax error at or near|invalid byte sequence/],
  ['Prisma internals', /prisma\.|PrismaClient|invocation/],
  ['parser message', /originalError/],
];

describe.each(backends)('hostile input on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { seedListings: 3 });
  });
  afterAll(() => t?.close());

  it(`answers every case of the seeded corpus (seed ${SEED}) with a 2xx/4xx and no leak`, async () => {
    const corpus = hostileCorpus(schema, SEED);
    expect(corpus.length).toBeGreaterThan(300);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    for (const [index, c] of corpus.entries()) {
      const response = await t.app.fetch(c.url, c.init);
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) failures.push(`#${index} ${c.name}: HTTP ${response.status} ${text.slice(0, 200)}`);
      for (const [leak, pattern] of LEAKS) {
        if (pattern.test(text)) failures.push(`#${index} ${c.name}: ${leak} in ${text.slice(0, 300)}`);
      }
    }
    console.log(`[hostile] ${kind}: ${corpus.length} cases, statuses`, statuses);
    expect(failures).toEqual([]);
    // Bytes that are not UTF-8 are refused, not silently replaced by U+FFFD.
    const invalid = await t.app.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) });
    expect(invalid.status).toBe(400);
    expect((await t.app.fetch('http://test/graphql?query=%7B__typename%7D&operationName=%FF')).status).toBe(400);
    // Still serving.
    expect((await t.gql('{ listings(first: 1) { totalCount } }')).data.listings.totalCount).toBe(3);
  }, 240_000);
});
