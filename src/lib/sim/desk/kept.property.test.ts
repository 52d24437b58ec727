/**
 * The kept desk state (kept.ts) against the fold it keeps (state.ts): whatever the learner does —
 * choices, desk operations that work or fail, actions the runtime refuses, an attempt ended midway,
 * a kept row lost or left behind — the one row read says what folding the stored log says, and
 * what a fresh replay of the attempt keeps. Real runtime, real core, a real database (SQLite, or
 * PostgreSQL in the PostgreSQL run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { type Db } from '../../core';
import { dbExec, dbQuery, engineOf } from '../../core/database';
import { closeTestDatabase, openTestDatabase } from '../../core/testing-database';
import { loadedScenario } from '../playthroughs/support';
import { applyAction, attemptActions, endAttempt, getAttempt, replayAttempt, startAttempt, type LearnerAction } from '../runtime';
import { keptDeskState } from './kept';
import { deskStateOf, EMPTY_DESK_STATE } from './state';

const spouse = loadedScenario('spouse-caller');

async function start(seed: string): Promise<{ db: Db; attemptId: string; daniel: string }> {
	const db = await openTestDatabase();
	const started = await startAttempt(db, spouse, { ownerId: 'learner-1', seed, actor: { id: 'learner-1', name: 'Learner', role: 'agent' } });
	if (!started.ok) throw new Error(started.error.message);
	return { db, attemptId: started.value.id, daniel: started.value.seedIds.daniel! };
}

interface RawKept {
	through_seq: number;
	state: string;
}

/** The attempt_desk row as stored, or undefined when there is none. */
const keptRow = async (db: Db, attemptId: string) =>
	(await dbQuery<RawKept>(db, sql`select through_seq, state from attempt_desk where attempt_id = ${attemptId}`))[0];

/**
 * A mark that moves whenever a row of attempt_desk is written: equal before and after means nothing
 * was. SQLite: the rows this connection has changed. PostgreSQL (a pool, so no per-connection count):
 * each row's xmin, the transaction that wrote its current version, which any insert or update
 * (even of the same values) changes.
 */
const totalChanges = async (db: Db) =>
	engineOf(db) === 'postgres'
		? JSON.stringify(await dbQuery(db, sql`select attempt_id, xmin::text as written_by from attempt_desk order by attempt_id`))
		: (await dbQuery<{ n: number }>(db, sql`select total_changes() as n`))[0]!.n;

// ── What a learner may do, drawn as data and turned into an action against the attempt as it is ──

const NEW_CUSTOMERS = [
	{ givenName: 'Priya', familyName: 'Shah', postcode: 'NN14 6BE' },
	{ givenName: 'Tom', familyName: 'Hughes', postcode: 'NN15 7QA' }
] as const;
const PURPOSES = ['supply-and-billing', 'marketing', 'no-such-purpose'] as const;
const SEARCHES = [
	{ name: 'Hughes', postcode: 'NN15 7QA', purposeCode: 'supply-and-billing' },
	{ name: 'Hughes', purposeCode: 'supply-and-billing' },
	{ name: 'Shah', purposeCode: 'supply-and-billing' },
	{ postcode: 'NN15 7QA', purposeCode: 'marketing' },
	{ name: 'Nobody', purposeCode: 'supply-and-billing' },
	// No purpose: the core refuses the search, a failed outcome stored like any other.
	{ name: 'Hughes' }
] as const;
const FIELDS = ['givenName', 'familyName', 'postcode', 'balance'] as const;

type Move =
	| { t: 'choice'; pick: number }
	| { t: 'search'; query: number }
	| { t: 'view'; who: number; purpose: number }
	| { t: 'record'; customer: number; complete: boolean }
	| { t: 'correct'; who: number; field: number }
	| { t: 'contest'; who: number; field: number }
	| { t: 'log'; who: number }
	// Refused by the runtime: nothing may change.
	| { t: 'notAChoice' }
	| { t: 'unknownOperation' }
	| { t: 'aheadOfSeq' }
	| { t: 'staleSeq' }
	// Sent again with its own seq: the stored outcome comes back, nothing is applied twice.
	| { t: 'repeatLast' }
	| { t: 'end' }
	// The kept row as an attempt stored before it existed, or one left behind, would have it.
	| { t: 'loseRow' }
	| { t: 'rowBehind' };

