import { dbExec, dbGet, dbRun } from '$lib/core/database';
import { refusal } from '$lib/core/testing';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { user } from '$lib/server/db/schema';
import { upload, workplaceEvidence } from '$lib/server/db/evidence';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { learnerCoverage } from '$lib/server/coverage';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { verifyCountersignature } from '$lib/server/assessment/countersigning';
import { verifyWorkplaceDecision, workplaceDecisionInForce, workplaceDecisionSnapshot, workplaceDecisionsCounting, workplaceDecisionsForLearner } from './decisions';
import { countersignWorkplaceDecision, signWorkplaceDecision, type WorkplaceDecisionValues } from './signing';
import { workplaceCountersignaturesToGive, workplaceQueue, workplaceReview } from './review';
import { submittedWorkplaceEvidence } from './testing';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const gareth = () => ({ id: f.ids.gareth, displayName: 'Gareth Llewellyn' });
const dafydd = async () => ({ id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const photo = { name: 'call-log.png', mediaType: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]) };

async function evidenceOf(learnerId = f.ids.amira) {
	return await submittedWorkplaceEvidence(f.db, { organisationId: DEMO_ORGANISATION_ID, learnerId, criteria: ['PC01', 'PC02'], files: [photo], submittedAt: '2026-03-01T09:00:00.000Z' });
}

function values(change: Partial<WorkplaceDecisionValues> = {}, signedName = 'Gareth Llewellyn'): WorkplaceDecisionValues {
	return {
		outcome: 'met',
		feedback: 'A clear account, and the form shows the checks.',
		nextSteps: '',
		assessorNote: 'Photo legible.',
		criteria: { PC01: { met: 'met', feedback: '' }, PC02: { met: 'not-met', feedback: 'Not shown by this call.' } },
		signedName,
		supersedes: '',
		...change
	};
}

