/**
 * Test helpers for scenarios and marking: a hand-built event log, and a playthrough that walks a
 * scenario's dialogue by choice ids the way the runtime will (choices emit their events and
 * disclosures, branches and waits resolve over the events so far, an end emits "dialogue.ended"),
 * with core events written in by the test where the runtime will get them from the core.
 */
import { addMs, durationMs } from './clock';
import type { SimEvent } from './events';
import { createEventLog, evaluateOn, matchesEvent } from './rules';
import type { DialogueNode, Scenario } from './scenario-schema';

export interface EventInput {
	subject?: string;
	fields?: string[];
	details?: Record<string, unknown>;
}

/** Builds a log: each event one minute after the last unless `wait` says otherwise. */
export function eventLog(start = '2025-03-07T15:40:00.000Z') {
	const events: SimEvent[] = [];
	let at = new Date(start).toISOString();
	const add = (source: SimEvent['source'], name: string, input: EventInput = {}): SimEvent => {
		const event: SimEvent = { id: `e${events.length + 1}`, seq: events.length + 1, at, source, name, ...input };
		events.push(event);
		at = addMs(at, 60_000);
		return event;
	};
	return {
		events,
		core: (name: string, input?: EventInput) => add('core', name, input),
		dialogue: (name: string, input?: EventInput) => add('dialogue', name, input),
		/** Moves the clock on by `minutes` (besides the minute each event takes). */
		wait(minutes: number) {
			at = addMs(at, minutes * 60_000);
		},
		ids: (...names: string[]) => events.filter((e) => names.includes(e.name)).map((e) => e.id)
	};
}

/**
 * A step of a playthrough: a dialogue choice by id, a core event as the core would write it, or
 * time passing (minutes) with nothing done.
 */
export type Step =
	| { say: string }
	| { core: string; subject?: string; fields?: string[]; details?: Record<string, unknown> }
	| { wait: number };

export interface Playthrough {
	events: SimEvent[];
	/** The node the dialogue is at after the last step. */
	node: string;
	ended: boolean;
}

/**
 * Plays the steps through the scenario's dialogue; throws if a choice is not offered at the node
 * reached, so a model answer can only take paths the dialogue really has. Subjects are seed keys.
 */
export function playthrough(scenario: Scenario, steps: readonly Step[]): Playthrough {
	const nodes = new Map(scenario.dialogue.nodes.map((n) => [n.id, n]));
	const personas = new Map(scenario.personas.map((p) => [p.key, p]));
	const log = eventLog(scenario.clock.start);
	const step = durationMs(scenario.clock.dialogueStep) / 60_000;
	let ended = false;
	let current = enter(scenario.dialogue.start);

	function node(id: string): DialogueNode {
		const found = nodes.get(id);
		if (!found) throw new Error(`playthrough: no node "${id}"`);
		return found;
	}

	/** Arrives at a node, then follows branches and satisfied waits until the dialogue rests. */
	function enter(id: string): string {
		const n = node(id);
		if (n.advance) log.wait(durationMs(n.advance) / 60_000);
		if (n.branch) {
			const prepared = createEventLog(log.events);
			const chosen = n.branch.cases.find((c) => evaluateOn(c.when, prepared).met);
			return enter(chosen?.goto ?? n.branch.otherwise);
		}
		if (n.end) {
			log.dialogue('dialogue.ended', { details: { node: n.id } });
			ended = true;
			return n.id;
		}
		return waitSatisfied(n) ? enter(n.then!) : n.id;
	}

	function waitSatisfied(n: DialogueNode): boolean {
		if (n.waitFor === undefined) return false;
		const matchers = Array.isArray(n.waitFor) ? n.waitFor : [n.waitFor];
		return log.events.some((e) => matchers.some((m) => matchesEvent(m, e)));
	}

	for (const s of steps) {
		if ('wait' in s) {
			log.wait(s.wait);
			continue;
		}
		if ('core' in s) {
			log.core(s.core, { subject: s.subject, fields: s.fields, details: s.details });
			if (!ended) current = waitSatisfied(node(current)) ? enter(node(current).then!) : current;
			continue;
		}
		const at = node(current);
		const choice = at.choices?.find((c) => c.id === s.say);
		if (ended || !choice) throw new Error(`playthrough: choice "${s.say}" is not offered at node "${current}"`);
		if (choice.event) log.dialogue(choice.event, { details: { node: at.id, choice: choice.id } });
		if (choice.discloses) {
			const recipient = at.speaker === undefined ? undefined : personas.get(at.speaker);
			const toSubject = recipient?.customer === choice.discloses.customer;
			const details = { authorised: false, manner: choice.discloses.manner, recipientType: toSubject ? 'data-subject' : 'unauthorised-third-party' };
			if (choice.discloses.manner === 'read-out') {
				log.core('data.read.out', { subject: choice.discloses.customer, fields: choice.discloses.fields, details: { authorised: false } });
			}
			log.core('disclosure.made', { subject: choice.discloses.customer, fields: choice.discloses.fields, details });
		}
		log.wait(step - 1);
		current = enter(choice.goto);
	}
	return { events: log.events, node: current, ended };
}

