/**
 * Where db:import writes on PostgreSQL (target.ts says what a target does). The whole import is one
 * SERIALIZABLE transaction on one client, with the triggers on (the app's role cannot turn them
 * off, and an import needs nothing they refuse: it only inserts). It is not retried: the archive is
 * read once, so a serialization failure (another session writing the same rows meanwhile) refuses
 * the import and asks for it to be run again. Once the rows are in, the sequences of the identity
 * columns that take given values (security_event.id) are moved past the ids imported, so the next
 * row the app inserts does not take one of them. The `insertion_order` identity columns need
 * nothing: PostgreSQL fills them as the rows arrive, in the archive's order.
 */
import { sql } from 'drizzle-orm';
import { dbQuery, type Db } from '$lib/core/database';
import { pgTransaction, postgresHandle, sqlState } from '$lib/core/postgres';
import { TransferError } from './errors';
import { findRow, insertRow, type ImportTarget } from './target';

/** node-postgres's error fields that say what a refused row broke (drizzle wraps the error as its cause). */
interface PgFailure {
	code: string;
	message: string;
	constraint?: string;
	detail?: string;
	column?: string;
	table?: string;
}

function pgFailure(error: unknown): PgFailure | undefined {
	for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
		const failure = e as Partial<PgFailure> & { severity?: unknown };
		if (typeof failure.code === 'string' && typeof failure.severity === 'string') return failure as PgFailure;
	}
	return undefined;
}

/**
 * A refused insert in words (SQLSTATE class 23, and the triggers' RAISE). The detail PostgreSQL
 * gives names the key and its value ("Key (email)=(…) already exists."): the person importing
 * holds the archive it comes from, and needs it to find the row.
 */
function explain(error: unknown): string | undefined {
	const failure = pgFailure(error);
	if (!failure) return undefined;
	const detail = failure.detail ? `: ${failure.detail}` : '';
	switch (failure.code) {
		case '23505':
			return `another row in the database already holds its unique value (${failure.constraint ?? 'a unique constraint'}${detail})`;
		case '23503':
			return `it names a row that is neither earlier in the archive nor in the database (${failure.constraint ?? 'a foreign key'}${detail})`;
		case '23502':
			return `its column ${failure.column ?? '?'} is empty, which the database does not allow`;
		case '23514':
			return `it breaks the check ${failure.constraint ?? ''}${detail}`.trimEnd();
		// The triggers' RAISE (custodian_refuse and the delete guards): their message is SQLite's, word for word.
		case '23001':
		case 'P0001':
			return `the database refuses it: ${failure.message}`;
		default:
			return failure.code.startsWith('23') ? failure.message : undefined;
	}
}

export function postgresTarget(db: Db): ImportTarget {
	const handle = postgresHandle(db);
	if (!handle) throw new Error('postgresTarget needs a PostgreSQL database');
	return {
		engine: 'postgres',
		async transaction(work) {
			try {
				// Inside, `db` is the transaction's client (core/postgres.ts), so verify.ts reads what was inserted.
				return await pgTransaction(handle, work, { retry: false });
			} catch (error) {
				const code = sqlState(error);
				if (code === '40001' || code === '40P01') {
					throw new TransferError('Another session wrote to the same rows while the import ran, so PostgreSQL could not commit it; nothing was imported. Run db:import again (with the server stopped, it cannot happen).');
				}
				throw error;
			}
		},
		find: (table, match) => findRow(db, table, match),
		insert: (table, values) => insertRow(db, table, values),
		async finish() {
			const sequenced = await dbQuery<{ table_name: string; column_name: string }>(
				db,
				sql`select table_name, column_name from information_schema.columns where table_schema = current_schema() and (identity_generation = 'BY DEFAULT' or column_default like 'nextval(%')`
			);
			for (const { table_name: table, column_name: column } of sequenced) {
				// Only forward: a sequence already past the largest id (rows since deleted) stays where it is.
				await dbQuery(
					db,
					sql`select setval(s.name, s.largest) from (select pg_get_serial_sequence(${`"${table.replaceAll('"', '""')}"`}, ${column}) as name, (select max(${sql.identifier(column)}) from ${sql.identifier(table)}) as largest) s
						where s.largest is not null and s.largest > coalesce(pg_sequence_last_value(s.name::regclass), 0)`
				);
			}
		},
		explain
	};
}
