/**
 * Marking an attempt: every marking point of the scenario evaluated over the attempt's event log,
 * with the evidence and the feedback the debrief shows, and the verdict under the pass rule.
 * Nothing here knows any scenario: a new scenario is a new file.
 *
 * The pass rule (version 2), conjunctive like the driving test's "no serious fault and at most 15
 * minor ones" or an OSCE's critical actions: an attempt passes when no critical point is missed AND
 * its score reaches the scenario's pass mark. Every point carries weight, critical ones included;
 * the score is the weight earned over all the weight available, never zeroed or capped, so it stays
 * informative beside a fail.
 * - A point earns its weight when its rule holds, times the credit of the tagged choices taken
 *   under it (the lowest counts: best 100 %, acceptable 50 %, poor and critical 0 % by default).
 * - A critical choice misses its point whatever the rule says.
 * - When the conversation ended early (an end node marked `early`, or the attempt ended before the
 *   conversation did), a point that holds only because nothing went wrong (no evidence) was not
 *   reached: it earns nothing, and a critical one is not a critical miss either.
 *
 * Results stored before version 2 (no `ruleVersion`) keep their verdict: passed meant "no critical
 * point missed", and critical points carried no weight.
 */
import { CRITERIA, type CriterionCode } from '../criteria';
import type { SimEvent } from './events';
import { createEventLog, evaluateOn, initialVariables, type EvaluateOptions } from './rules';
import { DEFAULT_PASS_MARK, type ChoiceQuality, type Scenario } from './scenario-schema';

/** The version of the pass rule this module applies; stored with every result. */
export const PASS_RULE_VERSION = 2;

export type PointOutcome = 'met' | 'part-met' | 'missed' | 'not-reached';

export interface TaggedChoice {
	/** The choice.made event. */
	eventId: string;
	node: string;
	choice: string;
	quality: ChoiceQuality;
	credit: number;
}

export interface PointResult {
	id: string;
	description: string;
	/** The point's rule held and no critical choice missed it (part-met counts as met). */
	met: boolean;
	/** Version 2: met, met in part (a tagged choice earned less than full credit), missed, or not reached. */
	outcome?: PointOutcome;
	critical: boolean;
	/** The point's share of the score. */
	weight: number;
	/** Version 2: the weight earned (weight × credit), to one decimal place. */
	earned?: number;
	/** Ids of the events that prove the outcome, in log order (none for a met "absent" rule). */
	evidence: string[];
	/** The point's feedback for the outcome. */
	feedback: string;
	/** The rule a miss breaks, by name (from the file), and what to do instead. */
	rule?: string;
	instead?: string;
	/** Version 2: the tagged choices taken under this point, in log order. */
	choices?: TaggedChoice[];
	criteria: CriterionCode[];
}

