/**
 * The debrief as the learner reads it: the verdict; the critical errors first, each headed with what
 * went wrong; the timeline of the choices the learner made, each tagged choice with its quality and
 * the marks it earned or lost; then the other points (missed, met in part, not reached, met), each
 * with its evidence as lines of the transcript, and each transcript line with the points it is
 * evidence for. Built on the server, where the scenario's comments on its choices are at hand.
 */
import { criterionByCode } from '$lib/criteria';
import { firstSentence, missLine, verdictOf, type PointOutcome, type Verdict } from '$lib/sim/marking';
import type { AttemptResult, TranscriptEntry } from '$lib/sim/runtime';
import type { ChoiceQuality, Scenario } from '$lib/sim/scenario-schema';

type PointResult = AttemptResult['points'][number];

export type EvidenceLine = Pick<TranscriptEntry, 'seq' | 'at' | 'who' | 'kind' | 'text'>;

export interface DebriefPoint {
	id: string;
	/** What a met point asks for (the positive description). */
	description: string;
	/** What the card is headed with: for a point missed, what went wrong and the rule broken; else the description. */
	heading: string;
	met: boolean;
	/** Results from before the pass rule's version 2 have only met or missed. */
	outcome: PointOutcome;
	critical: boolean;
	weight: number;
	/** Marks earned; null on results from before the pass rule's version 2 (critical points carried none). */
	earned: number | null;
	feedback: string;
	/** The feedback after what the heading already says: for a point missed, all but its first sentence; else all of it. */
	detail: string;
	/** The rule a miss breaks, by name, and what to do instead: null when the scenario does not say. */
	rule: string | null;
	instead: string | null;
	criteria: { code: string; title: string }[];
	/** The transcript lines that show the evidence, in the order they happened. */
	evidence: EvidenceLine[];
}

export interface TimelineChoice {
	/** The marking point it was judged under. */
	point: { id: string; description: string; critical: boolean };
	quality: ChoiceQuality;
	credit: number;
	/** The point's marks this choice earns, of its weight. */
	earned: number;
	weight: number;
	/** Why the choice is good or poor, from the scenario; null when it gives none. */
	comment: string | null;
}

export interface TimelineEntry {
	seq: number;
	at: string;
	text: string;
	/** The tagged choices this line made (usually one; none for an untagged line). */
	choices: TimelineChoice[];
}

export interface Debrief {
	verdict: Verdict;
	criticalMisses: DebriefPoint[];
	/** The learner's own lines, in order, with the quality of each tagged choice. */
	timeline: TimelineEntry[];
	missed: DebriefPoint[];
	partMet: DebriefPoint[];
	notReached: DebriefPoint[];
	met: DebriefPoint[];
	/** Transcript seq → the points whose evidence includes that line. */
	evidenceFor: Record<number, { id: string; description: string }[]>;
}

/** How each quality of choice is named in the timeline. */
export const QUALITY_LABELS: Readonly<Record<ChoiceQuality, string>> = {
	best: 'Best choice',
	acceptable: 'Acceptable',
	poor: 'Poor choice',
	critical: 'Critical error'
};

/** Node id / choice id → the scenario's comment on that choice. */
export type ChoiceComments = Record<string, string>;

export const choiceKey = (node: string, choice: string) => `${node}/${choice}`;

/** The scenario's comments on its tagged choices, for the timeline. */
export function choiceCommentsOf(scenario: Pick<Scenario, 'dialogue'>): ChoiceComments {
	const comments: ChoiceComments = {};
	for (const node of scenario.dialogue.nodes) for (const c of node.choices ?? []) if (c.comment) comments[choiceKey(node.id, c.id)] = c.comment;
	return comments;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** What a feedback text says after its first sentence, whitespace folded. */
function afterFirstSentence(text: string): string {
	const folded = text.replace(/\s+/g, ' ').trim();
	return folded.slice(firstSentence(folded).length).trim();
}

export function debriefOf(result: AttemptResult, transcript: readonly TranscriptEntry[], comments: ChoiceComments = {}): Debrief {
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
		const outcome: PointOutcome = point.outcome ?? (point.met ? 'met' : 'missed');
		return {
			id: point.id,
			description: point.description,
			heading: outcome === 'missed' ? missLine(point) : point.description,
			met: point.met,
			outcome,
			critical: point.critical,
			weight: point.weight,
			earned: point.earned ?? null,
			feedback: point.feedback,
			detail: outcome === 'missed' ? afterFirstSentence(point.feedback) : point.feedback,
			rule: point.rule ?? null,
			instead: point.instead ?? null,
			criteria: point.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? code })),
			evidence
		};
	};

	const tagged = new Map<string, TimelineChoice>();
	for (const point of result.points) {
		for (const c of point.choices ?? []) {
			tagged.set(c.eventId, {
				point: { id: point.id, description: point.description, critical: point.critical },
				quality: c.quality,
				credit: c.credit,
				earned: round1((point.weight * c.credit) / 100),
				weight: point.weight,
				comment: comments[choiceKey(c.node, c.choice)] ?? null
			});
		}
	}
	const timeline = transcript
		.filter((entry) => entry.kind === 'learner')
		.map((entry) => ({
			seq: entry.seq,
			at: entry.at,
			text: entry.text,
			choices: entry.eventIds.flatMap((id) => tagged.get(id) ?? [])
		}));

	const points = result.points.map(toPoint);
	return {
		verdict: verdictOf(result),
		criticalMisses: points.filter((p) => p.critical && p.outcome === 'missed'),
		timeline,
		missed: points.filter((p) => !p.critical && p.outcome === 'missed'),
		partMet: points.filter((p) => p.outcome === 'part-met'),
		notReached: points.filter((p) => p.outcome === 'not-reached'),
		met: points.filter((p) => p.outcome === 'met'),
		evidenceFor
	};
}
