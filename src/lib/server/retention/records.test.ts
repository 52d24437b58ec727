import { dbGet, dbAll, dbExec, dbQuery, dbRun } from '$lib/core/database';
import { refusal } from '$lib/core/testing';
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { upload, UPLOAD_STORAGE_KINDS, workplaceEvidence } from '$lib/server/db/evidence';
import { uploadPiece } from '$lib/server/db/upload-pieces';
import { storageOf } from '$lib/server/uploads/stores';
import { workplaceDecision } from '$lib/server/db/workplace-decisions';
import { signWorkplaceDecision } from '$lib/server/workplace/signing';
import { verifyWorkplaceDecision } from '$lib/server/workplace/decisions';
import { submittedWorkplaceEvidence, testPng } from '$lib/server/workplace/testing';
import { eq, sql } from 'drizzle-orm';
import { organisation, securityEvent } from '$lib/server/db/schema';
import { assessmentDecision } from '$lib/server/db/assessment';
import { recordDisposal } from '$lib/server/db/records';
import { attempt } from '$lib/sim/schema';
import { verifyAuditChain } from '$lib/core/audit';
import { signDecision } from '$lib/server/assessment/signing';
import { verifyDecision } from '$lib/server/assessment/hashing';
import { assessmentFixture } from '$lib/server/assessment/testing';
import {
	activeHoldsOf,
	addYears,
	disposalHistoryOf,
	disposeDueRecords,
	disposeLearnerRecords,
	dueForDisposal,
	learnerStandingOf,
	placeHold,
	releaseHold,
	saveRetentionSettings,
	setLearnerStanding,
	workspaceTablesOf
} from './records';

const f = assessmentFixture();
const admin = () => ({ id: f.ids.sam });
const orgOf = async () => (await dbGet(f.db.select({ id: organisation.id }).from(organisation)))!.id;

/** Amira: a submitted attempt with a signed decision; completed on 2022-06-30, certified on 2022-07-15. */
async function certifiedAmira() {
	const attemptId = await f.submittedAttempt(f.ids.amira, '2022-06-01T09:00:00Z');
	const signed = await signDecision(f.db, f.gareth(), attemptId, await f.decided(attemptId), new Date('2022-06-02T10:00:00Z'));
	if (!signed.ok) throw new Error(signed.error.message);
	const standing = await setLearnerStanding(f.db, await orgOf(), f.ids.amira, { status: 'completed', statusOn: '2022-06-30', certifiedOn: '2022-07-15', note: '' }, admin(), new Date('2022-08-01T09:00:00Z'));
	if (!standing.ok) throw new Error(JSON.stringify(standing.errors));
	const workspaceId = (await dbGet(f.db.select({ w: attempt.workspaceId }).from(attempt).where(eq(attempt.id, attemptId))))!.w;
	return { attemptId, decision: signed.value, workspaceId };
}

/** Rows still naming the workspace, in every table that has a workspace_id column. */
async function rowsOfWorkspace(workspaceId: string): Promise<number> {
	let total = 0;
	for (const table of await workspaceTablesOf(f.db)) total += (await dbQuery<{ n: number }>(f.db, sql`SELECT count(*) AS n FROM ${sql.identifier(table)} WHERE workspace_id = ${workspaceId}`))[0]!.n;
	return total;
}

