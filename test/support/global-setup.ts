import pg from 'pg';

/** Says plainly which database suites run, and fails early when PostgreSQL was asked for but is down. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL?.trim();
  if (!url) {
    console.log('\n[tests] TEST_DATABASE_URL is not set: the PostgreSQL suites are SKIPPED; running on PGlite only (the names are listed at the end).\n');
    return;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(`TEST_DATABASE_URL is set but PostgreSQL is unreachable (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => undefined);
  }
  console.log('\n[tests] running the PGlite and PostgreSQL suites.\n');
}
