import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostileScenario, HOSTILE_SHAPES } from './hostile-scenarios';
import { GRAPH_PAGE_SIZE, hasProblem, inspectDraft, titleOfSource, type GraphQuery } from './scenario-source';

const SPOUSE = readFileSync('scenarios/spouse-caller.yaml', 'utf8');
const ALL: GraphQuery = { filter: 'all', page: 1 };

describe('the structured view', () => {
	it('lists every node with its choices, all reachable and finishing in a valid scenario', async () => {
		const { graph, errors } = await inspectDraft('spouse-caller', SPOUSE, ALL);
		expect(errors).toEqual([]);
		expect(graph!.summary).toMatchObject({ start: 'opening', unreachable: 0, deadEnds: 0, missingTargets: 0, withProblems: 0 });
		const opening = graph!.nodes.find((n) => n.id === 'opening')!;
		expect(opening).toMatchObject({ start: true, kind: 'turn', reachable: true, deadEnd: false });
		expect(opening.choices.map((c) => c.id)).toContain('ask-his-security');
		expect(graph!.nodes.some((n) => n.kind === 'end')).toBe(true);
	});

	it('flags an unreachable node, a dead end and a choice to a missing node', async () => {
		const source = [
			'dialogue:',
			'  start: a',
			'  nodes:',
			'    - id: a',
			'      text: Hello',
			'      choices:',
			'        - { id: go, label: Go, goto: b }',
			'        - { id: lost, label: Lost, goto: nowhere }',
			'    - id: b',
			'      text: Loop',
			'      choices: [{ id: again, label: Again, goto: b }]',
			'    - id: island',
			'      text: Nobody comes here',
			'      end: true'
		].join('\n');
		const g = (await inspectDraft('x-draft', source, ALL)).graph!;
		const node = (id: string) => g.nodes.find((n) => n.id === id)!;
		expect(node('island')).toMatchObject({ reachable: false, kind: 'end', line: 12 });
		expect(node('b')).toMatchObject({ reachable: true, deadEnd: true });
		expect(node('a').choices.find((c) => c.id === 'lost')).toMatchObject({ broken: true });
		// a leads only to b or nowhere, so it cannot finish either.
		expect(g.summary).toMatchObject({ nodes: 3, choices: 3, unreachable: 1, deadEnds: 2, missingTargets: 1, withProblems: 3 });
	});

	it('lists the marking points with the criteria they cover', async () => {
		const { points } = await inspectDraft('spouse-caller', SPOUSE, ALL);
		expect(points[0]).toMatchObject({ id: 'no-account-information-disclosed', critical: true, criteria: ['EMP03', 'AC10', 'AC13', 'PC12'] });
	});

	it('gives each point its weight and share of the score, whether it names its rule and its tagged choices, and the pass mark', async () => {
		const source = [
			'passMark: 70',
			'dialogue:',
			'  nodes:',
			'    - id: a',
			'      choices:',
			'        - { id: x, label: X, goto: a, quality: poor, point: two }',
			'        - { id: y, label: Y, goto: a, quality: best, point: two }',
			'marking:',
			'  - { id: one, critical: true, feedback: { rule: "UK GDPR Art 5(1)(f)" } }',
			'  - { id: two, weight: 3 }',
			'  - { id: three, weight: 1 }'
		].join('\n');
		const view = await inspectDraft('x-draft', source, ALL);
		expect(view.passMark).toBe(70);
		expect(view.points.map(({ id, effectiveWeight, share, ruleNamed, taggedChoices }) => ({ id, effectiveWeight, share, ruleNamed, taggedChoices }))).toEqual([
			{ id: 'one', effectiveWeight: 3, share: 42.9, ruleNamed: true, taggedChoices: 0 },
			{ id: 'two', effectiveWeight: 3, share: 42.9, ruleNamed: false, taggedChoices: 2 },
			{ id: 'three', effectiveWeight: 1, share: 14.3, ruleNamed: false, taggedChoices: 0 }
		]);
		expect((await inspectDraft('x-draft', 'passMark: 0\nmarking: []', ALL)).passMark).toBeNull();
		expect((await inspectDraft('x-draft', 'marking: []', ALL)).passMark).toBe(80);
	});
});

describe('a large dialogue', () => {
	const { fileName, source } = hostileScenario('chain');
	const scenarioId = fileName.replace(/\.yaml$/, '');

	it('is summarised whole and listed one page at a time', async () => {
		const { errors, graph } = await inspectDraft(scenarioId, source, ALL);
		expect(errors).toEqual([]);
		expect(graph!.summary.nodes).toBe(2_301);
		expect(graph!.pages).toBe(Math.ceil(2_301 / GRAPH_PAGE_SIZE));
		expect(graph!.nodes).toHaveLength(GRAPH_PAGE_SIZE);
		expect(JSON.stringify(graph).length).toBeLessThan(20_000);
	});

	it('opens the page holding a node asked for by id, and clamps a page past the end', async () => {
		const found = (await inspectDraft(scenarioId, source, { filter: 'all', page: 1, node: 'n-1000' })).graph!;
		expect(found.nodes.map((n) => n.id)).toContain('n-1000');
		expect(found.page).toBe(Math.floor(1000 / GRAPH_PAGE_SIZE) + 1);
		expect((await inspectDraft(scenarioId, source, { filter: 'all', page: 10_000 })).graph!.page).toBe(found.pages);
	});

	it('lists only the nodes with problems when asked', async () => {
		const broken = hostileScenario('broken-references');
		const { graph } = await inspectDraft(broken.fileName.replace(/\.yaml$/, ''), broken.source, { filter: 'problems', page: 2 });
		expect(graph!.filter).toBe('problems');
		expect(graph!.matching).toBe(graph!.summary.withProblems);
		expect(graph!.nodes.every(hasProblem)).toBe(true);
		expect(graph!.summary.missingTargets).toBe(1_600);
	});

	it('keeps every hostile shape to at most 200 listed problems and a page of nodes', async () => {
		for (const shape of HOSTILE_SHAPES) {
			const { fileName, source: text } = hostileScenario(shape);
			const view = await inspectDraft(fileName.replace(/\.yaml$/, ''), text, ALL);
			expect(view.errors.length, shape).toBeLessThanOrEqual(201);
			expect(view.graph!.nodes.length, shape).toBeLessThanOrEqual(GRAPH_PAGE_SIZE);
		}
	});
});

describe('the title of a draft', () => {
	it('is read from its title line alone, even when the rest does not parse', () => {
		expect(titleOfSource('id: x\ntitle: "A spouse: calls"\ndialogue: [unclosed\n')).toBe('A spouse: calls');
		expect(titleOfSource('id: x\n')).toBeUndefined();
		expect(titleOfSource('title: ""\n')).toBeUndefined();
	});
});
