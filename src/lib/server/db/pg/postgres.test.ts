/**
 * The PostgreSQL migrations on a real PostgreSQL (core/testing-postgres.ts): they apply, the live
 * schema matches a migrated SQLite database's, every SQLite trigger has an equivalent that refuses
 * with the same message, and concurrent audit appends keep the chain continuous.
 */
import { createHash } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHead, lockChainHead } from '$lib/core/audit-chain-pg';
import { openDatabase } from '$lib/core/database';
import { startTestPostgres, type TestPostgres } from '$lib/core/testing-postgres';

let postgres: TestPostgres;
beforeAll(async () => {
	postgres = await startTestPostgres();
}, 60_000);
afterAll(async () => {
	await postgres?.close();
});

const dialect = new PgDialect();
const run = (client: pg.Client | pg.Pool, query: SQL) => {
	const { sql, params } = dialect.sqlToQuery(query);
	return client.query(sql, params);
};

/** Error message of a statement that must fail, or 'no error'. */
async function refusal(client: pg.Client | pg.Pool, text: string, params: unknown[] = []): Promise<string> {
	try {
		await client.query(text, params);
		return 'no error';
	} catch (error) {
		return (error as Error).message;
	}
}

/** A migrated SQLite database, as the application opens one. */
function sqliteDatabase() {
	return openDatabase(':memory:').$client;
}

/** Tables of SQLite's own search index (FTS5 and its shadow tables) and PostgreSQL's counterpart. */
const SEARCH_TABLES = /^customer_name_(search|terms)/;

describe('PostgreSQL migrations', () => {
	it('apply on an empty database, with the extension search needs', async () => {
		const migrations = await postgres.pool.query('select count(*)::int as n from drizzle.__drizzle_migrations');
		expect(migrations.rows[0].n).toBeGreaterThan(0);
		const extensions = await postgres.pool.query("select extname from pg_extension where extname = 'fuzzystrmatch'");
		expect(extensions.rowCount).toBe(1);
	});

	it('give the same tables, columns, nullability and indexes as SQLite’s migrations', async () => {
		const sqlite = sqliteDatabase();
		const sqliteTables = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '__drizzle_migrations'").all() as { name: string }[])
			.map((t) => t.name)
			.filter((name) => !SEARCH_TABLES.test(name))
			.sort();
		const pgTables = (await postgres.pool.query("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'")).rows
			.map((r) => r.table_name as string)
			.filter((name) => !SEARCH_TABLES.test(name))
			.sort();
		expect(pgTables).toEqual(sqliteTables);

		// SQLite's declared type → the PostgreSQL types it may become (integer: a number or a boolean).
		const mapped: Record<string, string[]> = { text: ['text'], integer: ['bigint', 'boolean'], blob: ['bytea'], real: ['double precision'], numeric: ['numeric'] };
		const pgColumns = (
			await postgres.pool.query("select table_name, column_name, data_type, is_nullable, column_default, is_identity from information_schema.columns where table_schema = 'public'")
		).rows;
		for (const table of sqliteTables) {
			const expected = (sqlite.prepare(`select name, type, "notnull", dflt_value, pk from pragma_table_info(?)`).all(table) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[])
				.map((c) => ({ table, column: c.name, types: mapped[c.type.toLowerCase()] ?? [c.type], nullable: c.notnull === 0 && c.pk === 0, hasDefault: c.dflt_value !== null }))
				.sort((a, b) => (a.column < b.column ? -1 : 1));
			const actual = pgColumns
				// insertion_order: the identity column that stands in for SQLite's rowid (core/database.ts insertionOrder).
				.filter((c) => c.table_name === table && !(c.column_name === 'insertion_order' && c.is_identity === 'YES'))
				.map((c) => ({ table, column: c.column_name, type: c.data_type, nullable: c.is_nullable === 'YES', hasDefault: c.column_default !== null }))
				.sort((a, b) => (a.column < b.column ? -1 : 1));
			expect(actual.map(({ table, column, nullable, hasDefault }) => ({ table, column, nullable, hasDefault }))).toEqual(
				expected.map(({ table, column, nullable, hasDefault }) => ({ table, column, nullable, hasDefault }))
			);
			for (const [i, column] of actual.entries()) expect(expected[i]!.types, `${table}.${column.column}`).toContain(column.type);
		}

		const sqliteIndexes = sqliteTables
			.flatMap((table) =>
				(sqlite.prepare('select name, "unique", origin, partial from pragma_index_list(?)').all(table) as { name: string; unique: number; origin: string; partial: number }[])
					.filter((i) => i.origin !== 'pk')
					.map((i) => {
						const columns = (sqlite.prepare('select name from pragma_index_info(?) order by seqno').all(i.name) as { name: string }[]).map((c) => c.name);
						return `${table}.${i.name}(${columns.join(',')})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`;
					})
			)
			.sort();
		const pgIndexes = (
			await postgres.pool.query(`
				select t.relname as table, i.relname as name, x.indisunique as unique, x.indpred is not null as partial,
					array(select a.attname from unnest(x.indkey) with ordinality k(attnum, n) join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.n)::text[] as columns
				from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace s on s.oid = t.relnamespace
				where s.nspname = 'public' and not x.indisprimary`)
		).rows
			.filter((i) => !SEARCH_TABLES.test(i.table))
			.map((i) => `${i.table}.${i.name}(${(i.columns as string[]).join(',')})${i.unique ? ' unique' : ''}${i.partial ? ' partial' : ''}`)
			.sort();
		expect(pgIndexes).toEqual(sqliteIndexes);
		sqlite.close();
	});
});

