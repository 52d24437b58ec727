/**
 * The EQA's report on a grant (issue 17 item 4): findings per criterion, actions for the centre
 * (what, owner, due date) and a red/amber/green centre risk. A draft until submitted; once submitted
 * the database refuses any change (trigger), and the centre answers it — the report as a whole and
 * each action — in answers of its own, every one kept.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import type { CoreError } from '$lib/core/result';
import { CRITERIA, criterionByCode } from '$lib/criteria';
import { all, text } from '$lib/form-data';
import { eqaAnswer, eqaReport, EQA_RISKS, type EqaAccess, type EqaAction, type EqaAnswer, type EqaFinding, type EqaReport, type EqaRisk } from '$lib/server/db/eqa';
import { user } from '$lib/server/db/schema';
import { isCalendarDate } from '$lib/server/cohorts';
import { recordActorEvent, recordSecurityEvent, type Actor } from '$lib/server/security/events';
import type { EqaVisitor } from './grants';

export const REPORT_LIMITS = { summary: 8000, finding: 4000, what: 2000, owner: 200, answer: 4000, actions: 50 } as const;
export const RISK_LABELS: Record<EqaRisk, string> = { red: 'Red: high risk', amber: 'Amber: some risk', green: 'Green: low risk' };

export interface ReportInput {
	summary: string;
	risk: string;
	findings: EqaFinding[];
	actions: Omit<EqaAction, 'id'>[];
}

export type ReportResult<T> = { ok: true; value: T } | { ok: false; error: CoreError; errors: Partial<Record<string, string>> };

/** The report form as posted: one finding field per criterion, and rows of actions. */
export function reportFromForm(form: FormData): ReportInput {
	const findings = CRITERIA.map((c) => ({ criterion: c.code, finding: text(form, `finding-${c.code}`, { max: REPORT_LIMITS.finding + 1, trim: true }) })).filter((f) => f.finding !== '');
	const what = all(form, 'actionWhat', { count: REPORT_LIMITS.actions + 1, max: REPORT_LIMITS.what + 1, trim: true });
	const owner = all(form, 'actionOwner', { count: REPORT_LIMITS.actions + 1, max: REPORT_LIMITS.owner + 1, trim: true });
	const due = all(form, 'actionDue', { count: REPORT_LIMITS.actions + 1, max: 20, trim: true });
	const actions = what.map((w, i) => ({ what: w, owner: owner[i] ?? '', dueOn: due[i] ?? '' })).filter((a) => a.what !== '' || a.owner !== '' || a.dueOn !== '');
	return { summary: text(form, 'summary', { max: REPORT_LIMITS.summary + 1, trim: true }), risk: text(form, 'risk', { max: 10 }), findings, actions };
}

/** Problems that stop saving (a draft) or, with `submitting`, submitting. Keyed by form field. */
function problems(input: ReportInput, submitting: boolean): Partial<Record<string, string>> {
	const errors: Partial<Record<string, string>> = {};
	if (input.summary.length > REPORT_LIMITS.summary) errors.summary = `Use at most ${REPORT_LIMITS.summary} characters.`;
	else if (submitting && input.summary === '') errors.summary = 'Write a summary of your findings before submitting.';
	if (input.risk !== '' && !(EQA_RISKS as readonly string[]).includes(input.risk)) errors.risk = 'Choose red, amber or green.';
	else if (submitting && input.risk === '') errors.risk = 'Choose the centre’s risk before submitting.';
	for (const f of input.findings) {
		if (!criterionByCode(f.criterion)) errors[`finding-${f.criterion}`] = 'Not a criterion of the unit.';
		else if (f.finding.length > REPORT_LIMITS.finding) errors[`finding-${f.criterion}`] = `Use at most ${REPORT_LIMITS.finding} characters.`;
	}
	if (submitting && input.findings.length === 0) errors.findings = 'Record a finding on at least one criterion before submitting.';
	if (input.actions.length > REPORT_LIMITS.actions) errors.actions = `Set at most ${REPORT_LIMITS.actions} actions.`;
	input.actions.slice(0, REPORT_LIMITS.actions).forEach((a, i) => {
		if (a.what === '' || a.what.length > REPORT_LIMITS.what) errors[`action-${i}`] = a.what === '' ? 'Say what is to be done.' : `Use at most ${REPORT_LIMITS.what} characters.`;
		else if (a.owner === '' || a.owner.length > REPORT_LIMITS.owner) errors[`action-${i}`] = a.owner === '' ? 'Name who owns the action.' : `Use at most ${REPORT_LIMITS.owner} characters for the owner.`;
		else if (!isCalendarDate(a.dueOn)) errors[`action-${i}`] = 'Give the action a due date.';
	});
	return errors;
}

