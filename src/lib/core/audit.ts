import { createHash } from 'node:crypto';
import type { CoreContext } from './context';
import { inTransaction, preparedStatements, type Db, type Statement } from './database';
import { openPgTransaction } from './postgres';
import { isAuditAction, type AuditAction, type AuditSubjectType } from './audit-actions';
import { canonicalJson } from './canonical-json';

export { AUDIT_ACTIONS, AUDIT_SUBJECT_TYPES, isAuditAction, type AuditAction, type AuditSubjectType } from './audit-actions';

/** A JSON value of non-personal facts: codes, outcomes, counts, purpose codes, related ids. */
export type AuditValue = string | number | boolean | null | AuditValue[] | { [key: string]: AuditValue };
export type AuditDetails = { [key: string]: AuditValue };

/** What an operation appends. Never a personal value: subjects are ids, fields are names. */
export interface AuditInput {
	action: AuditAction;
	subjectType?: AuditSubjectType;
	subject?: string;
	fields?: readonly string[];
	details?: AuditDetails;
}

/** An entry as readers see it, with fields and details parsed. */
export interface AuditRecord {
	seq: number;
	id: string;
	workspaceId: string;
	at: string;
	actorId: string;
	actorRole: string;
	action: AuditAction;
	subjectType: AuditSubjectType | null;
	subject: string | null;
	fields: string[];
	details: AuditDetails;
	prevHash: string;
	hash: string;
}

export type AuditVerification =
	| { ok: true; entries: number; head: string }
	| { ok: false; firstBadSeq: number; reason: string };

/** The prev_hash of a workspace's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

interface StoredEntry {
	seq: number;
	id: string;
	workspace_id: string;
	at: string;
	actor_id: string;
	actor_role: string;
	action: string;
	subject_type: string | null;
	subject: string | null;
	fields: string;
	details: string;
	prev_hash: string;
	hash: string;
}

/**
 * hash_n = SHA-256(hash_n-1 ‖ canonical form of entry n) (DOMAIN.md §7): the hex prev_hash, then
 * the RFC 8785 canonical JSON (canonical-json.ts) of every column but the hashes, with fields and details as JSON values. Stored
 * fields and details must themselves be canonical text, so the stored bytes are what was hashed.
 */
function entryHash(row: Omit<StoredEntry, 'hash' | 'fields' | 'details'>, fields: unknown, details: unknown): string {
	const canonical = canonicalJson({
		seq: row.seq,
		id: row.id,
		workspaceId: row.workspace_id,
		at: row.at,
		actorId: row.actor_id,
		actorRole: row.actor_role,
		action: row.action,
		subjectType: row.subject_type,
		subject: row.subject,
		fields,
		details
	});
	return createHash('sha256').update(row.prev_hash).update(canonical).digest('hex');
}

interface Statements {
	head: Statement<[string], { seq: number; hash: string }>;
	insert: Statement<StoredEntry, unknown>;
	all: Statement<[string], StoredEntry>;
	lockHead: Statement<[string], unknown>;
}

const statements = preparedStatements<Statements>((client) => ({
		head: client.prepare<[string], { seq: number; hash: string }>('select seq, hash from audit_entry where workspace_id = ? order by seq desc limit 1'),
		insert: client.prepare<StoredEntry>(
			`insert into audit_entry (seq, id, workspace_id, at, actor_id, actor_role, action, subject_type, subject, fields, details, prev_hash, hash)
			 values (@seq, @id, @workspace_id, @at, @actor_id, @actor_role, @action, @subject_type, @subject, @fields, @details, @prev_hash, @hash)`
		),
		all: client.prepare<[string], StoredEntry>('select * from audit_entry where workspace_id = ? order by seq'),
		// PostgreSQL only (audit-chain-pg.ts lockChainHead): FOR NO KEY UPDATE, which SQLite does not parse.
		lockHead: client.prepare<[string], unknown>(client.engine === 'postgres' ? 'select 1 from workspace where id = ? for no key update' : 'select 1 where ? is not null')
}));

/**
 * Appends one entry to the workspace's chain. Call it inside the operation's write transaction,
 * so the act and its record commit together and no other writer can take the same seq.
 */
