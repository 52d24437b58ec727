import { defineConfig } from 'drizzle-kit';

export default defineConfig({
	schema: [
		'./src/lib/server/db/schema.ts',
		'./src/lib/server/db/assessment.ts',
		'./src/lib/server/db/cohorts.ts',
		'./src/lib/server/db/authoring.ts',
		'./src/lib/server/db/notifications.ts',
		'./src/lib/server/db/quality.ts',
		'./src/lib/server/db/evidence.ts',
		'./src/lib/server/db/records.ts',
		'./src/lib/server/db/sampling.ts',
		'./src/lib/server/db/iqa-records.ts',
		'./src/lib/server/db/eqa.ts',
		'./src/lib/server/db/workplace-decisions.ts',
		'./src/lib/server/db/upload-pieces.ts',
		'./src/lib/server/db/jobs.ts',
		'./src/lib/server/db/xapi.ts',
		'./src/lib/server/db/lti-services.ts',
		'./src/lib/server/db/lti.ts',
		'./src/lib/server/db/badges.ts',
		'./src/lib/core/schema.ts',
		'./src/lib/sim/schema.ts'
	],
	out: './drizzle',
	dialect: 'sqlite',
	dbCredentials: { url: process.env.DATABASE_PATH ?? 'data/custodian.db' },
	strict: true,
	verbose: true
});
