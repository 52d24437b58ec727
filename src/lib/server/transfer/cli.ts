/**
 * The two commands, `npm run db:export -- --out FILE [--centre ID_OR_NAME] [--database PATH_OR_URL]`
 * and `npm run db:import -- --in FILE [--database PATH_OR_URL]` (scripts/db-export.ts and
 * db-import.ts run these with tsx). The database is the one given, else the server's: DATABASE_URL
 * (postgres://…), else the SQLite file at DATABASE_PATH. A refusal prints its message alone, never
 * a stack trace, and exits 1; a mistake in the arguments prints the usage and exits 2.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase, prepareDatabase, type Db } from '$lib/core/database';
import { isPostgresUrl } from '$lib/core/postgres';
import { exportArchive } from './export';
import { importArchive } from './import';
import { TransferError } from './errors';

export interface CommandIo {
	env: Record<string, string | undefined>;
	out(line: string): void;
	err(line: string): void;
}

const DATABASE = '[--database PATH_OR_POSTGRES_URL]   (default DATABASE_URL, else DATABASE_PATH)';
const EXPORT_USAGE = `Usage: npm run db:export -- --out FILE [--centre ORGANISATION_ID_OR_NAME] ${DATABASE}`;
const IMPORT_USAGE = `Usage: npm run db:import -- --in FILE ${DATABASE}; the database is migrated first`;

function options(argv: string[], names: string[]): Record<string, string | undefined> | undefined {
	try {
		const { values } = parseArgs({ args: argv, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true, allowPositionals: false });
		return values as Record<string, string | undefined>;
	} catch {
		return undefined;
	}
}

/** The database a command works on, chosen as the server chooses (server/db/index.ts). */
function databaseOf(given: string | undefined, env: CommandIo['env']): string {
	return given?.trim() || env.DATABASE_URL?.trim() || env.DATABASE_PATH || 'data/custodian.db';
}

/** The database as printed: a PostgreSQL URL without its password. */
function described(location: string): string {
	return isPostgresUrl(location) ? `PostgreSQL ${location.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}` : location;
}

async function run(io: CommandIo, command: string, location: string, work: (db: Db) => Promise<void>): Promise<number> {
	let db: Db | undefined;
	try {
		db = openDatabase(location, { migrationsFolder: io.env.MIGRATIONS_DIR || undefined });
		// PostgreSQL is migrated here (SQLite as it opened), and refused unless its collation is C.
		await prepareDatabase(db);
		await work(db);
		return 0;
	} catch (e) {
		io.err(e instanceof TransferError ? e.message : `${command} failed: ${(e as Error).message ?? String(e)}`);
		return 1;
	} finally {
		if (db) await closeDatabase(db);
	}
}

export async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
	const args = options(argv, ['out', 'centre', 'database']);
	if (!args?.out) {
		io.err(EXPORT_USAGE);
		return 2;
	}
	const location = databaseOf(args.database, io.env);
	if (!isPostgresUrl(location) && !existsSync(location)) {
		io.err(`No database at ${location} (give --database, or set DATABASE_URL or DATABASE_PATH).`);
		return 1;
	}
	return run(io, 'db:export', location, async (db) => {
		let inClear: Record<string, number> = {};
		const header = await exportArchive(db, args.out!, { centre: args.centre, migrationsFolder: io.env.MIGRATIONS_DIR || undefined, env: io.env, onSecretsInClear: (counts) => void (inClear = counts) });
		const what = header.scope.kind === 'centre' ? `centre ${header.scope.name} (${header.scope.organisationId})` : 'the whole installation';
		io.out(`Exported ${what} from ${described(location)} to ${args.out}, schema ${header.schema}:`);
		for (const t of header.tables) if (t.rows > 0) io.out(`  ${t.name}: ${t.rows}`);
		io.out(`${header.tables.reduce((n, t) => n + t.rows, 0)} rows in ${header.tables.filter((t) => t.rows > 0).length} tables.`);
		if (Object.keys(inClear).length > 0) {
			io.err(`Warning: SECRETS_KEY is not set, so the archive holds secrets in clear (${Object.entries(inClear).map(([c, n]) => `${c}: ${n}`).join(', ')}), as the database does: keep it as safe as the database, or set SECRETS_KEY (README, "Secrets at rest") and export again.`);
		}
	});
}

export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
	const args = options(argv, ['in', 'database']);
	if (!args?.in) {
		io.err(IMPORT_USAGE);
		return 2;
	}
	const location = databaseOf(args.database, io.env);
	return run(io, 'db:import', location, async (db) => {
		const summary = await importArchive(db, args.in!, { migrationsFolder: io.env.MIGRATIONS_DIR || undefined });
		io.out(`Imported ${args.in} (schema ${summary.header.schema}, exported ${summary.header.exportedAt} from ${summary.header.sourceEngine}) into ${described(location)}:`);
		for (const t of summary.tables) {
			if (t.inserted + t.present > 0) io.out(`  ${t.name}: ${t.inserted} inserted${t.present > 0 ? `, ${t.present} already present` : ''}`);
		}
		io.out(`${summary.chains} audit chains verified, ${summary.signatures} signatures verified.`);
	});
}
