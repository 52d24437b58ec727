import { describe, expect, it } from 'vitest';
import { hostileScenario, HOSTILE_SHAPES } from './hostile-scenarios';
import { checkScenario, MAX_REPORTED, parseScenario } from './scenario-check';
import { stringify } from 'yaml';
import {
	MAX_ATTORNEYS,
	MAX_CHOICES,
	MAX_DEPTH,
	MAX_FACTS,
	MAX_IDS,
	MAX_NODES,
	MAX_OPG_REGISTER_ENTRIES,
	MAX_SOURCE_BYTES,
	MAX_VARIABLES,
	prescanScenario,
	scenarioSizeProblem
} from './scenario-limits';
import { sampleScenarioInput } from './testing';

const file = (shape: string) => `scenarios/hostile-${shape}.yaml`;

describe('limits checked before parsing', () => {
	it('admit every hostile fixture: 200–256 kB files of up to a few thousand nodes', () => {
		for (const shape of HOSTILE_SHAPES) {
			const { source } = hostileScenario(shape);
			const bytes = Buffer.byteLength(source);
			expect(bytes, shape).toBeGreaterThan(200 * 1024);
			expect(bytes, shape).toBeLessThanOrEqual(MAX_SOURCE_BYTES);
			expect(prescanScenario(source), shape).toBeUndefined();
		}
	});

	it('refuse a file over 256 kB, naming the limit', () => {
		expect(prescanScenario(`# ${'x'.repeat(MAX_SOURCE_BYTES)}\n`)).toEqual({ limit: 'bytes', message: 'the file is 257 kB; a scenario may be at most 256 kB' });
	});

	it('refuse a file with more entries with an id than the limit, counted without parsing', () => {
		const text = `ids:\n${'- id: a\n'.repeat(MAX_IDS + 1)}`;
		expect(prescanScenario(text)).toMatchObject({ limit: 'ids', message: expect.stringContaining(`at most ${MAX_IDS}`) });
		// Flow style and quoted keys are counted too.
		expect(prescanScenario(`ids: [${'{"id": a},'.repeat(MAX_IDS + 1)}]\n`)).toMatchObject({ limit: 'ids' });
	});

	it('refuse nesting deeper than the limit, by indentation or by brackets, but not brackets inside quotes', () => {
		let indented = '';
		for (let level = 0; level <= MAX_DEPTH; level++) indented += `${' '.repeat(level)}a:\n`;
		expect(prescanScenario(indented)).toMatchObject({ limit: 'depth', message: expect.stringContaining(`at most ${MAX_DEPTH}`) });
		expect(prescanScenario(`a: ${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}\n`)).toMatchObject({ limit: 'depth' });
		expect(prescanScenario(`a: "${'['.repeat(MAX_DEPTH + 1)}"\n`)).toBeUndefined();
	});

	it('are reported by the checker as the file’s one problem', () => {
		expect(checkScenario('scenarios/x.yaml', `ids:\n${'- id: a\n'.repeat(MAX_IDS + 1)}`)).toEqual([
			{ file: 'scenarios/x.yaml', path: '(root)', message: expect.stringContaining(`at most ${MAX_IDS}`) }
		]);
	});
});

describe('limits counted exactly once parsed', () => {
	it('refuse more dialogue nodes or choices than the limits, and deeper nesting', () => {
		const nodes = Array.from({ length: MAX_NODES + 1 }, () => ({}));
		expect(scenarioSizeProblem({ dialogue: { nodes } })).toMatchObject({ message: `the dialogue has ${MAX_NODES + 1} nodes; a scenario may have at most ${MAX_NODES}` });
		const choices = Array.from({ length: 2 }, () => ({ choices: Array.from({ length: MAX_CHOICES / 2 + 1 }, () => ({})) }));
		expect(scenarioSizeProblem({ dialogue: { nodes: choices } })).toMatchObject({ message: expect.stringContaining(`at most ${MAX_CHOICES}`) });
		let deep: unknown = 1;
		for (let level = 0; level <= MAX_DEPTH; level++) deep = [deep];
		expect(scenarioSizeProblem(deep)).toMatchObject({ limit: 'depth' });
	});
});

