/**
 * Retention of the centre's own records about its learners (issue 17 item 7).
 *
 * Two classes, each kept for a number of years after the learner's certification (the centre's
 * settings, three by default): learner evidence (attempts and their simulated record systems,
 * reflections, witness testimony, observations, workplace evidence and its files) and assessment
 * and IQA decisions (signed decisions, countersignatures, IQA samples, the register of issued
 * documents). A legal hold keeps everything of a learner until it is released. Disposal runs on the
 * scheduled job and on an administrator's request; each disposal is a row of `record_disposal`
 * (counts only) and a security-log event. The security log has its own period (security/retention.ts).
 *
 * A signed decision keeps a copy of the evidence it judged: disposing of the evidence before the
 * decisions leaves that copy with the decision, as part of the signed record. An attempt's own row
 * (scenario, dates) stays while a decision or document names it, and goes with the second class.
 */
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { dbGet, dbRun, dbAll, dbExec, dbQuery, engineOf, writeTransaction, type Db } from '$lib/core/database';
import { organisation, reflection, user, userRole } from '$lib/server/db/schema';
import { assessmentDecision, assessmentDraft, decisionCountersignature, observationRecord, portfolioDocument, witnessTestimony } from '$lib/server/db/assessment';
import { disposeSampleRecords } from '$lib/server/iqa/records';
import { iqaSample, learnerStanding, LEARNER_STATUSES, type LearnerStatus } from '$lib/server/db/quality';
import { upload, workplaceEvidence, workplaceEvidenceFile } from '$lib/server/db/evidence';
import { workplaceDecision, workplaceDecisionCountersignature } from '$lib/server/db/workplace-decisions';
import type { StoredFile } from '$lib/server/uploads/storage';
import { storageOf } from '$lib/server/uploads/stores';
import { legalHold, recordDisposal, recordDisposalPermit, RECORD_CLASSES, type RecordClass } from '$lib/server/db/records';
import { attempt, attemptAction, attemptDesk, attemptEvent, attemptTranscript } from '$lib/sim/schema';
import { recordActorEvent, recordSecurityEvent, type Actor } from '$lib/server/security/events';
import { ukToday } from '$lib/dates';
import { forgetAttemptStatements } from '$lib/server/xapi/outbox';
import { forgetAttemptGrades } from '$lib/server/lti/services/grade-return';

export const RECORD_CLASS_LABELS: Record<RecordClass, string> = {
	evidence: 'Learner evidence',
	decisions: 'Assessment and IQA decisions'
};

export const RECORD_CLASS_CONTENTS: Record<RecordClass, string> = {
	evidence: 'simulation attempts and their record systems, reflections, witness testimony, observations, workplace evidence and its files',
	decisions: 'signed assessment decisions, countersignatures, IQA samples and the register of issued portfolio documents'
};

export const LEARNER_STATUS_LABELS: Record<LearnerStatus, string> = {
	'in-training': 'In training',
	completed: 'Completed',
	withdrawn: 'Withdrawn'
};

export const RETENTION_MIN_YEARS = 1;
export const RETENTION_MAX_YEARS = 50;

type Errors = Partial<Record<string, string>>;
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; errors: Errors };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
	if (!DATE.test(value)) return false;
	const d = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The date `years` after `isoDate`; 29 February moves to 1 March in a year without one. */
