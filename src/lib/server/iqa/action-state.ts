/**
 * Where an IQA action stands, read from its append-only history: open (nothing yet, or sent back by
 * the IQA), answered (by the assessor, for the IQA to review) or closed (confirmed by the IQA).
 */
import { dbAll, insertionOrder } from '$lib/core/database';
import { asc, inArray, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { iqaActionEvent, type IqaActionEvent } from '$lib/server/db/iqa-records';

export const ACTION_STATES = ['open', 'answered', 'closed'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

export const ACTION_STATE_LABELS: Record<ActionState, string> = { open: 'Open', answered: 'Answered — for the IQA to review', closed: 'Closed' };

export function stateAfter(events: readonly Pick<IqaActionEvent, 'kind'>[]): ActionState {
	const last = events.at(-1)?.kind;
	return last === 'answered' ? 'answered' : last === 'closed' ? 'closed' : 'open';
}

/** Each action's history, oldest first. */
export async function actionHistories(db: Db, actionIds: readonly string[]): Promise<Map<string, IqaActionEvent[]>> {
	const histories = new Map<string, IqaActionEvent[]>(actionIds.map((id) => [id, []]));
	if (actionIds.length === 0) return histories;
	// Then rowid: the order they were appended, even within one millisecond.
	for (const e of await dbAll(db.select().from(iqaActionEvent).where(inArray(iqaActionEvent.actionId, [...actionIds])).orderBy(asc(iqaActionEvent.at), insertionOrder(db, iqaActionEvent)))) histories.get(e.actionId)?.push(e);
	return histories;
}
