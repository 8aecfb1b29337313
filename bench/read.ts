// npm run bench:read — seeds N listings into a fresh PostgreSQL database, serves the app on
// loopback, and drives the dashboard query with autocannon at fixed concurrency. Prints figures;
// it asserts nothing (speed targets live here, never in tests).
//
//   BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres: a scratch database is
//   created on that server and dropped afterwards), BENCH_LISTINGS (10000), BENCH_PAGE (50),
//   BENCH_CONNECTIONS (16), BENCH_SECONDS (15), BENCH_ORDER (MARGIN: the costliest ordering; or
//   CREATED_AT, UNITS_30D, BUY_BOX_PERCENTAGE, …). Requests carry a dashboard API key (created
//   here), as a dashboard would; BENCH_AUTH=injected skips the key check (viewer injected, scope
//   checks still run) to measure what checking a key costs.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import pino from 'pino';
import { createApp } from '../src/app.js';
import { createKey } from '../src/auth/keys.js';
import { makeViewer } from '../src/auth/viewer.js';
import { attachPrisma } from '../src/db/client.js';
import { seed } from '../src/db/seed.js';
import { PostgresDriver } from '../src/db/sql.js';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const listings = Number(process.env.BENCH_LISTINGS ?? 10_000);
const pageSize = Number(process.env.BENCH_PAGE ?? 50);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const orderField = process.env.BENCH_ORDER ?? 'MARGIN';
const injected = process.env.BENCH_AUTH === 'injected';

const query = readFileSync(new URL('../test/operations/dashboard.graphql', import.meta.url), 'utf8');
const body = JSON.stringify({ query, variables: { first: pageSize, orderBy: { field: orderField, direction: 'DESC' } } });

const name = `lh_bench_${Date.now().toString(36)}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;

let statements = 0;
const driver = PostgresDriver.fromUrl(url.toString(), 20);
const db = await attachPrisma({ kind: 'postgres', url: url.toString() }, driver, { migrate: true, onQuery: () => statements++ });
try {
  const seedStart = performance.now();
  await seed(driver, { listings, log: () => undefined });
  await driver.withSession((s) => s.query('ANALYZE'));
  console.log(`seeded ${listings} listings in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const { secret } = await createKey(db.prisma, { name: 'bench-read', role: 'dashboard' });
  const headers = { 'content-type': 'application/json', ...(injected ? {} : { authorization: `Bearer ${secret}` }) };
  const viewerOverride = injected ? () => makeViewer({ name: 'bench-read', role: 'dashboard' }) : undefined;
  const app = createApp({ db, logger: pino({ level: 'silent' }), graphiql: false, viewerOverride });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const target = `http://127.0.0.1:${port}/graphql`;

  // One request alone, to check it works and to count its SQL statements.
  statements = 0;
  const probe = await fetch(target, { method: 'POST', headers, body });
  const probeJson = (await probe.json()) as { errors?: unknown; data?: { listings: { edges: unknown[] } } };
  if (probeJson.errors) throw new Error(`dashboard query failed: ${JSON.stringify(probeJson.errors)}`);
  const perRequest = statements;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  statements = 0;
  const result = await autocannon({
    url: target,
    method: 'POST',
    headers,
    body,
    connections,
    duration: seconds,
  });
  clearInterval(sampler);
  server.close();

  console.log(`auth: ${injected ? 'injected viewer (no key check)' : 'dashboard API key'}`);
  console.log(`dashboard query ordered by ${orderField}: page of ${pageSize} (${probeJson.data?.listings.edges.length} returned), ${connections} connections, ${seconds} s`);
  console.log(`requests/s   ${result.requests.average.toFixed(1)}   (total ${result.requests.total}, non-2xx ${result.non2xx}, errors ${result.errors})`);
  console.log(`latency ms   p50 ${result.latency.p50}   p99 ${result.latency.p99}   max ${result.latency.max}`);
  console.log(`SQL statements per request   ${perRequest} (${(statements / Math.max(1, result.requests.total)).toFixed(1)} on average under load)`);
  console.log(`peak RSS     ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
} finally {
  await db.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