interface SqliteTrigger {
	name: string;
	table: string;
	event: 'UPDATE' | 'DELETE';
	message: string;
	permitted: boolean;
}

/** Every protective trigger of SQLite's migrations: its table, event, message, and whether a disposal permit admits it. */
function sqliteTriggers(): SqliteTrigger[] {
	const sqlite = sqliteDatabase();
	const rows = sqlite.prepare("select name, tbl_name as \"table\", sql from sqlite_master where type = 'trigger' and name not like 'customer_name_search%'").all() as {
		name: string;
		table: string;
		sql: string;
	}[];
	sqlite.close();
	return rows.map((row) => {
		const event = /BEFORE (UPDATE|DELETE)/i.exec(row.sql)?.[1]?.toUpperCase() as 'UPDATE' | 'DELETE';
		const message = /RAISE\(ABORT, '((?:[^']|'')*)'\)/.exec(row.sql)![1]!.replaceAll("''", "'");
		return { name: row.name, table: row.table, event, message, permitted: row.sql.includes('record_disposal_permit') };
	});
}

/** Values for a seeded row: the ids the disposal conditions join on, anything else for the rest. */
const SEEDED: Record<string, unknown> = {
	workspace_id: 'W1',
	learner_id: 'L1',
	owner_id: 'L1',
	sample_id: 'S1',
	action_id: 'A1',
	decision_id: 'D1',
	submitted_at: '2026-01-01T00:00:00.000Z',
	revoked_at: '2026-01-01T00:00:00.000Z',
	at: '2999-01-01T00:00:00.000Z'
};
const SEEDED_IDS: Record<string, string> = { attempt: 'AT1', iqa_sample: 'S1', iqa_action: 'A1', assessment_decision: 'D1', workplace_decision: 'D1' };

/** Inserts one row with every not-null column filled, foreign keys and triggers off (replica mode, superuser). */
async function seedRow(client: pg.Client, table: string): Promise<void> {
	const columns = (
		await client.query(
			"select column_name, data_type, is_nullable, column_default, is_identity from information_schema.columns where table_schema = 'public' and table_name = $1",
			[table]
		)
	).rows.filter((c) => c.column_name in SEEDED || (c.is_nullable === 'NO' && c.column_default === null && c.is_identity === 'NO'));
	const value = (c: { column_name: string; data_type: string }) =>
		c.column_name === 'id' ? (SEEDED_IDS[table] ?? `${table}-1`) : c.column_name in SEEDED ? SEEDED[c.column_name] : c.data_type === 'boolean' ? false : c.data_type === 'bigint' ? 1 : c.data_type === 'text' ? `${c.column_name}-1` : null;
	await client.query(
		`insert into ${table} (${columns.map((c) => `"${c.column_name}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
		columns.map(value)
	);
}

