/**
 * Example script: reprice one listing safely.
 *
 *   GATEWAY_URL=http://127.0.0.1:4000/graphql API_KEY=lh_… npx tsx scripts/client/examples/reprice.ts SKU-0001 24.99
 *
 * Reads the listing by seller SKU, previews the new price against every guardrail and publishes
 * it only when they all pass. The idempotency key makes a re-run after a lost answer return the
 * first run's result instead of drafting a second change.
 */
import type { GraphQLClient } from 'graphql-request';
import { gatewayClient, isError } from '../gateway-client.js';
import { ListingBySkuDocument, PreviewPriceChangeDocument, PublishPriceChangeDocument } from '../generated/graphql.js';

export type RepriceOutcome =
  | { outcome: 'published'; jobId: string; replayed: boolean }
  | { outcome: 'refused'; code: string; message: string; violations: string[] }
  | { outcome: 'not-found' };

export async function reprice(client: GraphQLClient, args: { sellerSku: string; priceIncVat: string; idempotencyKey: string }): Promise<RepriceOutcome> {
  const { listing } = await client.request(ListingBySkuDocument, { sellerSku: args.sellerSku });
  if (!listing) return { outcome: 'not-found' };

  const { previewPriceChange: preview } = await client.request(PreviewPriceChangeDocument, { input: { listingId: listing.id, priceIncVat: args.priceIncVat } });
  if (isError(preview)) return { outcome: 'refused', code: preview.code, message: preview.message, violations: [] };
  if (!preview.passed) {
    return { outcome: 'refused', code: 'GUARDRAIL_VIOLATION', message: 'the preview failed the guardrails', violations: preview.violations.map((v) => v.message ?? v.rule) };
  }

  const { publishPriceChange: published } = await client.request(PublishPriceChangeDocument, {
    input: { listingId: listing.id, priceIncVat: args.priceIncVat, idempotencyKey: args.idempotencyKey, reason: 'reprice script' },
  });
  if (isError(published)) {
    const violations = published.__typename === 'GuardrailViolationError' ? published.violations.map((v) => v.message ?? v.rule) : [];
    return { outcome: 'refused', code: published.code, message: published.message, violations };
  }
  return { outcome: 'published', jobId: published.job.id, replayed: published.replayed };
}

async function main(argv: string[]): Promise<number> {
  const [sellerSku, priceIncVat] = argv;
  const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  const apiKey = process.env.API_KEY;
  if (!sellerSku || !priceIncVat || !apiKey) {
    console.error('usage: GATEWAY_URL=… API_KEY=lh_… tsx scripts/client/examples/reprice.ts <sellerSku> <priceIncVat>');
    return 2;
  }
  const result = await reprice(gatewayClient({ url, apiKey }), { sellerSku, priceIncVat, idempotencyKey: `reprice:${sellerSku}:${priceIncVat}` });
  console.log(JSON.stringify(result));
  return result.outcome === 'published' ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