export interface MarkingResult {
	/** The pass rule applied: absent on results stored before version 2. */
	ruleVersion?: number;
	points: PointResult[];
	/** Weight earned over weight available, in per cent, to one decimal place. */
	score: number;
	/** Weight earned and available. */
	earned: number;
	possible: number;
	/** Version 2: the score needed to pass. */
	passMark?: number;
	/** Version 2: the score reached the pass mark. */
	scorePassed?: boolean;
	/** Version 2: the conversation ended early (or not at all) when the attempt ended. */
	endedEarly?: boolean;
	/** No critical point missed and (version 2) the score reached the pass mark. */
	passed: boolean;
	/** Ids of the critical points missed. */
	criticalMisses: string[];
	/** The criteria of the met points, in the unit's order. A failed attempt still lists them. */
	criteriaEvidenced: CriterionCode[];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A critical point without a weight (a file from before the pass rule) weighs as much as the heaviest other point. */
export function pointWeights(scenario: Pick<Scenario, 'marking'>): number[] {
	const heaviest = Math.max(1, ...scenario.marking.map((p) => p.weight ?? 0));
	return scenario.marking.map((p) => p.weight ?? heaviest);
}

function taggedChoices(events: readonly SimEvent[]): Map<string, TaggedChoice[]> {
	const byPoint = new Map<string, TaggedChoice[]>();
	for (const e of events) {
		if (e.source !== 'dialogue' || e.name !== 'choice.made') continue;
		const d = e.details ?? {};
		if (typeof d.point !== 'string') continue;
		const list = byPoint.get(d.point) ?? [];
		list.push({ eventId: e.id, node: String(d.node), choice: String(d.choice), quality: d.quality as ChoiceQuality, credit: Number(d.credit) });
		byPoint.set(d.point, list);
	}
	return byPoint;
}

/** The conversation did not reach a proper end: no end node yet, or an end node marked `early`. */
export function endedEarly(scenario: Pick<Scenario, 'dialogue'>, events: readonly SimEvent[]): boolean {
	const ended = events.filter((e) => e.source === 'dialogue' && e.name === 'dialogue.ended');
	if (ended.length === 0) return true;
	const last = ended[ended.length - 1]!;
	const node = scenario.dialogue.nodes.find((n) => n.id === last.details?.node);
	return node?.early === true;
}

export interface MarkingOptions extends EvaluateOptions {
	/**
	 * The marking of an attempt still under way, "so far" (the author's preview panel): a point met
	 * because nothing went wrong yet counts as met, not as not reached.
	 */
	inProgress?: boolean;
}

export function markAttempt(scenario: Scenario, events: readonly SimEvent[], options: MarkingOptions = {}): MarkingResult {
	const { inProgress = false, ...evaluate } = options;
	const log = createEventLog(events, { variables: initialVariables(scenario), ...evaluate });
	const weights = pointWeights(scenario);
	const tagged = taggedChoices(events);
	const early = !inProgress && endedEarly(scenario, events);
	const points = scenario.marking.map((point, i): PointResult => {
		const rule = evaluateOn(point.rule, log);
		const critical = point.critical === true;
		const weight = weights[i]!;
		const choices = tagged.get(point.id) ?? [];
		const criticalChoice = choices.find((c) => c.quality === 'critical');
		const credit = choices.length === 0 ? 100 : Math.min(...choices.map((c) => c.credit));
		let outcome: PointOutcome;
		let evidence = rule.evidence;
		if (criticalChoice) {
			outcome = 'missed';
			evidence = [...new Set([...rule.evidence, criticalChoice.eventId])];
		} else if (!rule.met) outcome = 'missed';
		else if (early && rule.evidence.length === 0 && choices.length === 0) outcome = 'not-reached';
		else if (credit <= 0) {
			outcome = 'missed';
			evidence = [...new Set([...rule.evidence, ...choices.filter((c) => c.credit <= 0).map((c) => c.eventId)])];
		} else outcome = credit < 100 ? 'part-met' : 'met';
		const met = outcome === 'met' || outcome === 'part-met';
		return {
			id: point.id,
			description: point.description,
			met,
			outcome,
			critical,
			weight,
			earned: met ? round1((weight * credit) / 100) : 0,
			evidence,
			feedback: met ? point.feedback.met : point.feedback.notMet,
			...(point.feedback.rule === undefined ? {} : { rule: point.feedback.rule }),
			...(point.feedback.instead === undefined ? {} : { instead: point.feedback.instead }),
			choices,
			criteria: point.criteria
		};
	});
	const possible = points.reduce((sum, p) => sum + p.weight, 0);
	const earned = round1(points.reduce((sum, p) => sum + (p.earned ?? 0), 0));
	const criticalMisses = points.filter((p) => p.critical && p.outcome === 'missed').map((p) => p.id);
	const evidenced = new Set(points.filter((p) => p.met).flatMap((p) => p.criteria));
	const score = possible === 0 ? 100 : round1((earned / possible) * 100);
	const passMark = scenario.passMark ?? DEFAULT_PASS_MARK;
	const scorePassed = score >= passMark;
	return {
		ruleVersion: PASS_RULE_VERSION,
		points,
		score,
		earned,
		possible,
		passMark,
		scorePassed,
		endedEarly: early,
		passed: criticalMisses.length === 0 && scorePassed,
		criticalMisses,
		criteriaEvidenced: CRITERIA.map((c) => c.code).filter((code) => evidenced.has(code))
	};
}

/** The verdict as people read it, for results of any rule version. */
export interface Verdict {
	passed: boolean;
	/** "Passed", or "Not passed — 1 critical error", "Not passed — score below the pass mark". */
	headline: string;
	/** The two checks, side by side. */
	critical: { missed: number; ok: boolean; label: string };
	/** Null on results from before the pass rule, which had no pass mark. */
	score: { score: number; passMark: number; ok: boolean; label: string } | null;
	/** Why, in one sentence, naming the rule broken first when there is one. */
	reason: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function verdictOf(result: MarkingResult): Verdict {
	const missed = result.criticalMisses.length;
	const critical = { missed, ok: missed === 0, label: missed === 0 ? 'Critical points: none missed' : `Critical points: ${missed} missed` };
	const v2 = (result.ruleVersion ?? 1) >= 2 && result.passMark !== undefined;
	const score = v2
		? { score: result.score, passMark: result.passMark!, ok: result.score >= result.passMark!, label: `Score ${formatPercent(result.score)} (pass mark ${result.passMark} %)` }
		: null;
	const firstCritical = result.points.find((p) => p.id === result.criticalMisses[0]);
	const firstMissed = result.points.find((p) => !p.met && p.outcome !== 'not-reached') ?? result.points.find((p) => !p.met);
	let headline: string;
	let reason: string;
	if (result.passed) {
		headline = 'Passed';
		reason = score
			? `No critical point missed, and a score of ${formatPercent(result.score)} reaches the pass mark of ${result.passMark} %.`
			: 'No critical point missed.';
	} else if (missed > 0) {
		headline = `Not passed — ${plural(missed, 'critical error', 'critical errors')}`;
		reason = firstCritical ? missLine(firstCritical) : 'A critical point was missed.';
	} else {
		headline = 'Not passed — score below the pass mark';
		reason = `A score of ${formatPercent(result.score)} is below the pass mark of ${result.passMark} %.${firstMissed ? ` First point missed: ${missLine(firstMissed)}` : ''}`;
	}
	return { passed: result.passed, headline, critical, score, reason };
}

/** 92.5 → "92.5 %", 100 → "100 %". */
export function formatPercent(n: number): string {
	return `${Number.isInteger(n) ? n : n.toFixed(1)} %`;
}

/** A missed point in one line, the rule broken first: "UK GDPR Art 5(1)(f): You told Mrs Hughes about her husband's account." */
export function missLine(point: Pick<PointResult, 'rule' | 'feedback' | 'description'>): string {
	const what = firstSentence(point.feedback) || point.description;
	return point.rule ? `${point.rule}: ${what}` : what;
}

/** The first sentence of a feedback text (up to the first full stop followed by a space), whitespace folded. */
export function firstSentence(text: string): string {
	const folded = text.replace(/\s+/g, ' ').trim();
	const end = /[.!?](?=\s+[A-Z“"(])/.exec(folded);
	return end ? folded.slice(0, end.index + 1) : folded;
}
