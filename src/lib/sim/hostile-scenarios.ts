/**
 * Test fixtures: large scenario files shaped the way an attacker (or an over-keen author) would
 * shape them, to show that checking a file costs time in proportion to its size (issue 13). Each is
 * a complete, valid scenario near the 256 kB limit unless its name says it is broken; the shapes
 * are the ones that made the old checker quadratic: long chains listed end-first, cycles, wide
 * fans, deep rule nesting, many choices, many unknown names.
 *
 * Standalone (only `yaml`), so unit tests, benchmarks and Playwright specs can all import it.
 */
import { stringify } from 'yaml';

export type HostileShape = 'chain' | 'cycles' | 'fan' | 'deep-branch' | 'many-choices' | 'broken-references';

export const HOSTILE_SHAPES: readonly HostileShape[] = ['chain', 'cycles', 'fan', 'deep-branch', 'many-choices', 'broken-references'];

interface FixtureNode {
	id: string;
	speaker?: string;
	text?: string;
	choices?: { id: string; label: string; goto: string }[];
	branch?: { cases: { when: unknown; goto: string }[]; otherwise: string };
	end?: true;
}

const id = (i: number) => `n-${i}`;
const say = (i: number, choices: FixtureNode['choices']): FixtureNode => ({ id: id(i), speaker: 'caller', text: `Line ${i} of the call.`, choices });
const END: FixtureNode = { id: 'the-end', text: 'The call ends.', end: true };

/** A rule nested `depth` levels deep (not, all, any in turn) around one `exists`. */
function nestedRule(depth: number): unknown {
	let rule: unknown = { exists: { event: 'disclosure.made' } };
	for (let level = 0; level < depth; level++) {
		rule = level % 3 === 0 ? { not: rule } : level % 3 === 1 ? { all: [rule] } : { any: [rule] };
	}
	return rule;
}

/** The dialogue nodes of each shape, sized so the whole file is 200–256 kB. */
function dialogueOf(shape: HostileShape): { start: string; nodes: FixtureNode[] } {
	switch (shape) {
		case 'chain': {
			// Listed start-first: a fixed-point search for "leads to an end" needs one pass per node.
			// Narration with short lines, to fit the most nodes in the file.
			const n = 2_300;
			const nodes: FixtureNode[] = Array.from({ length: n }, (_, i) => ({ id: id(i), text: '…', choices: [{ id: 'on', label: 'On.', goto: i + 1 < n ? id(i + 1) : END.id }] }));
			return { start: id(0), nodes: [...nodes, END] };
		}
		case 'cycles': {
			// Every node goes on, back to the start, or (every tenth) out to the end.
			const n = 1_080;
			const nodes = Array.from({ length: n }, (_, i) =>
				say(i, [
					{ id: 'on', label: 'Go on.', goto: id((i + 1) % n) },
					{ id: 'back', label: 'Start again.', goto: id(0) },
					...(i % 10 === 9 ? [{ id: 'out', label: 'Goodbye.', goto: END.id }] : [])
				])
			);
			return { start: id(0), nodes: [...nodes.reverse(), END] };
		}
		case 'fan': {
			// One node with a choice for every other node.
			const n = 1_100;
			const hub: FixtureNode = { id: 'hub', speaker: 'caller', text: 'Which one?', choices: Array.from({ length: n }, (_, i) => ({ id: `c-${i}`, label: `Option ${i}.`, goto: id(i) })) };
			const leaves = Array.from({ length: n }, (_, i) => say(i, [{ id: 'out', label: 'Done.', goto: END.id }]));
			return { start: 'hub', nodes: [hub, ...leaves, END] };
		}
		case 'deep-branch': {
			// A chain of branch nodes, each with a rule nested 30 levels deep.
			const n = 100;
			const nodes = Array.from({ length: n }, (_, i) => ({
				id: id(i),
				branch: { cases: [{ when: nestedRule(30), goto: END.id }], otherwise: i + 1 < n ? id(i + 1) : END.id }
			}));
			return { start: id(0), nodes: [...nodes, END] };
		}
		case 'many-choices': {
			// Forty choices on each node, all going on to the next node.
			const n = 95;
			const nodes = Array.from({ length: n }, (_, i) =>
				say(
					i,
					Array.from({ length: 40 }, (_, j) => ({ id: `c-${j}`, label: `Say ${j}.`, goto: i + 1 < n ? id(i + 1) : END.id }))
				)
			);
			return { start: id(0), nodes: [...nodes, END] };
		}
		case 'broken-references': {
			// Every choice goes to a node that does not exist, one edit away from many that do.
			const n = 1_600;
			const nodes = Array.from({ length: n }, (_, i) => say(i, [{ id: 'on', label: 'Go on.', goto: `n-${i}x` }]));
			return { start: id(0), nodes: [...nodes, END] };
		}
	}
}

/** The scenario around a dialogue: one persona, one customer, one marking point. */
export function hostileScenarioInput(shape: HostileShape) {
	const scenarioId = `hostile-${shape}`;
	return {
		id: scenarioId,
		title: `Hostile ${shape}`,
		version: '1.0.0',
		difficulty: 'foundation',
		criteria: ['EMP03'],
		brief: 'A very long call.',
		seed: {
			retentionRules: [{ code: 'billing-records', description: 'Six years after closure.', periodMonths: 72, trigger: 'relationship-ended' }],
			purposes: [
				{
					code: 'supply-and-billing',
					name: 'Supply and billing',
					description: 'Supplying energy and billing for it.',
					lawfulBasis: 'contract',
					fields: ['givenName', 'familyName'],
					retention: 'billing-records'
				}
			],
			customers: [{ key: 'daniel', reference: 'NWE-2048817', since: '2019-06-14', fields: { identity: { givenName: 'Daniel', familyName: 'Hughes' } } }]
		},
		personas: [{ key: 'caller', name: 'Sarah Hughes', role: 'caller', partyType: 'unauthorised-third-party', customer: 'daniel', description: 'His wife.' }],
		clock: { start: '2025-03-07T15:40:00+00:00' },
		dialogue: dialogueOf(shape),
		marking: [
			{
				id: 'no-disclosure',
				description: 'Disclosed nothing.',
				criteria: ['EMP03'],
				critical: true,
				rule: { absent: { event: 'disclosure.made' } },
				feedback: { met: 'Nothing disclosed.', notMet: 'You disclosed something.' }
			}
		]
	};
}

/** The file's name (`<id>.yaml`, as the checker requires) and its text. */
export function hostileScenario(shape: HostileShape): { fileName: string; source: string } {
	const input = hostileScenarioInput(shape);
	return { fileName: `${input.id}.yaml`, source: stringify(input, { aliasDuplicateObjects: false }) };
}
