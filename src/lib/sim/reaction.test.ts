/**
 * The immediate reaction to an unauthorised disclosure, by a dialogue choice or by the disclosure
 * operation; learner-logged disclosures; the neutral line while the dialogue waits.
 */
import { describe, expect, it } from 'vitest';
import { closeTestDatabase, openTestDatabase } from '../core/testing-database';
import { stringify } from 'yaml';
import { breachRegister, type Db } from '../core';
import { parseScenario, type LoadedScenario } from './scenario-check';
import { applyAction, attemptEvents, getAttempt, startAttempt, type ActionOutcome, type AttemptView, type LearnerAction } from './runtime';
import { DEFAULT_SUPERVISOR, DEFAULT_SUPERVISOR_WORDS } from './reaction';
import { sampleScenarioInput } from './testing';

type Input = ReturnType<typeof sampleScenarioInput> & { organisation?: Record<string, unknown> };

function load(edit: (s: Input) => void = () => {}): LoadedScenario {
	const input: Input = sampleScenarioInput();
	edit(input);
	const parsed = parseScenario('scenarios/test-scenario.yaml', stringify(input));
	if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
	return { file: 'scenarios/test-scenario.yaml', scenario: parsed.scenario, version: parsed.version, hash: parsed.hash };
}

async function start(loaded: LoadedScenario): Promise<{ db: Db; view: AttemptView }> {
	const db = await openTestDatabase();
	const started = await startAttempt(db, loaded, { ownerId: 'user-1', seed: 'reaction', actor: { id: 'user-1', name: 'Alex Learner', role: 'agent' } });
	if (!started.ok) throw new Error(started.error.message);
	return { db, view: started.value };
}

async function act(db: Db, loaded: LoadedScenario, attemptId: string, action: LearnerAction): Promise<ActionOutcome> {
	const applied = await applyAction(db, loaded, attemptId, action, { expectedActionSeq: (await getAttempt(db, attemptId))!.nextActionSeq });
	if (!applied.ok) throw new Error(applied.error.message);
	return applied.value;
}

const BILLING_TEAM = { code: 'billing', name: 'Billing team', kind: 'team', receives: [{ purpose: 'supply-and-billing', fields: ['balance'] }] };
const SALES_TEAM = { code: 'sales', name: 'Home Services sales', kind: 'team' };
const withDirectory = (s: Input) => (s.organisation = { directory: [BILLING_TEAM, SALES_TEAM], supervisor: { name: 'Sam Whitlock', onUnauthorisedDisclosure: 'Do the breach form now, please.' } });
const discloseTo = (customerId: string, directoryCode: string): LearnerAction => ({
	kind: 'core',
	operation: 'disclose',
	input: { customerId, recipient: { type: 'colleague', name: 'A colleague', directoryCode }, fields: ['balance'], purposeCode: 'supply-and-billing', channel: 'internal' }
});

describe('an unauthorised disclosure by a dialogue choice', () => {
	it('opens the breach at once, and the supervisor names what went wrong, the rules and the breach form, after the learner’s words', async () => {
		const loaded = load();
		const { db, view } = await start(loaded);
		const outcome = await act(db, loaded, view.id, { kind: 'choice', choiceId: 'tell' });
		const [said, supervisor] = outcome.transcript;
		expect(said).toMatchObject({ kind: 'learner', text: 'It’s £182.40 in credit.' });
		expect(supervisor).toMatchObject({ kind: 'persona', who: DEFAULT_SUPERVISOR, at: said!.at });
		expect(supervisor!.text).toBe(
			`Stop there: that was an unauthorised disclosure. Balance went to Sarah Hughes: No authority is on file for an unauthorised third party to receive this (UK GDPR Art 5(1)(f), Art 4(12); DPA 2018 s170). ${DEFAULT_SUPERVISOR_WORDS}`
		);
		expect(DEFAULT_SUPERVISOR_WORDS).toMatch(/Art 5\(1\)\(f\).*Art 4\(12\).*breach form/);
		const breach = (await attemptEvents(db, view.id)).find((e) => e.name === 'breach.registered')!;
		expect(supervisor!.eventIds).toEqual([breach.id]);
		// The disclosure's moment stays the learner's line: the debrief's evidence points there.
		expect(said!.eventIds).toContain((await attemptEvents(db, view.id)).find((e) => e.name === 'disclosure.made')!.id);
		expect(await breachRegister({ db, workspaceId: view.workspaceId, clock: () => view.clock })).toHaveLength(1);
	});

	it('uses the supervisor and the words the scenario declares', async () => {
		const loaded = load(withDirectory);
		const { db, view } = await start(loaded);
		const supervisor = (await act(db, loaded, view.id, { kind: 'choice', choiceId: 'tell' })).transcript[1]!;
		expect(supervisor.who).toBe('Sam Whitlock');
		expect(supervisor.text).toMatch(/Do the breach form now, please\.$/);
	});
});

