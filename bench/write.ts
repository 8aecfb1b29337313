/**
 * Write benchmark (npm run bench:write): BOM activation and recommendation accept at 64 concurrent
 * clients on PostgreSQL, through the GraphQL endpoint in-process (yoga.fetch). Prints throughput,
 * p50/p99 latency and the count of each result kind. Not a test: it asserts nothing but the final
 * invariant (one active BOM per listing), which it reports.
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres) —
 * an admin URL; a throw-away database is created and dropped. BENCH_CLIENTS (64), BENCH_OPS (2000),
 * BENCH_POOL (20).
 */
import { encodeGlobalID } from '@pothos/plugin-relay';
import pino from 'pino';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const OPS = Number(process.env.BENCH_OPS ?? 2000);
const POOL = Number(process.env.BENCH_POOL ?? 20);

const { createTestDatabase } = await import('../test/support/databases.js');
const { attachPrisma } = await import('../src/db/client.js');
const { createApp } = await import('../src/app.js');

const testDb = await createTestDatabase('postgres', { poolSize: POOL });
const db = await attachPrisma(testDb.config, testDb.driver, { migrate: true });
const app = createApp({ db, logger: pino({ level: 'silent' }), graphiql: false });
const prisma = db.prisma;

async function gql(query: string, variables: Record<string, unknown>): Promise<{ data?: Record<string, { __typename: string }>; errors?: unknown[] }> {
  const response = await app.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as never;
}

interface Stats {
  name: string;
  ops: number;
  seconds: number;
  latencies: number[];
  kinds: Record<string, number>;
}

/** `CLIENTS` workers take operations from a shared counter until `OPS` have run. */
async function run(name: string, op: (i: number) => Promise<string>): Promise<Stats> {
  const latencies: number[] = [];
  const kinds: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let i = next++; i < OPS; i = next++) {
        const t0 = performance.now();
        let kind: string;
        try {
          kind = await op(i);
        } catch (error) {
          kind = `thrown:${(error as Error).message.slice(0, 40)}`;
        }
        latencies.push(performance.now() - t0);
        kinds[kind] = (kinds[kind] ?? 0) + 1;
      }
    }),
  );
  return { name, ops: OPS, seconds: (performance.now() - started) / 1000, latencies, kinds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function report(stats: Stats): void {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  console.log(
    `${stats.name.padEnd(28)} ${String(stats.ops).padStart(5)} ops in ${stats.seconds.toFixed(2)} s = ${(stats.ops / stats.seconds).toFixed(0).padStart(5)} ops/s` +
      `  p50 ${percentile(sorted, 50).toFixed(1)} ms  p99 ${percentile(sorted, 99).toFixed(1)} ms  max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
  console.log(`${''.padEnd(28)} results: ${JSON.stringify(stats.kinds)}`);
}

const kindOf = (r: Awaited<ReturnType<typeof gql>>, field: string) => (r.errors ? 'GraphQLError' : r.data![field]!.__typename);

// ── Fixtures ─────────────────────────────────────────────────────────────────────────────────────
const marketplace = await prisma.marketplace.create({ data: { amazonMarketplaceId: 'BENCHUK', name: 'Bench UK', countryCode: 'GB', vatRate: '0.20' } });
const component = await prisma.component.create({ data: { componentSku: 'BENCH-C', name: 'c', unitCostExVat: '3.00' } });

async function listing(i: number): Promise<number> {
  const l = await prisma.listing.create({
    data: { sellerSku: `BENCH-${i}`, priceIncVat: '24.00', availableQuantity: 30, marketplaceId: marketplace.id, fulfillmentChannel: 'FBM' },
  });
  await prisma.listingCostOverride.create({ data: { listingId: l.id, shippingCostExVat: '2.00', packagingCostExVat: '0.50' } });
  return l.id;
}

// 1. BOM activation: 16 listings × 8 versions; 64 clients activate random versions (hot rows).
const BOM_LISTINGS = 16;
const VERSIONS = 8;
const bomIds: number[][] = [];
const bomListingIds: number[] = [];
for (let i = 0; i < BOM_LISTINGS; i++) {
  const listingId = await listing(i);
  bomListingIds.push(listingId);
  const ids: number[] = [];
  for (let v = 1; v <= VERSIONS; v++) {
    const bom = await prisma.bom.create({
      data: { listingId, version: v, isActive: v === VERSIONS, lines: { create: [{ componentId: component.id, quantity: String(v) }] } },
    });
    ids.push(bom.id);
  }
  bomIds.push(ids);
}

// 2. Accept: OPS recommendations over OPS/2 listings — the second publishable accept of a listing
//    meets its pending publish job (DuplicateJobError), as it would in production.
const recIds: number[] = [];
const recListings: number[] = [];
for (let i = 0; i < OPS / 2; i++) recListings.push(await listing(1000 + i));
await prisma.recommendation.createMany({
  data: Array.from({ length: OPS }, (_, i) => ({
    recommendationType: 'PRICE_INCREASE_MARGIN_OPPORTUNITY' as const,
    entityType: 'LISTING' as const,
    entityId: recListings[i % recListings.length]!,
    actionPayloadJson: { action: 'CHANGE_PRICE', suggested_price_inc_vat: '25.00', current_price_inc_vat: '24.00' },
    evidenceJson: {},
    impactJson: {},
    generatedAt: new Date(Date.now() - 3_600_000),
    expiresAt: new Date(Date.now() + 7 * 86_400_000),
  })),
});
recIds.push(...(await prisma.recommendation.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => r.id));

const ACTIVATE = `mutation($input: ActivateBomVersionInput!) { activateBomVersion(input: $input) { __typename } }`;
const ACCEPT = `mutation($input: AcceptRecommendationInput!) { acceptRecommendation(input: $input) { __typename } }`;

console.log(`bench:write — PostgreSQL, ${CLIENTS} concurrent clients, pool ${POOL}, ${OPS} operations per scenario\n`);

let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

report(
  await run('activateBomVersion', async () => {
    const l = Math.floor(random() * BOM_LISTINGS);
    const v = Math.floor(random() * VERSIONS);
    return kindOf(await gql(ACTIVATE, { input: { bomId: encodeGlobalID('Bom', bomIds[l]![v]!) } }), 'activateBomVersion');
  }),
);
report(
  await run('acceptRecommendation', async (i) =>
    kindOf(await gql(ACCEPT, { input: { recommendationId: encodeGlobalID('Recommendation', recIds[i]!) } }), 'acceptRecommendation'),
  ),
);

const activePerListing = await prisma.bom.groupBy({ by: ['listingId'], where: { listingId: { in: bomListingIds }, isActive: true }, _count: true });
console.log(
  `\ninvariant: ${activePerListing.length}/${BOM_LISTINGS} listings have an active BOM, max active per listing = ${Math.max(...activePerListing.map((g) => g._count))}`,
);
console.log(`publish jobs: ${await prisma.job.count({ where: { jobType: 'PUBLISH_PRICE_CHANGE' } })} for ${recListings.length} listings`);

await prisma.$disconnect();
await testDb.drop();
