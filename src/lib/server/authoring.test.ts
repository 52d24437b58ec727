import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { user } from '$lib/server/db/schema';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { checkScenario } from '$lib/sim/scenario-check';
import { attemptsOf, ownedAttempt, startLearnerAttempt, applyLearnerAction } from '$lib/server/attempts';
import { currentScenarios, currentVersionOf, findScenarioVersion, isArchived, loadScenarioVersion, syncBuiltInScenarios } from '$lib/server/scenarios';
import {
	centreDraft,
	createScenario,
	duplicateScenario,
	suggestedId,
	exportSource,
	importScenario,
	libraryEntry,
	MAX_SOURCE_BYTES,
	publishDraft,
	saveDraft,
	scenarioLibrary,
	setArchived,
	validateDraft,
	type Author
} from './authoring';

const SPOUSE = readFileSync('scenarios/spouse-caller.yaml', 'utf8');
/** An unknown event in a marking rule: the story's way of breaking a scenario. */
const breakRule = (source: string) => source.replace('event: data.read.out\n', 'event: data.read.aloud\n');

async function centre(): Promise<{ db: Db; tutor: Author; learner: string; other: Author }> {
	const db = await openTestDatabase();
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const id = async (email: string) => (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
	return {
		db,
		tutor: { id: await id('tutor@custodian.test'), organisationId: DEMO_ORGANISATION_ID },
		learner: await id('learner@custodian.test'),
		other: { id: await id('lead@custodian.test'), organisationId: 'another-centre' }
	};
}

async function duplicate(db: Db, tutor: Author, id = 'spouse-caller-gas', title = 'A spouse calls about the gas account') {
	const result = await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: id, title });
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('duplicating a scenario', () => {
	it('starts a centre draft with the new id and title, comments kept, based on the current version', async () => {
		const { db, tutor } = await centre();
		const draft = await duplicate(db, tutor);
		expect(draft.basedOn).toBe((await currentVersionOf(db, 'spouse-caller'))!.id);
		expect(draft.draftSource).toMatch(/^id: spouse-caller-gas$/m);
		expect(draft.draftSource).toMatch(/^title: "A spouse calls about the gas account"$/m);
		expect(draft.draftSource).toContain('# For tutors. A caller says she is the account holder');
		expect(await validateDraft('spouse-caller-gas', draft.draftSource)).toEqual([]);
		const entry = (await libraryEntry(db, tutor, 'spouse-caller-gas'))!;
		expect(entry).toMatchObject({ origin: 'centre', state: 'draft', unpublishedChanges: true, versions: [] });
	});

	it('refuses an id used by a built-in scenario or another draft, and an id that is not kebab-case', async () => {
		const { db, tutor } = await centre();
		await duplicate(db, tutor);
		for (const scenarioId of ['record-correction', 'spouse-caller-gas']) {
			const result = await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId, title: 'Another title' });
			expect(result).toMatchObject({ ok: false, error: { code: 'scenario.id-taken', field: 'scenarioId' } });
		}
		expect(await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: 'Bad Id', title: 'A title' })).toMatchObject({ ok: false, error: { field: 'scenarioId' } });
		expect(await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: 'fine-id', title: '' })).toMatchObject({ ok: false, error: { field: 'title' } });
	});

	it('writes an id that YAML would read as a number or a boolean in quotes, so the copy keeps it as text', async () => {
		const { db, tutor } = await centre();
		for (const scenarioId of ['000', '1e5', 'true', '0x1f']) {
			const result = await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId, title: 'A copy with an odd id' });
			if (!result.ok) throw new Error(result.error.message);
			expect(await validateDraft(scenarioId, result.value.draftSource)).toEqual([]);
		}
	});

	it('answers an unknown scenario, or another centre’s, as not found', async () => {
		const { db, tutor, other } = await centre();
		await duplicate(db, tutor);
		expect(await duplicateScenario(db, tutor, 'no-such-scenario', { scenarioId: 'x-copy', title: 'A copy' })).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
		expect(await duplicateScenario(db, other, 'spouse-caller-gas', { scenarioId: 'x-copy', title: 'A copy' })).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
		expect(await centreDraft(db, other, 'spouse-caller-gas')).toBeUndefined();
		expect((await scenarioLibrary(db, other)).some((e) => e.scenarioId === 'spouse-caller-gas')).toBe(false);
	});
});

