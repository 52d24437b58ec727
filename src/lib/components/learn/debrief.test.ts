import { describe, expect, it } from 'vitest';
import type { AttemptResult, TranscriptEntry } from '$lib/sim/runtime';
import type { PointOutcome, TaggedChoice } from '$lib/sim/marking';
import { choiceCommentsOf, debriefOf } from './debrief';

type Point = AttemptResult['points'][number];
const point = (id: string, outcome: PointOutcome, critical: boolean, evidence: string[], extra: Partial<Point> = {}): Point => ({
	id,
	description: `Point ${id}`,
	met: outcome === 'met' || outcome === 'part-met',
	outcome,
	critical,
	weight: 2,
	earned: outcome === 'met' ? 2 : outcome === 'part-met' ? 1 : 0,
	evidence,
	feedback: `Feedback ${id}. More about ${id}.`,
	criteria: ['EMP03'],
	...extra
});
const line = (seq: number, eventIds: string[], kind: TranscriptEntry['kind'] = 'learner'): TranscriptEntry => ({
	seq,
	at: `2025-03-07T15:4${seq}:00.000Z`,
	kind,
	who: 'Learner',
	text: `Line ${seq}`,
	eventIds
});
const result = (points: Point[], extra: Partial<AttemptResult> = {}): AttemptResult => {
	const earned = points.reduce((sum, p) => sum + (p.earned ?? 0), 0);
	const possible = points.reduce((sum, p) => sum + p.weight, 0);
	const criticalMisses = points.filter((p) => p.critical && p.outcome === 'missed').map((p) => p.id);
	const score = Math.round((earned / possible) * 1000) / 10;
	return {
		ruleVersion: 2,
		points,
		score,
		earned,
		possible,
		passMark: 80,
		scorePassed: score >= 80,
		passed: criticalMisses.length === 0 && score >= 80,
		criticalMisses,
		criteriaEvidenced: [],
		endedAt: '2025-03-07T16:00:00.000Z',
		clock: '2025-03-07T15:50:00.000Z',
		scenarioVersion: '1.0.0',
		...extra
	};
};
const choice = (eventId: string, quality: TaggedChoice['quality'], credit: number): TaggedChoice => ({ eventId, node: 'opening', choice: `c-${eventId}`, quality, credit });

