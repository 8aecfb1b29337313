import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { DEFAULT_LIMITS } from '../../src/config.js';
import { createTestApp, TEST_ADMIN, type TestApp } from '../support/graphql.js';

/** graphql-armor's refusals are logged (src/graphql/plugins.ts): which rule refused, and why. */

describe('graphql-armor rejections are logged', () => {
  let t: TestApp;
  let app: App;
  const lines: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    t = await createTestApp('pglite');
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    app = createApp({ db: t.db, logger: pino({ level: 'info' }, sink), graphiql: false, viewerOverride: () => TEST_ADMIN });
  });
  afterAll(() => t?.close());

  it('a query over the alias limit: refused, and one warning names maxAliases', async () => {
    const aliases = Array.from({ length: DEFAULT_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: __typename`).join(' ');
    const response = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    const body = await response.json();
    expect(body.errors?.[0]?.message).toMatch(/Aliases limit/);
    const refused = lines.filter((line) => line.msg === 'graphql-armor refused an operation');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 40, rule: 'maxAliases', reason: expect.stringMatching(/Aliases limit/) });
  });
});
