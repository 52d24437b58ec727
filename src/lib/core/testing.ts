import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { auditEntries, type AuditRecord } from './audit';
import type { Actor, CoreContext } from './context';
import { seededIds } from './context';
import { sql } from 'drizzle-orm';
import { DEFAULT_MIGRATIONS_FOLDER, dbExec, engineOf, openDatabase, type Db } from './database';
import { closeTestDatabase, noteTriggersOff, openTestDatabase } from './testing-database';
import { createWorkspace, type Workspace, type WorkspaceInput } from './workspace';

/** A clock tests move by hand. */
export interface TestClock {
	/** The current instant (ISO 8601 UTC); what ctx.clock returns. */
	now(): string;
	advance(ms: number): string;
	set(iso: string): string;
}

export interface TestContext {
	/** Pass this to core operations. */
	ctx: CoreContext;
	workspace: Workspace;
	clock: TestClock;
	/** The same workspace, database, clock and ids, acting as someone else. */
	as(actor: Actor): CoreContext;
	close(): void;
}

export interface TestContextOptions {
	/** Start instant; default 2025-03-03T09:00:00.000Z (a Monday). */
	now?: string;
	seed?: string | number;
	actor?: Actor;
	workspace?: Partial<WorkspaceInput>;
}

export const TEST_AGENT: Actor = { id: 'agent-1', name: 'Test Agent', role: 'agent' };

export function fixedClock(start: string): TestClock {
	let current = Date.parse(start);
	if (Number.isNaN(current)) throw new Error(`fixedClock: ${start} is not an ISO instant`);
	const now = () => new Date(current).toISOString();
	return {
		now,
		advance(ms) {
			current += ms;
			return now();
		},
		set(iso) {
			const next = Date.parse(iso);
			if (Number.isNaN(next)) throw new Error(`fixedClock: ${iso} is not an ISO instant`);
			current = next;
			return now();
		}
	};
}

/** Where test contexts are kept until their test ends, once a file asked for that. */
let closing: TestContext[] | null = null;

/**
 * Call once at the top of a test file: every test context made from then on (by createTestContext
 * or anything built on it) is closed when the test that made it ends.
 */
export function closeTestContextsAfterEach(): void {
	const made: TestContext[] = [];
	closing = made;
	afterEach(() => {
		for (const t of made.splice(0)) t.close();
	});
}

/** The value of a result a fixture relies on; a refusal means the fixture is broken, so it throws. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

/** The newest entry in the test workspace's audit log. */
export async function lastAudit(t: TestContext): Promise<AuditRecord> {
	return (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
}

/**
 * Turns a trigger off (the audit log's append-only guards, say), as someone holding the database
 * itself could: for tests of what the hashes catch once the triggers are gone. SQLite, having no
 * way to turn one off, drops it; PostgreSQL disables it (on again before the database's next test).
 */
export async function disableTrigger(db: Db, table: string, trigger: string): Promise<void> {
	if (engineOf(db) === 'sqlite') {
		await dbExec(db, sql.raw(`drop trigger ${trigger}`));
		return;
	}
	noteTriggersOff(db, table);
	await dbExec(db, sql.raw(`alter table "${table}" disable trigger ${trigger}`));
}

/**
 * The database's own words for a failed statement (a trigger's RAISE, a constraint): on PostgreSQL
 * drizzle wraps the driver's error in "Failed query: …", with the server's message as its cause.
 */
export function databaseMessage(error: unknown): string {
	let innermost: unknown = error;
	while (innermost instanceof Error && innermost.cause instanceof Error) innermost = innermost.cause;
	return innermost instanceof Error ? innermost.message : String(innermost);
}

/** What the database said refusing a statement (databaseMessage); throws when it went through. */
export async function refusal(statement: Promise<unknown>): Promise<string> {
	try {
		await statement;
	} catch (error) {
		return databaseMessage(error);
	}
	throw new Error('the statement was not refused');
}

/**
 * A fresh database with every migration (SQLite in memory, or PostgreSQL with TEST_DATABASE=postgres:
 * testing-database.ts), one workspace (record mode unless asked otherwise), a clock that only moves
 * when told, and seeded ids: the one set-up every core test uses.
 */
export async function createTestContext(options: TestContextOptions = {}): Promise<TestContext> {
	const db = await openTestDatabase();
	const clock = fixedClock(options.now ?? '2025-03-03T09:00:00.000Z');
	const ids = seededIds(options.seed ?? 'test');
	const actor = options.actor ?? TEST_AGENT;
	const created = await createWorkspace(
		{ db, actor, clock: clock.now, ids },
		{
			organisationName: 'Northwind Utilities Ltd',
			region: 'england-and-wales',
			policyMode: 'record',
			dpoName: 'Dana Protection',
			dpoEmail: 'dpo@northwind.example',
			...options.workspace
		}
	);
	if (!created.ok) throw new Error(`createTestContext: ${created.error.message}`);
	const ctx: CoreContext = { db, workspaceId: created.value.id, actor, clock: clock.now, ids };
	const t: TestContext = {
		ctx,
		workspace: created.value,
		clock,
		as: (other) => ({ ...ctx, actor: other }),
		close: () => {
			closeTestDatabase(db);
			const kept = waiting?.indexOf(t) ?? -1;
			if (kept >= 0) waiting!.splice(kept, 1);
		}
	};
	const waiting = closing;
	waiting?.push(t);
	return t;
}

/**
 * Runs `use` on a new in-memory database migrated up to, not including, the migration whose tag
 * ends with `tagSuffix` (the schema as it was before it), for tests of what that migration does to
 * rows written before it. The migrations folder is copied and its journal cut; both are removed after.
 */
export async function withDatabaseBefore<T>(tagSuffix: string, use: (db: Db) => T | Promise<T>): Promise<T> {
	const folder = mkdtempSync(join(tmpdir(), 'custodian-migrations-'));
	try {
		cpSync(DEFAULT_MIGRATIONS_FOLDER, folder, { recursive: true });
		const journalPath = join(folder, 'meta', '_journal.json');
		const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
		const cut = journal.entries.find((e) => e.tag.endsWith(tagSuffix));
		if (!cut) throw new Error(`no migration tagged …${tagSuffix}`);
		writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < cut.idx) }));
		const db = openDatabase(':memory:', { migrationsFolder: folder });
		try {
			return await use(db);
		} finally {
			if (db.$client.open) db.$client.close();
		}
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
}
