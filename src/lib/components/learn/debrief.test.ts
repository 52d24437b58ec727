import { describe, expect, it } from 'vitest';
import type { AttemptResult, TranscriptEntry } from '$lib/sim/runtime';
import { debriefOf } from './debrief';

type Point = AttemptResult['points'][number];
const point = (id: string, met: boolean, critical: boolean, evidence: string[]): Point => ({
	id,
	description: `Point ${id}`,
	met,
	critical,
	weight: critical ? 0 : 2,
	evidence,
	feedback: `Feedback ${id}`,
	criteria: ['EMP03']
});
const line = (seq: number, eventIds: string[]): TranscriptEntry => ({ seq, at: `2025-03-07T15:4${seq}:00.000Z`, kind: 'learner', who: 'Learner', text: `Line ${seq}`, eventIds });

describe('the debrief', () => {
	const transcript = [line(1, []), line(2, ['e1']), line(3, ['e2', 'e3'])];
	const debrief = debriefOf(
		{ points: [point('met', true, false, ['e1']), point('missed', false, false, []), point('critical', false, true, ['e3', 'e2']), point('safe', true, true, [])] },
		transcript
	);

	it('puts critical misses first, then the other points missed, then the points met', () => {
		expect(debrief.criticalMisses.map((p) => p.id)).toEqual(['critical']);
		expect(debrief.missed.map((p) => p.id)).toEqual(['missed']);
		expect(debrief.met.map((p) => p.id)).toEqual(['met', 'safe']);
	});

	it('shows each point’s evidence as the transcript lines holding its events, once each, in order', () => {
		expect(debrief.criticalMisses[0]!.evidence.map((l) => l.seq)).toEqual([3]);
		expect(debrief.met[0]!.evidence).toEqual([{ seq: 2, at: '2025-03-07T15:42:00.000Z', who: 'Learner', kind: 'learner', text: 'Line 2' }]);
		expect(debrief.missed[0]!.evidence).toEqual([]);
	});

	it('links each evidencing line back to its points, and names each criterion', () => {
		expect(debrief.evidenceFor).toEqual({ 2: [{ id: 'met', description: 'Point met' }], 3: [{ id: 'critical', description: 'Point critical' }] });
		expect(debrief.met[0]!.criteria).toEqual([{ code: 'EMP03', title: 'Verify identity before disclosing information' }]);
	});
});
