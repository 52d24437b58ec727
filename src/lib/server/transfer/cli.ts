/**
 * The two commands, `npm run db:export -- --out FILE [--centre ID_OR_NAME]` and
 * `npm run db:import -- --in FILE`, on DATABASE_PATH (scripts/db-export.ts and db-import.ts run
 * these with tsx). A refusal prints its message alone, never a stack trace, and exits 1; a mistake
 * in the arguments prints the usage and exits 2.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase, type Db } from '$lib/core/database';
import { exportArchive } from './export';
import { importArchive } from './import';
import { TransferError } from './errors';

export interface CommandIo {
	env: Record<string, string | undefined>;
	out(line: string): void;
	err(line: string): void;
}

const EXPORT_USAGE = 'Usage: npm run db:export -- --out FILE [--centre ORGANISATION_ID_OR_NAME]   (reads DATABASE_PATH)';
const IMPORT_USAGE = 'Usage: npm run db:import -- --in FILE   (writes into DATABASE_PATH, migrated first)';

function options(argv: string[], names: string[]): Record<string, string | undefined> | undefined {
	try {
		const { values } = parseArgs({ args: argv, options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])), strict: true, allowPositionals: false });
		return values as Record<string, string | undefined>;
	} catch {
		return undefined;
	}
}

async function run(io: CommandIo, command: string, work: (open: () => Db) => Promise<void>): Promise<number> {
	let db: Db | undefined;
	const path = io.env.DATABASE_PATH || 'data/custodian.db';
	try {
		await work(() => (db = openDatabase(path, { migrationsFolder: io.env.MIGRATIONS_DIR || undefined })));
		return 0;
	} catch (e) {
		io.err(e instanceof TransferError ? e.message : `${command} failed: ${(e as Error).message ?? String(e)}`);
		return 1;
	} finally {
		db?.$client.close();
	}
}

export async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
	const args = options(argv, ['out', 'centre']);
	if (!args?.out) {
		io.err(EXPORT_USAGE);
		return 2;
	}
	const path = io.env.DATABASE_PATH || 'data/custodian.db';
	if (!existsSync(path)) {
		io.err(`No database at ${path} (set DATABASE_PATH).`);
		return 1;
	}
	return run(io, 'db:export', async (open) => {
		const header = await exportArchive(open(), args.out!, { centre: args.centre, migrationsFolder: io.env.MIGRATIONS_DIR || undefined });
		const what = header.scope.kind === 'centre' ? `centre ${header.scope.name} (${header.scope.organisationId})` : 'the whole installation';
		io.out(`Exported ${what} from ${path} to ${args.out}, schema ${header.schema}:`);
		for (const t of header.tables) if (t.rows > 0) io.out(`  ${t.name}: ${t.rows}`);
		io.out(`${header.tables.reduce((n, t) => n + t.rows, 0)} rows in ${header.tables.filter((t) => t.rows > 0).length} tables.`);
	});
}

export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
	const args = options(argv, ['in']);
	if (!args?.in) {
		io.err(IMPORT_USAGE);
		return 2;
	}
	return run(io, 'db:import', async (open) => {
		const summary = await importArchive(open(), args.in!, { migrationsFolder: io.env.MIGRATIONS_DIR || undefined });
		io.out(`Imported ${args.in} (schema ${summary.header.schema}, exported ${summary.header.exportedAt}) into ${io.env.DATABASE_PATH || 'data/custodian.db'}:`);
		for (const t of summary.tables) {
			if (t.inserted + t.present > 0) io.out(`  ${t.name}: ${t.inserted} inserted${t.present > 0 ? `, ${t.present} already present` : ''}`);
		}
		io.out(`${summary.chains} audit chains verified, ${summary.signatures} signatures verified.`);
	});
}
