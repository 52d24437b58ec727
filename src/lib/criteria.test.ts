import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
	CRITERIA,
	CRITERION_KINDS,
	SEED_FILES,
	UNIT,
	criteriaOfKind,
	criterionByCode,
	criterionSources,
	isCriterionCode,
	type CriterionDefinition,
	type CriterionKind
} from './criteria';

const SEEDS_DIR = path.resolve(process.cwd(), '../shared/seeds');

/** Obvious typos in the seeds, corrected in the criteria's text (see the comments in criteria.ts). */
const TYPO_FIXES: ReadonlyArray<readonly [string, string]> = [
	['seek support form colleagues', 'seek support from colleagues']
];

function fixTypos(text: string): string {
	return TYPO_FIXES.reduce((t, [wrong, right]) => t.replace(wrong, right), text);
}

function readSeed(file: string): string[] {
	return readFileSync(path.join(SEEDS_DIR, file), 'utf8')
		.split(/\r?\n/)
		.map((line) => line.trim());
}

/**
 * The bullet items ("- " or "• ") of the list that follows the line `heading` (after at most one
 * strap line, as in 004), up to the next line that is neither a bullet nor blank. The heading must
 * introduce exactly one list: 004, for instance, also has "Assessment Criteria" as a figure's label.
 */
function bulletsUnder(file: string, heading: string): string[] {
	const lines = readSeed(file).filter((line) => line !== '');
	const lists: string[][] = [];
	lines.forEach((line, at) => {
		if (line !== heading) return;
		const items: string[] = [];
		let strapLines = 0;
		for (const next of lines.slice(at + 1)) {
			const bullet = /^(?:-|•)\s+(.*)$/.exec(next);
			if (bullet) items.push(fixTypos(bullet[1]!.trim()));
			else if (items.length > 0 || ++strapLines > 1) break;
		}
		if (items.length > 0) lists.push(items);
	});
	if (lists.length !== 1) {
		throw new Error(`${file}: expected one list under "${heading}", found ${lists.length}`);
	}
	return lists[0]!;
}

const CODE_PATTERN: Record<CriterionKind, RegExp> = {
	performance: /^PC\d{2}$/,
	knowledge: /^K\d{2}$/,
	'marking-point': /^EMP\d{2}$/,
	assessment: /^AC\d{2}$/
};

const S003 = '003_b3411dfa894b9c82.txt';
const MARKING_POINT_SEEDS = [
	'000_042e24a3e3e7ff3d.txt',
	'001_57f46ec30dfb22b1.txt',
	'002_4f5b1953538532d7.txt'
];
const S004 = '004_bcf6fe3aa8fedbd2.txt';

const all: readonly CriterionDefinition[] = CRITERIA;

function wordings(c: CriterionDefinition): string[] {
	return [c.text, ...(c.alsoStatedAs ?? [])];
}

/** Checks that each seed item is stated by exactly one criterion of `kind` that cites `file`. */
function expectEachItemRepresentedOnce(file: string, items: string[], kind: CriterionKind) {
	for (const item of items) {
		const holders = all.filter((c) => wordings(c).includes(item));
		expect(holders.map((c) => c.code), `"${item}" (${file})`).toHaveLength(1);
		expect(holders[0]!.kind).toBe(kind);
		expect(criterionSources(holders[0]!)).toContain(file);
	}
}