export async function appendAudit(ctx: CoreContext, input: AuditInput): Promise<AuditRecord> {
	if (!inTransaction()) throw new Error('appendAudit must run inside a write transaction');
	if (!isAuditAction(input.action)) throw new Error(`unknown audit action "${input.action}"`);
	const stmts = statements(ctx.db);
	// PostgreSQL: two transactions could read the same head and fork the chain; the first append to a
	// workspace in a transaction locks its row, which every appender takes (audit-chain-pg.ts).
	const open = openPgTransaction();
	if (open && !open.held.has(`chain:${ctx.workspaceId}`)) {
		await stmts.lockHead.run(ctx.workspaceId);
		open.held.add(`chain:${ctx.workspaceId}`);
	}
	const head = await stmts.head.get(ctx.workspaceId);
	const fields = [...(input.fields ?? [])];
	const details = input.details ?? {};
	const row: Omit<StoredEntry, 'hash'> = {
		seq: (head?.seq ?? 0) + 1,
		id: ctx.ids(),
		workspace_id: ctx.workspaceId,
		at: ctx.clock(),
		actor_id: ctx.actor.id,
		actor_role: ctx.actor.role,
		action: input.action,
		subject_type: input.subjectType ?? null,
		subject: input.subject ?? null,
		fields: canonicalJson(fields),
		details: canonicalJson(details),
		prev_hash: head?.hash ?? GENESIS_HASH
	};
	const stored: StoredEntry = { ...row, hash: entryHash(row, fields, details) };
	await stmts.insert.run(stored);
	return toRecord(stored, fields, JSON.parse(stored.details) as AuditDetails);
}

function toRecord(row: StoredEntry, fields: string[], details: AuditDetails): AuditRecord {
	return {
		seq: row.seq,
		id: row.id,
		workspaceId: row.workspace_id,
		at: row.at,
		actorId: row.actor_id,
		actorRole: row.actor_role,
		action: row.action as AuditAction,
		subjectType: row.subject_type as AuditSubjectType | null,
		subject: row.subject,
		fields,
		details,
		prevHash: row.prev_hash,
		hash: row.hash
	};
}

/** Parses stored JSON and insists it is in canonical form, so that no byte can change unseen. */
function parseCanonical(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		const value: unknown = JSON.parse(text);
		return canonicalJson(value) === text ? { ok: true, value } : { ok: false };
	} catch {
		return { ok: false };
	}
}

/**
 * Recomputes the workspace's chain from seq 1 and names the first entry that does not match: a
 * gap in seq (a deleted entry), a broken link to the previous hash (deleted or reordered), stored
 * JSON changed, or a hash that does not match the content. Removing entries from the end leaves a
 * valid shorter chain; detecting that needs the head hash kept elsewhere (compare RFC 9162 signed
 * tree heads).
 */
export async function verifyAuditChain(db: Db, workspaceId: string): Promise<AuditVerification> {
	let expectedSeq = 1;
	let prev = GENESIS_HASH;
	for (const row of await statements(db).all.iterate(workspaceId)) {
		if (row.seq !== expectedSeq) {
			return { ok: false, firstBadSeq: expectedSeq, reason: `entry ${expectedSeq} is missing (next entry found is ${row.seq})` };
		}
		if (row.prev_hash !== prev) {
			return { ok: false, firstBadSeq: row.seq, reason: `entry ${row.seq} does not link to the hash of entry ${row.seq - 1}` };
		}
		const fields = parseCanonical(row.fields);
		const details = parseCanonical(row.details);
		if (!fields.ok || !details.ok) {
			return { ok: false, firstBadSeq: row.seq, reason: `entry ${row.seq} has altered fields or details` };
		}
		const { hash, ...content } = row;
		if (entryHash(content, fields.value, details.value) !== hash) {
			return { ok: false, firstBadSeq: row.seq, reason: `entry ${row.seq} does not match its hash` };
		}
		prev = hash;
		expectedSeq++;
	}
	return { ok: true, entries: expectedSeq - 1, head: prev };
}

/** The workspace's audit entries in order, parsed, for readers (marking, transcripts, SARs). */
export async function auditEntries(db: Db, workspaceId: string): Promise<AuditRecord[]> {
	return (await statements(db)
		.all.all(workspaceId))
		.map((row) => toRecord(row, JSON.parse(row.fields) as string[], JSON.parse(row.details) as AuditDetails));
}
