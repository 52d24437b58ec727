import { mapInOrder } from '$lib/core/in-order';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { closeTestDatabase, openTestDatabase } from '../core/testing-database';
import { stringify } from 'yaml';
import { auditEntries, verifyAuditChain, type Db } from '../core';
import { dbExec, dbQuery } from '../core/database';
import { loadScenarios, parseScenario, type LoadedScenario } from './scenario-check';
import {
	applyAction,
	attemptEvents,
	endAttempt,
	getAttempt,
	replayAttempt,
	startAttempt,
	type AttemptView,
	type LearnerAction
} from './runtime';
import { sampleScenarioInput } from './testing';

const library = loadScenarios('scenarios');
const spouse = library.scenarios.find((s) => s.scenario.id === 'spouse-caller')!;
const signup = library.scenarios.find((s) => s.scenario.id === 'new-customer-signup')!;

function loadInput(input: unknown): LoadedScenario {
	const parsed = parseScenario('scenarios/test-scenario.yaml', stringify(input));
	if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
	return { file: 'scenarios/test-scenario.yaml', scenario: parsed.scenario, version: parsed.version, hash: parsed.hash };
}

/** The sample scenario, with time passing before the branch after the first answer. */
const sample = (() => {
	const input = sampleScenarioInput();
	(input.dialogue.nodes.find((n) => n.id === 'closing') as Record<string, unknown>).advance = '2 days later';
	return loadInput(input);
})();

async function start(loaded: LoadedScenario, seed = 'seed-1'): Promise<{ db: Db; view: AttemptView }> {
	const db = await openTestDatabase();
	const started = await startAttempt(db, loaded, { ownerId: 'user-42', seed, actor: { id: 'user-42', name: 'Alex Learner', role: 'ignored' } });
	if (!started.ok) throw new Error(started.error.message);
	return { db, view: started.value };
}

const choose = (choiceId: string): LearnerAction => ({ kind: 'choice', choiceId });
const core = (operation: Extract<LearnerAction, { kind: 'core' }>['operation'], input: unknown): LearnerAction => ({ kind: 'core', operation, input });

/** Applies actions one after another; each must be accepted. */
async function apply(db: Db, loaded: LoadedScenario, attemptId: string, ...actions: LearnerAction[]) {
	return await mapInOrder(actions, async (action) => {
		const next = (await getAttempt(db, attemptId))!.nextActionSeq;
		const applied = await applyAction(db, loaded, attemptId, action, { expectedActionSeq: next });
		if (!applied.ok) throw new Error(`${JSON.stringify(action)}: ${applied.error.message}`);
		return applied.value;
	});
}

describe('starting an attempt', () => {
	it('seeds a workspace, sets the clock and enters the dialogue', async () => {
		const { db, view } = await start(spouse);
		expect(view).toMatchObject({
			ownerId: 'user-42',
			scenarioId: 'spouse-caller',
			scenarioVersion: spouse.version,
			status: 'in-progress',
			clock: '2025-03-07T15:40:00.000Z',
			nextActionSeq: 1,
			result: null,
			endedAt: null,
			node: { id: 'opening', speaker: { key: 'sarah', name: 'Sarah Hughes', role: 'caller' }, waitingFor: null, ended: false }
		});
		expect(view.node!.choices.map((c) => c.id)).toEqual(['bring-up-account', 'ask-his-security', 'read-out-to-check', 'refuse-straight-away']);
		expect(view.transcript).toEqual([{ seq: 1, at: '2025-03-07T15:40:00.000Z', kind: 'persona', who: 'Sarah Hughes', text: spouse.scenario.dialogue.nodes[0]!.text, eventIds: [] }]);
		expect(Object.keys(view.seedIds).sort()).toEqual(['daniel', 'daniel-email-marketing', 'direct-debit-review', 'meter-reading-call']);
		expect(await attemptEvents(db, view.id)).toEqual([]);
		expect(await getAttempt(db, view.id)).toEqual(view);
	});

	it('refuses a seed already used in the database, and an attempt id already taken', async () => {
		const { db, view } = await start(spouse);
		expect(await startAttempt(db, spouse, { ownerId: 'user-42', seed: 'seed-1' })).toMatchObject({ ok: false, error: { code: 'attempt.exists' } });
		expect(await startAttempt(db, spouse, { ownerId: 'user-42', seed: 'seed-1', attemptId: 'other' })).toMatchObject({ ok: false, error: { code: 'attempt.seed-in-use' } });
		expect(await startAttempt(db, spouse, { ownerId: 'user-42', seed: 'seed-2', attemptId: view.id })).toMatchObject({ ok: false, error: { code: 'attempt.exists' } });
	});

	it('gives each attempt a workspace of its own, from a random seed by default', async () => {
		const db = await openTestDatabase();
		const a = await startAttempt(db, spouse, { ownerId: 'u' });
		const b = await startAttempt(db, spouse, { ownerId: 'u' });
		if (!a.ok || !b.ok) throw new Error('not started');
		expect(a.value.workspaceId).not.toBe(b.value.workspaceId);
		expect(a.value.seedIds.daniel).not.toBe(b.value.seedIds.daniel);
	});
});

