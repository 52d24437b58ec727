/**
 * The dialogue: moving through a scenario's nodes as the learner chooses and works in the system.
 *
 * Arriving at a node: its `advance` moves the clock; a branch goes on at once to the first case
 * whose rule holds over the events so far (else `otherwise`); a turn puts its words in the
 * transcript and then, if what it waits for has already happened (any time in the attempt), goes
 * on to `then`; an end node emits "dialogue.ended". The dialogue rests at a turn or an end.
 *
 * A choice's words are the learner's; what they give away (`discloses`) is recorded in the core as
 * a disclosure to the node's speaker, "read-out" ones through identity verification, because
 * reading details out to "check" them is how they are given away.
 */
import {
	authorityCovers,
	disclose,
	foldText,
	heldValues,
	thirdPartiesOf,
	verificationAttemptsOf,
	verifyIdentity,
	type CoreContext,
	type Result
} from '../core';
import { ukDateOf } from '../core/uk-date';
import type { NodeView, TranscriptEntry } from './attempt-record';
import { durationMs } from './clock';
import type { SimEvent } from './events';
import { createEventLog, evaluateOn, initialVariables, matchesEvent } from './rules';
import type { DialogueChoice, DialogueNode, EventMatcher, Persona, Scenario } from './scenario-schema';

/** What moving through the dialogue needs from the attempt it happens in. */
export interface DialogueTurn {
	scenario: Scenario;
	seedIds: Readonly<Record<string, string>>;
	/** Now on the scenario clock. */
	now(): string;
	advance(ms: number): void;
	/** The attempt's events so far, in log order. */
	events(): SimEvent[] | Promise<SimEvent[]>;
	/** Puts a dialogue event in the log; returns its id. */
	emit(name: string, details: Record<string, unknown>): string | Promise<string>;
	say(line: Omit<TranscriptEntry, 'seq'>): void | Promise<void>;
}

/** A dialogue that keeps moving without ever waiting for the learner is a broken file, not a state. */
const MAX_HOPS = 1000;

export function nodeById(scenario: Scenario, id: string): DialogueNode {
	const node = scenario.dialogue.nodes.find((n) => n.id === id);
	// The checker rejects a file with a reference to a missing node.
	if (!node) throw new Error(`scenario ${scenario.id}: no dialogue node "${id}"`);
	return node;
}

function persona(scenario: Scenario, key: string | undefined): Persona | undefined {
	return key === undefined ? undefined : scenario.personas.find((p) => p.key === key);
}

function waitMatchers(node: DialogueNode): EventMatcher[] {
	return node.waitFor === undefined ? [] : Array.isArray(node.waitFor) ? node.waitFor : [node.waitFor];
}

async function waitSatisfied(turn: DialogueTurn, node: DialogueNode): Promise<boolean> {
	const matchers = waitMatchers(node);
	return matchers.length > 0 && (await turn.events()).some((e) => matchers.some((m) => matchesEvent(m, e, turn.seedIds)));
}

/** Arrives at a node and follows branches and satisfied waits until the dialogue rests; returns where. */
export async function enterNode(turn: DialogueTurn, id: string): Promise<DialogueNode> {
	let current = id;
	for (let hops = 0; hops < MAX_HOPS; hops++) {
		const node = nodeById(turn.scenario, current);
		if (node.advance !== undefined) turn.advance(durationMs(node.advance));
		if (node.branch) {
			const log = createEventLog(await turn.events(), { seedIds: turn.seedIds, variables: initialVariables(turn.scenario) });
			current = node.branch.cases.find((c) => evaluateOn(c.when, log).met)?.goto ?? node.branch.otherwise;
			continue;
		}
		const eventIds = node.end ? [await turn.emit('dialogue.ended', { node: node.id })] : [];
		const speaker = persona(turn.scenario, node.speaker);
		await turn.say({ at: turn.now(), kind: speaker ? 'persona' : 'narration', who: speaker?.name ?? '', text: node.text ?? '', eventIds });
		if (node.end) return node;
		if (await waitSatisfied(turn, node)) {
			current = node.then!;
			continue;
		}
		return node;
	}
	throw new Error(`scenario ${turn.scenario.id}: the dialogue goes round without waiting for the learner (at node "${current}")`);
}

/**
 * After the learner works in the system: the dialogue moves on if the node was waiting for one of
 * the events the action wrote. Only those need checking: had an earlier event matched, the
 * dialogue would not have stopped here.
 */
