import { defineConfig } from 'drizzle-kit';

/**
 * PostgreSQL's migrations (docs/postgresql.md). The schema, one file per layer, is generated from
 * the SQLite one by scripts/pg-schema.ts (`npm run db:schema:pg`); `npm run db:generate:pg` writes
 * a migration.
 * Hand-written SQL (triggers, search) goes at the end of a migration after `-- hand-written: …`.
 */
export default defineConfig({
	schema: ['./src/lib/core/schema-pg.ts', './src/lib/sim/schema-pg.ts', './src/lib/server/db/pg/schema.ts'],
	out: './drizzle-pg',
	dialect: 'postgresql',
	dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/custodian' },
	strict: true,
	verbose: true
});