describe('the unit criteria', () => {
	it('give every criterion a unique code', () => {
		const codes = CRITERIA.map((c) => c.code);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it("code each criterion with its kind's prefix, numbered from 01 without gaps in order", () => {
		for (const { kind } of CRITERION_KINDS) {
			const ofKind = all.filter((c) => c.kind === kind);
			expect(ofKind.length).toBeGreaterThan(0);
			ofKind.forEach((c, i) => {
				expect(c.code).toMatch(CODE_PATTERN[kind]);
				expect(Number(c.code.replace(/^\D+/, ''))).toBe(i + 1);
			});
		}
	});

	it('describe every kind once, in display order, with a label and the prefix its codes use', () => {
		expect(CRITERION_KINDS.map((k) => k.kind)).toEqual([
			'performance',
			'knowledge',
			'marking-point',
			'assessment'
		]);
		expect(CRITERION_KINDS[0].label).toBe('Performance criterion');
		for (const k of CRITERION_KINDS) {
			expect(k.label.length).toBeGreaterThan(0);
			expect(`${k.codePrefix}01`).toMatch(CODE_PATTERN[k.kind]);
		}
		const listed = new Set<string>(CRITERION_KINDS.map((k) => k.kind));
		for (const c of CRITERIA) expect(listed.has(c.kind)).toBe(true);
	});

	it('give every criterion a short title of three to eight words and a non-empty text', () => {
		for (const c of CRITERIA) {
			const words = c.title.split(/\s+/).filter(Boolean);
			expect(words.length, `${c.code}: ${c.title}`).toBeGreaterThanOrEqual(3);
			expect(words.length, `${c.code}: ${c.title}`).toBeLessThanOrEqual(8);
			expect(c.text.trim()).toBe(c.text);
			expect(c.text.length).toBeGreaterThan(10);
		}
	});

	it('include each of the 12 performance criteria of the standard, in order, with typos fixed', () => {
		const items = bulletsUnder(S003, 'You must be able to:');
		expect(items).toHaveLength(12);
		expect(criteriaOfKind('performance').map((c) => c.text)).toEqual(items);
		expect(criterionByCode('PC09')?.text).toContain('seek support from colleagues');
		for (const c of criteriaOfKind('performance')) expect(criterionSources(c)).toEqual([S003]);
	});

	it('include each of the 11 knowledge items of the standard, in order', () => {
		const items = bulletsUnder(S003, 'You need to know and understand:');
		expect(items).toHaveLength(11);
		expect(criteriaOfKind('knowledge').map((c) => c.text)).toEqual(items);
		for (const c of criteriaOfKind('knowledge')) expect(criterionSources(c)).toEqual([S003]);
	});

	it('represent every examiner marking point of 000, 001 and 002 in exactly one criterion', () => {
		let count = 0;
		for (const file of MARKING_POINT_SEEDS) {
			const items = bulletsUnder(file, 'Examiner Marking Points');
			expect(items.length, file).toBeGreaterThan(0);
			count += items.length;
			expectEachItemRepresentedOnce(file, items, 'marking-point');
		}
		// Nothing invented: every wording of a marking point is one of the seeds' items.
		const stated = criteriaOfKind('marking-point').flatMap(wordings);
		expect(stated).toHaveLength(count);
	});

	it('represent every assessment criterion of 004 in exactly one criterion', () => {
		const items = bulletsUnder(S004, 'Assessment Criteria');
		expect(items).toHaveLength(16);
		expectEachItemRepresentedOnce(S004, items, 'assessment');
		const stated = criteriaOfKind('assessment').flatMap(wordings);
		expect([...stated].sort()).toEqual([...items].sort());
	});

	it('merge the marking points that all ask for identity to be verified before disclosure', () => {
		const verify = criterionByCode('EMP03');
		expect(verify?.title).toBe('Verify identity before disclosing information');
		expect(criterionSources(verify!)).toEqual(MARKING_POINT_SEEDS);
		expect(verify!.alsoStatedAs).toHaveLength(2);
	});

	it('cite only seed files that exist, and each cited file states one of the wordings', () => {
		for (const file of SEED_FILES) expect(existsSync(path.join(SEEDS_DIR, file)), file).toBe(true);
		for (const c of all) {
			const sources = criterionSources(c);
			expect(sources.length).toBeGreaterThan(0);
			expect(new Set(sources).size).toBe(sources.length);
			for (const file of sources) {
				expect(existsSync(path.join(SEEDS_DIR, file)), `${c.code}: ${file}`).toBe(true);
				const seed = readSeed(file).map(fixTypos).join('\n');
				expect(
					wordings(c).some((w) => seed.includes(w)),
					`${c.code} cites ${file}`
				).toBe(true);
			}
			if (c.alsoStatedAs) expect(c.alsoStatedAs).not.toContain(c.text);
		}
		expect(existsSync(path.join(SEEDS_DIR, UNIT.source))).toBe(true);
	});

	it('find a criterion by its code and reject codes that do not exist', () => {
		expect(criterionByCode('PC01')?.title).toBe('Collect and record new customer information');
		expect(criterionByCode('AC14')?.kind).toBe('assessment');
		expect(criterionByCode('PC13')).toBeUndefined();
		expect(criterionByCode('pc01')).toBeUndefined();
		expect(criterionByCode('')).toBeUndefined();
		expect(isCriterionCode('K11')).toBe(true);
		expect(isCriterionCode('K12')).toBe(false);
		expect(isCriterionCode('toString')).toBe(false);
	});

	it('name the unit as the standard does', () => {
		expect(readSeed(S003)[0]).toBe(UNIT.title);
		expect(UNIT.standard).toContain('National Occupational Standard');
	});
});
