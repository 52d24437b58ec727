/**
 * Shared helpers for the scenario playthroughs (one file per scenario in this folder): find a
 * scenario of the library, check a marking against the file's own feedback, and check that an
 * attempt replays identically. The playthroughs themselves run through the real runtime on the
 * real core (testing.ts, playthrough).
 */
import { expect } from 'vitest';
import { codesIn } from '../desk/plain';
import { verdictOf, type MarkingResult } from '../marking';
import { replayAttempt } from '../runtime';
import { loadScenarios, type LoadedScenario } from '../scenario-check';
import type { Scenario } from '../scenario-schema';
import type { Playthrough } from '../testing';

const library = loadScenarios('scenarios');

/** A scenario of the library, by id. */
export function loadedScenario(id: string): LoadedScenario {
	const found = library.scenarios.find((s) => s.scenario.id === id);
	if (!found) throw new Error(`no scenario ${id} (errors: ${library.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('; ')})`);
	return found;
}

/** The ids of the points not met, in file order. */
export const missed = (result: MarkingResult) => result.points.filter((p) => !p.met).map((p) => p.id);

/** Each missed point's feedback is the file's notMet text, each met point's the met text. */
export function expectFeedbackFromFile(s: Scenario, result: MarkingResult) {
	for (const point of result.points) {
		const inFile = s.marking.find((m) => m.id === point.id)!;
		expect(point.feedback, point.id).toBe(point.met ? inFile.feedback.met : inFile.feedback.notMet);
	}
}

/** The attempt replays identically: same records, events, audit chain and marking. */
export async function expectReplayIdentical(loaded: LoadedScenario, play: Pick<Playthrough, 'db' | 'attemptId'>) {
	expect(await replayAttempt(play.db, loaded, play.attemptId)).toMatchObject({ ok: true, value: { identical: true, differences: [] } });
}

/** The code-like tokens in the record system's lines of a playthrough's conversation. */
export function codesInSystemLines(play: Pick<Playthrough, 'outcomes'>): string[] {
	return play.outcomes
		.flatMap((o) => o.transcript)
		.filter((line) => line.kind === 'system')
		.flatMap((line) => codesIn(line.text).map((token) => `${token} in “${line.text}”`));
}

/**
 * A model answer: every point met, full marks, every criterion of the scenario evidenced, replayable,
 * and the record system's lines in words (no code, field name or id).
 */
export async function expectModelAnswer(loaded: LoadedScenario, play: Playthrough): Promise<MarkingResult> {
	expect(codesInSystemLines(play)).toEqual([]);
	const result = await play.end();
	expect(missed(result)).toEqual([]);
	expect(result).toMatchObject({ score: 100, passed: true, criticalMisses: [] });
	expect([...result.criteriaEvidenced].sort()).toEqual([...loaded.scenario.criteria].sort());
	expectFeedbackFromFile(loaded.scenario, result);
	await expectReplayIdentical(loaded, play);
	return result;
}

/** The ids of the attempt's events with this name (optionally about this seeded record). */
export function eventIds(play: Playthrough, name: string, subjectKey?: string): string[] {
	const subject = subjectKey === undefined ? undefined : play.seedIds[subjectKey];
	return play.events.filter((e) => e.name === name && (subject === undefined || e.subject === subject)).map((e) => e.id);
}

/** A rule named the way feedback names one: an article, section, regulation, schedule or the policy. */
export const NAMES_A_RULE = /\b(Art(icle)? \d|s\d{2,3}\b|Sch(edule)? \d|reg(ulation)? \d|DPA 2018|UK GDPR|PECR|MLR 2017|policy|procedure|ICO)/;

/**
 * A mistake playthrough's verdict, as the debrief shows it: passed or not, the score to one decimal,
 * the critical points missed, and a first line of feedback (the verdict's reason) that names the rule.
 */
export function expectVerdict(result: MarkingResult, expected: { passed: boolean; score: number; criticalMisses?: string[] }) {
	expect(result.ruleVersion).toBe(2);
	expect({ passed: result.passed, score: result.score }).toEqual({ passed: expected.passed, score: expected.score });
	expect(result.criticalMisses).toEqual(expected.criticalMisses ?? []);
	const verdict = verdictOf(result);
	if (!result.passed) expect(verdict.reason, 'the first line of feedback names the rule').toMatch(NAMES_A_RULE);
	return verdict;
}

/**
 * A mistake playthrough ended and marked: exactly these points missed, this verdict, each point's
 * feedback from the file, and the attempt replays identically.
 */
export async function expectMistake(loaded: LoadedScenario, play: Playthrough, missedPoints: string[], verdict: { passed: boolean; score: number; criticalMisses?: string[] }): Promise<MarkingResult> {
	const result = await play.end();
	expect(missed(result)).toEqual(missedPoints);
	expectVerdict(result, verdict);
	expectFeedbackFromFile(loaded.scenario, result);
	await expectReplayIdentical(loaded, play);
	return result;
}