describe('retention of the centre’s records', () => {
	it('adds years to a date, moving 29 February to 1 March', () => {
		expect(addYears('2022-07-15', 3)).toBe('2025-07-15');
		expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
	});

	it('lists nothing as due until the period after certification has run out, then both classes', async () => {
		await certifiedAmira();
		expect(await dueForDisposal(f.db, await orgOf(), '2025-07-14')).toEqual([]);
		expect((await dueForDisposal(f.db, await orgOf(), '2025-07-15')).map((d) => [d.recordClass, d.dueOn, d.held])).toEqual([
			['evidence', '2025-07-15', false],
			['decisions', '2025-07-15', false]
		]);
	});

	it('disposes of a learner’s evidence and decisions whole, logs it, and leaves other learners’ records as they were', async () => {
		const { attemptId, workspaceId } = await certifiedAmira();
		const tomas = await f.submittedAttempt(f.ids.tomas, '2022-06-01T09:00:00Z');
		const tomasWorkspace = (await dbGet(f.db.select({ w: attempt.workspaceId }).from(attempt).where(eq(attempt.id, tomas))))!.w;
		expect(await rowsOfWorkspace(workspaceId)).toBeGreaterThan(0);

		const outcomes = await disposeDueRecords(f.db, await orgOf(), null, new Date('2025-07-15T12:00:00Z'));
		expect(outcomes.map((o) => o.recordClass).sort()).toEqual(['decisions', 'evidence']);
		expect(outcomes.find((o) => o.recordClass === 'decisions')!.counts).toMatchObject({ 'signed decisions': 1 });
		expect(outcomes.find((o) => o.recordClass === 'evidence')!.counts).toMatchObject({ reflections: expect.any(Number), attempts: expect.any(Number) });

		expect(await rowsOfWorkspace(workspaceId)).toBe(0);
		expect(await dbAll(f.db.select().from(attempt).where(eq(attempt.id, attemptId)))).toEqual([]);
		expect(await dbAll(f.db.select().from(attempt).where(eq(attempt.ownerId, f.ids.amira)))).toEqual([]);
		expect(await dbAll(f.db.select().from(assessmentDecision).where(eq(assessmentDecision.learnerId, f.ids.amira)))).toEqual([]);
		expect(await dbQuery(f.db, sql`SELECT count(*) AS n FROM record_disposal_permit`)).toEqual([{ n: 0 }]);

		// Tomás's attempt and its audit chain are untouched.
		expect(await dbAll(f.db.select().from(attempt).where(eq(attempt.id, tomas)))).toHaveLength(1);
		expect((await verifyAuditChain(f.db, tomasWorkspace)).ok).toBe(true);

		// Logged: a row per class (counts only) and a security event each, by the schedule.
		expect((await disposalHistoryOf(f.db, await orgOf())).map((h) => [h.recordClass, h.certifiedOn, h.retentionYears, h.disposedByName])).toEqual(
			expect.arrayContaining([
				['evidence', '2022-07-15', 3, null],
				['decisions', '2022-07-15', 3, null]
			])
		);
		expect(await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'records.disposed')))).toHaveLength(2);
		// A second run finds nothing to do.
		expect(await disposeDueRecords(f.db, await orgOf(), null, new Date('2025-07-16T12:00:00Z'))).toEqual([]);
		expect(await dueForDisposal(f.db, await orgOf(), '2030-01-01')).toEqual([]);
	});

	it('keeps the decisions (still verifying) and the attempt’s own row when evidence goes first, then removes them in their turn', async () => {
		const { attemptId, decision } = await certifiedAmira();
		expect(await saveRetentionSettings(f.db, await orgOf(), { evidenceYears: '3', decisionYears: '6' }, admin())).toMatchObject({ ok: true });
		const first = await disposeDueRecords(f.db, await orgOf(), admin(), new Date('2025-08-01T12:00:00Z'));
		expect(first.map((o) => o.recordClass)).toEqual(['evidence']);
		const kept = (await dbGet(f.db.select().from(assessmentDecision).where(eq(assessmentDecision.id, decision.id))))!;
		expect((await verifyDecision(f.db, kept)).matches).toBe(true);
		expect(await dbAll(f.db.select().from(attempt).where(eq(attempt.id, attemptId)))).toHaveLength(1);

		expect(await dueForDisposal(f.db, await orgOf(), '2028-07-14')).toEqual([]);
		const second = await disposeDueRecords(f.db, await orgOf(), admin(), new Date('2028-07-15T12:00:00Z'));
		expect(second.map((o) => o.recordClass)).toEqual(['decisions']);
		expect(second[0]?.counts).toMatchObject({ 'signed decisions': 1, attempts: 1 });
		expect(await dbAll(f.db.select().from(attempt).where(eq(attempt.id, attemptId)))).toEqual([]);
		expect((await disposalHistoryOf(f.db, await orgOf()))[0]).toMatchObject({ recordClass: 'decisions', retentionYears: 6, disposedByName: 'Sam Okafor' });
	});

	it('holds everything of a learner under a legal hold until it is released', async () => {
		await certifiedAmira();
		expect(await placeHold(f.db, await orgOf(), { learnerId: f.ids.amira, reason: 'x' }, admin())).toMatchObject({ ok: false, errors: { reason: expect.any(String) } });
		const hold = await placeHold(f.db, await orgOf(), { learnerId: f.ids.amira, reason: 'Appeal against the assessment decision' }, admin());
		if (!hold.ok) throw new Error('not placed');
		expect((await activeHoldsOf(f.db, await orgOf())).map((h) => h.learnerName)).toEqual(['Amira Khan']);
		const at = new Date('2026-01-01T12:00:00Z');
		expect((await dueForDisposal(f.db, await orgOf(), '2026-01-01')).every((d) => d.held)).toBe(true);
		expect(await disposeDueRecords(f.db, await orgOf(), null, at)).toEqual([]);
		expect(await disposeLearnerRecords(f.db, await orgOf(), f.ids.amira, 'evidence', admin(), at)).toMatchObject({ ok: false, message: expect.stringContaining('legal hold') });
		expect(await dbAll(f.db.select().from(assessmentDecision).where(eq(assessmentDecision.learnerId, f.ids.amira)))).toHaveLength(1);

		expect(await releaseHold(f.db, await orgOf(), { holdId: hold.value.id, reason: '' }, admin())).toMatchObject({ ok: false, errors: { releaseReason: expect.any(String) } });
		expect(await releaseHold(f.db, await orgOf(), { holdId: hold.value.id, reason: 'Appeal decided' }, admin())).toMatchObject({ ok: true });
		expect(await releaseHold(f.db, await orgOf(), { holdId: hold.value.id, reason: 'Appeal decided' }, admin())).toMatchObject({ ok: false });
		expect((await disposeDueRecords(f.db, await orgOf(), null, at)).length).toBe(2);
		const types = (await dbAll(f.db.select({ type: securityEvent.type }).from(securityEvent))).map((e) => e.type);
		expect(types).toEqual(expect.arrayContaining(['legal-hold.placed', 'legal-hold.released', 'records.disposed']));
	});

	it('still refuses to delete signed and audited records outside a disposal, and the disposal log cannot be changed', async () => {
		const { decision, workspaceId } = await certifiedAmira();
		expect(await refusal(dbRun(f.db.delete(assessmentDecision).where(eq(assessmentDecision.id, decision.id))))).toMatch(/cannot be deleted/);
		expect(await refusal(dbExec(f.db, sql`DELETE FROM audit_entry WHERE workspace_id = ${workspaceId}`))).toMatch(/append-only/);
		await disposeDueRecords(f.db, await orgOf(), null, new Date('2025-07-15T12:00:00Z'));
		expect(await refusal(dbRun(f.db.update(recordDisposal).set({ retentionYears: 1 })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(recordDisposal)))).toMatch(/cannot be deleted/);
	});

	it('validates the settings and a learner’s standing, with a message per field', async () => {
		expect(await saveRetentionSettings(f.db, await orgOf(), { evidenceYears: 'three', decisionYears: '0' }, admin())).toEqual({
			ok: false,
			errors: { evidenceYears: expect.stringContaining('whole number'), decisionYears: expect.stringContaining('1 to 50') }
		});
		const now = new Date('2026-12-07T12:00:00Z');
		expect(await setLearnerStanding(f.db, await orgOf(), f.ids.amira, { status: 'in-training', statusOn: '2026-02-30', certifiedOn: '2026-01-01', note: '' }, admin(), now)).toEqual({
			ok: false,
			errors: { statusOn: expect.stringContaining('real date'), certifiedOn: expect.stringContaining('completed') }
		});
		expect(await setLearnerStanding(f.db, await orgOf(), f.ids.amira, { status: 'completed', statusOn: '2027-01-01', certifiedOn: '', note: '' }, admin(), now)).toMatchObject({ ok: false, errors: { statusOn: expect.stringContaining('future') } });
		expect(await setLearnerStanding(f.db, await orgOf(), f.ids.amira, { status: 'withdrawn', statusOn: '2026-11-01', certifiedOn: '', note: 'Left the job' }, admin(), now)).toMatchObject({ ok: true });
		expect(await learnerStandingOf(f.db, f.ids.amira)).toMatchObject({ status: 'withdrawn', statusOn: '2026-11-01', certifiedOn: null, note: 'Left the job' });
		expect(await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'learner-standing.changed')))).toMatchObject([{ userId: f.ids.amira, actorId: f.ids.sam }]);
	});

	it('orders the record system’s tables children first', async () => {
		const order = await workspaceTablesOf(f.db);
		expect(order.indexOf('customer_field')).toBeLessThan(order.indexOf('customer'));
		expect(order.indexOf('redaction')).toBeLessThan(order.indexOf('rights_request'));
		expect(order.indexOf('audit_entry')).toBeGreaterThanOrEqual(0);
	});

	it.each(UPLOAD_STORAGE_KINDS)('empties workplace evidence a decision still names and deletes its files, then removes the item with the decisions (UPLOAD_STORAGE=%s)', async (storage) => {
		const dir = mkdtempSync(join(tmpdir(), 'custodian-retention-'));
		process.env.UPLOAD_DIR = dir;
		try {
			const { evidenceId, uploadIds } = await submittedWorkplaceEvidence(f.db, { organisationId: await orgOf(), learnerId: f.ids.amira, criteria: ['PC01'], files: [{ name: 'form.png', mediaType: 'image/png', bytes: testPng() }], uploadDir: dir, storage, submittedAt: '2022-05-01T09:00:00.000Z' });
			const stored = (await dbGet(f.db.select().from(upload).where(eq(upload.id, uploadIds[0]!))))!;
			expect(await storageOf(stored).size(f.db, stored)).toBe(testPng().byteLength);
			expect(existsSync(join(dir, stored.storageKey))).toBe(storage === 'directory');
			const signed = await signWorkplaceDecision(
				f.db,
				f.gareth(),
				evidenceId,
				{ outcome: 'met', feedback: 'Clear.', nextSteps: '', assessorNote: '', criteria: { PC01: { met: 'met', feedback: '' } }, signedName: 'Gareth Llewellyn', supersedes: '' },
				new Date('2022-05-02T10:00:00Z')
			);
			if (!signed.ok) throw new Error(signed.error.message);
			await setLearnerStanding(f.db, await orgOf(), f.ids.amira, { status: 'completed', statusOn: '2022-06-30', certifiedOn: '2022-07-15', note: '' }, admin(), new Date('2022-08-01T09:00:00Z'));
			await saveRetentionSettings(f.db, await orgOf(), { evidenceYears: '3', decisionYears: '6' }, admin());

			const first = await disposeDueRecords(f.db, await orgOf(), null, new Date('2025-07-15T12:00:00Z'));
			expect(first.map((o) => o.recordClass)).toEqual(['evidence']);
			expect(first[0]?.counts).toMatchObject({ 'workplace evidence items': 1, 'uploaded files': 1 });
			expect(await storageOf(stored).size(f.db, stored)).toBeNull();
			expect(existsSync(join(dir, stored.storageKey))).toBe(false);
			expect(await dbAll(f.db.select().from(uploadPiece))).toEqual([]);
			expect(await dbAll(f.db.select().from(upload).where(eq(upload.ownerId, f.ids.amira)))).toEqual([]);
			expect(await dbGet(f.db.select({ title: workplaceEvidence.title, action: workplaceEvidence.action }).from(workplaceEvidence).where(eq(workplaceEvidence.id, evidenceId)))).toEqual({ title: 'Disposed of', action: '' });
			// The decision keeps its own copy of what it judged, and still verifies.
			const decision = (await dbGet(f.db.select().from(workplaceDecision).where(eq(workplaceDecision.id, signed.value.id))))!;
			expect(await verifyWorkplaceDecision(f.db, decision)).toMatchObject({ matches: true, evidenceCurrent: false });

			const second = await disposeDueRecords(f.db, await orgOf(), null, new Date('2028-07-15T12:00:00Z'));
			expect(second.map((o) => o.recordClass)).toEqual(['decisions']);
			expect(await dbAll(f.db.select().from(workplaceDecision).where(eq(workplaceDecision.learnerId, f.ids.amira)))).toEqual([]);
			expect(await dbAll(f.db.select().from(workplaceEvidence).where(eq(workplaceEvidence.learnerId, f.ids.amira)))).toEqual([]);
		} finally {
			delete process.env.UPLOAD_DIR;
		}
	});
});