describe('the debrief', () => {
	const transcript = [line(1, []), line(2, ['e1']), line(3, ['e2', 'e3']), line(4, ['e4'], 'persona'), line(5, ['e5'])];
	const debrief = debriefOf(
		result([
			point('met', 'met', false, ['e1']),
			point('missed', 'missed', false, []),
			point('critical', 'missed', true, ['e3', 'e2'], { rule: 'UK GDPR Art 5(1)(f)', instead: 'Ask for the authority first.', choices: [choice('e3', 'critical', 0)] }),
			point('safe', 'met', true, []),
			point('part', 'part-met', false, ['e5'], { choices: [choice('e5', 'acceptable', 50)] }),
			point('late', 'not-reached', false, [])
		]),
		transcript,
		{ 'opening/c-e3': 'Her husband has no authority on file.' }
	);

	it('puts critical misses first, then the other points missed, met in part, not reached and met', () => {
		expect(debrief.criticalMisses.map((p) => p.id)).toEqual(['critical']);
		expect(debrief.missed.map((p) => p.id)).toEqual(['missed']);
		expect(debrief.partMet.map((p) => p.id)).toEqual(['part']);
		expect(debrief.notReached.map((p) => p.id)).toEqual(['late']);
		expect(debrief.met.map((p) => p.id)).toEqual(['met', 'safe']);
	});

	it('heads a point missed with what went wrong and the rule broken, never with its positive description', () => {
		const critical = debrief.criticalMisses[0]!;
		expect(critical.heading).toBe('UK GDPR Art 5(1)(f): Feedback critical.');
		expect(critical.rule).toBe('UK GDPR Art 5(1)(f)');
		expect(critical.instead).toBe('Ask for the authority first.');
		expect(debrief.missed[0]!.heading).toBe('Feedback missed.');
		expect(debrief.met[0]!.heading).toBe('Point met');
		// The heading says the first sentence: the card goes on from there.
		expect(debrief.missed[0]!.detail).toBe('More about missed.');
		expect(debrief.met[0]!.detail).toBe('Feedback met. More about met.');
	});

	it('leads with the verdict and its reason, both checks named', () => {
		expect(debrief.verdict.passed).toBe(false);
		expect(debrief.verdict.headline).toBe('Not passed — 1 critical error');
		expect(debrief.verdict.reason).toBe('UK GDPR Art 5(1)(f): Feedback critical.');
		expect(debrief.verdict.critical.label).toBe('Critical points: 1 missed');
		expect(debrief.verdict.score?.label).toMatch(/^Score [\d.]+ % \(pass mark 80 %\)$/);
	});

	it('lists the learner’s own lines in order, each tagged choice with its quality, its marks and the scenario’s comment', () => {
		expect(debrief.timeline.map((e) => e.seq)).toEqual([1, 2, 3, 5]);
		expect(debrief.timeline[0]!.choices).toEqual([]);
		expect(debrief.timeline[2]!.choices).toEqual([
			{ point: { id: 'critical', description: 'Point critical', critical: true }, quality: 'critical', credit: 0, earned: 0, weight: 2, comment: 'Her husband has no authority on file.' }
		]);
		expect(debrief.timeline[3]!.choices).toEqual([
			{ point: { id: 'part', description: 'Point part', critical: false }, quality: 'acceptable', credit: 50, earned: 1, weight: 2, comment: null }
		]);
	});

	it('shows each point’s evidence as the transcript lines holding its events, once each, in order', () => {
		expect(debrief.criticalMisses[0]!.evidence.map((l) => l.seq)).toEqual([3]);
		expect(debrief.met[0]!.evidence).toEqual([{ seq: 2, at: '2025-03-07T15:42:00.000Z', who: 'Learner', kind: 'learner', text: 'Line 2' }]);
		expect(debrief.missed[0]!.evidence).toEqual([]);
	});

	it('links each evidencing line back to its points, and names each criterion', () => {
		expect(debrief.evidenceFor).toEqual({
			2: [{ id: 'met', description: 'Point met' }],
			3: [{ id: 'critical', description: 'Point critical' }],
			5: [{ id: 'part', description: 'Point part' }]
		});
		expect(debrief.met[0]!.criteria).toEqual([{ code: 'EMP03', title: 'Verify identity before disclosing information' }]);
	});
});

describe('the debrief of a result marked under the earlier rule', () => {
	// As stored before the pass rule's version 2: no ruleVersion, no outcome, no earned, no pass mark.
	const old = (passed: boolean): AttemptResult => ({
		points: [
			{ id: 'told', description: 'Never tell the caller', met: passed, critical: true, weight: 0, evidence: [], feedback: 'You told the caller. That breaks confidentiality.', criteria: ['EMP03'] },
			{ id: 'logged', description: 'Log the call', met: true, critical: false, weight: 2, evidence: [], feedback: 'Logged.', criteria: ['EMP03'] }
		],
		score: 100,
		earned: 2,
		possible: 2,
		passed,
		criticalMisses: passed ? [] : ['told'],
		criteriaEvidenced: [],
		endedAt: '2025-03-07T16:00:00.000Z',
		clock: '2025-03-07T15:50:00.000Z',
		scenarioVersion: '1.0.0'
	});

	it('keeps the verdict it was given, with its reason and no pass mark', () => {
		const debrief = debriefOf(old(false), []);
		expect(debrief.verdict.headline).toBe('Not passed — 1 critical error');
		expect(debrief.verdict.reason).toBe('You told the caller.');
		expect(debrief.verdict.score).toBeNull();
		expect(debrief.criticalMisses.map((p) => [p.id, p.outcome, p.earned])).toEqual([['told', 'missed', null]]);
		expect(debriefOf(old(true), []).verdict.headline).toBe('Passed');
	});
});

describe('the scenario’s comments on its choices', () => {
	it('are keyed by node and choice, and only for the choices that have one', () => {
		const dialogue = {
			start: 'a',
			nodes: [
				{ id: 'a', text: 'Hello', choices: [{ id: 'x', label: 'X', goto: 'b', comment: 'Good.' }, { id: 'y', label: 'Y', goto: 'b' }] },
				{ id: 'b', text: 'Bye', end: true as const }
			]
		};
		expect(choiceCommentsOf({ dialogue } as never)).toEqual({ 'a/x': 'Good.' });
	});
});
