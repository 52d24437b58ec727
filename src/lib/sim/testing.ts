/**
 * Test helpers for scenarios and marking: a hand-built event log for the rule language, and a
 * playthrough that plays a scenario through the runtime on the real core, step by step: dialogue
 * choices by id and core operations with the input a learner would type.
 */
import { type Db } from '../core';
import { openTestDatabase } from '../core/testing-database';
import { addMs } from './clock';
import type { SimEvent } from './events';
import {
	applyAction,
	attemptEvents,
	endAttempt,
	startAttempt,
	type ActionOutcome,
	type AttemptResult,
	type CoreOperationName,
	type LoadedScenario
} from './runtime';

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
 * A step of a playthrough: a dialogue choice by id, or a core operation with its input. An input
 * may be a function of the records so far: `r.id("daniel")` is a seeded record's id, or the id of
 * a record an earlier step created and named with `as`.
 */
export type Step =
	| { say: string }
	| {
			do: CoreOperationName;
			input: Record<string, unknown> | ((r: PlayRefs) => unknown);
			/** Keep the operation's result under this name for later steps. */
			as?: string;
			/** The error code the core is expected to return; without it an error fails the playthrough. */
			expectError?: string;
	  };

export interface PlayRefs {
	/** A seed key's record id, or the id of the result an earlier step kept under this name. */
	id(name: string): string;
	value(name: string): unknown;
}

export interface Playthrough {
	db: Db;
	attemptId: string;
	seedIds: Record<string, string>;
	events: SimEvent[];
	/** The node the dialogue is at after the last step. */
	node: string;
	ended: boolean;
	outcomes: ActionOutcome[];
	refs: PlayRefs;
	/** Ends the attempt: the marking, stored. */
	end(): Promise<AttemptResult>;
}

function idOf(value: unknown): string | undefined {
	if (value === null || typeof value !== 'object') return undefined;
	const record = value as { id?: unknown; attempt?: { id?: unknown } };
	if (typeof record.id === 'string') return record.id;
	return typeof record.attempt?.id === 'string' ? record.attempt.id : undefined;
}

/**
 * Plays the steps through the runtime on the real core, in a database of its own unless one is
 * given (the run's engine: core/testing-database.ts); throws if a choice is not offered at the node reached (so a model answer can only take
 * paths the dialogue really has) or a core operation fails unexpectedly.
 */
export async function playthrough(loaded: LoadedScenario, steps: readonly Step[], options: { db?: Db; seed?: string } = {}): Promise<Playthrough> {
	const db = options.db ?? (await openTestDatabase());
	const started = await startAttempt(db, loaded, { ownerId: 'learner-1', seed: options.seed ?? `play:${loaded.scenario.id}`, actor: { id: 'learner-1', name: 'Learner', role: 'agent' } });
	if (!started.ok) throw new Error(`playthrough: ${started.error.message}`);
	const attemptId = started.value.id;
	const seedIds = started.value.seedIds;
	const kept = new Map<string, unknown>();
	const refs: PlayRefs = {
		value(name) {
			if (!kept.has(name)) throw new Error(`playthrough: no result kept as "${name}"`);
			return kept.get(name);
		},
		id(name) {
			const id = seedIds[name] ?? idOf(kept.get(name));
			if (id === undefined) throw new Error(`playthrough: no record "${name}"`);
			return id;
		}
	};
	const outcomes: ActionOutcome[] = [];
	let node = started.value.node;
	for (const step of steps) {
		const seq = outcomes.length + 1;
		if ('say' in step) {
			const applied = await applyAction(db, loaded, attemptId, { kind: 'choice', choiceId: step.say }, { expectedActionSeq: seq });
			if (!applied.ok) throw new Error(`playthrough: choice "${step.say}" is not offered at node "${node?.id}" (${applied.error.code})`);
			outcomes.push(applied.value);
			node = applied.value.node;
			continue;
		}
		const input = typeof step.input === 'function' ? (step.input as (r: PlayRefs) => unknown)(refs) : step.input;
		const applied = await applyAction(db, loaded, attemptId, { kind: 'core', operation: step.do, input }, { expectedActionSeq: seq });
		if (!applied.ok) throw new Error(`playthrough: ${step.do} was not applied: ${applied.error.message}`);
		const core = applied.value.core;
		if (step.expectError !== undefined) {
			if (core?.ok !== false || core.error.code !== step.expectError) throw new Error(`playthrough: ${step.do} should fail with ${step.expectError}, got ${JSON.stringify(core)}`);
		} else if (core?.ok === false) {
			throw new Error(`playthrough: ${step.do} failed: ${core.error.code}: ${core.error.message}`);
		} else if (step.as !== undefined) {
			kept.set(step.as, core?.value);
		}
		outcomes.push(applied.value);
		node = applied.value.node;
	}
	return {
		db,
		attemptId,
		seedIds,
		events: await attemptEvents(db, attemptId),
		node: node?.id ?? '',
		ended: node?.ended ?? false,
		outcomes,
		refs,
		async end() {
			const ended = await endAttempt(db, loaded, attemptId);
			if (!ended.ok) throw new Error(`playthrough: ${ended.error.message}`);
			return ended.value;
		}
	};
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