describe('drafts and their validation', () => {
	it('saves an invalid draft exactly as typed', async () => {
		const { db, tutor } = await centre();
		const draft = await duplicate(db, tutor);
		const broken = breakRule(draft.draftSource) + '\n# half-typed: [';
		expect(await saveDraft(db, tutor, 'spouse-caller-gas', broken)).toMatchObject({ ok: true });
		expect((await centreDraft(db, tutor, 'spouse-caller-gas'))!.draftSource).toBe(broken);
	});

	it('reports an unknown event in a marking rule at its path and line, as npm run scenarios:check does', async () => {
		const { db, tutor } = await centre();
		const broken = breakRule((await duplicate(db, tutor)).draftSource);
		const errors = await validateDraft('spouse-caller-gas', broken);
		expect(errors).toHaveLength(1);
		const line = broken.split('\n').findIndex((l) => l.includes('event: data.read.aloud')) + 1;
		expect(errors[0]).toMatchObject({ file: 'scenarios/spouse-caller-gas.yaml', path: 'marking[0].rule.all[1].absent.event', line });
		expect(errors[0]!.message).toContain('data.read.aloud');
		// The same checker as the command line's, on the same file name.
		expect(errors.map((e) => e.message)).toEqual(checkScenario('scenarios/spouse-caller-gas.yaml', broken).map((e) => e.message));
	});

	it('reports YAML syntax errors with their line, and a draft over the size limit', async () => {
		const errors = await validateDraft('x-draft', 'id: x-draft\ntitle: [unclosed\n');
		expect(errors[0]).toMatchObject({ line: expect.any(Number) });
		expect((await validateDraft('x-draft', 'a'.repeat(MAX_SOURCE_BYTES + 1)))[0]!.message).toMatch(/at most 256 kB/);
	});

	it('refuses to save a draft over the size limit, keeping the last one', async () => {
		const { db, tutor } = await centre();
		const draft = await duplicate(db, tutor);
		expect(await saveDraft(db, tutor, 'spouse-caller-gas', '#'.repeat(MAX_SOURCE_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'draft.too-large', field: 'source' } });
		expect((await centreDraft(db, tutor, 'spouse-caller-gas'))!.draftSource).toBe(draft.draftSource);
	});

	it('does not overwrite a draft changed since the editor loaded it, and saves on the draft it expected', async () => {
		const { db, tutor } = await centre();
		const opened = await duplicate(db, tutor);
		const elsewhere = opened.draftSource.replace(/^title: .*$/m, 'title: Changed in another tab');
		const later = await saveDraft(db, tutor, 'spouse-caller-gas', elsewhere, new Date(Date.parse(opened.updatedAt) + 60_000));
		expect(later).toMatchObject({ ok: true });
		const stale = await saveDraft(db, tutor, 'spouse-caller-gas', opened.draftSource + '\n# mine', new Date(), opened.updatedAt);
		expect(stale).toMatchObject({ ok: false, error: { code: 'draft.stale' } });
		expect((await centreDraft(db, tutor, 'spouse-caller-gas'))!.draftSource).toBe(elsewhere);
		const current = (await centreDraft(db, tutor, 'spouse-caller-gas'))!;
		expect(await saveDraft(db, tutor, 'spouse-caller-gas', elsewhere + '\n# mine', new Date(), current.updatedAt)).toMatchObject({ ok: true });
		expect((await centreDraft(db, tutor, 'spouse-caller-gas'))!.draftSource).toBe(elsewhere + '\n# mine');
	});

	it('cannot save a built-in scenario as a draft', async () => {
		const { db, tutor } = await centre();
		expect(await saveDraft(db, tutor, 'spouse-caller', SPOUSE)).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
	});
});