/**
 * A small valid scenario as a file would hold it (plain data, before parsing): one customer, one
 * persona, a dialogue with a wait and a branch, and marking points of each kind. Tests break a
 * copy of it to see each error.
 */
export function sampleScenarioInput() {
	return {
		id: 'test-scenario',
		title: 'A test call',
		version: '1.0.0',
		difficulty: 'foundation',
		criteria: ['EMP03', 'AC06', 'PC11'],
		brief: 'Take the call.',
		seed: {
			retentionRules: [{ code: 'billing-records', description: 'Six years after closure.', periodMonths: 72, trigger: 'relationship-ended' }],
			purposes: [
				{
					code: 'supply-and-billing',
					name: 'Supply and billing',
					description: 'Supplying energy and billing for it.',
					lawfulBasis: 'contract',
					fields: ['givenName', 'familyName', 'postcode', 'balance', 'loyaltyTier'],
					fieldCategories: { loyaltyTier: 'account' },
					retention: 'billing-records'
				}
			],
			customers: [
				{
					key: 'daniel',
					reference: 'NWE-2048817',
					since: '2019-06-14',
					fields: {
						identity: { givenName: 'Daniel', familyName: 'Hughes' },
						contact: { postcode: 'NN15 7QA' },
						account: { loyaltyTier: 'Gold' },
						financial: { balance: '£182.40 in credit' }
					}
				}
			]
		},
		personas: [
			{
				key: 'sarah',
				name: 'Sarah Hughes',
				role: 'caller',
				partyType: 'unauthorised-third-party',
				customer: 'daniel',
				description: 'His wife.',
				knows: { postcode: 'NN15 7QA' }
			}
		],
		clock: { start: '2025-03-07T15:40:00+00:00' },
		events: [
			{ name: 'explained.no.authority', description: 'Explained that nobody is authorised.' },
			{ name: 'confirmed.caller.understood', description: 'Checked she understood.' }
		],
		dialogue: {
			start: 'opening',
			nodes: [
				{
					id: 'opening',
					speaker: 'sarah',
					text: 'What is the balance?',
					choices: [
						{ id: 'hold', label: 'Bear with me.', goto: 'on-hold' },
						{ id: 'decline', label: 'I can’t discuss it.', event: 'explained.no.authority', goto: 'closing' },
						{ id: 'tell', label: 'It’s £182.40 in credit.', discloses: { customer: 'daniel', fields: ['balance'] }, goto: 'closing' }
					]
				},
				{
					id: 'on-hold',
					speaker: 'sarah',
					text: 'I’ll hang on.',
					waitFor: { event: 'third-party.authority.checked', where: { found: false } },
					then: 'closing',
					choices: [{ id: 'decline', label: 'I can’t discuss it.', event: 'explained.no.authority', goto: 'closing' }]
				},
				{
					id: 'closing',
					branch: {
						cases: [{ when: { exists: { event: 'disclosure.made' } }, goto: 'thanks' }],
						otherwise: 'wrap-up'
					}
				},
				{
					id: 'wrap-up',
					speaker: 'sarah',
					text: 'I’ll get him to ring.',
					choices: [{ id: 'check', label: 'Does that make sense?', event: 'confirmed.caller.understood', goto: 'thanks' }]
				},
				{ id: 'thanks', text: 'The call ends.', end: true }
			]
		},
		marking: [
			{
				id: 'no-disclosure',
				description: 'Disclosed nothing.',
				criteria: ['EMP03'],
				critical: true,
				rule: { absent: { event: 'disclosure.made', where: { authorised: false }, fields: { any: ['balance'] }, subject: 'daniel' } },
				feedback: { met: 'Nothing disclosed.', notMet: 'You disclosed the balance.' }
			},
			{
				id: 'checked-first',
				description: 'Checked authority before declining.',
				criteria: ['EMP03'],
				weight: 2,
				rule: {
					all: [
						{ before: { first: { event: 'third-party.authority.checked' }, then: { event: 'explained.no.authority' } } },
						{ any: [{ exists: { event: 'explained.no.authority' } }, { not: { exists: { event: 'disclosure.made' } } }] }
					]
				},
				feedback: { met: 'Checked first.', notMet: 'Check before declining.' }
			},
			{
				id: 'logged',
				description: 'Logged the call promptly.',
				criteria: ['AC06'],
				weight: 3,
				rule: {
					any: [
						{ count: { event: 'interaction.logged', min: 1, max: 2 } },
						{ within: { event: { event: 'interaction.logged' }, after: { event: 'dialogue.ended' }, minutes: 10 } },
						{ fieldEquals: { event: 'interaction.logged', path: 'partyType', equals: 'unauthorised-third-party' } }
					]
				},
				feedback: { met: 'Logged.', notMet: 'Log the call.' }
			},
			{
				id: 'understood',
				description: 'Checked she understood.',
				criteria: ['PC11'],
				weight: 1,
				rule: { exists: { event: 'confirmed.caller.understood' } },
				feedback: { met: 'Checked.', notMet: 'Check understanding.' }
			}
		]
	};
}