describe('PostgreSQL triggers', () => {
	const triggers = sqliteTriggers();
	let client: pg.Client;
	beforeAll(async () => {
		client = await postgres.connect();
		await client.query('set session_replication_role = replica');
		for (const table of new Set([...triggers.map((t) => t.table), 'attempt', 'iqa_sample', 'iqa_action', 'assessment_decision', 'workplace_decision'])) await seedRow(client, table);
		await client.query('set session_replication_role = origin');
	});
	afterAll(async () => {
		await client?.end();
	});

	it('include one of the same name on the same table for every SQLite trigger that guards a table', async () => {
		const pgTriggers = (await client.query('select c.relname as table, t.tgname as name from pg_trigger t join pg_class c on c.oid = t.tgrelid where not t.tgisinternal')).rows.map(
			(r) => `${r.table}.${r.name}`
		);
		expect(triggers.length).toBeGreaterThan(30);
		for (const trigger of triggers) expect(pgTriggers).toContain(`${trigger.table}.${trigger.name}`);
	});

	it.each(sqliteTriggers().map((t) => [t.name, t] as const))('%s refuses with SQLite’s message', async (_name, trigger) => {
		const column = (await client.query("select column_name from information_schema.columns where table_schema = 'public' and table_name = $1 order by ordinal_position limit 1", [trigger.table])).rows[0].column_name as string;
		const statement = trigger.event === 'UPDATE' ? `update ${trigger.table} set "${column}" = "${column}"` : `delete from ${trigger.table}`;
		expect(await refusal(client, statement)).toBe(trigger.message);
	});

	it('admit a delete of a learner’s signed records only while the disposing transaction holds their permit', async () => {
		// As a disposal does it: referencing records first, all in the transaction that holds the permit.
		const order = [
			'audit_entry',
			'decision_countersignature',
			'workplace_decision_countersignature',
			'portfolio_document',
			'iqa_action_event',
			'iqa_sample_round',
			'iqa_sample_snapshot',
			'work_lock_event',
			'iqa_action',
			'assessment_decision',
			'workplace_decision'
		];
		const gated = triggers.filter((t) => t.event === 'DELETE' && t.permitted).map((t) => t.table);
		expect([...gated].sort()).toEqual([...order].sort());
		await client.query('begin');
		await client.query("insert into record_disposal_permit (learner_id, created_at) values ('L1', '2026-01-01T00:00:00.000Z')");
		const deleted: string[] = [];
		for (const table of order) {
			deleted.push(
				await client.query(`delete from ${table}`).then(
					(r) => `${table}: ${r.rowCount}`,
					(e: Error) => `${table}: ${e.message}`
				)
			);
		}
		await client.query('rollback');
		expect(deleted).toEqual(order.map((table) => `${table}: 1`));
		// Another learner's permit admits nothing.
		await client.query('begin');
		await client.query("insert into record_disposal_permit (learner_id, created_at) values ('L2', '2026-01-01T00:00:00.000Z')");
		expect(await refusal(client, 'delete from assessment_decision')).toBe('a signed decision cannot be deleted');
		await client.query('rollback');
	});

	it('let security events go once the centre’s retention period has passed, and refuse TRUNCATE', async () => {
		await client.query('set session_replication_role = replica');
		await client.query("insert into security_event (at, type) values ('2001-01-01T00:00:00.000Z', 'old')");
		await client.query('set session_replication_role = origin');
		expect(await refusal(client, "delete from security_event where type = 'old'")).toBe('no error');
		expect(await refusal(client, 'delete from security_event')).toBe('security events are kept for the retention period');
		expect(await refusal(client, 'truncate audit_entry')).toBe('audit_entry cannot be truncated');
	});

	it('change a draft EQA report and an access not yet revoked', async () => {
		await client.query('set session_replication_role = replica');
		await client.query("update eqa_report set submitted_at = null; update eqa_access set revoked_at = null");
		await client.query('set session_replication_role = origin');
		expect(await refusal(client, "update eqa_report set submitted_at = '2026-02-02T00:00:00.000Z'")).toBe('no error');
		expect(await refusal(client, "update eqa_access set revoked_at = '2026-02-02T00:00:00.000Z'")).toBe('no error');
		expect(await refusal(client, "update eqa_access set revoked_at = null")).toBe('a revoked EQA access cannot be changed');
	});
});

