/**
 * The debrief as the learner reads it: the marking's points in the order that teaches (critical
 * misses, then the other points missed, then what went well), each with its evidence as lines of
 * the transcript, and each transcript line with the points it is evidence for.
 */
import { criterionByCode } from '$lib/criteria';
import type { AttemptResult, TranscriptEntry } from '$lib/sim/runtime';

type PointResult = AttemptResult['points'][number];

export interface DebriefPoint {
	id: string;
	description: string;
	met: boolean;
	critical: boolean;
	weight: number;
	feedback: string;
	criteria: { code: string; title: string }[];
	/** The transcript lines that show the evidence, in the order they happened. */
	evidence: Pick<TranscriptEntry, 'seq' | 'at' | 'who' | 'kind' | 'text'>[];
}

export interface Debrief {
	criticalMisses: DebriefPoint[];
	missed: DebriefPoint[];
	met: DebriefPoint[];
	/** Transcript seq → the points whose evidence includes that line. */
	evidenceFor: Record<number, { id: string; description: string }[]>;
}

export function debriefOf(result: Pick<AttemptResult, 'points'>, transcript: readonly TranscriptEntry[]): Debrief {
	const lineOfEvent = new Map<string, TranscriptEntry>();
	for (const entry of transcript) for (const id of entry.eventIds) lineOfEvent.set(id, entry);
	const evidenceFor: Debrief['evidenceFor'] = {};

	const toPoint = (point: PointResult): DebriefPoint => {
		const lines = new Map<number, TranscriptEntry>();
		for (const id of point.evidence) {
			const line = lineOfEvent.get(id);
			if (line) lines.set(line.seq, line);
		}
		const evidence = [...lines.values()].sort((a, b) => a.seq - b.seq).map(({ seq, at, who, kind, text }) => ({ seq, at, who, kind, text }));
		for (const line of evidence) (evidenceFor[line.seq] ??= []).push({ id: point.id, description: point.description });
		return {
			id: point.id,
			description: point.description,
			met: point.met,
			critical: point.critical,
			weight: point.weight,
			feedback: point.feedback,
			criteria: point.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? code })),
			evidence
		};
	};

	const points = result.points.map(toPoint);
	return {
		criticalMisses: points.filter((p) => p.critical && !p.met),
		missed: points.filter((p) => !p.critical && !p.met),
		met: points.filter((p) => p.met),
		evidenceFor
	};
}
