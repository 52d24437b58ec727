/**
 * The scenario library as a whole (issue 4, "The library"): every file passes the checker, there
 * are enough scenarios at every difficulty, the scenarios the unit needs are all there, and
 * together their marking points evidence every performance criterion (PC) of the National
 * Occupational Standard and every examiner marking point (EMP) of the seeds.
 *
 * A criterion counts as evidenced only when a marking point lists it: listing it in a scenario's
 * `criteria` is not enough (the checker already insists each listed criterion has a point).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { criteriaOfKind } from '../criteria';
import { codesInSystemLines } from './playthroughs/support';
import { formatScenarioError, loadScenarios } from './scenario-check';
import type { Scenario } from './scenario-schema';

const library = loadScenarios('scenarios');
const scenarios: Scenario[] = library.scenarios.map((s) => s.scenario);

/** The scenarios the unit needs, by id, with what each one is for (DOMAIN.md training scenarios). */
const REQUIRED_SCENARIOS: Record<string, string> = {
	'new-customer-signup': 'new customer sign-up with consent and minimisation (DOMAIN.md 7)',
	'spouse-caller': 'the "spouse" caller with no authority on file (DOMAIN.md 1)',
	'verbal-sar-neighbour': 'a verbal SAR with ID follow-up and a third party in the file (DOMAIN.md 2)',
	'sar-deadline-extension': 'a SAR deadline and extension, in a region whose holidays matter',
	'erasure-legal-retention': 'erasure against a legal retention duty (DOMAIN.md 3)',
	'misdirected-email-breach': 'a misdirected email breach on a Friday afternoon (DOMAIN.md 4)',
	'disputed-accuracy-restriction': 'disputed accuracy with restriction and a marketing objection (DOMAIN.md 5)',
	'police-address-request': 'a police request for an address (DOMAIN.md 6)',
	'colleague-requests': "a colleague's request that matches a need and one that does not (DOMAIN.md 8)",
	'retention-review-disposal': 'a retention review with disposal and a legal hold that survives it',
	'record-correction': 'a record correction that must be logged',
	'lpa-attorney-caller': 'an attorney whose LPA type and OPG registration must be checked (issue 14)'
};

/** Criterion code → ids of the scenarios with a marking point that evidences it. */
function evidencedBy(): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const s of scenarios) {
		const codes = new Set(s.marking.flatMap((point) => point.criteria));
		for (const code of codes) map.set(code, [...(map.get(code) ?? []), s.id]);
	}
	return map;
}

describe('the scenario library', () => {
	it('loads with no errors', () => {
		expect(library.errors.map(formatScenarioError)).toEqual([]);
	});

	it('has at least ten scenarios, with unique ids', () => {
		expect(scenarios.length).toBeGreaterThanOrEqual(10);
		const ids = scenarios.map((s) => s.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('has scenarios at every difficulty', () => {
		const difficulties = new Set(scenarios.map((s) => s.difficulty));
		expect([...difficulties].sort()).toEqual(['advanced', 'foundation', 'intermediate']);
	});

	it.each(Object.entries(REQUIRED_SCENARIOS))('includes %s: %s', (id) => {
		expect(scenarios.map((s) => s.id)).toContain(id);
	});

	it('sets the SAR deadline scenario in a region whose public holidays move the deadline', () => {
		const s = scenarios.find((x) => x.id === 'sar-deadline-extension');
		expect(s?.organisation.region).toBe('scotland');
	});

	it('evidences every performance criterion (PC) with a marking point', () => {
		const map = evidencedBy();
		const missing = criteriaOfKind('performance')
			.map((c) => c.code)
			.filter((code) => !map.has(code));
		expect(missing).toEqual([]);
	});

	it('evidences every examiner marking point (EMP) with a marking point', () => {
		const map = evidencedBy();
		const missing = criteriaOfKind('marking-point')
			.map((c) => c.code)
			.filter((code) => !map.has(code));
		expect(missing).toEqual([]);
	});

	it('has a critical point in every scenario where data could be disclosed without authority', () => {
		for (const s of scenarios) {
			const disclosesSomewhere = s.dialogue.nodes.some((n) => (n.choices ?? []).some((c) => c.discloses !== undefined));
			if (!disclosesSomewhere) continue;
			expect(
				s.marking.some((p) => p.critical === true),
				`${s.id} offers a disclosing choice but has no critical marking point`
			).toBe(true);
		}
	});

	it('has a playthrough file for every scenario (model answer and common mistakes, through the runtime)', () => {
		const without = scenarios.map((s) => s.id).filter((id) => !existsSync(`src/lib/sim/playthroughs/${id}.test.ts`));
		expect(without).toEqual([]);
	});

	it('checks every scenario’s model answer with expectModelAnswer, so its record-system lines are checked for codes', () => {
		const unchecked = scenarios.map((s) => s.id).filter((id) => !readFileSync(`src/lib/sim/playthroughs/${id}.test.ts`, 'utf8').includes('expectModelAnswer(loaded'));
		expect(unchecked).toEqual([]);
	});

	it('finds codes, field names and ids in the record system’s lines, and not words', () => {
		const line = (kind: 'system' | 'persona', text: string) => ({ seq: 1, at: '2026-01-01T09:00:00Z', kind, who: 'System', text, eventIds: [] });
		const play = {
			outcomes: [
				{ transcript: [line('system', 'Open a customer record (for supply-and-billing): 3 fields shown.'), line('system', 'Correct a detail (dateOfBirth): corrected.')] },
				{ transcript: [line('system', 'Match a request (3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b): matched.'), line('persona', 'My account-number is here.')] },
				{ transcript: [line('system', 'Open a customer record (for Anti-money-laundering checks): 8 fields shown.'), line('system', 'Verify identity (knowledge-based): verified.')] }
			]
		} as unknown as Parameters<typeof codesInSystemLines>[0];
		expect(codesInSystemLines(play).map((found) => found.split(' in ')[0])).toEqual(['supply-and-billing', 'dateOfBirth', '3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b']);
	});

	it('gives feedback that differs for met and not met on every point', () => {
		for (const s of scenarios) {
			for (const p of s.marking) expect(p.feedback.met, `${s.id}: ${p.id}`).not.toBe(p.feedback.notMet);
		}
	});
});
