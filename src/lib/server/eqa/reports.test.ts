import { dbGet, dbRun, dbAll } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { refusal } from '$lib/core/testing';
import { eq } from 'drizzle-orm';
import { ukToday } from '$lib/dates';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { eqaAccess, eqaAnswer, eqaReport, type EqaAccess } from '$lib/server/db/eqa';
import { securityEvent, user } from '$lib/server/db/schema';
import { addDays } from './grants';
import { answerReport, answersOf, reportFromForm, reportOf, saveReport, type ReportInput } from './reports';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const today = ukToday(new Date());
/** The demo EQA's open grant to Amira and Tomás (demo.ts). */
const demoGrant = async (): Promise<EqaAccess> => (await dbGet(f.db.select().from(eqaAccess).where(eq(eqaAccess.id, 'demo-eqa-access'))))!;
const eqa = async () => ({ id: await idOf('eqa@custodian.test'), address: '203.0.113.8', routeId: '/(guarded)/eqa/[accessId]/report', requestId: null });
const iqa = async () => ({ id: await idOf('iqa@custodian.test') });

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

	it('saves drafts, then submits once complete; a submitted report cannot be changed, by the app or in the database', async () => {
		const grant = await demoGrant();
		expect(await saveReport(f.db, await eqa(), grant, { ...complete, risk: '', summary: '' }, false)).toMatchObject({ ok: true });
		const refused = await saveReport(f.db, await eqa(), grant, { ...complete, risk: '', summary: '', findings: [] }, true);
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(Object.keys(refused.errors).sort()).toEqual(['findings', 'risk', 'summary']);
		const noOwner = await saveReport(f.db, await eqa(), grant, { ...complete, actions: [{ what: 'x', owner: '', dueOn: '' }] }, true);
		expect(noOwner.ok).toBe(false);
		if (!noOwner.ok) expect(noOwner.errors['action-0']).toMatch(/owns/);
		const draftActionId = (await reportOf(f.db, grant.id))!.actions[0]!.id;

		const submitted = await saveReport(f.db, await eqa(), grant, complete, true);
		expect(submitted).toMatchObject({ ok: true, value: { risk: 'amber', submittedAt: expect.any(String) } });
		// An action kept from the draft keeps its id (the centre answers actions by id).
		expect((await reportOf(f.db, grant.id))!.actions[0]!.id).toBe(draftActionId);
		expect(await saveReport(f.db, await eqa(), grant, { ...complete, risk: 'green' }, false)).toMatchObject({ ok: false, error: { code: 'eqa.report-submitted' } });
		expect(await refusal(dbRun(f.db.update(eqaReport).set({ risk: 'green' }).where(eq(eqaReport.accessId, grant.id))))).toMatch(/submitted EQA report/);
		expect(await refusal(dbRun(f.db.delete(eqaReport).where(eq(eqaReport.accessId, grant.id))))).toMatch(/submitted EQA report/);
		expect((await reportOf(f.db, grant.id))!.risk).toBe('amber');
		const logged = await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'eqa.report-submitted')));
		expect(logged).toHaveLength(1);
		expect(logged[0]).toMatchObject({ userId: (await eqa()).id, address: '203.0.113.8', detail: { accessId: grant.id, risk: 'amber' } });
	});

	it('lets the centre answer only a submitted report, the report and each action, keeping every answer', async () => {
		const grant = await demoGrant();
		expect(await answerReport(f.db, await iqa(), grant, null, 'Thank you.')).toMatchObject({ ok: false, error: { code: 'eqa.report-not-submitted' } });
		await saveReport(f.db, await eqa(), grant, complete, true);
		const report = (await reportOf(f.db, grant.id))!;
		const actionId = report.actions[0]!.id;
		expect(await answerReport(f.db, await iqa(), grant, actionId, '  ')).toMatchObject({ ok: false, errors: { [`answer-${actionId}`]: expect.any(String) } });
		expect(await answerReport(f.db, await iqa(), grant, 'no-such-action', 'Done.')).toMatchObject({ ok: false, error: { code: 'eqa.action-not-found' } });
		expect(await answerReport(f.db, await iqa(), grant, actionId, 'Added a reason field; in use from Monday.')).toMatchObject({ ok: true });
		expect(await answerReport(f.db, await iqa(), grant, null, 'We accept the findings.')).toMatchObject({ ok: true });
		expect((await answersOf(f.db, report.id)).map((a) => [a.actionId, a.answer, a.answeredByName])).toEqual([
			[actionId, 'Added a reason field; in use from Monday.', 'Helen Achterberg'],
			[null, 'We accept the findings.', 'Helen Achterberg']
		]);
		expect(await refusal(dbRun(f.db.update(eqaAnswer).set({ answer: 'Changed.' })))).toMatch(/kept as given/);
		expect(await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'eqa.report-answered')))).toHaveLength(2);
	});
});
