import { describe, expect, it } from 'vitest';
import { DEMO_ORGANISATION_ID } from '$lib/server/demo';
import { addComment, commentBank } from './comments';
import { decisionValuesFromForm, field } from './forms';
import { assessmentFixture } from './testing';

const f = assessmentFixture();

describe('the comment bank and the form', () => {
	it('adds entries for the centre and appends a chosen one to its feedback box', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const added = await addComment(f.db, { id: f.ids.gareth, organisationId: DEMO_ORGANISATION_ID }, { text: 'Name the legislation you relied on.', criterion: 'PC01' });
		if (!added.ok) throw new Error(added.error.message);
		expect(await commentBank(f.db, DEMO_ORGANISATION_ID)).toEqual([{ id: added.value.id, criterion: 'PC01', text: 'Name the legislation you relied on.' }]);
		const r = await f.review(id);
		const form = new FormData();
		form.set('outcome', 'met');
		form.set('feedback', 'Good work.');
		form.set('feedback-comment', added.value.id);
		form.set(field.pointMet(0), 'met');
		form.set(field.pointFeedback(0), '');
		form.set(field.pointComment(0), added.value.id);
		form.set(field.criterionComment(0), 'not-a-comment');
		const values = decisionValuesFromForm(form, r, await commentBank(f.db, DEMO_ORGANISATION_ID));
		expect(values.feedback).toBe('Good work.\nName the legislation you relied on.');
		expect(values.points[r.points[0]!.id]).toEqual({ met: 'met', feedback: 'Name the legislation you relied on.' });
		expect(values.criteria[r.criteria[0]!.code]?.feedback).toBe('');
	});

	it('refuses an empty comment, an overlong one and an unknown criterion with typed errors', async () => {
		const author = { id: f.ids.gareth, organisationId: DEMO_ORGANISATION_ID };
		expect(await addComment(f.db, author, { text: '  ', criterion: '' })).toMatchObject({ ok: false, error: { code: 'comment.invalid', field: 'text' } });
		expect(await addComment(f.db, author, { text: 'x'.repeat(1001), criterion: '' })).toMatchObject({ ok: false, error: { field: 'text' } });
		expect(await addComment(f.db, author, { text: 'Fine', criterion: 'ZZ99' })).toMatchObject({ ok: false, error: { field: 'criterion' } });
		expect(await addComment(f.db, author, { text: 42, criterion: null })).toMatchObject({ ok: false });
	});
});