const moveArb: fc.Arbitrary<Move> = fc.oneof(
	{ weight: 5, arbitrary: fc.record({ t: fc.constant('choice' as const), pick: fc.nat(5) }) },
	{ weight: 3, arbitrary: fc.record({ t: fc.constant('search' as const), query: fc.nat(SEARCHES.length - 1) }) },
	{ weight: 3, arbitrary: fc.record({ t: fc.constant('view' as const), who: fc.nat(3), purpose: fc.nat(PURPOSES.length - 1) }) },
	{ weight: 2, arbitrary: fc.record({ t: fc.constant('record' as const), customer: fc.nat(NEW_CUSTOMERS.length - 1), complete: fc.boolean() }) },
	{ weight: 2, arbitrary: fc.record({ t: fc.constant('correct' as const), who: fc.nat(3), field: fc.nat(FIELDS.length - 1) }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('contest' as const), who: fc.nat(3), field: fc.nat(FIELDS.length - 1) }) },
	{ weight: 1, arbitrary: fc.record({ t: fc.constant('log' as const), who: fc.nat(3) }) },
	{ weight: 2, arbitrary: fc.constantFrom<Move>({ t: 'notAChoice' }, { t: 'unknownOperation' }, { t: 'aheadOfSeq' }, { t: 'staleSeq' }, { t: 'repeatLast' }) },
	{ weight: 1, arbitrary: fc.constantFrom<Move>({ t: 'loseRow' }, { t: 'rowBehind' }, { t: 'end' }) }
);

interface Attempt {
	db: Db;
	attemptId: string;
	/** Customers the learner could name: the seeded one, those they recorded, and one that does not exist. */
	customers: string[];
}

const customer = (a: Attempt, who: number) => (who === 0 ? 'no-such-customer' : a.customers[(who - 1) % a.customers.length]!);

/** The action a move sends, and the seq it sends it as; undefined for a move that is not an action. */
async function actionOf(a: Attempt, move: Move): Promise<{ action: LearnerAction; seq: number } | undefined> {
	const view = (await getAttempt(a.db, a.attemptId))!;
	const next = view.nextActionSeq;
	const coreAction = (operation: Extract<LearnerAction, { kind: 'core' }>['operation'], input: unknown): { action: LearnerAction; seq: number } => ({
		action: { kind: 'core', operation, input },
		seq: next
	});
	switch (move.t) {
		case 'choice': {
			const choices = view.node?.choices ?? [];
			// At the end of the conversation there is nothing to say: the runtime refuses any choice.
			const choiceId = choices.length === 0 ? 'goodbye' : choices[move.pick % choices.length]!.id;
			return { action: { kind: 'choice', choiceId }, seq: next };
		}
		case 'search':
			return coreAction('searchCustomers', SEARCHES[move.query]);
		case 'view':
			return coreAction('viewCustomer', { customerId: customer(a, move.who), purposeCode: PURPOSES[move.purpose] });
		case 'record': {
			const c = NEW_CUSTOMERS[move.customer]!;
			const fields = move.complete
				? { ...c, addressLine1: '1 Mill Lane', town: 'Rothwell', tariff: 'Standard Variable (dual fuel)', paymentMethod: 'Monthly Direct Debit', dateOfBirth: '23/11/1996' }
				: { givenName: c.givenName };
			return coreAction('recordCustomer', { purposeCodes: ['supply-and-billing'], fields });
		}
		case 'correct':
			return coreAction('correctField', { customerId: customer(a, move.who), field: FIELDS[move.field], newValue: 'Changed', reason: 'The customer told us' });
		case 'contest':
			return coreAction('contestField', { customerId: customer(a, move.who), field: FIELDS[move.field], reason: 'The customer disputes it' });
		case 'log':
			return coreAction('logInteraction', { customerId: customer(a, move.who), channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: 'A call', actionsTaken: [] });
		case 'notAChoice':
			return { action: { kind: 'choice', choiceId: 'not-a-choice' }, seq: next };
		case 'unknownOperation':
			return { action: { kind: 'core', operation: 'dropEverything' as never, input: {} }, seq: next };
		case 'aheadOfSeq':
			return { action: { kind: 'choice', choiceId: view.node?.choices[0]?.id ?? 'goodbye' }, seq: next + 1 };
		case 'staleSeq':
			// Action 1 again, but not what action 1 was: refused as stale (or, before any action, applied as action 1).
			return next === 1 ? undefined : { action: { kind: 'core', operation: 'searchCustomers', input: { name: 'A different search' } }, seq: 1 };
		case 'repeatLast': {
			const last = (await attemptActions(a.db, a.attemptId)).at(-1);
			if (!last) return undefined;
			const action: LearnerAction = last.kind === 'choice' ? { kind: 'choice', choiceId: last.name } : { kind: 'core', operation: last.name as never, input: last.input };
			return { action, seq: last.seq };
		}
		default:
			return undefined;
	}
}