describe('checking the hostile fixtures', () => {
	it('accepts the valid ones', () => {
		for (const shape of HOSTILE_SHAPES.filter((s) => s !== 'broken-references')) {
			const { source } = hostileScenario(shape);
			expect(checkScenario(file(shape), source), shape).toEqual([]);
		}
	});

	it('lists the first 200 of thousands of problems, each with a suggestion and a line, and says how many more there are', () => {
		const errors = checkScenario(file('broken-references'), hostileScenario('broken-references').source);
		expect(errors).toHaveLength(MAX_REPORTED + 1);
		expect(errors[0]).toMatchObject({ path: 'dialogue.nodes[0].choices[0].goto', message: 'unknown node "n-0x" (did you mean "n-0"?)', line: expect.any(Number) });
		// 1,600 missing targets, and every node but the start unreachable.
		expect(errors.at(-1)!.message).toMatch(/^\d+ more problems are not listed: fix these first$/);
	});

	it('finds a key given twice in a mapping of 20,000 keys', () => {
		const keys = Array.from({ length: 20_000 }, (_, i) => `  k${i}: x\n`).join('');
		const text = `id: x\nknows:\n${keys}  k5: y\n`;
		expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_SOURCE_BYTES);
		expect(checkScenario('scenarios/x.yaml', text)).toEqual([{ file: 'scenarios/x.yaml', path: 'line 20003, column 3', message: 'Map keys must be unique', line: 20_003 }]);
	});

	it('refuses a file with too many aliases rather than expanding them', () => {
		const text = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(60)}*a]\nc: [${'*b, '.repeat(60)}*b]\n`;
		const parsed = parseScenario('scenarios/x.yaml', text);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.errors[0]!.message).toMatch(/alias/i);
	});
});

describe('limits on the lists of facts, variables and the OPG register', () => {
	const over = (edit: (s: ReturnType<typeof sampleScenarioInput> & Record<string, unknown>) => void) => {
		const scenario = sampleScenarioInput() as ReturnType<typeof sampleScenarioInput> & Record<string, unknown>;
		edit(scenario);
		return checkScenario('scenarios/test-scenario.yaml', stringify(scenario)).map((e) => `${e.path}: ${e.message}`);
	};
	const entry = (i: number, attorneys = 1) => ({
		reference: `7000-${i}`,
		donor: 'Daniel Hughes',
		attorneys: Array.from({ length: attorneys }, (_, j) => `Attorney ${j}`),
		lpaType: 'health-and-welfare',
		registeredOn: '2020-01-01',
		status: 'registered'
	});

	it('refuse more facts, variables or register entries than the limit, naming the list and the limit', () => {
		expect(over((s) => (s.facts = Array.from({ length: MAX_FACTS + 1 }, (_, i) => ({ key: `fact${i}`, description: 'A fact.' }))))).toEqual([`facts: declare at most ${MAX_FACTS} facts`]);
		expect(over((s) => (s.variables = Array.from({ length: MAX_VARIABLES + 1 }, (_, i) => ({ name: `v-${i}`, initial: false }))))).toEqual([`variables: declare at most ${MAX_VARIABLES} variables`]);
		expect(over((s) => (s.opgRegister = Array.from({ length: MAX_OPG_REGISTER_ENTRIES + 1 }, (_, i) => entry(i))))).toEqual([
			`opgRegister: list at most ${MAX_OPG_REGISTER_ENTRIES} register entries`
		]);
		expect(over((s) => (s.opgRegister = [entry(1, MAX_ATTORNEYS + 1)]))).toEqual([`opgRegister[0].attorneys: list at most ${MAX_ATTORNEYS} attorneys`]);
	});

	it('admit a register of the largest size', () => {
		expect(over((s) => (s.opgRegister = Array.from({ length: MAX_OPG_REGISTER_ENTRIES }, (_, i) => entry(i, MAX_ATTORNEYS))))).toEqual([]);
	});
});