describe('applying a dialogue choice', () => {
	it('records the learner’s words and the choice’s event, moves the clock and the dialogue on', async () => {
		const { db, view } = await start(spouse);
		const [outcome] = await apply(db, spouse, view.id, choose('ask-his-security'));
		expect(outcome).toMatchObject({ actionSeq: 1, clock: '2025-03-07T15:41:00.000Z', replayed: false, node: { id: 'answers-security' } });
		const events = await attemptEvents(db, view.id);
		// The choice is tagged in the file: its quality, credit and marking point are logged with it.
		expect(events).toEqual([
			{ id: expect.any(String), seq: 1, at: '2025-03-07T15:40:00.000Z', source: 'dialogue', name: 'asked.caller.to.pass.security', details: { node: 'opening', choice: 'ask-his-security' } },
			{
				id: expect.any(String),
				seq: 2,
				at: '2025-03-07T15:40:00.000Z',
				source: 'dialogue',
				name: 'choice.made',
				details: { node: 'opening', choice: 'ask-his-security', quality: 'poor', credit: 0, point: 'not-treated-as-account-holder' }
			}
		]);
		expect(outcome!.transcript).toEqual([
			{ seq: 2, at: '2025-03-07T15:40:00.000Z', kind: 'learner', who: 'Alex Learner', text: expect.stringContaining('take you through security'), eventIds: [events[0]!.id, events[1]!.id] },
			{ seq: 3, at: '2025-03-07T15:41:00.000Z', kind: 'persona', who: 'Sarah Hughes', text: expect.stringContaining('18th of April'), eventIds: [] }
		]);
	});

	it('records what a choice gives away as a disclosure to the speaker, unauthorised for a caller with no authority', async () => {
		const { db, view } = await start(spouse);
		const [, , given] = await apply(db, spouse, view.id, choose('bring-up-account'), choose('ask-his-security'), choose('security-passed-give-balance'));
		const events = await attemptEvents(db, view.id);
		const disclosure = events.find((e) => e.name === 'disclosure.made')!;
		expect(disclosure).toMatchObject({ subject: view.seedIds.daniel, fields: ['balance'], details: { authorised: false, recipientType: 'unauthorised-third-party', manner: 'supplied' } });
		expect(given!.core).toMatchObject({ ok: true, value: { disclosure: { authorised: false }, breach: { sourceDisclosureId: disclosure.details!.disclosureId } } });
		// The learner's line shows the disclosure and the breach it opened.
		expect(given!.transcript[0]!.eventIds).toEqual(expect.arrayContaining([disclosure.id, events.find((e) => e.name === 'breach.registered')!.id]));
	});

	it('records details read out "to check them" as a read-out disclosure, through identity verification', async () => {
		const { db, view } = await start(spouse);
		await apply(db, spouse, view.id, choose('read-out-to-check'));
		expect((await attemptEvents(db, view.id)).map((e) => e.name)).toEqual(['choice.made', 'finding.recorded', 'breach.registered', 'disclosure.made', 'data.read.out', 'identity.verification.attempted']);
		expect((await attemptEvents(db, view.id)).find((e) => e.name === 'disclosure.made')).toMatchObject({ details: { manner: 'read-out', authorised: false } });
	});

	it('refuses a choice not offered at the current node, and stores nothing', async () => {
		const { db, view } = await start(spouse);
		expect(await applyAction(db, spouse, view.id, choose('give-balance'), { expectedActionSeq: 1 })).toEqual({
			ok: false,
			error: { code: 'dialogue.unknown-choice', message: '“give-balance” is not one of the choices at this point of the conversation.' }
		});
		expect(await getAttempt(db, view.id)).toEqual(view);
		expect(await attemptEvents(db, view.id)).toEqual([]);
	});

	it('follows branches over the events so far, moves the clock by a node’s advance, and ends the dialogue', async () => {
		const { db, view } = await start(sample);
		const [declined] = await apply(db, sample, view.id, choose('decline'));
		// One minute for the answer, two days before the branch, which goes on to the wrap-up.
		expect(declined).toMatchObject({ clock: '2025-03-09T15:41:00.000Z', node: { id: 'wrap-up', ended: false } });
		const [ended] = await apply(db, sample, view.id, choose('check'));
		expect(ended!.node).toEqual({ id: 'thanks', speaker: null, text: 'The call ends.', choices: [], waitingFor: null, ended: true });
		const events = await attemptEvents(db, view.id);
		expect(events.map((e) => [e.name, e.details])).toEqual([
			['explained.no.authority', { node: 'opening', choice: 'decline' }],
			['confirmed.caller.understood', { node: 'wrap-up', choice: 'check' }],
			['dialogue.ended', { node: 'thanks' }]
		]);
		expect(ended!.transcript.at(-1)).toMatchObject({ kind: 'narration', who: '', text: 'The call ends.', eventIds: [events[2]!.id] });
		expect(await applyAction(db, sample, view.id, choose('check'), { expectedActionSeq: 3 })).toMatchObject({ ok: false, error: { code: 'dialogue.unknown-choice' } });
	});

	it('goes straight on past a wait already satisfied when it arrives there', async () => {
		const { db, view } = await start(sample);
		const check = core('checkAuthority', { customerId: view.seedIds.daniel, thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' });
		const [checked, held] = await apply(db, sample, view.id, check, choose('hold'));
		expect(checked!.node?.id).toBe('opening');
		expect(held!.node?.id).toBe('wrap-up');
		expect(held!.transcript.map((t) => t.text)).toEqual(['Bear with me.', 'I’ll hang on.', 'I’ll get him to ring.']);
	});
});

describe('applying a core operation', () => {
	it('runs it as the learner on the scenario clock, and moves a waiting dialogue on', async () => {
		const { db, view } = await start(spouse);
		const [onHold] = await apply(db, spouse, view.id, choose('bring-up-account'));
		expect(onHold!.node).toMatchObject({ id: 'on-hold', waitingFor: 'Sarah Hughes is waiting while you work in the system.' });
		const [checked] = await apply(db, spouse, view.id, core('checkAuthority', { customerId: view.seedIds.daniel, thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' }));
		expect(checked).toMatchObject({ actionSeq: 2, clock: '2025-03-07T15:42:00.000Z', core: { ok: true, value: { authorised: false, gaps: ['not-on-file'] } }, node: { id: 'authority-checked' } });
		const entry = (await auditEntries(db, view.workspaceId)).at(-1)!;
		expect(entry).toMatchObject({ action: 'third-party.authority.checked', actorId: 'user-42', actorRole: 'agent', at: '2025-03-07T15:41:00.000Z' });
		expect(checked!.transcript).toEqual([
			{ seq: 4, at: '2025-03-07T15:41:00.000Z', kind: 'system', who: 'Record system', text: 'Check a third party\'s authority (receive information; of financial): no such authority on file.', eventIds: [entry.id] },
			{ seq: 5, at: '2025-03-07T15:42:00.000Z', kind: 'persona', who: 'Sarah Hughes', text: 'Hello? Are you still there? So what\'s the balance?', eventIds: [] }
		]);
	});

	it('returns the core’s error typed, and stores it as the action’s outcome', async () => {
		const { db, view } = await start(spouse);
		const [missing] = await apply(db, spouse, view.id, core('viewCustomer', { customerId: 'nobody', purposeCode: 'supply-and-billing' }));
		expect(missing).toMatchObject({ actionSeq: 1, clock: '2025-03-07T15:41:00.000Z', core: { ok: false, error: { code: 'customer.not-found' } } });
		expect(await getAttempt(db, view.id)).toMatchObject({ nextActionSeq: 2, clock: '2025-03-07T15:41:00.000Z' });
		expect((await getAttempt(db, view.id))!.transcript.at(-1)!.text).toBe('Open a customer record (for Energy supply and billing): refused. No customer nobody');
		// The stored outcome is what the page gets back on a reload.
		expect(await applyAction(db, spouse, view.id, core('viewCustomer', { customerId: 'nobody', purposeCode: 'supply-and-billing' }), { expectedActionSeq: 1 })).toEqual({
			ok: true,
			value: { ...missing, replayed: true }
		});
	});

	it('turns any input shape into a typed error, never an exception', async () => {
		const { db, view } = await start(spouse);
		const shapes: unknown[] = [null, 'text', 42, [], { customerId: 7 }, { fields: 'all' }, { customerId: { $ne: 1 }, purposeCode: 'supply-and-billing' }];
		const operations = ['viewCustomer', 'readBack', 'endRelationship', 'disclose', 'recordCustomer', 'searchCustomers', 'logRequest', 'registerBreach'] as const;
		let seq = 1;
		for (const operation of operations) {
			for (const input of shapes) {
				const applied = await applyAction(db, spouse, view.id, core(operation, input), { expectedActionSeq: seq++ });
				expect(applied.ok).toBe(true);
				if (applied.ok) expect(applied.value.core).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
			}
		}
		expect((await verifyAuditChain(db, view.workspaceId)).ok).toBe(true);
	});

	it('refuses an operation the system does not have, and a malformed action', async () => {
		const { db, view } = await start(spouse);
		expect(await applyAction(db, spouse, view.id, { kind: 'core', operation: 'dropTables' as never, input: {} }, { expectedActionSeq: 1 })).toMatchObject({ ok: false, error: { code: 'operation.unknown' } });
		expect(await applyAction(db, spouse, view.id, { kind: 'wave' } as never, { expectedActionSeq: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await applyAction(db, spouse, view.id, choose('bring-up-account'), { expectedActionSeq: 0 })).toMatchObject({ ok: false, error: { code: 'invalid', field: 'expectedActionSeq' } });
		expect((await getAttempt(db, view.id))!.nextActionSeq).toBe(1);
	});
});

describe('applying the same action twice', () => {
	it('applies it once: the second time returns the stored outcome, replayed', async () => {
		const { db, view } = await start(spouse);
		const log = core('logInteraction', { customerId: view.seedIds.daniel, channel: 'phone', direction: 'inbound', partyType: 'unauthorised-third-party', nature: 'Balance enquiry' });
		const first = await applyAction(db, spouse, view.id, log, { expectedActionSeq: 1 });
		const entries = (await auditEntries(db, view.workspaceId)).length;
		const second = await applyAction(db, spouse, view.id, log, { expectedActionSeq: 1 });
		if (!first.ok || !second.ok) throw new Error('not applied');
		expect(second.value).toEqual({ ...first.value, replayed: true });
		expect(await auditEntries(db, view.workspaceId)).toHaveLength(entries);
		expect(await getAttempt(db, view.id)).toMatchObject({ nextActionSeq: 2 });

		const chose = await applyAction(db, spouse, view.id, choose('bring-up-account'), { expectedActionSeq: 2 });
		expect(await applyAction(db, spouse, view.id, choose('bring-up-account'), { expectedActionSeq: 2 })).toEqual(chose.ok && { ok: true, value: { ...chose.value, replayed: true } });
		expect((await getAttempt(db, view.id))!.transcript).toHaveLength(4);
	});

	it('refuses a different action sent with a seq already used, and a seq ahead of the attempt', async () => {
		const { db, view } = await start(spouse);
		await apply(db, spouse, view.id, choose('bring-up-account'));
		expect(await applyAction(db, spouse, view.id, choose('refuse-straight-away'), { expectedActionSeq: 1 })).toMatchObject({ ok: false, error: { code: 'attempt.stale' } });
		expect(await applyAction(db, spouse, view.id, choose('read-out-to-check'), { expectedActionSeq: 3 })).toMatchObject({ ok: false, error: { code: 'attempt.stale', message: expect.stringContaining('action 2') } });
		expect((await getAttempt(db, view.id))!.nextActionSeq).toBe(2);
	});

	it('refuses an action for another version of the scenario', async () => {
		const { db, view } = await start(spouse);
		expect(await applyAction(db, { ...spouse, version: '1.0.0+000000000000' }, view.id, choose('bring-up-account'), { expectedActionSeq: 1 })).toMatchObject({
			ok: false,
			error: { code: 'attempt.version-mismatch' }
		});
		expect(await applyAction(db, spouse, 'no-such-attempt', choose('bring-up-account'), { expectedActionSeq: 1 })).toMatchObject({ ok: false, error: { code: 'attempt.not-found' } });
	});
});

describe('ending an attempt', () => {
	it('marks it over the attempt’s events, stores the result, and gives the same result when ended again', async () => {
		const { db, view } = await start(spouse);
		await apply(db, spouse, view.id, choose('refuse-straight-away'), choose('rules-are-rules'));
		const ended = await endAttempt(db, spouse, view.id, { now: () => '2026-01-05T10:00:00.000Z' });
		if (!ended.ok) throw new Error(ended.error.message);
		// A curt refusal and nothing else: she hangs up early, and it does not pass.
		expect(ended.value).toMatchObject({ passed: false, score: 0, endedEarly: true, endedAt: '2026-01-05T10:00:00.000Z', clock: '2025-03-07T15:42:00.000Z', scenarioVersion: spouse.version });
		expect(ended.value.points.find((p) => p.id === 'call-logged')).toMatchObject({ met: false });
		expect(await endAttempt(db, spouse, view.id)).toEqual(ended);
		expect(await getAttempt(db, view.id)).toMatchObject({ status: 'ended', endedAt: '2026-01-05T10:00:00.000Z', result: ended.value });
	});

	it('takes no more actions, but still answers a repeat of the last one', async () => {
		const { db, view } = await start(spouse);
		const [last] = await apply(db, spouse, view.id, choose('refuse-straight-away'));
		await endAttempt(db, spouse, view.id);
		expect(await applyAction(db, spouse, view.id, choose('empathise-and-explain'), { expectedActionSeq: 2 })).toMatchObject({ ok: false, error: { code: 'attempt.ended' } });
		expect(await applyAction(db, spouse, view.id, choose('refuse-straight-away'), { expectedActionSeq: 1 })).toEqual({ ok: true, value: { ...last, replayed: true } });
	});
});

describe('the attempt’s event log', () => {
	it('puts dialogue and core events in one order that never changes as the attempt goes on', async () => {
		const { db, view } = await start(spouse);
		const verify = core('verifyIdentity', {
			customerId: view.seedIds.daniel,
			requesterType: 'data-subject',
			method: 'knowledge-based',
			supplied: { givenName: 'Daniel', familyName: 'Hughes', dateOfBirth: '1979-04-18', postcode: 'NN15 7QA' }
		});
		await apply(db, spouse, view.id, choose('ask-his-security'), verify);
		const before = await attemptEvents(db, view.id);
		await apply(db, spouse, view.id, choose('security-passed-give-balance'), choose('stop-and-explain'));
		const after = await attemptEvents(db, view.id);
		expect(after.slice(0, before.length)).toEqual(before);
		expect(after.map((e) => [e.seq, e.source, e.name])).toEqual([
			[1, 'dialogue', 'asked.caller.to.pass.security'],
			[2, 'dialogue', 'choice.made'],
			[3, 'core', 'identity.verified'],
			[4, 'dialogue', 'choice.made'],
			[5, 'core', 'finding.recorded'],
			[6, 'core', 'breach.registered'],
			[7, 'core', 'disclosure.made'],
			[8, 'dialogue', 'explained.no.authority']
		]);
	});
});

describe('replaying an attempt', () => {
	it('gives an identical attempt: outcomes, events, audit chain and marking', async () => {
		const { db, view } = await start(signup);
		await apply(db, signup, view.id, choose('start-properly'), choose('ask-address'), core('searchCustomers', { postcode: 'NN14', purposeCode: 'supply-and-billing' }), choose('look-up-address'));
		expect(await replayAttempt(db, signup, view.id)).toEqual({ ok: true, value: { attemptId: view.id, identical: true, differences: [] } });
		await endAttempt(db, signup, view.id);
		expect(await replayAttempt(db, signup, view.id)).toMatchObject({ ok: true, value: { identical: true } });
	});

	it('names what differs when the stored attempt does not replay the same', async () => {
		const { db, view } = await start(spouse);
		await apply(db, spouse, view.id, choose('bring-up-account'));
		for (const { seq, outcome } of await dbQuery<{ seq: number; outcome: string }>(db, sql`select seq, outcome from attempt_action where attempt_id = ${view.id}`)) {
			const altered = JSON.stringify({ ...(JSON.parse(outcome) as object), clock: '2030-01-01T00:00:00.000Z' });
			await dbExec(db, sql`update attempt_action set outcome = ${altered} where attempt_id = ${view.id} and seq = ${seq}`);
		}
		const replay = await replayAttempt(db, spouse, view.id);
		expect(replay).toMatchObject({ ok: true, value: { identical: false, differences: [expect.stringMatching(/^action 1 \(bring-up-account\): was .*2030-01-01/)] } });
	});
});

/** One learner move at a node: a choice it offers, or one of a few things to do in the system. */
const systemMoves = (view: AttemptView): LearnerAction[] => [
	core('searchCustomers', { postcode: 'NN1', purposeCode: 'supply-and-billing' }),
	core('checkAuthority', { customerId: view.seedIds.daniel ?? view.seedIds.gareth, thirdPartyId: 'none-on-file', categories: ['financial'], action: 'receive-information' }),
	core('logInteraction', { customerId: view.seedIds.daniel ?? view.seedIds.gareth, channel: 'phone', direction: 'inbound', partyType: 'unknown', nature: 'Call' }),
	core('readBack', { customerId: view.seedIds.daniel ?? view.seedIds.gareth, fields: ['postcode'] }),
	core('viewCustomer', { customerId: 'nobody', purposeCode: 'supply-and-billing' })
];

describe('any playthrough of valid choices (property)', () => {
	it.each([spouse, signup].map((l) => [l.scenario.id, l] as const))('%s: replays identically, and the workspace’s audit chain verifies', async (_id, loaded) => {
		await fc.assert(
			fc.asyncProperty(fc.array(fc.nat(), { minLength: 1, maxLength: 25 }), fc.nat(), async (picks, seed) => {
				const db = await openTestDatabase();
				try {
					const started = await startAttempt(db, loaded, { ownerId: 'learner', seed: `prop-${seed}` });
					if (!started.ok) throw new Error(started.error.message);
					const view = started.value;
					let node = view.node;
					for (const [i, pick] of picks.entries()) {
						const moves = [...(node?.choices.map((c) => choose(c.id)) ?? []), ...(pick % 4 === 0 ? systemMoves(view) : [])];
						if (moves.length === 0) break;
						const applied = await applyAction(db, loaded, view.id, moves[pick % moves.length]!, { expectedActionSeq: i + 1 });
						if (!applied.ok) throw new Error(applied.error.message);
						node = applied.value.node;
					}
					const events = await attemptEvents(db, view.id);
					expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
					expect((await verifyAuditChain(db, view.workspaceId)).ok).toBe(true);
					if (picks[0]! % 2 === 0) await endAttempt(db, loaded, view.id);
					expect(await replayAttempt(db, loaded, view.id)).toEqual({ ok: true, value: { attemptId: view.id, identical: true, differences: [] } });
				} finally {
					closeTestDatabase(db);
				}
			}),
			{ numRuns: 15 }
		);
	});
});
