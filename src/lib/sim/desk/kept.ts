/**
 * The desk's state of an attempt, kept as the attempt goes rather than rebuilt on every render: one
 * row per attempt (attempt_desk in sim/schema.ts) holding the fold of its actions (state.ts) up to
 * the last one. The runtime folds each action in, in the transaction that stores it
 * (keepDeskState), so the row never lags the log; the screen reads that one row (keptDeskState),
 * whatever the number of actions. An attempt stored before the row existed, or whose row does not
 * reach its last action, gets it once by folding its whole log, which is what replay gives.
 */
import { preparedStatements, writeTransaction, type Db, type StatementFactory } from '../../core';
import type { StoredAction } from '../attempt-record';
import { attemptActions } from '../attempts';
import { deskStateAfter, deskStateOf, EMPTY_DESK_STATE, type DeskState } from './state';

interface KeptSqlRow {
	through_seq: number | null;
	state: string | null;
	next_action_seq: number;
}

function prepareStatements(client: StatementFactory) {
	return {
		// The attempt's row too: the seq of its last action says whether the kept state reaches it.
		kept: client.prepare<[string], KeptSqlRow>(
			'select d.through_seq, d.state, a.next_action_seq from attempt a left join attempt_desk d on d.attempt_id = a.id where a.id = ?'
		),
		keep: client.prepare<{ attemptId: string; throughSeq: number; state: string }>(
			`insert into attempt_desk (attempt_id, through_seq, state) values (@attemptId, @throughSeq, @state)
			 on conflict (attempt_id) do update set through_seq = excluded.through_seq, state = excluded.state`
		),
		advance: client.prepare<{ attemptId: string; throughSeq: number }>('update attempt_desk set through_seq = @throughSeq where attempt_id = @attemptId')
	};
}

const statements = preparedStatements(prepareStatements);

/** The kept state when it reaches action `throughSeq`, else undefined. */
function keptThrough(row: KeptSqlRow | undefined, throughSeq: number): DeskState | undefined {
	return row && row.through_seq === throughSeq && row.state !== null ? (JSON.parse(row.state) as DeskState) : undefined;
}

async function store(db: Db, attemptId: string, throughSeq: number, state: DeskState): Promise<void> {
	await statements(db).keep.run({ attemptId, throughSeq, state: JSON.stringify(state) });
}

/**
 * Folds an action just stored into the attempt's kept state. Called by the runtime inside the
 * action's own transaction, after the action is stored, so the two commit or roll back together.
 */
export async function keepDeskState(db: Db, attemptId: string, action: StoredAction): Promise<void> {
	const row = await statements(db).kept.get(attemptId);
	const before = keptThrough(row, action.seq - 1);
	if (before === undefined) {
		await store(db, attemptId, action.seq, deskStateOf(await attemptActions(db, attemptId)));
		return;
	}
	const after = deskStateAfter(before, action);
	// Most actions leave the desk as it was: only the seq it reaches moves on.
	if (after === before) await statements(db).advance.run({ attemptId, throughSeq: action.seq });
	else await store(db, attemptId, action.seq, after);
}

/**
 * The kept state of a new attempt, before its first action: stored by the runtime in the transaction
 * that starts the attempt, so that reading an attempt never has to write (a refused request changes
 * nothing, not even this row).
 */
export async function startDeskState(db: Db, attemptId: string): Promise<void> {
	await store(db, attemptId, 0, EMPTY_DESK_STATE);
}

/** What the desk knows after the attempt's last action: one row read (an unknown attempt knows nothing). */
export async function keptDeskState(db: Db, attemptId: string): Promise<DeskState> {
	const row = await statements(db).kept.get(attemptId);
	if (!row) return EMPTY_DESK_STATE;
	const kept = keptThrough(row, row.next_action_seq - 1);
	if (kept !== undefined) return kept;
	// An attempt with no action yet knows nothing: nothing to fold, nothing to write.
	if (row.next_action_seq <= 1) return EMPTY_DESK_STATE;
	// Kept once, from the log; the write transaction reads the log and the attempt's seq together.
	return await writeTransaction(db, async () => {
		const now = (await statements(db).kept.get(attemptId))!;
		const state = deskStateOf(await attemptActions(db, attemptId));
		await store(db, attemptId, now.next_action_seq - 1, state);
		return state;
	});
}
