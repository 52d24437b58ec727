import { describe, expect, it } from 'vitest';
import { eq, like } from 'drizzle-orm';
import { dbGet, dbAll, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { user } from '$lib/server/db/schema';
import { attempt } from '$lib/sim/schema';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { attemptsOf } from '$lib/server/attempts';
import { learnerCoverage } from '$lib/server/coverage';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { centreDraft, duplicateScenario, libraryEntry, publishDraft, saveDraft } from './authoring';
import { applyPreviewAction, endPreview, ownedPreview, pointsSoFar, previewOwner, previewsOf, startPreview, type PreviewTutor } from './preview';

async function centre(): Promise<{ db: Db; tutor: PreviewTutor; lead: PreviewTutor; learner: string }> {
	const db = await openTestDatabase();
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const account = async (email: string): Promise<PreviewTutor> => {
		const row = (await dbGet(db.select().from(user).where(eq(user.email, email))))!;
		return { id: row.id, organisationId: DEMO_ORGANISATION_ID, displayName: row.displayName };
	};
	const tutor = await account('tutor@custodian.test');
	const made = await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: 'spouse-caller-gas', title: 'A spouse calls about the gas account' });
	if (!made.ok) throw new Error(made.error.message);
	return { db, tutor, lead: await account('lead@custodian.test'), learner: (await account('learner@custodian.test')).id };
}

async function started(db: Db, tutor: PreviewTutor) {
	const result = await startPreview(db, tutor, 'spouse-caller-gas');
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('previews of a draft', () => {
	it('plays the draft as a learner would, and shows which marking points the actions meet so far', async () => {
		const { db, tutor } = await centre();
		const view = await started(db, tutor);
		expect(view.ownerId).toBe(previewOwner(tutor.id));
		const owned = (await ownedPreview(db, tutor.id, 'spouse-caller-gas', view.id))!;
		const before = new Map((await pointsSoFar(db, owned)).points.map((p) => [p.id, p.met]));
		// Nothing read out yet: an "absent" rule is met so far.
		expect(before.get('nothing-read-out')).toBe(true);

		const applied = await applyPreviewAction(db, tutor.id, 'spouse-caller-gas', view.id, { kind: 'choice', choiceId: 'read-out-to-check' }, view.nextActionSeq);
		expect(applied).toMatchObject({ ok: true });
		const after = await pointsSoFar(db, (await ownedPreview(db, tutor.id, 'spouse-caller-gas', view.id))!);
		expect(after.points.find((p) => p.id === 'nothing-read-out')).toMatchObject({ met: false, evidence: [expect.any(String)] });
		expect(after.points.filter((p) => p.met !== before.get(p.id)).map((p) => p.id)).toContain('nothing-read-out');
		expect(await endPreview(db, tutor.id, 'spouse-caller-gas', view.id)).toMatchObject({ ok: true });
		expect(await previewsOf(db, tutor.id, 'spouse-caller-gas')).toEqual([expect.objectContaining({ attemptId: view.id, status: 'ended' })]);
	});

	it('is played on the draft it was started on, even after the draft changes', async () => {
		const { db, tutor } = await centre();
		const view = await started(db, tutor);
		await saveDraft(db, tutor, 'spouse-caller-gas', 'id: spouse-caller-gas\ntitle: [now broken');
		const owned = (await ownedPreview(db, tutor.id, 'spouse-caller-gas', view.id))!;
		expect(owned.loaded.scenario.title).toBe('A spouse calls about the gas account');
		expect(await applyPreviewAction(db, tutor.id, 'spouse-caller-gas', view.id, { kind: 'choice', choiceId: owned.view.node!.choices[0]!.id }, owned.view.nextActionSeq)).toMatchObject({ ok: true });
	});

	it('is refused while the draft has errors, with the errors', async () => {
		const { db, tutor } = await centre();
		const draft = (await centreDraft(db, tutor, 'spouse-caller-gas'))!;
		await saveDraft(db, tutor, 'spouse-caller-gas', draft.draftSource.replace('event: data.read.out\n', 'event: data.read.aloud\n'));
		const result = await startPreview(db, tutor, 'spouse-caller-gas');
		expect(result).toMatchObject({ ok: false, error: { code: 'scenario.invalid', errors: [{ path: 'marking[0].rule.all[1].absent.event' }] } });
	});

	it('cannot be opened or played by another tutor, who is answered as if it did not exist', async () => {
		const { db, tutor, lead } = await centre();
		const view = await started(db, tutor);
		expect(await ownedPreview(db, lead.id, 'spouse-caller-gas', view.id)).toBeNull();
		expect(await ownedPreview(db, tutor.id, 'another-scenario', view.id)).toBeNull();
		expect(await applyPreviewAction(db, lead.id, 'spouse-caller-gas', view.id, { kind: 'choice', choiceId: 'refuse-straight-away' }, 1)).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		expect(await endPreview(db, lead.id, 'spouse-caller-gas', view.id)).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
		expect(await previewsOf(db, lead.id, 'spouse-caller-gas')).toEqual([]);
		// Another centre's tutor cannot even start one.
		expect(await startPreview(db, { ...lead, organisationId: 'another-centre' }, 'spouse-caller-gas')).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
	});

	it('never appears in anyone’s attempts, coverage or the library’s attempt counts', async () => {
		const { db, tutor, learner } = await centre();
		const view = await started(db, tutor);
		await endPreview(db, tutor.id, 'spouse-caller-gas', view.id);
		const published = await publishDraft(db, tutor, 'spouse-caller-gas');
		if (!published.ok) throw new Error(published.error.message);
		// A preview of the published text pins the same version as a learner's attempt would.
		const again = await started(db, tutor);
		expect(again.scenarioVersion).toBe(published.value.version);

		for (const id of [tutor.id, learner]) expect(await attemptsOf(db, id)).toEqual([]);
		expect((await learnerCoverage(db, tutor.id)).every((row) => row.attempts.length === 0)).toBe(true);
		expect((await libraryEntry(db, tutor, 'spouse-caller-gas'))!.versions[0]!.attempts).toBe(0);
		// Every attempt a preview made is owned by preview:<tutorId>, which is no user's id.
		const owners = await dbAll(db.select({ owner: attempt.ownerId }).from(attempt).where(like(attempt.ownerId, 'preview:%')));
		expect(owners).toHaveLength(2);
		expect(await dbGet(db.select().from(user).where(eq(user.id, owners[0]!.owner)))).toBeUndefined();
	});
});
