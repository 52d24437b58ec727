import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { dbGet } from '$lib/core/database';
import { openTestDatabase } from '$lib/core/testing-database';
import { user } from '$lib/server/db/schema';
import { seedDemoData, DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { centreDraft, createScenario, STALE_DRAFT_MESSAGE, type Author } from './authoring';
import { formEditorPage, saveFormEdit } from './form-editor';

async function centre() {
	const db = await openTestDatabase();
	await seedDemoData(db);
	await syncBuiltInScenarios(db);
	const tutorId = (await dbGet(db.select({ id: user.id }).from(user).where(eq(user.email, 'tutor@custodian.test'))))!.id;
	const tutor: Author = { id: tutorId, organisationId: DEMO_ORGANISATION_ID };
	const created = await createScenario(db, tutor, { scenarioId: 'form-editor-test', title: 'Form editor test', difficulty: 'foundation' }, new Date('2026-01-01T10:00:00Z'));
	if (!created.ok) throw new Error(created.error.message);
	return { db, tutor, draft: created.value };
}

describe('the form editor on the server', () => {
	it('shows a new draft with no problems, and saves an edit made in a worker', async () => {
		const { db, tutor, draft } = await centre();
		const page = await formEditorPage(db, tutor, 'form-editor-test');
		expect(page).toMatchObject({ problems: [], unreadable: null });
		expect(page!.view!.personas.map((p) => p.key)).toEqual(['caller', 'team-leader']);
		const saved = await saveFormEdit(db, tutor, 'form-editor-test', { kind: 'add-persona', name: 'Jo Bloggs' }, draft.updatedAt, new Date('2026-01-01T10:05:00Z'));
		expect(saved).toMatchObject({ ok: true, value: { updatedAt: '2026-01-01T10:05:00.000Z' } });
		expect((await centreDraft(db, tutor, 'form-editor-test'))!.draftSource).toContain('name: Jo Bloggs');
		// An item added with a problem shows where to fix it.
		const after = await formEditorPage(db, tutor, 'form-editor-test');
		expect(after!.view!.personas.at(-1)).toMatchObject({ key: 'jo-bloggs', name: 'Jo Bloggs' });
	});

	it('refuses a stale form, invalid input and another centre’s tutor, saving nothing', async () => {
		const { db, tutor, draft } = await centre();
		const edit = { kind: 'add-persona', name: 'Jo Bloggs' } as const;
		expect(await saveFormEdit(db, tutor, 'form-editor-test', edit, '2025-01-01T00:00:00.000Z')).toEqual({ ok: false, error: { code: 'draft.stale', message: STALE_DRAFT_MESSAGE } });
		expect(await saveFormEdit(db, tutor, 'form-editor-test', { kind: 'add-persona', name: ' ' }, draft.updatedAt)).toMatchObject({ ok: false, error: { code: 'invalid', field: 'name' } });
		expect(await saveFormEdit(db, { id: tutor.id, organisationId: 'another-centre' }, 'form-editor-test', edit, draft.updatedAt)).toMatchObject({ ok: false, error: { code: 'scenario.not-found' } });
		expect(await formEditorPage(db, { id: tutor.id, organisationId: 'another-centre' }, 'form-editor-test')).toBeUndefined();
		expect(await formEditorPage(db, tutor, 'spouse-caller')).toBeUndefined();
		expect((await centreDraft(db, tutor, 'form-editor-test'))!.draftSource).toBe(draft.draftSource);
	});
});
