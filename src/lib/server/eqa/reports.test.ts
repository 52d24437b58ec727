import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { ukToday } from '$lib/dates';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { eqaAccess, eqaAnswer, eqaReport, type EqaAccess } from '$lib/server/db/eqa';
import { securityEvent, user } from '$lib/server/db/schema';
import { addDays } from './grants';
import { answerReport, answersOf, reportFromForm, reportOf, saveReport, type ReportInput } from './reports';

const f = assessmentFixture();
const idOf = (email: string) => f.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
const today = ukToday(new Date());
/** The demo EQA's open grant to Amira and Tomás (demo.ts). */
const demoGrant = (): EqaAccess => f.db.select().from(eqaAccess).where(eq(eqaAccess.id, 'demo-eqa-access')).get()!;
const eqa = () => ({ id: idOf('eqa@custodian.test'), address: '203.0.113.8', routeId: '/(guarded)/eqa/[accessId]/report', requestId: null });
const iqa = () => ({ id: idOf('iqa@custodian.test') });

const complete: ReportInput = {
	summary: 'Sampling is sound; records of countersignature are thin.',
	risk: 'amber',
	findings: [{ criterion: 'PC01', finding: 'Decisions cite the evidence for each marking point.' }],
	actions: [{ what: 'Record the reason for each countersignature.', owner: 'Lead IQA', dueOn: addDays(today, 30) }]
};

describe('the EQA’s report', () => {
	it('reads findings per criterion and rows of actions from the form, leaving out blank ones', () => {
		const form = new FormData();
		form.set('summary', ' All good. ');
		form.set('risk', 'green');
		form.set('finding-PC01', 'Fine.');
		form.set('finding-PC02', '   ');
		for (const [what, owner, due] of [['Do it', 'Sam', '2026-12-30'], ['', '', '']]) {
			form.append('actionWhat', what!);
			form.append('actionOwner', owner!);
			form.append('actionDue', due!);
		}
		expect(reportFromForm(form)).toEqual({ summary: 'All good.', risk: 'green', findings: [{ criterion: 'PC01', finding: 'Fine.' }], actions: [{ what: 'Do it', owner: 'Sam', dueOn: '2026-12-30' }] });
	});

	it('saves drafts, then submits once complete; a submitted report cannot be changed, by the app or in the database', () => {
		const grant = demoGrant();
		expect(saveReport(f.db, eqa(), grant, { ...complete, risk: '', summary: '' }, false)).toMatchObject({ ok: true });
		const refused = saveReport(f.db, eqa(), grant, { ...complete, risk: '', summary: '', findings: [] }, true);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(Object.keys(refused.errors).sort()).toEqual(['findings', 'risk', 'summary']);
		const noOwner = saveReport(f.db, eqa(), grant, { ...complete, actions: [{ what: 'x', owner: '', dueOn: '' }] }, true);
		expect(noOwner.ok).toBe(false);
		if (!noOwner.ok) expect(noOwner.errors['action-0']).toMatch(/owns/);
		const draftActionId = reportOf(f.db, grant.id)!.actions[0]!.id;

		const submitted = saveReport(f.db, eqa(), grant, complete, true);
		expect(submitted).toMatchObject({ ok: true, value: { risk: 'amber', submittedAt: expect.any(String) } });
		// An action kept from the draft keeps its id (the centre answers actions by id).
		expect(reportOf(f.db, grant.id)!.actions[0]!.id).toBe(draftActionId);
		expect(saveReport(f.db, eqa(), grant, { ...complete, risk: 'green' }, false)).toMatchObject({ ok: false, error: { code: 'eqa.report-submitted' } });
		expect(() => f.db.update(eqaReport).set({ risk: 'green' }).where(eq(eqaReport.accessId, grant.id)).run()).toThrow(/submitted EQA report/);
		expect(() => f.db.delete(eqaReport).where(eq(eqaReport.accessId, grant.id)).run()).toThrow(/submitted EQA report/);
		expect(reportOf(f.db, grant.id)!.risk).toBe('amber');
		const logged = f.db.select().from(securityEvent).where(eq(securityEvent.type, 'eqa.report-submitted')).all();
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ userId: eqa().id, address: '203.0.113.8', detail: { accessId: grant.id, risk: 'amber' } });
	});

	it('lets the centre answer only a submitted report, the report and each action, keeping every answer', () => {
		const grant = demoGrant();
		expect(answerReport(f.db, iqa(), grant, null, 'Thank you.')).toMatchObject({ ok: false, error: { code: 'eqa.report-not-submitted' } });
		saveReport(f.db, eqa(), grant, complete, true);
		const report = reportOf(f.db, grant.id)!;
		const actionId = report.actions[0]!.id;
		expect(answerReport(f.db, iqa(), grant, actionId, '  ')).toMatchObject({ ok: false, errors: { [`answer-${actionId}`]: expect.any(String) } });
		expect(answerReport(f.db, iqa(), grant, 'no-such-action', 'Done.')).toMatchObject({ ok: false, error: { code: 'eqa.action-not-found' } });
		expect(answerReport(f.db, iqa(), grant, actionId, 'Added a reason field; in use from Monday.')).toMatchObject({ ok: true });
		expect(answerReport(f.db, iqa(), grant, null, 'We accept the findings.')).toMatchObject({ ok: true });
		expect(answersOf(f.db, report.id).map((a) => [a.actionId, a.answer, a.answeredByName])).toEqual([
			[actionId, 'Added a reason field; in use from Monday.', 'Helen Achterberg'],
			[null, 'We accept the findings.', 'Helen Achterberg']
		]);
		expect(() => f.db.update(eqaAnswer).set({ answer: 'Changed.' }).run()).toThrow(/kept as given/);
		expect(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'eqa.report-answered')).all()).toHaveLength(2);
	});
});