describe('the disclosure operation on a directory entry', () => {
	it('says beside the form that a disclosure to a team that may not receive the data is unauthorised, and why; the supervisor reacts', async () => {
		const loaded = load(withDirectory);
		const { db, view } = await start(loaded);
		const outcome = await act(db, loaded, view.id, discloseTo(view.seedIds.daniel!, 'sales'));
		const [system, supervisor] = outcome.transcript;
		expect(system!.text).toBe(
			'Disclose data (balance; to Home Services sales; for Supply and billing; internally): logged as UNAUTHORISED: Home Services sales may not receive customers’ data for the purpose “Supply and billing” (UK GDPR Art 5(1)(b), (f); Art 4(12)). It is a personal data breach, now in the breach register.'
		);
		expect(supervisor).toMatchObject({ who: 'Sam Whitlock', kind: 'persona' });
		expect(supervisor!.text).toContain('Home Services sales may not receive customers’ data for the purpose “Supply and billing”');
		expect(outcome.core).toMatchObject({ ok: true, value: { disclosure: { authorised: false, recipientRole: 'Home Services sales' }, breach: { id: expect.any(String) } } });
	});

	it('logs a disclosure to the team the directory lets receive it as authorised, with no reaction', async () => {
		const loaded = load(withDirectory);
		const { db, view } = await start(loaded);
		const outcome = await act(db, loaded, view.id, discloseTo(view.seedIds.daniel!, 'billing'));
		expect(outcome.transcript.map((t) => t.text)).toEqual(['Disclose data (balance; to Billing team; for Supply and billing; internally): disclosure logged as authorised.']);
		expect(await breachRegister({ db, workspaceId: view.workspaceId, clock: () => view.clock })).toEqual([]);
	});
});

describe('a disclosure the learner must log themselves', () => {
	it('is not recorded by the runtime: a disclosure.spoken event says what was said, and the learner’s record follows', async () => {
		const loaded = load((s) => {
			const opening = s.dialogue.nodes[0]!;
			(opening.choices![2] as unknown as { discloses: Record<string, unknown> }).discloses.logBy = 'learner';
			s.organisation = { directory: [BILLING_TEAM] };
		});
		const { db, view } = await start(loaded);
		const outcome = await act(db, loaded, view.id, { kind: 'choice', choiceId: 'tell' });
		expect(outcome.transcript.filter((t) => t.kind !== 'narration').map((t) => t.kind)).toEqual(['learner', 'persona']);
		const events = await attemptEvents(db, view.id);
		expect(events.filter((e) => e.name === 'disclosure.made')).toEqual([]);
		const spoken = events.find((e) => e.name === 'disclosure.spoken')!;
		expect(spoken).toMatchObject({ source: 'dialogue', details: { node: 'opening', choice: 'tell', customer: 'daniel', fields: ['balance'] } });
		expect(outcome.transcript[0]!.eventIds).toEqual([spoken.id]);
		await act(db, loaded, view.id, discloseTo(view.seedIds.daniel!, 'billing'));
		expect((await attemptEvents(db, view.id)).filter((e) => e.name === 'disclosure.made').map((e) => e.details?.authorised)).toEqual([true]);
	});
});

describe('while the dialogue waits', () => {
	it('shows a neutral line that names no event or operation, or the scenario’s own words', async () => {
		const plain = load();
		const { db, view } = await start(plain);
		const held = await act(db, plain, view.id, { kind: 'choice', choiceId: 'hold' });
		expect(held.node).toMatchObject({ id: 'on-hold', waitingFor: 'Sarah Hughes is waiting while you work in the system.' });
		const worded = load((s) => ((s.dialogue.nodes[1] as Record<string, unknown>).waitingText = 'Sarah is holding while you look.'));
		const second = await start(worded);
		expect((await act(second.db, worded, second.view.id, { kind: 'choice', choiceId: 'hold' })).node).toMatchObject({ waitingFor: 'Sarah is holding while you look.' });
		expect((await act(second.db, worded, second.view.id, { kind: 'choice', choiceId: 'decline' })).node?.waitingFor).toBe(null);
	});
});