/** Plays one move and checks the kept row against the log after it. */
async function play(a: Attempt, move: Move): Promise<void> {
	const { db, attemptId } = a;
	switch (move.t) {
		case 'end':
			expect((await endAttempt(db, spouse, attemptId)).ok).toBe(true);
			break;
		case 'loseRow':
			await dbExec(db, sql`delete from attempt_desk where attempt_id = ${attemptId}`);
			break;
		case 'rowBehind':
			// As if the last action's fold had never been stored: the state of the log without it.
			await dbExec(
				db,
				sql`update attempt_desk set through_seq = ${Math.max(0, (await getAttempt(db, attemptId))!.nextActionSeq - 2)}, state = ${JSON.stringify(deskStateOf((await attemptActions(db, attemptId)).slice(0, -1)))} where attempt_id = ${attemptId}`
			);
			break;
		default: {
			const sent = await actionOf(a, move);
			if (!sent) break;
			const logBefore = await attemptActions(db, attemptId);
			const rowBefore = await keptRow(db, attemptId);
			const applied = await applyAction(db, spouse, attemptId, sent.action, { expectedActionSeq: sent.seq });
			const logAfter = await attemptActions(db, attemptId);
			if (applied.ok && !applied.value.replayed) {
				expect(logAfter).toHaveLength(logBefore.length + 1);
				const made = applied.value.core?.ok ? (applied.value.core.value as { id?: unknown } | null) : null;
				if (sent.action.kind === 'core' && sent.action.operation === 'recordCustomer' && typeof made?.id === 'string') a.customers.push(made.id);
				// The runtime kept the new action in the same transaction: the row reaches it.
				expect((await keptRow(db, attemptId))?.through_seq).toBe(logAfter.at(-1)!.seq);
			} else {
				// Refused or repeated: the log and the kept row are as they were, byte for byte.
				expect(logAfter).toEqual(logBefore);
				expect(await keptRow(db, attemptId)).toEqual(rowBefore);
			}
		}
	}
	expect(await keptDeskState(db, attemptId)).toEqual(deskStateOf(await attemptActions(db, attemptId)));
}

describe('the kept desk state', () => {
	it('is the fold of the stored log after any sequence of actions, refused ones included, and what a replay keeps', async () => {
		let run = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(moveArb, { minLength: 1, maxLength: 14 }), async (moves) => {
				const { db, attemptId, daniel } = await start(`kept-property-${run++}`);
				const a: Attempt = { db, attemptId, customers: [daniel] };
				try {
					for (const move of moves) await play(a, move);
					const kept = await keptDeskState(db, attemptId);
					const fresh = await openTestDatabase();
					try {
						expect(await replayAttempt(db, spouse, attemptId, { into: fresh })).toMatchObject({ ok: true, value: { identical: true, differences: [] } });
						expect(await keptDeskState(fresh, attemptId)).toEqual(kept);
					} finally {
						closeTestDatabase(fresh);
					}
				} finally {
					closeTestDatabase(db);
				}
			}),
			{ numRuns: 30 }
		);
	});

	it('comes to know what a search found, a record opened and a value changed since', async () => {
		// A fixed sequence that reaches each branch of the fold, so the property above is not vacuous.
		const { db, attemptId, daniel } = await start('kept-known');
		const a: Attempt = { db, attemptId, customers: [daniel] };
		await play(a, { t: 'search', query: 0 });
		await play(a, { t: 'view', who: 1, purpose: 0 });
		await play(a, { t: 'correct', who: 1, field: 0 });
		const state = await keptDeskState(db, attemptId);
		expect(state.known).toEqual([{ id: daniel, reference: 'NWE-2048817', name: 'Daniel Hughes' }]);
		expect(state.lastSearch?.result.hits.map((h) => h.customerId)).toEqual([daniel]);
		expect(state.lastView?.view.customer.id).toBe(daniel);
		expect(state.changedSince).toBe(true);
	});
});