describe('the audit chain on PostgreSQL', () => {
	const workspaceId = 'chain-ws';
	beforeAll(async () => {
		await postgres.pool.query(
			"insert into workspace (id, organisation_name, region, policy_mode, dpo_name, dpo_email, settings, created_at) values ($1, 'Chain Ltd', 'england-and-wales', 'enforce', 'D', 'd@example.com', '{}', '2026-01-01T00:00:00.000Z')",
			[workspaceId]
		);
	});

	/** One append as the core will make it: lock the head, read it, insert after it. */
	async function append(client: pg.Client, label: string, options: { lock: boolean; beforeInsert?: () => Promise<void> } = { lock: true }): Promise<void> {
		await client.query('begin');
		try {
			if (options.lock) await run(client, lockChainHead(workspaceId));
			const head = (await run(client, chainHead(workspaceId))).rows[0] as { seq: string; hash: string } | undefined;
			await options.beforeInsert?.();
			const seq = Number(head?.seq ?? 0) + 1;
			const prevHash = head?.hash ?? '0'.repeat(64);
			const hash = createHash('sha256').update(prevHash).update(`${seq}:${label}`).digest('hex');
			await client.query(
				"insert into audit_entry (id, workspace_id, seq, at, actor_id, actor_role, action, fields, details, prev_hash, hash) values ($1, $2, $3, '2026-01-01T00:00:00.000Z', 'a', 'agent', $4, '[]', '{}', $5, $6)",
				[`${workspaceId}-${seq}-${label}`, workspaceId, seq, label, prevHash, hash]
			);
			await client.query('commit');
		} catch (error) {
			await client.query('rollback');
			throw error;
		}
	}

	async function chain() {
		return (await postgres.pool.query('select seq, prev_hash, hash from audit_entry where workspace_id = $1 order by seq', [workspaceId])).rows as { seq: string; prev_hash: string; hash: string }[];
	}

	function continuous(entries: { seq: string; prev_hash: string; hash: string }[]): boolean {
		return entries.every((e, i) => Number(e.seq) === i + 1 && e.prev_hash === (i === 0 ? '0'.repeat(64) : entries[i - 1]!.hash));
	}

	it('without the lock, two writers read the same head and the second append is refused', async () => {
		const [a, b] = [await postgres.connect(), await postgres.connect()];
		let bRead!: () => void;
		const bHasRead = new Promise<void>((done) => (bRead = done));
		let aWrote!: () => void;
		const aHasWritten = new Promise<void>((done) => (aWrote = done));
		const first = append(a, 'a', { lock: false, beforeInsert: () => bHasRead }).then(() => aWrote());
		const second = append(b, 'b', { lock: false, beforeInsert: async () => (bRead(), await aHasWritten) });
		await first;
		await expect(second).rejects.toThrow(/audit_entry_seq_unique/);
		await Promise.all([a.end(), b.end()]);
	});

	it('with the lock, a second writer waits for the first and appends after its entry', async () => {
		const [a, b] = [await postgres.connect(), await postgres.connect()];
		const bPid = (await b.query('select pg_backend_pid() as pid')).rows[0]?.pid as number;
		let aRead!: () => void;
		const aHasRead = new Promise<void>((done) => (aRead = done));
		let release!: () => void;
		const released = new Promise<void>((done) => (release = done));
		const first = append(a, 'a', { lock: true, beforeInsert: async () => (aRead(), await released) });
		await aHasRead;
		let bDone = false;
		const second = append(b, 'b', { lock: true }).then(() => (bDone = true));
		// b queues on the workspace row while a's transaction is open.
		while (!(await postgres.pool.query("select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'", [bPid])).rowCount) {
			await new Promise((next) => setImmediate(next));
		}
		expect(bDone).toBe(false);
		release();
		await Promise.all([first, second]);
		expect(continuous(await chain())).toBe(true);
		await Promise.all([a.end(), b.end()]);
	});

	it('keeps the chain continuous under concurrent writers on separate connections', async () => {
		const writers = await Promise.all([1, 2, 3].map(() => postgres.connect()));
		const before = (await chain()).length;
		await Promise.all(writers.map(async (client, w) => {
			for (let i = 0; i < 15; i++) await append(client, `w${w}-${i}`);
		}));
		const entries = await chain();
		expect(entries.length).toBe(before + 45);
		expect(continuous(entries)).toBe(true);
		await Promise.all(writers.map((c) => c.end()));
	});
});
