import { dbGet, dbAll } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { user } from '$lib/server/db/schema';
import { notification } from '$lib/server/db/notifications';
import { upload } from '$lib/server/db/evidence';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { workplaceDecisionsForLearner } from './decisions';
import { removeEvidenceFile, saveWorkplaceEvidence, submitWorkplaceEvidence, workplaceEvidenceOf } from './learner-evidence';
import { countersignWorkplaceDecision, signWorkplaceDecision, type WorkplaceDecisionValues } from './signing';
import { workplaceStateOf, workplaceStatuses } from './status';
import { submittedWorkplaceEvidence } from './testing';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const dafydd = async () => ({ id: await idOf('trainee@custodian.test'), displayName: 'Dafydd Morgan' });
const amira = () => ({ id: f.ids.amira, organisationId: DEMO_ORGANISATION_ID });
const photo = { name: 'call-log.png', mediaType: 'image/png', bytes: new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]) };

async function evidence() {
	return (await submittedWorkplaceEvidence(f.db, { organisationId: DEMO_ORGANISATION_ID, learnerId: f.ids.amira, criteria: ['PC01'], files: [photo], submittedAt: '2026-03-01T09:00:00.000Z' })).evidenceId;
}

function values(outcome: string, signedName: string, supersedes = ''): WorkplaceDecisionValues {
	return {
		outcome,
		feedback: outcome === 'resubmission-requested' ? 'The photo of the form is too dark to read.' : 'The form shows each check.',
		nextSteps: outcome === 'met' ? '' : 'Photograph the form again in good light.',
		assessorNote: 'Private to assessors.',
		criteria: { PC01: { met: outcome === 'not-yet-met' ? 'not-met' : 'met', feedback: '' } },
		signedName,
		supersedes
	};
}

async function sign(evidenceId: string, signer: { id: string; displayName: string }, outcome: string, at: string, supersedes = '') {
	const signed = await signWorkplaceDecision(f.db, signer, evidenceId, values(outcome, signer.displayName, supersedes), new Date(at));
	if (!signed.ok) throw new Error(signed.error.message);
	return signed.value;
}

const statusOf = async (evidenceId: string) => {
	const item = (await workplaceEvidenceOf(f.db, amira(), evidenceId))!;
	return (await workplaceStatuses(f.db, f.ids.amira, [item])).get(evidenceId)!;
};

describe('where a learner’s workplace evidence stands', () => {
	it('says a draft is a draft, and submitted evidence awaits assessment', async () => {
		expect(workplaceStateOf({ id: 'e', state: 'draft', submittedAt: null })).toBe('draft');
		expect(await statusOf(await evidence())).toMatchObject({ state: 'submitted', label: 'Submitted', tone: 'amber', next: 'Waiting for your assessor' });
	});

	it('uses the attempts’ words for each decision', async () => {
		const met = await evidence();
		await sign(met, f.gareth(), 'met', '2026-03-02T10:00:00Z');
		expect(await statusOf(met)).toMatchObject({ state: 'signed-off', label: 'Signed off', tone: 'green', href: `/learn/evidence/${met}` });
		const notYet = await evidence();
		await sign(notYet, f.gareth(), 'not-yet-met', '2026-03-02T10:00:00Z');
		expect(await statusOf(notYet)).toMatchObject({ state: 'not-yet-met', label: 'Not yet competent', tone: 'red' });
	});

	it('waits on a countersignature for a trainee’s decision, and counts it once given', async () => {
		const evidenceId = await evidence();
		const d = await sign(evidenceId, await dafydd(), 'met', '2026-03-02T10:00:00Z');
		expect(await statusOf(evidenceId)).toMatchObject({ state: 'awaiting-countersignature', label: 'Awaiting countersignature', tone: 'amber' });
		expect((await countersignWorkplaceDecision(f.db, { ...f.gareth(), address: null }, d.id, { answer: 'countersign', comment: 'Agreed.', signedName: 'Gareth Llewellyn' })).ok).toBe(true);
		expect((await statusOf(evidenceId)).state).toBe('signed-off');
		expect((await workplaceDecisionsForLearner(f.db, f.ids.amira, evidenceId))[0]).toMatchObject({ standing: 'counts', countersignature: { outcome: 'countersigned', signedName: 'Gareth Llewellyn' } });
	});

	it('says a trainee’s decision sent back is with the assessor again', async () => {
		const evidenceId = await evidence();
		const d = await sign(evidenceId, await dafydd(), 'not-yet-met', '2026-03-02T10:00:00Z');
		expect((await countersignWorkplaceDecision(f.db, { id: f.ids.sam, displayName: 'Sam Okafor', address: null }, d.id, { answer: 'send-back', comment: 'Look again.', signedName: 'Sam Okafor' })).ok).toBe(true);
		expect(await statusOf(evidenceId)).toMatchObject({ state: 'sent-back', label: 'Sent back to the assessor', next: 'Waiting for your assessor' });
	});
});