describe('signing a decision on workplace evidence', () => {
	it('keeps what was judged with the decision, each file with its SHA-256, and verifies', async () => {
		const { evidenceId } = await evidenceOf();
		const signed = await signWorkplaceDecision(f.db, gareth(), evidenceId, values(), new Date('2026-03-02T10:00:00Z'));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(signed.value).toMatchObject({ outcome: 'met', requiresCountersignature: false, hashEncoding: 'jcs-2026', sequence: 1 });
		expect(signed.value.evidence.files).toEqual([expect.objectContaining({ name: 'call-log.png', mediaType: 'image/png', byteLength: 11, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
		expect((await workplaceDecisionInForce(f.db, evidenceId))?.id).toBe(signed.value.id);
		expect(await verifyWorkplaceDecision(f.db, signed.value)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
		const snapshot = (await workplaceDecisionSnapshot(f.db, signed.value.id))!;
		expect(snapshot).toMatchObject({ standing: 'counts', evidence: { criteriaClaimed: ['PC01', 'PC02'], declaration: expect.stringContaining('own work') }, decision: { outcome: 'met' } });
		expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
		// The met criterion counts, with method "workplace"; the one not yet met does not.
		const pc01 = (await learnerCoverage(f.db, f.ids.amira)).find((r) => r.code === 'PC01')!;
		expect(pc01.state).toBe('signed-off');
		expect(pc01.evidence.find((e) => e.kind === 'workplace')).toMatchObject({ id: evidenceId, state: 'signed-off' });
		expect((await learnerCoverage(f.db, f.ids.amira)).find((r) => r.code === 'PC02')!.evidence.some((e) => e.kind === 'workplace')).toBe(false);
	});

	it('detects a tampered decision, a tampered snapshot and a file changed since', async () => {
		const { evidenceId, uploadIds } = await evidenceOf();
		const signed = await signWorkplaceDecision(f.db, gareth(), evidenceId, values());
		if (!signed.ok) throw new Error(signed.error.message);
		const d = signed.value;
		expect((await verifyWorkplaceDecision(f.db, { ...d, outcome: 'not-yet-met' })).signatureMatches).toBe(false);
		expect((await verifyWorkplaceDecision(f.db, { ...d, requiresCountersignature: true })).signatureMatches).toBe(false);
		const swapped = { ...d.evidence, files: d.evidence.files.map((file) => ({ ...file, sha256: '0'.repeat(64) })) };
		expect(await verifyWorkplaceDecision(f.db, { ...d, evidence: swapped })).toMatchObject({ evidenceMatches: false, matches: false });
		await dbRun(f.db.update(upload).set({ sha256: 'f'.repeat(64) }).where(eq(upload.id, uploadIds[0]!)));
		expect(await verifyWorkplaceDecision(f.db, d)).toMatchObject({ matches: true, evidenceCurrent: false });
	});

	it('is refused by the database when changed or deleted', async () => {
		const { evidenceId } = await evidenceOf();
		const signed = await signWorkplaceDecision(f.db, gareth(), evidenceId, values());
		if (!signed.ok) throw new Error(signed.error.message);
		expect(await refusal(dbExec(f.db, sql`UPDATE workplace_decision SET outcome = 'not-yet-met' WHERE id = ${signed.value.id}`))).toMatch(/cannot be changed/);
		expect(await refusal(dbExec(f.db, sql`DELETE FROM workplace_decision WHERE id = ${signed.value.id}`))).toMatch(/cannot be deleted/);
	});

	it('needs every claimed criterion judged, feedback, the signer’s own name, and a met criterion for "met"', async () => {
		const { evidenceId } = await evidenceOf();
		const refused = await signWorkplaceDecision(
			f.db,
			gareth(),
			evidenceId,
			values({ feedback: '', criteria: { PC01: { met: 'not-met', feedback: '' }, PC02: { met: '', feedback: '' } } }, 'Someone Else')
		);
		expect(refused.ok).toBe(false);
		if (refused.ok) return;
		expect(Object.keys(refused.error.fields ?? {}).sort()).toEqual(['criterion-1-met', 'feedback', 'outcome', 'signedName']);
		expect(await workplaceDecisionInForce(f.db, evidenceId)).toBeUndefined();
	});

	it('is not found for an assessor outside the learner’s cohorts', async () => {
		const { evidenceId } = await evidenceOf(f.ids.ola);
		expect(await signWorkplaceDecision(f.db, gareth(), evidenceId, values())).toMatchObject({ ok: false, error: { code: 'evidence.not-found' } });
		expect(await workplaceReview(f.db, f.ids.gareth, evidenceId)).toBeUndefined();
		expect(await workplaceQueue(f.db, f.ids.gareth)).toEqual([]);
	});

	it('returns the evidence to the learner as a draft when a resubmission is requested', async () => {
		const { evidenceId } = await evidenceOf();
		const signed = await signWorkplaceDecision(f.db, gareth(), evidenceId, values({ outcome: 'resubmission-requested', nextSteps: 'Add the completed form.' }));
		expect(signed.ok).toBe(true);
		expect((await dbGet(f.db.select({ state: workplaceEvidence.state }).from(workplaceEvidence).where(eq(workplaceEvidence.id, evidenceId))))?.state).toBe('draft');
		expect((await workplaceQueue(f.db, f.ids.gareth)).map((i) => [i.state, i.standing.label])).toEqual([['resubmission-requested', 'Resubmission asked']]);
		const again = await signWorkplaceDecision(f.db, gareth(), evidenceId, values({ supersedes: signed.ok ? signed.value.id : '' }));
		expect(again).toMatchObject({ ok: false, error: { code: 'evidence.not-submitted' } });
	});
});

describe('a trainee assessor’s workplace decision', () => {
	it('counts only once a qualified assessor, not the trainee, countersigns it', async () => {
		const { evidenceId } = await evidenceOf();
		const signed = await signWorkplaceDecision(f.db, await dafydd(), evidenceId, values({}, 'Dafydd Morgan'));
		if (!signed.ok) throw new Error(signed.error.message);
		expect(signed.value.requiresCountersignature).toBe(true);
		expect(await workplaceDecisionsCounting(f.db, f.ids.amira)).toEqual([]);
		expect((await learnerCoverage(f.db, f.ids.amira)).find((r) => r.code === 'PC01')!.evidence.some((e) => e.kind === 'workplace')).toBe(false);
		expect((await workplaceQueue(f.db, f.ids.gareth)).map((i) => i.standing.label)).toEqual(['Awaiting countersignature']);
		expect((await workplaceCountersignaturesToGive(f.db, f.ids.gareth)).map((c) => c.decisionId)).toEqual([signed.value.id]);

		const own = await countersignWorkplaceDecision(f.db, { ...await dafydd(), address: null }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Dafydd Morgan' });
		expect(own).toMatchObject({ ok: false, error: { code: 'countersignature.refused' } });

		const given = await countersignWorkplaceDecision(f.db, { ...gareth(), address: null }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' });
		if (!given.ok) throw new Error(given.error.message);
		expect(verifyCountersignature(given.value, signed.value)).toBe(true);
		expect((await workplaceDecisionsCounting(f.db, f.ids.amira)).map((d) => d.id)).toEqual([signed.value.id]);
		expect((await learnerCoverage(f.db, f.ids.amira)).find((r) => r.code === 'PC01')!.state).toBe('signed-off');
		expect((await workplaceDecisionSnapshot(f.db, signed.value.id))?.countersignature).toMatchObject({ outcome: 'countersigned', verified: true });
		const learnerSees = await workplaceDecisionsForLearner(f.db, f.ids.amira, evidenceId);
		expect(learnerSees).toMatchObject([{ outcome: 'met', standing: 'counts', countersignature: { signedName: 'Gareth Llewellyn' } }]);
		expect(JSON.stringify(learnerSees)).not.toContain('Photo legible.');
		expect(await workplaceDecisionsForLearner(f.db, f.ids.tomas, evidenceId)).toEqual([]);
		expect(await refusal(dbExec(f.db, sql`DELETE FROM workplace_decision_countersignature`))).toMatch(/cannot be deleted/);
		expect(await countersignWorkplaceDecision(f.db, { ...gareth(), address: null }, signed.value.id, { answer: 'countersign', comment: '', signedName: 'Gareth Llewellyn' })).toMatchObject({
			ok: false,
			error: { code: 'countersignature.refused' }
		});
	});
});