describe('publishing', () => {
	it('creates a new current version and keeps attempts already made on the version they pinned', async () => {
		const { db, tutor, learner } = await centre();
		await duplicate(db, tutor);
		const first = await publishDraft(db, tutor, 'spouse-caller-gas', new Date('2026-01-10T10:00:00Z'));
		if (!first.ok) throw new Error(first.error.message);
		expect(first.value).toMatchObject({ origin: 'centre', current: true, title: 'A spouse calls about the gas account' });
		expect((await currentScenarios(db)).some((s) => s.id === first.value.id)).toBe(true);

		const started = await startLearnerAttempt(db, learner, 'spouse-caller-gas');
		if (!started.ok) throw new Error(started.error.message);
		const attemptId = started.value.id;

		const draft = (await centreDraft(db, tutor, 'spouse-caller-gas'))!;
		await saveDraft(db, tutor, 'spouse-caller-gas', draft.draftSource.replace(/^title: .*$/m, 'title: A spouse calls (second edition)'));
		const second = await publishDraft(db, tutor, 'spouse-caller-gas', new Date('2026-01-11T10:00:00Z'));
		if (!second.ok) throw new Error(second.error.message);
		expect(second.value.id).not.toBe(first.value.id);
		expect(await findScenarioVersion(db, first.value.id)).toMatchObject({ current: false, title: 'A spouse calls about the gas account' });
		expect((await currentVersionOf(db, 'spouse-caller-gas'))!.id).toBe(second.value.id);

		const owned = (await ownedAttempt(db, learner, attemptId))!;
		expect(owned.version.id).toBe(first.value.id);
		const choice = owned.view.node!.choices[0]!.id;
		expect(await applyLearnerAction(db, learner, attemptId, { kind: 'choice', choiceId: choice }, owned.view.nextActionSeq)).toMatchObject({ ok: true });

		const entry = (await libraryEntry(db, tutor, 'spouse-caller-gas'))!;
		expect(entry.state).toBe('published');
		expect(entry.unpublishedChanges).toBe(false);
		expect(entry.versions.map((v) => [v.id, v.current, v.attempts])).toEqual([
			[second.value.id, true, 0],
			[first.value.id, false, 1]
		]);
	});

	it('refuses an invalid draft with its errors, and publishes nothing', async () => {
		const { db, tutor } = await centre();
		await saveDraft(db, tutor, (await duplicate(db, tutor)).scenarioId, breakRule((await centreDraft(db, tutor, 'spouse-caller-gas'))?.draftSource ?? ''));
		const result = await publishDraft(db, tutor, 'spouse-caller-gas');
		expect(result).toMatchObject({ ok: false, error: { code: 'scenario.invalid', errors: [{ path: 'marking[0].rule.all[1].absent.event' }] } });
		expect(await currentVersionOf(db, 'spouse-caller-gas')).toBeUndefined();
	});

	it('does not publish a built-in id from the app', async () => {
		const { db, tutor } = await centre();
		expect(await publishDraft(db, tutor, 'spouse-caller')).toMatchObject({ ok: false, error: { code: 'scenario.built-in' } });
	});

	it('keeps centre versions current when the built-in files are synced again (a server restart)', async () => {
		const { db, tutor } = await centre();
		await duplicate(db, tutor);
		const published = await publishDraft(db, tutor, 'spouse-caller-gas');
		if (!published.ok) throw new Error(published.error.message);
		await syncBuiltInScenarios(db);
		expect((await currentVersionOf(db, 'spouse-caller-gas'))!.id).toBe(published.value.id);
		expect(loadScenarioVersion((await currentVersionOf(db, 'spouse-caller-gas'))!).scenario.title).toBe('A spouse calls about the gas account');
	});
});

describe('archiving', () => {
	it('takes a scenario out of currentScenarios, keeps its versions, and lets an attempt in progress finish', async () => {
		const { db, tutor, learner } = await centre();
		const started = await startLearnerAttempt(db, learner, 'spouse-caller');
		if (!started.ok) throw new Error(started.error.message);
		expect(await setArchived(db, tutor, 'spouse-caller', true)).toMatchObject({ ok: true });
		expect(await isArchived(db, 'spouse-caller')).toBe(true);
		expect((await currentScenarios(db)).some((s) => s.scenarioId === 'spouse-caller')).toBe(false);
		expect(await libraryEntry(db, tutor, 'spouse-caller')).toMatchObject({ state: 'archived', versions: [{ current: true, attempts: 1 }] });
		const owned = (await ownedAttempt(db, learner, started.value.id))!;
		const choice = owned.view.node!.choices[0]!.id;
		expect(await applyLearnerAction(db, learner, started.value.id, { kind: 'choice', choiceId: choice }, owned.view.nextActionSeq)).toMatchObject({ ok: true });
		expect(await startLearnerAttempt(db, learner, 'spouse-caller')).toMatchObject({ ok: false, error: { code: 'scenario.archived' } });

		await setArchived(db, tutor, 'spouse-caller', false);
		expect(await startLearnerAttempt(db, learner, 'spouse-caller')).toMatchObject({ ok: true });
		expect((await currentScenarios(db)).some((s) => s.scenarioId === 'spouse-caller')).toBe(true);
	});

	it('answers an unknown id as not found', async () => {
		const { db, tutor } = await centre();
		expect(await setArchived(db, tutor, 'no-such-scenario', true)).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
	});
});