describe('a resubmission, there and back', () => {
	it('returns the evidence as a draft the learner changes and submits again, with a new submission time, for a new decision', async () => {
		const evidenceId = await evidence();
		const asked = await sign(evidenceId, f.gareth(), 'resubmission-requested', '2026-03-02T10:00:00Z');
		expect(await workplaceEvidenceOf(f.db, amira(), evidenceId)).toMatchObject({ state: 'draft', submittedAt: '2026-03-01T09:00:00.000Z' });
		expect(await statusOf(evidenceId)).toMatchObject({ state: 'resubmission-asked', label: 'Resubmission asked', tone: 'red' });
		const learnerSees = await workplaceDecisionsForLearner(f.db, f.ids.amira, evidenceId);
		expect(learnerSees).toMatchObject([{ outcome: 'resubmission-requested', nextSteps: 'Photograph the form again in good light.', signedName: 'Gareth Llewellyn' }]);
		expect(JSON.stringify(learnerSees)).not.toContain('Private to assessors');
		// Judging waits for the learner: the draft cannot be judged.
		expect((await signWorkplaceDecision(f.db, f.gareth(), evidenceId, values('met', 'Gareth Llewellyn', asked.id))).ok).toBe(false);

		const item = (await workplaceEvidenceOf(f.db, amira(), evidenceId))!;
		const fields = { title: item.title, situation: item.situation, task: item.task, action: `${item.action} I photographed the form by the window.`, result: item.result, criteria: ['PC01', 'PC02'] };
		expect((await saveWorkplaceEvidence(f.db, amira(), evidenceId, fields, new Date('2026-03-03T08:00:00Z'))).ok).toBe(true);
		const resubmitted = await submitWorkplaceEvidence(f.db, amira(), evidenceId, { ...fields, declared: true }, new Date('2026-03-03T09:00:00Z'));
		if (!resubmitted.ok) throw new Error(resubmitted.error.message);
		expect(resubmitted.value).toMatchObject({ state: 'submitted', submittedAt: '2026-03-03T09:00:00.000Z', declaredAt: '2026-03-03T09:00:00.000Z', criteria: ['PC01', 'PC02'] });
		expect(await statusOf(evidenceId)).toMatchObject({ state: 'submitted', label: 'Submitted' });

		const judged = await signWorkplaceDecision(
			f.db,
			f.gareth(),
			evidenceId,
			{ ...values('met', 'Gareth Llewellyn', asked.id), criteria: { PC01: { met: 'met', feedback: '' }, PC02: { met: 'not-met', feedback: 'Not shown.' } } },
			new Date('2026-03-04T10:00:00Z')
		);
		if (!judged.ok) throw new Error(judged.error.message);
		expect(judged.value).toMatchObject({ sequence: 2, supersedesId: asked.id, evidence: { submittedAt: '2026-03-03T09:00:00.000Z' } });
		expect((await statusOf(evidenceId)).state).toBe('signed-off');
		const told = await dbAll(f.db.select().from(notification).where(eq(notification.userId, f.ids.amira)));
		expect(told.map((n) => n.kind).sort()).toEqual(['decision', 'resubmission-requested']);
	});

	it('keeps a file the asking decision judged when the learner takes it off the draft: the decision rests on it', async () => {
		const { evidenceId, uploadIds } = await submittedWorkplaceEvidence(f.db, { organisationId: DEMO_ORGANISATION_ID, learnerId: f.ids.amira, criteria: ['PC01'], files: [photo] });
		await sign(evidenceId, f.gareth(), 'resubmission-requested', '2026-03-02T10:00:00Z');
		const removed = await removeEvidenceFile(f.db, amira(), uploadIds[0]!, evidenceId);
		expect(removed).toMatchObject({ ok: true, value: { fileName: 'call-log.png' } });
		expect((await workplaceEvidenceOf(f.db, amira(), evidenceId))!.files).toEqual([]);
		expect(await dbGet(f.db.select().from(upload).where(eq(upload.id, uploadIds[0]!)))).toMatchObject({ state: 'stored', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
		// Nor can it be deleted on its own afterwards.
		expect(await removeEvidenceFile(f.db, amira(), uploadIds[0]!)).toMatchObject({ ok: false, error: { code: 'workplace.not-found' } });
		expect(await dbGet(f.db.select().from(upload).where(eq(upload.id, uploadIds[0]!)))).toBeDefined();
	});
});