export async function afterCoreAction(turn: DialogueTurn, id: string, written: readonly SimEvent[]): Promise<DialogueNode> {
	const node = nodeById(turn.scenario, id);
	const matchers = waitMatchers(node);
	const moves = !node.end && written.some((e) => matchers.some((m) => matchesEvent(m, e, turn.seedIds)));
	return moves ? await enterNode(turn, node.then!) : node;
}

export function choiceAt(scenario: Scenario, nodeId: string, choiceId: string): DialogueChoice | undefined {
	const node = nodeById(scenario, nodeId);
	return node.end ? undefined : node.choices?.find((c) => c.id === choiceId);
}

export function nodeView(scenario: Scenario, node: DialogueNode): NodeView {
	const speaker = persona(scenario, node.speaker);
	return {
		id: node.id,
		speaker: speaker ? { key: speaker.key, name: speaker.name, role: speaker.role } : null,
		text: node.text ?? '',
		choices: node.end ? [] : (node.choices ?? []).map((c) => ({ id: c.id, label: c.label })),
		waitingFor: node.end || node.waitFor === undefined ? null : (node.waitingText ?? `${speaker?.name ?? 'The conversation'} is waiting while you work in the system.`),
		ended: node.end === true
	};
}

type Discloses = NonNullable<DialogueChoice['discloses']>;

/**
 * The authority on file a speaker acts under when told these fields: of the authorities recorded
 * in their name, the first that covers the fields today (an attorney with both kinds of LPA relies
 * on the one for property and financial affairs to hear about the money), else the first at all,
 * so that telling them what none covers is judged against what they have.
 */
async function authorityRelied(ctx: CoreContext, customerId: string, name: string, fields: readonly string[]): Promise<string | undefined> {
	const theirs = (await thirdPartiesOf(ctx, customerId)).filter((t) => foldText(t.name) === foldText(name));
	const categories = [...new Set((await heldValues(ctx, customerId)).filter((h) => fields.includes(h.field)).map((h) => h.category))];
	const on = ukDateOf(ctx.clock());
	const covering = theirs.find((t) => authorityCovers(t, { customerId, thirdPartyId: t.id, categories, action: 'receive-information', on }).authorised);
	return (covering ?? theirs[0])?.id;
}

/**
 * Records what a choice gives away as a disclosure to the node's speaker: the recipient's type is
 * the persona's, and the data subject only when the persona is the customer disclosed about. A
 * disclosure to the data subject or an authorised third party relies on their latest verification,
 * which the engine judges (fresh, of the same party); read-outs go through identity verification.
 */
export async function discloseBySpeaking(ctx: CoreContext, scenario: Scenario, node: DialogueNode, discloses: Discloses, seedIds: Readonly<Record<string, string>>): Promise<Result<unknown>> {
	const speaker = persona(scenario, node.speaker);
	const customerId = seedIds[discloses.customer];
	// The checker makes sure a disclosing node has a speaker and the customer is seeded.
	if (!speaker || customerId === undefined) throw new Error(`scenario ${scenario.id}: node "${node.id}" discloses without a speaker or customer`);
	const thirdPartyId = speaker.partyType === 'authorised-third-party' ? await authorityRelied(ctx, customerId, speaker.name, discloses.fields) : undefined;
	// Someone who says they act for the customer but is not on file has, in the core's terms, no authority.
	const type =
		(speaker.partyType === 'data-subject' && speaker.customer !== discloses.customer) || (speaker.partyType === 'authorised-third-party' && thirdPartyId === undefined)
			? 'unauthorised-third-party'
			: speaker.partyType;
	if (discloses.manner === 'read-out') {
		return await verifyIdentity(ctx, {
			customerId,
			requesterType: type,
			thirdPartyId,
			method: 'knowledge-based',
			supplied: {},
			readOut: discloses.fields,
			requesterName: speaker.name,
			channel: speaker.channel
		});
	}
	const verification =
		type === 'data-subject' || type === 'authorised-third-party'
			? (await verificationAttemptsOf(ctx, customerId)).find((a) => a.outcome === 'verified' && a.requesterType === type && a.thirdPartyId === (thirdPartyId ?? null))
			: undefined;
	return await disclose(ctx, {
		customerId,
		recipient: { type, name: speaker.name, thirdPartyId },
		fields: discloses.fields,
		channel: speaker.channel,
		verificationId: verification?.id
	});
}