export function addYears(isoDate: string, years: number): string {
	const [y = 0, m = 1, d = 1] = isoDate.split('-').map(Number);
	return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Settings

export interface RetentionSettings {
	evidenceYears: number;
	decisionYears: number;
}

export async function retentionSettingsOf(db: Db, organisationId: string): Promise<RetentionSettings> {
	const row = await dbGet(db
		.select({ evidenceYears: organisation.evidenceRetentionYears, decisionYears: organisation.decisionRetentionYears })
		.from(organisation)
		.where(eq(organisation.id, organisationId)));
	return row ?? { evidenceYears: 3, decisionYears: 3 };
}

function years(value: string, field: string, errors: Errors): number {
	const text = value.trim();
	if (!/^\d{1,3}$/.test(text)) {
		errors[field] = 'Enter the period as a whole number of years, like 3.';
		return 0;
	}
	const n = Number(text);
	if (n < RETENTION_MIN_YEARS || n > RETENTION_MAX_YEARS) errors[field] = `Keep records from ${RETENTION_MIN_YEARS} to ${RETENTION_MAX_YEARS} years after certification.`;
	return n;
}

export async function saveRetentionSettings(db: Db, organisationId: string, input: { evidenceYears: string; decisionYears: string }, by: Actor): Promise<Result<RetentionSettings>> {
	const errors: Errors = {};
	const evidenceYears = years(input.evidenceYears, 'evidenceYears', errors);
	const decisionYears = years(input.decisionYears, 'decisionYears', errors);
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const before = await retentionSettingsOf(db, organisationId);
	await writeTransaction(db, async () => {
			await dbRun(db.update(organisation).set({ evidenceRetentionYears: evidenceYears, decisionRetentionYears: decisionYears, updatedAt: new Date().toISOString() }).where(eq(organisation.id, organisationId)));
			await recordActorEvent(db, by, {
				type: 'settings.changed',
				detail: { setting: 'record-retention', evidenceYears: `${before.evidenceYears} → ${evidenceYears}`, decisionYears: `${before.decisionYears} → ${decisionYears}` }
			});
		});
	return { ok: true, value: { evidenceYears, decisionYears } };
}

// ---------------------------------------------------------------------------------------------
// Where a learner stands

export interface StandingView {
	status: LearnerStatus;
	statusOn: string | null;
	certifiedOn: string | null;
	note: string;
	updatedAt: string | null;
}

export async function learnerStandingOf(db: Db, learnerId: string): Promise<StandingView> {
	const row = await dbGet(db.select().from(learnerStanding).where(eq(learnerStanding.learnerId, learnerId)));
	if (!row) return { status: 'in-training', statusOn: null, certifiedOn: null, note: '', updatedAt: null };
	return { status: row.status, statusOn: row.statusOn, certifiedOn: row.certifiedOn, note: row.note, updatedAt: row.updatedAt };
}

export interface StandingInput {
	status: string;
	statusOn: string;
	certifiedOn: string;
	note: string;
}

/** Records where a learner of the centre stands; certification needs the programme completed. */
export async function setLearnerStanding(db: Db, organisationId: string, learnerId: string, input: StandingInput, by: Actor, now = new Date()): Promise<Result<StandingView>> {
	const errors: Errors = {};
	const status = input.status as LearnerStatus;
	if (!(LEARNER_STATUSES as readonly string[]).includes(input.status)) errors.status = 'Choose in training, completed or withdrawn.';
	const statusOn = input.statusOn.trim();
	const today = ukToday(now);
	if (!validDate(statusOn)) errors.statusOn = 'Enter the date as a real date, like 2026-07-31.';
	else if (statusOn > today) errors.statusOn = 'The date cannot be in the future.';
	const certifiedOn = input.certifiedOn.trim();
	if (certifiedOn !== '') {
		if (!validDate(certifiedOn)) errors.certifiedOn = 'Enter the date as a real date, like 2026-09-30, or leave it empty.';
		else if (certifiedOn > today) errors.certifiedOn = 'The certification date cannot be in the future.';
		else if (status !== 'completed' && !errors.status) errors.certifiedOn = 'Only a learner who completed the programme can be certificated: set the status to completed.';
		else if (validDate(statusOn) && certifiedOn < statusOn) errors.certifiedOn = 'Certification comes on or after the completion date.';
	}
	const note = input.note.trim();
	if (note.length > 2000) errors.note = 'Keep the note under 2,000 characters.';
	if (Object.keys(errors).length > 0) return { ok: false, errors };

	const learner = await dbGet(db
		.select({ id: user.id })
		.from(user)
		.where(and(eq(user.id, learnerId), eq(user.organisationId, organisationId))));
	if (!learner) return { ok: false, errors: { status: 'That learner is not one of this centre’s.' } };
	const at = now.toISOString();
	const values = { status, statusOn, certifiedOn: certifiedOn || null, note, updatedBy: by.id, updatedAt: at };
	await writeTransaction(db, async () => {
			await dbRun(db.insert(learnerStanding)
				.values({ learnerId, organisationId, ...values })
				.onConflictDoUpdate({ target: learnerStanding.learnerId, set: values }));
			await recordActorEvent(db, by, { type: 'learner-standing.changed', userId: learnerId, detail: { status, statusOn, certifiedOn: certifiedOn || null } }, now);
		});
	return { ok: true, value: await learnerStandingOf(db, learnerId) };
}

// ---------------------------------------------------------------------------------------------
// Legal holds

export interface HoldView {
	id: string;
	learnerId: string;
	learnerName: string;
	learnerEmail: string;
	reason: string;
	placedAt: string;
	placedByName: string;
}

export async function activeHoldsOf(db: Db, organisationId: string): Promise<HoldView[]> {
	const placer = db.$with('placer').as(db.select({ id: user.id, name: user.displayName }).from(user));
	return await dbAll(db
		.with(placer)
		.select({
			id: legalHold.id,
			learnerId: legalHold.learnerId,
			learnerName: user.displayName,
			learnerEmail: user.email,
			reason: legalHold.reason,
			placedAt: legalHold.placedAt,
			placedByName: placer.name
		})
		.from(legalHold)
		.innerJoin(user, eq(user.id, legalHold.learnerId))
		.innerJoin(placer, eq(placer.id, legalHold.placedBy))
		.where(and(eq(legalHold.organisationId, organisationId), isNull(legalHold.releasedAt)))
		.orderBy(asc(legalHold.placedAt)));
}

async function isLearnerOf(db: Db, organisationId: string, learnerId: string): Promise<boolean> {
	return await dbGet(db.select({ id: user.id }).from(user).where(and(eq(user.id, learnerId), eq(user.organisationId, organisationId)))) !== undefined;
}

export async function placeHold(db: Db, organisationId: string, input: { learnerId: string; reason: string }, by: Actor, now = new Date()): Promise<Result<{ id: string }>> {
	const errors: Errors = {};
	const reason = input.reason.trim();
	if (!await isLearnerOf(db, organisationId, input.learnerId)) errors.learnerId = 'Choose a learner of this centre.';
	if (reason.length < 5) errors.reason = 'Say why the records are held (a complaint, an appeal, an investigation …).';
	else if (reason.length > 1000) errors.reason = 'Keep the reason under 1,000 characters.';
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	const id = crypto.randomUUID();
	await writeTransaction(db, async () => {
			await dbRun(db.insert(legalHold).values({ id, organisationId, learnerId: input.learnerId, reason, placedBy: by.id, placedAt: now.toISOString() }));
			await recordActorEvent(db, by, { type: 'legal-hold.placed', userId: input.learnerId, detail: { hold: id } }, now);
		});
	return { ok: true, value: { id } };
}

export async function releaseHold(db: Db, organisationId: string, input: { holdId: string; reason: string }, by: Actor, now = new Date()): Promise<Result> {
	const hold = await dbGet(db
		.select()
		.from(legalHold)
		.where(and(eq(legalHold.id, input.holdId), eq(legalHold.organisationId, organisationId), isNull(legalHold.releasedAt))));
	if (!hold) return { ok: false, errors: { holdId: 'That hold was not found, or it has been released already.' } };
	const reason = input.reason.trim();
	if (reason.length < 5) return { ok: false, errors: { releaseReason: 'Say why the hold ends.' } };
	if (reason.length > 1000) return { ok: false, errors: { releaseReason: 'Keep the reason under 1,000 characters.' } };
	await writeTransaction(db, async () => {
			await dbRun(db.update(legalHold).set({ releasedAt: now.toISOString(), releasedBy: by.id, releaseReason: reason }).where(eq(legalHold.id, hold.id)));
			await recordActorEvent(db, by, { type: 'legal-hold.released', userId: hold.learnerId, detail: { hold: hold.id } }, now);
		});
	return { ok: true, value: undefined };
}

// ---------------------------------------------------------------------------------------------
// What is due

export interface DueItem {
	learnerId: string;
	learnerName: string;
	learnerEmail: string;
	recordClass: RecordClass;
	certifiedOn: string;
	years: number;
	dueOn: string;
	held: boolean;
}

/**
 * Every class of every certificated learner of the centre whose period has run out by `today` and
 * that has not been disposed of yet; held learners are listed (held: true) but never disposed.
 */
export async function dueForDisposal(db: Db, organisationId: string, today: string): Promise<DueItem[]> {
	const settings = await retentionSettingsOf(db, organisationId);
	const certified = await dbAll(db
		.select({ learnerId: learnerStanding.learnerId, certifiedOn: learnerStanding.certifiedOn, name: user.displayName, email: user.email })
		.from(learnerStanding)
		.innerJoin(user, eq(user.id, learnerStanding.learnerId))
		.where(and(eq(learnerStanding.organisationId, organisationId), isNotNull(learnerStanding.certifiedOn)))
		.orderBy(asc(learnerStanding.certifiedOn), asc(user.displayName)));
	if (certified.length === 0) return [];
	const ids = certified.map((c) => c.learnerId);
	const disposed = new Set(
		(await dbAll(db
			.select({ learnerId: recordDisposal.learnerId, recordClass: recordDisposal.recordClass })
			.from(recordDisposal)
			.where(inArray(recordDisposal.learnerId, ids))))
			.map((d) => `${d.learnerId}:${d.recordClass}`)
	);
	const held = new Set(
		(await dbAll(db
			.select({ learnerId: legalHold.learnerId })
			.from(legalHold)
			.where(and(inArray(legalHold.learnerId, ids), isNull(legalHold.releasedAt)))))
			.map((h) => h.learnerId)
	);
	const due: DueItem[] = [];
	for (const c of certified) {
		for (const recordClass of RECORD_CLASSES) {
			const periodYears = recordClass === 'evidence' ? settings.evidenceYears : settings.decisionYears;
			const dueOn = addYears(c.certifiedOn!, periodYears);
			if (dueOn > today || disposed.has(`${c.learnerId}:${recordClass}`)) continue;
			due.push({ learnerId: c.learnerId, learnerName: c.name, learnerEmail: c.email, recordClass, certifiedOn: c.certifiedOn!, years: periodYears, dueOn, held: held.has(c.learnerId) });
		}
	}
	return due;
}

// ---------------------------------------------------------------------------------------------
// Disposal

type Sqlite = Db['$client'];

const orders = new WeakMap<Sqlite, string[]>();

/**
 * Every table holding rows of a simulated record system (a `workspace_id` column), children before
 * parents, read from the schema itself so a table added later is disposed of too.
 */
export function workspaceTablesInDeleteOrder(sqlite: Sqlite): string[] {
	const cached = orders.get(sqlite);
	if (cached) return cached;
	const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' AND sql NOT LIKE 'CREATE VIRTUAL%'").all() as { name: string }[])
		.map((r) => r.name)
		.filter((name) => name !== 'workspace' && name !== 'attempt')
		.filter((name) => (sqlite.prepare(`PRAGMA table_info(\`${name}\`)`).all() as { name: string }[]).some((c) => c.name === 'workspace_id'));
	const set = new Set(tables);
	const parents = new Map(tables.map((t) => [t, new Set((sqlite.prepare(`PRAGMA foreign_key_list(\`${t}\`)`).all() as { table: string }[]).map((f) => f.table).filter((p) => set.has(p) && p !== t))]));
	// Children first: a table goes once no remaining table names it as a parent.
	const order: string[] = [];
	const left = new Set(tables);
	while (left.size > 0) {
		const ready = [...left].filter((t) => ![...left].some((other) => parents.get(other)!.has(t))).sort();
		if (ready.length === 0) throw new Error(`workspace tables reference each other in a cycle: ${[...left].join(', ')}`);
		for (const t of ready) {
			order.push(t);
			left.delete(t);
		}
	}
	orders.set(sqlite, order);
	return order;
}

const pgOrders = new WeakMap<object, string[]>();

/** The same list on either engine (on PostgreSQL from information_schema). */
export async function workspaceTablesOf(db: Db): Promise<string[]> {
	if (engineOf(db) === 'sqlite') return workspaceTablesInDeleteOrder(db.$client);
	const key = db as object;
	const cached = pgOrders.get(key);
	if (cached) return cached;
	const tables = (
		await dbQuery<{ name: string }>(
			db,
			sql`select table_name as name from information_schema.columns where table_schema = current_schema() and column_name = 'workspace_id' and table_name not in ('workspace', 'attempt')`
		)
	).map((r) => r.name);
	const set = new Set(tables);
	const links = await dbQuery<{ child: string; parent: string }>(
		db,
		sql`select tc.table_name as child, ccu.table_name as parent from information_schema.table_constraints tc
			join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.constraint_schema = tc.constraint_schema
			where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`
	);
	const parents = new Map(tables.map((t) => [t, new Set(links.filter((l) => l.child === t && set.has(l.parent) && l.parent !== t).map((l) => l.parent))]));
	const order: string[] = [];
	const left = new Set(tables);
	while (left.size > 0) {
		const ready = [...left].filter((t) => ![...left].some((other) => parents.get(other)!.has(t))).sort();
		if (ready.length === 0) throw new Error(`workspace tables reference each other in a cycle: ${[...left].join(', ')}`);
		for (const t of ready) {
			order.push(t);
			left.delete(t);
		}
	}
	pgOrders.set(key, order);
	return order;
}

export interface DisposalOutcome {
	learnerId: string;
	recordClass: RecordClass;
	counts: Record<string, number>;
}

async function hasDisposed(db: Db, learnerId: string, recordClass: RecordClass): Promise<boolean> {
	return await dbGet(db.select({ id: recordDisposal.id }).from(recordDisposal).where(and(eq(recordDisposal.learnerId, learnerId), eq(recordDisposal.recordClass, recordClass)))) !== undefined;
}

function count(counts: Record<string, number>, key: string, changes: number): void {
	if (changes > 0) counts[key] = (counts[key] ?? 0) + changes;
}

/**
 * Deletes one class of one learner's records inside the caller's transaction; returns what went and
 * the uploaded files whose bytes to remove after commit (bytes kept in the database go with their
 * rows, in this transaction).
 */
async function disposeClass(db: Db, learnerId: string, recordClass: RecordClass, otherDone: boolean): Promise<{ counts: Record<string, number>; files: StoredFile[] }> {
	const counts: Record<string, number> = {};
	const files: StoredFile[] = [];
	const attempts = await dbAll(db.select({ id: attempt.id, workspaceId: attempt.workspaceId }).from(attempt).where(eq(attempt.ownerId, learnerId)));
	const attemptIds = attempts.map((a) => a.id);
	const workspaceIds = attempts.map((a) => a.workspaceId);

	if (recordClass === 'evidence') {
		for (const table of await workspaceTablesOf(db)) {
			let changes = 0;
			for (const w of workspaceIds) changes += await dbExec(db, sql`DELETE FROM ${sql.identifier(table)} WHERE workspace_id = ${w}`);
			count(counts, 'simulated records', changes);
		}
		if (attemptIds.length > 0) {
			for (const [key, table] of [
				['attempt actions', attemptAction],
				['attempt events', attemptEvent],
				['conversation lines', attemptTranscript],
				['desk states', attemptDesk]
			] as const) {
				count(counts, key, (await dbRun(db.delete(table).where(inArray(table.attemptId, attemptIds)))).changes);
			}
			count(counts, 'assessors’ unsigned drafts', (await dbRun(db.delete(assessmentDraft).where(inArray(assessmentDraft.attemptId, attemptIds)))).changes);
		}
		count(counts, 'reflections', (await dbRun(db.delete(reflection).where(eq(reflection.learnerId, learnerId)))).changes);
		count(counts, 'witness testimonies', (await dbRun(db.delete(witnessTestimony).where(eq(witnessTestimony.learnerId, learnerId)))).changes);
		count(counts, 'observations', (await dbRun(db.delete(observationRecord).where(eq(observationRecord.learnerId, learnerId)))).changes);
		const evidenceIds = (await dbAll(db.select({ id: workplaceEvidence.id }).from(workplaceEvidence).where(eq(workplaceEvidence.learnerId, learnerId)))).map((e) => e.id);
		if (evidenceIds.length > 0) {
			await dbRun(db.delete(workplaceEvidenceFile).where(inArray(workplaceEvidenceFile.evidenceId, evidenceIds)));
			// An item a signed decision still names keeps its row, emptied (the decision keeps its own
			// copy of what it judged); the row goes with the decisions.
			const judged = new Set((await dbAll(db.select({ id: workplaceDecision.evidenceId }).from(workplaceDecision).where(inArray(workplaceDecision.evidenceId, evidenceIds)))).map((d) => d.id));
			const free = evidenceIds.filter((id) => !judged.has(id));
			if (free.length > 0) count(counts, 'workplace evidence items', (await dbRun(db.delete(workplaceEvidence).where(inArray(workplaceEvidence.id, free)))).changes);
			if (judged.size > 0) {
				const emptied = (await dbRun(db
					.update(workplaceEvidence)
					.set({ title: 'Disposed of', situation: '', task: '', action: '', result: '', declaration: '' })
					.where(inArray(workplaceEvidence.id, [...judged])))).changes;
				count(counts, 'workplace evidence items', emptied);
			}
		}
		const uploads = await dbAll(db.select({ id: upload.id, storageKey: upload.storageKey, storage: upload.storage }).from(upload).where(eq(upload.ownerId, learnerId)));
		if (uploads.length > 0) {
			files.push(...uploads);
			count(counts, 'uploaded files', (await dbRun(db.delete(upload).where(eq(upload.ownerId, learnerId)))).changes);
		}
	} else {
		const decisionIds = (await dbAll(db.select({ id: assessmentDecision.id }).from(assessmentDecision).where(eq(assessmentDecision.learnerId, learnerId)))).map((d) => d.id);
		if (decisionIds.length > 0) count(counts, 'countersignatures', (await dbRun(db.delete(decisionCountersignature).where(inArray(decisionCountersignature.decisionId, decisionIds)))).changes);
		for (const [key, n] of Object.entries(await disposeSampleRecords(db, learnerId))) count(counts, key, n);
		count(counts, 'IQA samples', (await dbRun(db.delete(iqaSample).where(eq(iqaSample.learnerId, learnerId)))).changes);
		count(counts, 'signed decisions', (await dbRun(db.delete(assessmentDecision).where(eq(assessmentDecision.learnerId, learnerId)))).changes);
		const workplaceIds = (await dbAll(db.select({ id: workplaceDecision.id }).from(workplaceDecision).where(eq(workplaceDecision.learnerId, learnerId)))).map((d) => d.id);
		if (workplaceIds.length > 0) {
			count(counts, 'countersignatures', (await dbRun(db.delete(workplaceDecisionCountersignature).where(inArray(workplaceDecisionCountersignature.decisionId, workplaceIds)))).changes);
			count(counts, 'signed decisions', (await dbRun(db.delete(workplaceDecision).where(eq(workplaceDecision.learnerId, learnerId)))).changes);
		}
		// Workplace evidence emptied when its class went first: its row goes now no decision names it.
		if (otherDone) count(counts, 'workplace evidence items', (await dbRun(db.delete(workplaceEvidence).where(eq(workplaceEvidence.learnerId, learnerId)))).changes);
		count(counts, 'issued documents', (await dbRun(db.delete(portfolioDocument).where(eq(portfolioDocument.learnerId, learnerId)))).changes);
	}

	// The attempts' own rows (and their emptied record systems) go once both classes have.
	if (otherDone && attemptIds.length > 0) {
		// What the centre's LRS has not yet been sent of these attempts is never sent.
		count(counts, 'xAPI statements', await forgetAttemptStatements(db, attemptIds));
		// Where the attempt's grades went in an LMS (the learner's sub there) goes with the attempt.
		count(counts, 'LMS grade links', await forgetAttemptGrades(db, attemptIds));
		count(counts, 'attempts', (await dbRun(db.delete(attempt).where(inArray(attempt.id, attemptIds)))).changes);
		for (const w of workspaceIds) await dbExec(db, sql`DELETE FROM workspace WHERE id = ${w}`);
	}
	return { counts, files };
}

/**
 * Disposes of one class of one learner's records, all or nothing: refused while a legal hold
 * stands or before the period has run out. The triggers guarding signed and audited records let
 * these rows go only while this transaction holds the learner's permit.
 */
export async function disposeLearnerRecords(
	db: Db,
	organisationId: string,
	learnerId: string,
	recordClass: RecordClass,
	by: Actor | null,
	now = new Date()
): Promise<{ ok: true; outcome: DisposalOutcome } | { ok: false; message: string }> {
	const today = ukToday(now);
	const item = (await dueForDisposal(db, organisationId, today)).find((d) => d.learnerId === learnerId && d.recordClass === recordClass);
	if (!item) return { ok: false, message: 'Those records are not due for disposal (not certificated long enough ago, or disposed of already).' };
	if (item.held) return { ok: false, message: 'A legal hold keeps this learner’s records: release it first.' };
	let files: StoredFile[] = [];
	let counts: Record<string, number> = {};
	try {
		await writeTransaction(db, async () => {
				// Checked again inside the write lock: another instance may have disposed of it meanwhile.
				if (await hasDisposed(db, learnerId, recordClass)) throw new AlreadyDisposed();
				const otherClass: RecordClass = recordClass === 'evidence' ? 'decisions' : 'evidence';
				await dbRun(db.insert(recordDisposalPermit).values({ learnerId, createdAt: now.toISOString() }));
				const done = await disposeClass(db, learnerId, recordClass, await hasDisposed(db, learnerId, otherClass));
				await dbRun(db.delete(recordDisposalPermit).where(eq(recordDisposalPermit.learnerId, learnerId)));
				files = done.files;
				counts = done.counts;
				await dbRun(db.insert(recordDisposal)
					.values({
						id: crypto.randomUUID(),
						organisationId,
						learnerId,
						recordClass,
						certifiedOn: item.certifiedOn,
						retentionYears: item.years,
						counts,
						disposedBy: by?.id ?? null,
						disposedAt: now.toISOString()
					}));
				const detail = { recordClass, certifiedOn: item.certifiedOn, years: item.years, rows: Object.values(counts).reduce((a, b) => a + b, 0) };
				if (by) await recordActorEvent(db, by, { type: 'records.disposed', userId: learnerId, detail }, now);
				else await recordSecurityEvent(db, { type: 'records.disposed', userId: learnerId, detail: { ...detail, by: 'schedule' } }, now);
			});
	} catch (error) {
		if (error instanceof AlreadyDisposed) return { ok: false, message: 'Those records have been disposed of already.' };
		throw error;
	}
	// The rows are gone; the files follow. A crash between the two leaves files in the upload
	// directory that no row names (never served: a file is reached only through its row); the README
	// says how to find them. Bytes in the database went with their rows.
	await Promise.all(files.map((file) => storageOf(file).remove(db, file).catch(() => undefined)));
	return { ok: true, outcome: { learnerId, recordClass, counts } };
}

class AlreadyDisposed extends Error {}

/** Disposes of everything due and not held, in every centre (the scheduled run) or in one. */
export async function disposeDueRecords(db: Db, organisationId: string | null, by: Actor | null, now = new Date()): Promise<DisposalOutcome[]> {
	const today = ukToday(now);
	const centres = organisationId ? [organisationId] : (await dbAll(db.select({ id: organisation.id }).from(organisation))).map((o) => o.id);
	const outcomes: DisposalOutcome[] = [];
	for (const centre of centres) {
		// Decisions first when both are due: the evidence class can then remove the attempts whole.
		const due = (await dueForDisposal(db, centre, today))
			.filter((d) => !d.held)
			.sort((a, b) => (a.recordClass === b.recordClass ? 0 : a.recordClass === 'decisions' ? -1 : 1));
		for (const item of due) {
			const result = await disposeLearnerRecords(db, centre, item.learnerId, item.recordClass, by, now);
			if (result.ok) outcomes.push(result.outcome);
		}
	}
	return outcomes;
}

export interface DisposalHistoryItem {
	id: string;
	learnerName: string;
	recordClass: RecordClass;
	certifiedOn: string;
	retentionYears: number;
	counts: Record<string, number>;
	disposedAt: string;
	disposedByName: string | null;
}

export async function disposalHistoryOf(db: Db, organisationId: string, limit = 100): Promise<DisposalHistoryItem[]> {
	const actor = db.$with('actor').as(db.select({ id: user.id, name: user.displayName }).from(user));
	return await dbAll(db
		.with(actor)
		.select({
			id: recordDisposal.id,
			learnerName: user.displayName,
			recordClass: recordDisposal.recordClass,
			certifiedOn: recordDisposal.certifiedOn,
			retentionYears: recordDisposal.retentionYears,
			counts: recordDisposal.counts,
			disposedAt: recordDisposal.disposedAt,
			disposedByName: actor.name
		})
		.from(recordDisposal)
		.innerJoin(user, eq(user.id, recordDisposal.learnerId))
		.leftJoin(actor, eq(actor.id, recordDisposal.disposedBy))
		.where(eq(recordDisposal.organisationId, organisationId))
		.orderBy(desc(recordDisposal.disposedAt))
		.limit(limit));
}

/** The centre's learners, for the hold form. */
export async function learnersOf(db: Db, organisationId: string): Promise<{ id: string; name: string; email: string }[]> {
	return await dbAll(
		db
			.select({ id: user.id, name: user.displayName, email: user.email })
			.from(user)
			.innerJoin(userRole, and(eq(userRole.userId, user.id), eq(userRole.role, 'learner')))
			.where(eq(user.organisationId, organisationId))
			.orderBy(asc(user.displayName))
	);
}