export async function reportOf(db: Db, accessId: string): Promise<EqaReport | undefined> {
	return await dbGet(db.select().from(eqaReport).where(eq(eqaReport.accessId, accessId)));
}

function invalid(errors: Partial<Record<string, string>>): ReportResult<never> {
	const [field, message] = Object.entries(errors)[0]!;
	return { ok: false, error: { code: 'invalid', field, message: message! }, errors };
}

const SUBMITTED = { ok: false as const, error: { code: 'eqa.report-submitted', message: 'This report has been submitted and can no longer be changed.' }, errors: {} };

/**
 * Saves the EQA's report as a draft, or submits it (`submit`): a submitted report is final. Only the
 * grant's own EQA writes it; the caller has checked the grant is open (openGrant).
 */
export async function saveReport(db: Db, visitor: EqaVisitor, grant: EqaAccess, input: ReportInput, submit: boolean, now = new Date()): Promise<ReportResult<EqaReport>> {
	const errors = problems(input, submit);
	if (Object.keys(errors).length > 0) return invalid(errors);
	const existing = await reportOf(db, grant.id);
	if (existing?.submittedAt) return SUBMITTED;
	const previous = new Map((existing?.actions ?? []).map((a) => [`${a.what}\n${a.owner}\n${a.dueOn}`, a.id]));
	const values = {
		summary: input.summary,
		risk: input.risk === '' ? null : (input.risk as EqaRisk),
		findings: input.findings,
		// An action kept from the draft keeps its id; the centre answers actions by id.
		actions: input.actions.map((a) => ({ id: previous.get(`${a.what}\n${a.owner}\n${a.dueOn}`) ?? crypto.randomUUID(), ...a })),
		updatedAt: now.toISOString(),
		submittedAt: submit ? now.toISOString() : null
	};
	let saved: EqaReport | undefined;
	await writeTransaction(db, async () => {
			if (existing) await dbRun(db.update(eqaReport).set(values).where(and(eq(eqaReport.id, existing.id), isNull(eqaReport.submittedAt))));
			else await dbRun(db.insert(eqaReport).values({ id: crypto.randomUUID(), accessId: grant.id, authorId: visitor.id, ...values }));
			saved = await reportOf(db, grant.id);
			if (submit) {
				await recordSecurityEvent(
					db,
					{ type: 'eqa.report-submitted', userId: visitor.id, address: visitor.address, routeId: visitor.routeId, requestId: visitor.requestId, detail: { accessId: grant.id, reportId: saved!.id, risk: saved!.risk } },
					now
				);
			}
		});
	return { ok: true, value: saved! };
}

export interface AnswerView extends Pick<EqaAnswer, 'id' | 'actionId' | 'answer' | 'answeredAt'> {
	answeredByName: string;
}

/** Every answer the centre gave to a report, oldest first. */
export async function answersOf(db: Db, reportId: string): Promise<AnswerView[]> {
	return await dbAll(db
		.select({ id: eqaAnswer.id, actionId: eqaAnswer.actionId, answer: eqaAnswer.answer, answeredAt: eqaAnswer.answeredAt, answeredByName: user.displayName })
		.from(eqaAnswer)
		.innerJoin(user, eq(user.id, eqaAnswer.answeredBy))
		.where(eq(eqaAnswer.reportId, reportId))
		.orderBy(asc(eqaAnswer.answeredAt)));
}

/** The centre answers a submitted report (actionId null) or one of its actions. */
export async function answerReport(db: Db, by: Actor, grant: EqaAccess, actionId: string | null, answer: string, now = new Date()): Promise<ReportResult<EqaAnswer>> {
	const report = await reportOf(db, grant.id);
	if (!report?.submittedAt) return { ok: false, error: { code: 'eqa.report-not-submitted', message: 'The EQA has not submitted a report yet.' }, errors: {} };
	if (actionId !== null && !report.actions.some((a) => a.id === actionId)) return { ok: false, error: { code: 'eqa.action-not-found', message: 'That action is not in the report.' }, errors: {} };
	const field = actionId === null ? 'answer' : `answer-${actionId}`;
	const text = answer.trim();
	if (text === '') return invalid({ [field]: 'Write your answer.' });
	if (text.length > REPORT_LIMITS.answer) return invalid({ [field]: `Use at most ${REPORT_LIMITS.answer} characters.` });
	const row: EqaAnswer = { id: crypto.randomUUID(), reportId: report.id, actionId, answer: text, answeredBy: by.id, answeredAt: now.toISOString() };
	await writeTransaction(db, async () => {
			await dbRun(db.insert(eqaAnswer).values(row));
			await recordActorEvent(db, by, { type: 'eqa.report-answered', userId: grant.eqaUserId, detail: { accessId: grant.id, reportId: report.id, actionId } }, now);
		});
	return { ok: true, value: row };
}
