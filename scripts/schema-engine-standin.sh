#!/bin/sh
# Stand-in for Prisma's native schema engine, which these machines cannot download. `prisma
# generate` never needs it; the project's own runner (src/db/migrator.ts) applies migrations.
# If anything ever calls it, fail loudly instead of hanging on a download.
echo "prisma schema engine is not available offline: use npm run db:migrate / db:status instead" >&2
exit 1
