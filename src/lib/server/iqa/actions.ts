/**
 * The IQA's actions on an assessor (issue 17, item 3). Only the assessor of the sampled decision
 * answers an action; the IQA who may sample it confirms it closed or sends it back with a comment.
 * Every step is appended to the action's history (immutable, triggers); nothing is overwritten.
 */
import { and, desc, eq } from 'drizzle-orm';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { daysBetween } from '$lib/core/uk-date';
import { ukToday } from '$lib/dates';
import { user } from '$lib/server/db/schema';
import { iqaSample } from '$lib/server/db/quality';
import { iqaAction, iqaActionEvent, iqaSampleRound, type IqaAction, type IqaActionEvent } from '$lib/server/db/iqa-records';
import { iqaActionAnswered } from '$lib/server/notifications/iqa';
import { actionHistories, stateAfter } from './action-state';
import { ACTION_NOT_FOUND, refused, type IqaResult } from './results';
import { actionViews, ownWorkRefusal, type ActionView, type Quality } from './samples';

export const ACTION_LIMITS = { answer: 4000, comment: 2000 } as const;

async function actionOf(db: Db, actionId: string): Promise<IqaAction | undefined> {
	if (typeof actionId !== 'string' || actionId.length > 100) return undefined;
	return await dbGet(db.select().from(iqaAction).where(eq(iqaAction.id, actionId)));
}

async function append(db: Db, actionId: string, kind: IqaActionEvent['kind'], text: string, byId: string, now: Date): Promise<IqaActionEvent> {
	const event: IqaActionEvent = { id: crypto.randomUUID(), actionId, kind, text, byId, at: now.toISOString() };
	await dbRun(db.insert(iqaActionEvent).values(event));
	return event;
}

/** The assessor answers an action set on them; the IQA who set it is told. Someone else's action is not found. */
export async function answerAction(db: Db, by: { id: string }, actionId: string, answer: string, now = new Date()): Promise<IqaResult<IqaActionEvent>> {
	const action = await actionOf(db, actionId);
	if (!action || action.assessorId !== by.id) return ACTION_NOT_FOUND;
	const text = answer.trim();
	if (text === '') return refused('action.invalid', 'Nothing was sent: correct what is marked.', { answer: 'Say what you did about the action.' });
	if (text.length > ACTION_LIMITS.answer) return refused('action.invalid', 'Nothing was sent: correct what is marked.', { answer: `Keep the answer to ${ACTION_LIMITS.answer} characters.` });
	return await writeTransaction(db, async (): Promise<IqaResult<IqaActionEvent>> => {
		const state = stateAfter((await actionHistories(db, [action.id])).get(action.id) ?? []);
		if (state !== 'open') return refused('action.refused', state === 'closed' ? 'This action is closed: nothing more is needed.' : 'You have answered this action: the IQA reviews your answer next.');
		const event = await append(db, action.id, 'answered', text, by.id, now);
		const round = await dbGet(db.select({ iqaId: iqaSampleRound.iqaId }).from(iqaSampleRound).where(eq(iqaSampleRound.id, action.roundId)));
		if (round) await iqaActionAnswered(db, action, round.iqaId, event.id, now);
		return { ok: true, value: event };
	});
}

/** The IQA confirms an answered action of the sample closed, or sends it back with a comment for the assessor. */
export async function reviewAction(db: Db, by: Quality, sampleId: string, actionId: string, answer: 'closed' | 'sent-back', comment: string, now = new Date()): Promise<IqaResult<IqaActionEvent>> {
	const action = await actionOf(db, actionId);
	const sample = action && action.sampleId === sampleId && await dbGet(db.select().from(iqaSample).where(and(eq(iqaSample.id, action.sampleId), eq(iqaSample.organisationId, by.organisationId))));
	if (!action || !sample) return ACTION_NOT_FOUND;
	if (!by.roles.includes('iqa')) return refused('sample.not-iqa', 'Only an internal quality assurer may close an action.');
	const own = await ownWorkRefusal(db, by.id, sample);
	if (own) return refused('sample.own-work', own);
	const text = comment.trim();
	if (answer === 'sent-back' && text === '') return refused('action.invalid', 'Nothing was recorded: correct what is marked.', { comment: 'Say what the assessor still has to do.' });
	if (text.length > ACTION_LIMITS.comment) return refused('action.invalid', 'Nothing was recorded: correct what is marked.', { comment: `Keep the comment to ${ACTION_LIMITS.comment} characters.` });
	return await writeTransaction(db, async (): Promise<IqaResult<IqaActionEvent>> => {
		const state = stateAfter((await actionHistories(db, [action.id])).get(action.id) ?? []);
		if (state !== 'answered') return refused('action.refused', state === 'closed' ? 'This action is already closed.' : 'The assessor has not answered this action yet.');
		return { ok: true, value: await append(db, action.id, answer, text, by.id, now) };
	});
}

export interface AssessorActionView extends ActionView {
	learnerName: string;
	/** Days until the target date (negative: overdue). */
	daysLeft: number;
	overdue: boolean;
}

/** The actions set on this assessor, open ones first, soonest due first. */
export async function actionsForAssessor(db: Db, assessorId: string, now = new Date()): Promise<AssessorActionView[]> {
	const today = ukToday(now);
	const rows = await dbAll(db
		.select({ action: iqaAction, learnerName: user.displayName })
		.from(iqaAction)
		.innerJoin(iqaSample, eq(iqaSample.id, iqaAction.sampleId))
		.innerJoin(user, eq(user.id, iqaSample.learnerId))
		.where(eq(iqaAction.assessorId, assessorId))
		.orderBy(desc(iqaAction.createdAt)));
	const learners = new Map(rows.map((r) => [r.action.id, r.learnerName]));
	return (await actionViews(
		db,
		rows.map((r) => r.action)
	))
		.map((a) => {
			const daysLeft = daysBetween(today, a.targetDate);
			return { ...a, learnerName: learners.get(a.id) ?? '', daysLeft, overdue: a.state !== 'closed' && daysLeft < 0 };
		})
		.sort((a, b) => Number(a.state === 'closed') - Number(b.state === 'closed') || a.targetDate.localeCompare(b.targetDate));
}
