import { defineConfig } from 'prisma/config';

// The project applies migrations with its own runner (src/db/migrator.ts); this file only tells the
// Prisma CLI where the schema and migrations live. DATABASE_URL is optional: `prisma generate`
// needs no database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
