/**
 * Every built-in scenario is written to the pass rule (docs/marking.md): a pass mark, a weight on
 * every point, the rule each point's miss breaks named in its feedback, what to do instead on every
 * critical point — and every mistake playthrough asserts its verdict with expectVerdict (or expectMistake, which calls it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from './scenario-check';
import { NAMES_A_RULE } from './playthroughs/support';

const library = loadScenarios('scenarios');
const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));

describe('the built-in library and the pass rule', () => {
	it('loads every file', () => {
		expect(library.errors).toEqual([]);
		expect(library.scenarios.length).toBe(files.length);
	});

	for (const file of files) {
		const raw = parse(readFileSync(join('scenarios', file), 'utf8')) as {
			passMark?: unknown;
			marking: { id: string; weight?: unknown; critical?: boolean; feedback: { rule?: string; instead?: string } }[];
		};
		const id = file.replace(/\.yaml$/, '');

		it(`${id}: declares its pass mark, weighs every point and names the rule of every point`, () => {
			expect(raw.passMark, 'passMark').toEqual(expect.any(Number));
			for (const point of raw.marking) {
				expect(point.weight, `${point.id}.weight`).toEqual(expect.any(Number));
				expect(point.feedback.rule, `${point.id}.feedback.rule`).toMatch(NAMES_A_RULE);
				if (point.critical) expect(point.feedback.instead, `${point.id}.feedback.instead`).toEqual(expect.any(String));
			}
		});

		it(`${id}: has playthroughs, and every mistake among them asserts its verdict and score`, () => {
			const test = readFileSync(join('src/lib/sim/playthroughs', `${id}.test.ts`), 'utf8');
			const blocks = test.split(/\n\s*it\(/).slice(1);
			const mistakes = blocks.filter((b) => /^['"`]mistake/.test(b));
			expect(mistakes.length, 'mistake playthroughs').toBeGreaterThan(0);
			for (const block of mistakes) expect(block, block.slice(0, 80)).toMatch(/\bexpect(Verdict|Mistake)\(/);
		});
	}
});
