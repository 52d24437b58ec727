import type { CoreContext } from './context';
import { inTransaction, preparedStatements, type Db, type Statement } from './database';
import { openPgTransaction } from './postgres';
import { isAuditAction, type AuditAction, type AuditSubjectType } from './audit-actions';
import { canonicalJson, sha256Hex } from './canonical-json';
import { entryHash, FIELDS_SEPARATOR, type EntryColumns } from './audit-hash';

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

/** The columns the verifier reads, as an array per row (no object per row: it reads a whole chain). */
type ChainRow = [
	seq: number,
	id: string,
	at: string,
	actorId: string,
	actorRole: string,
	action: string,
	subjectType: string | null,
	subject: string | null,
	fields: string,
	details: string,
	prevHash: string,
	hash: string
];
const CHAIN_COLUMNS = 'seq, id, at, actor_id, actor_role, action, subject_type, subject, fields, details, prev_hash, hash';
/** Rows read at a time: a query's rows come all at once, so a long chain is read in pages. */
const CHAIN_PAGE = 1_000;

type InsertRow = [
	seq: number,
	id: string,
	workspaceId: string,
	at: string,
	actorId: string,
	actorRole: string,
	action: string,
	subjectType: string | null,
	subject: string | null,
	fields: string,
	details: string,
	prevHash: string,
	hash: string
];

interface Statements {
	head: Statement<[string], { seq: number; hash: string }>;
	insert: Statement<InsertRow, unknown>;
	all: Statement<[string], StoredEntry>;
	firstPage: Statement<[workspaceId: string, limit: number], unknown>;
	nextPage: Statement<[workspaceId: string, afterSeq: number, limit: number], unknown>;
	lockHead: Statement<[string], unknown>;
}

