/**
 * Who is told what about the IQA's actions (issue 17): the assessor when an action is set and when it
 * is due within 7 days or overdue (the scheduled reminder job, once per action and stage), the IQA
 * when the assessor answers. Called inside the transaction that records the event.
 */
import { eq } from 'drizzle-orm';
import { dbAll, writeTransaction, type Db } from '$lib/core/database';
import { daysBetween } from '$lib/core/uk-date';
import { ukToday } from '$lib/dates';
import { criterionByCode } from '$lib/criteria';
import { user } from '$lib/server/db/schema';
import { iqaAction, type IqaAction } from '$lib/server/db/iqa-records';
import { actionHistories, stateAfter } from '$lib/server/iqa/action-state';
import { notify } from './store';

/** How many days ahead an assessor is reminded of an IQA action not yet closed. */
export const IQA_ACTION_DUE_DAYS = 7;

const ACTIONS_LINK = '/assess/iqa-actions';

function criterionName(code: string): string {
	const title = criterionByCode(code)?.title;
	return title ? `${code} ${title}` : code;
}

export async function iqaActionSet(db: Db, action: IqaAction, now: Date): Promise<void> {
	await notify(db, [action.assessorId], { kind: 'iqa-action-set', subject: action.id, title: `The IQA set you an action on ${criterionName(action.criterion)}, due ${action.targetDate}`, link: ACTIONS_LINK }, now);
}

export async function iqaActionAnswered(db: Db, action: IqaAction, iqaId: string, eventId: string, now: Date): Promise<void> {
	await notify(db, [iqaId], { kind: 'iqa-action-answered', subject: eventId, title: `An assessor answered your action on ${criterionName(action.criterion)}`, link: `/iqa/samples/${action.sampleId}` }, now);
}

/** Reminds assessors of actions not yet closed, due within 7 days or overdue; returns how many notifications were new. */
export async function remindIqaActions(db: Db, now = new Date()): Promise<number> {
	const today = ukToday(now);
	const actions = (await dbAll(db.select().from(iqaAction).innerJoin(user, eq(user.id, iqaAction.assessorId)).where(eq(user.active, true)))).map((r) => r.iqa_action);
	if (actions.length === 0) return 0;
	const histories = await actionHistories(db, actions.map((a) => a.id));
	let added = 0;
	await writeTransaction(db, async () => {
		for (const action of actions) {
			if (stateAfter(histories.get(action.id) ?? []) === 'closed') continue;
			const daysLeft = daysBetween(today, action.targetDate);
			// The subject names the target date: each action is reminded once per stage (due soon, overdue).
			const subject = `${action.id}@${action.targetDate}`;
			if (daysLeft < 0) {
				added += await notify(db, [action.assessorId], { kind: 'iqa-action-overdue', subject, title: `IQA action overdue since ${action.targetDate}: ${criterionName(action.criterion)}`, link: ACTIONS_LINK }, now);
			} else if (daysLeft <= IQA_ACTION_DUE_DAYS) {
				const when = daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`;
				added += await notify(db, [action.assessorId], { kind: 'iqa-action-due', subject, title: `IQA action due ${when} (${action.targetDate}): ${criterionName(action.criterion)}`, link: ACTIONS_LINK }, now);
			}
		}
	});
	return added;
}