describe('reading the kept desk state', () => {
	/** An attempt with a search and a record opened, its row then altered by `alter`. */
	async function played(seed: string) {
		const { db, attemptId, daniel } = await start(seed);
		const a: Attempt = { db, attemptId, customers: [daniel] };
		for (const move of [{ t: 'search', query: 0 }, { t: 'view', who: 1, purpose: 0 }, { t: 'choice', pick: 0 }] satisfies Move[]) await play(a, move);
		return { db, attemptId, replayed: deskStateOf(await attemptActions(db, attemptId)) };
	}

	it('of an attempt whose row is missing gives what replay gives, and keeps it once', async () => {
		const { db, attemptId, replayed } = await played('kept-missing');
		expect(replayed.lastView).not.toBeNull();
		await dbExec(db, sql`delete from attempt_desk where attempt_id = ${attemptId}`);
		expect(await keptDeskState(db, attemptId)).toEqual(replayed);
		expect(await keptRow(db, attemptId)).toEqual({ through_seq: 3, state: JSON.stringify(replayed) });
		const changes = await totalChanges(db);
		expect(await keptDeskState(db, attemptId)).toEqual(replayed);
		expect(await totalChanges(db)).toBe(changes);
	});

	it('of an attempt whose row is behind its last action gives what replay gives', async () => {
		const { db, attemptId, replayed } = await played('kept-behind');
		await dbExec(db, sql`update attempt_desk set through_seq = 1, state = ${JSON.stringify(EMPTY_DESK_STATE)} where attempt_id = ${attemptId}`);
		expect(await keptDeskState(db, attemptId)).toEqual(replayed);
		expect((await keptRow(db, attemptId))?.through_seq).toBe(3);
	});

	it('of an attempt whose row is behind is caught up by the next action too', async () => {
		const { db, attemptId } = await played('kept-behind-then-act');
		await dbExec(db, sql`update attempt_desk set through_seq = 0, state = ${JSON.stringify(EMPTY_DESK_STATE)} where attempt_id = ${attemptId}`);
		const applied = await applyAction(db, spouse, attemptId, { kind: 'core', operation: 'searchCustomers', input: { name: 'Nobody', purposeCode: 'supply-and-billing' } }, { expectedActionSeq: 4 });
		expect(applied.ok).toBe(true);
		const log = await attemptActions(db, attemptId);
		expect(await keptRow(db, attemptId)).toEqual({ through_seq: 4, state: JSON.stringify(deskStateOf(log)) });
		expect(deskStateOf(log).lastView).not.toBeNull();
	});

	it('of a freshly started attempt writes nothing and leaves its row as it was', async () => {
		const { db, attemptId } = await start('kept-fresh');
		const row = await keptRow(db, attemptId);
		expect(row).toEqual({ through_seq: 0, state: JSON.stringify(EMPTY_DESK_STATE) });
		const changes = await totalChanges(db);
		expect(await keptDeskState(db, attemptId)).toEqual(EMPTY_DESK_STATE);
		expect(await totalChanges(db)).toBe(changes);
		expect(await keptRow(db, attemptId)).toEqual(row);
	});

	it('of a fresh attempt stored before rows were kept writes nothing either', async () => {
		const { db, attemptId } = await start('kept-fresh-no-row');
		await dbExec(db, sql`delete from attempt_desk where attempt_id = ${attemptId}`);
		const changes = await totalChanges(db);
		expect(await keptDeskState(db, attemptId)).toEqual(EMPTY_DESK_STATE);
		expect(await totalChanges(db)).toBe(changes);
		expect(await keptRow(db, attemptId)).toBeUndefined();
	});

	it('of an unknown attempt knows nothing and writes nothing', async () => {
		const { db } = await start('kept-unknown');
		const changes = await totalChanges(db);
		expect(await keptDeskState(db, 'no-such-attempt')).toEqual(EMPTY_DESK_STATE);
		expect(await totalChanges(db)).toBe(changes);
	});
});