const statements = preparedStatements<Statements>((client) => ({
	head: client.prepare<[string], { seq: number; hash: string }>('select seq, hash from audit_entry where workspace_id = ? order by seq desc limit 1'),
	insert: client.prepare<InsertRow>(
		`insert into audit_entry (seq, id, workspace_id, at, actor_id, actor_role, action, subject_type, subject, fields, details, prev_hash, hash)
		 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	),
	all: client.prepare<[string], StoredEntry>('select * from audit_entry where workspace_id = ? order by seq'),
	// Keyset pages from the lowest seq there is (not from seq 1: a row moved below it must be seen).
	firstPage: client.prepare(`select ${CHAIN_COLUMNS} from audit_entry where workspace_id = ? order by seq limit ?`),
	nextPage: client.prepare(`select ${CHAIN_COLUMNS} from audit_entry where workspace_id = ? and seq > ? order by seq limit ?`),
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
	// Stored as canonical text, so the stored bytes are the bytes hashed (audit-hash.ts).
	const entry: EntryColumns = {
		seq: (head?.seq ?? 0) + 1,
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		at: ctx.clock(),
		actorId: ctx.actor.id,
		actorRole: ctx.actor.role,
		action: input.action,
		subjectType: input.subjectType ?? null,
		subject: input.subject ?? null,
		fields: canonicalJson(fields),
		details: canonicalJson(input.details ?? {})
	};
	const prevHash = head?.hash ?? GENESIS_HASH;
	const hash = entryHash(prevHash, entry);
	const { seq, id, workspaceId, at, actorId, actorRole, subject } = entry;
	await stmts.insert.run(seq, id, workspaceId, at, actorId, actorRole, input.action, entry.subjectType, subject, entry.fields, entry.details, prevHash, hash);
	const details = JSON.parse(entry.details) as AuditDetails;
	return { seq, id, workspaceId, at, actorId, actorRole, action: input.action, subjectType: input.subjectType ?? null, subject, fields, details, prevHash, hash };
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
 * What is wrong with an entry whose quick check failed, or undefined: the check made the plain way,
 * fields and details parsed and required canonical, the object encoded whole by canonicalJson.
 */
function examine(entry: EntryColumns, prevHash: string, hash: string): string | undefined {
	const fields = parseCanonical(entry.fields);
	const details = parseCanonical(entry.details);
	if (!fields.ok || !details.ok) return `entry ${entry.seq} has altered fields or details`;
	const canonical = canonicalJson({ ...entry, fields: fields.value, details: details.value });
	return sha256Hex(prevHash + canonical) === hash ? undefined : `entry ${entry.seq} does not match its hash`;
}

/**
 * Recomputes the workspace's chain from seq 1 and names the first entry that does not match: a
 * gap in seq (a deleted entry), a broken link to the previous hash (deleted or reordered), stored
 * JSON changed, or a hash that does not match the content. Removing entries from the end leaves a
 * valid shorter chain; detecting that needs the head hash kept elsewhere (compare RFC 9162 signed
 * tree heads).
 *
 * Each entry is checked quickly: its stored bytes hashed as they are (audit-hash.ts). A changed
 * fields or details text, canonical or not, changes the bytes hashed, so the hash no longer
 * matches; only bytes moved across the boundary between details and fields could leave them the
 * same, and such a move leaves FIELDS_SEPARATOR inside one of the two. An entry that fails the
 * quick check, or has that separator inside, is examined the plain way, which decides and words
 * the reason. The one thing the quick check passes that the plain one refused: fields or details
 * stored as non-canonical JSON whose hash was recomputed over those very bytes, which only someone
 * forging the chain could do, who could as well have written canonical text.
 */
export async function verifyAuditChain(db: Db, workspaceId: string): Promise<AuditVerification> {
	const stmts = statements(db);
	const chain: ChainSoFar = { expectedSeq: 1, prev: GENESIS_HASH };
	let page = await stmts.firstPage.values(workspaceId, CHAIN_PAGE);
	for (;;) {
		// The next page is asked for before this one is checked, so the database reads it meanwhile.
		const next = page.length === CHAIN_PAGE ? stmts.nextPage.values(workspaceId, (page.at(-1) as ChainRow)[0], CHAIN_PAGE) : undefined;
		const failure = checkPage(page as ChainRow[], workspaceId, chain);
		if (failure) {
			void next?.catch(() => undefined);
			return failure;
		}
		if (!next) return { ok: true, entries: chain.expectedSeq - 1, head: chain.prev };
		page = await next;
	}
}

interface ChainSoFar {
	expectedSeq: number;
	prev: string;
}

/** Checks a page of the chain from where `chain` stands, and moves it on; the first failure, if any. */
function checkPage(page: ChainRow[], workspaceId: string, chain: ChainSoFar): AuditVerification | undefined {
	for (const [seq, id, at, actorId, actorRole, action, subjectType, subject, fields, details, prevHash, hash] of page) {
		if (seq !== chain.expectedSeq) {
			return { ok: false, firstBadSeq: chain.expectedSeq, reason: `entry ${chain.expectedSeq} is missing (next entry found is ${seq})` };
		}
		if (prevHash !== chain.prev) {
			return { ok: false, firstBadSeq: seq, reason: `entry ${seq} does not link to the hash of entry ${seq - 1}` };
		}
		const entry: EntryColumns = { seq, id, workspaceId, at, actorId, actorRole, action, subjectType, subject, fields, details };
		if (entryHash(prevHash, entry) !== hash || fields.includes(FIELDS_SEPARATOR) || details.includes(FIELDS_SEPARATOR)) {
			const reason = examine(entry, prevHash, hash);
			if (reason !== undefined) return { ok: false, firstBadSeq: seq, reason };
		}
		chain.prev = hash;
		chain.expectedSeq++;
	}
	return undefined;
}

/** The workspace's audit entries in order, parsed, for readers (marking, transcripts, SARs). */
export async function auditEntries(db: Db, workspaceId: string): Promise<AuditRecord[]> {
	return (await statements(db)
		.all.all(workspaceId))
		.map((row) => toRecord(row, JSON.parse(row.fields) as string[], JSON.parse(row.details) as AuditDetails));
}
