import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { CRITERIA } from '$lib/criteria';
import { ukToday } from '$lib/dates';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { EQA_RISKS } from '$lib/server/db/eqa';
import { recordEqaView } from '$lib/server/eqa/grants';
import { requireOpenGrant } from '$lib/server/eqa/guard';
import { REPORT_LIMITS, RISK_LABELS, answersOf, reportFromForm, reportOf, saveReport } from '$lib/server/eqa/reports';

export const load = withRole('eqa', (async (event) => {
	const db = getDb();
	const opened = await requireOpenGrant(db, event);
	await recordEqaView(db, opened.visitor, opened.grant, 'report');
	const report = await reportOf(db, opened.grant.id) ?? null;
	return {
		access: { id: opened.grant.id, centreName: opened.centreName, cohortName: opened.cohortName },
		report,
		answers: report?.submittedAt ? await answersOf(db, report.id) : [],
		criteria: CRITERIA.map((c) => ({ code: c.code, title: c.title })),
		risks: EQA_RISKS.map((value) => ({ value, label: RISK_LABELS[value] })),
		riskLabels: RISK_LABELS,
		limits: REPORT_LIMITS,
		today: ukToday(new Date())
	};
}) satisfies PageServerLoad);

async function save(event: RequestEvent, submit: boolean) {
	const db = getDb();
	const opened = await requireOpenGrant(db, event);
	const input = reportFromForm(await postedForm(event.request));
	const saved = await saveReport(db, opened.visitor, opened.grant, input, submit);
	if (!saved.ok) return fail(saved.error.code === 'eqa.report-submitted' ? 409 : 400, { values: input, errors: saved.errors, message: saved.error.message });
	return { done: submit ? 'Your report is submitted. The centre can now read and answer it.' : 'Your draft is saved.' };
}

export const actions = actionsWithRole('eqa', {
	save: (event) => save(event, false),
	submit: (event) => save(event, true)
} satisfies Actions);