describe('import and export', () => {
	it('imports a valid file as a centre draft, and exports it again unchanged', async () => {
		const { db, tutor } = await centre();
		const source = SPOUSE.replace(/^id: spouse-caller$/m, 'id: imported-spouse');
		const result = await importScenario(db, tutor, 'imported-spouse.yaml', source);
		expect(result).toMatchObject({ ok: true, value: { errors: [], draft: { scenarioId: 'imported-spouse' } } });
		expect(await exportSource(db, tutor, 'imported-spouse', 'draft')).toEqual({ fileName: 'imported-spouse.yaml', source });
		expect(await exportSource(db, tutor, 'spouse-caller', 'current')).toEqual({ fileName: 'spouse-caller.yaml', source: SPOUSE });
		expect(await exportSource(db, tutor, 'spouse-caller', 'spouse-caller@nope')).toBeUndefined();
	});

	it('keeps a file with problems as a draft and reports them as npm run scenarios:check names them', async () => {
		const { db, tutor } = await centre();
		const source = breakRule(SPOUSE.replace(/^id: spouse-caller$/m, 'id: imported-broken'));
		const result = await importScenario(db, tutor, 'imported-broken.yaml', source);
		if (!result.ok) throw new Error(result.error.message);
		expect(result.value.errors).toEqual(checkScenario('scenarios/imported-broken.yaml', source));
		expect(result.value.errors[0]).toMatchObject({ file: 'scenarios/imported-broken.yaml', path: 'marking[0].rule.all[1].absent.event' });
		expect((await centreDraft(db, tutor, 'imported-broken'))!.draftSource).toBe(source);
	});

	it('refuses an id clash, a file without an id, an empty or oversized file and a file that is not YAML', async () => {
		const { db, tutor } = await centre();
		expect(await importScenario(db, tutor, 'spouse-caller.yaml', SPOUSE)).toMatchObject({ ok: false, error: { code: 'scenario.id-taken' } });
		const noId = await importScenario(db, tutor, 'x.yaml', 'title: [broken');
		expect(noId).toMatchObject({ ok: false, error: { code: 'import.invalid' } });
		expect(noId.ok ? [] : noId.error.errors).not.toHaveLength(0);
		expect(await importScenario(db, tutor, 'x.yaml', '')).toMatchObject({ ok: false, error: { code: 'import.empty' } });
		expect(await importScenario(db, tutor, 'x.yaml', '#'.repeat(MAX_SOURCE_BYTES + 1))).toMatchObject({ ok: false, error: { code: 'import.too-large' } });
		expect(await importScenario(db, tutor, 'x.txt', SPOUSE)).toMatchObject({ ok: false, error: { code: 'import.not-yaml' } });
	});
});

describe('a new scenario from nothing', () => {
	it('starts a draft from the starter scenario with the id, title and difficulty given, with no problems', async () => {
		const { db, tutor } = await centre();
		const result = await createScenario(db, tutor, { scenarioId: 'checking-an-email', title: 'Checking an email: “quick”', difficulty: 'advanced' });
		if (!result.ok) throw new Error(result.error.message);
		expect(result.value).toMatchObject({ scenarioId: 'checking-an-email', basedOn: null, createdBy: tutor.id });
		expect(result.value.draftSource).toMatch(/^difficulty: advanced$/m);
		expect(result.value.draftSource).toContain('# For tutors');
		expect(await validateDraft('checking-an-email', result.value.draftSource)).toEqual([]);
		expect(await libraryEntry(db, tutor, 'checking-an-email')).toMatchObject({ origin: 'centre', state: 'draft', title: 'Checking an email: “quick”' });
	});

	it('refuses a taken id, a reserved one, a bad title or difficulty, naming the field, and stores nothing', async () => {
		const { db, tutor } = await centre();
		const good = { scenarioId: 'fresh-one', title: 'A fresh one', difficulty: 'foundation' };
		expect(await createScenario(db, tutor, { ...good, scenarioId: 'spouse-caller' })).toMatchObject({ ok: false, error: { code: 'scenario.id-taken', field: 'scenarioId' } });
		for (const id of ['new', 'import']) expect(await createScenario(db, tutor, { ...good, scenarioId: id })).toMatchObject({ ok: false, error: { field: 'scenarioId' } });
		expect(await duplicateScenario(db, tutor, 'spouse-caller', { scenarioId: 'new', title: 'A copy' })).toMatchObject({ ok: false, error: { field: 'scenarioId' } });
		expect(await createScenario(db, tutor, { ...good, title: '  ' })).toMatchObject({ ok: false, error: { field: 'title' } });
		expect(await createScenario(db, tutor, { ...good, difficulty: 'expert' })).toMatchObject({ ok: false, error: { field: 'difficulty' } });
		expect(await centreDraft(db, tutor, 'fresh-one')).toBeUndefined();
		expect((await createScenario(db, tutor, good)).ok).toBe(true);
		expect(await createScenario(db, tutor, good)).toMatchObject({ ok: false, error: { code: 'scenario.id-taken' } });
	});

	it('suggests an id from a title', () => {
		expect(suggestedId('Zoë’s “new” account: a check!')).toBe('zoe-s-new-account-a-check');
		expect(suggestedId('New')).toBe('new-scenario');
		expect(suggestedId('x'.repeat(70) + ' y').length).toBeLessThanOrEqual(60);
	});
});
