/**
 * The review of one attempt: what the assessor sees (transcript, marking points with their
 * evidence, criteria, the history of signed decisions and whether each verifies) and the decision
 * form's starting values (their draft, the decision in force, or the automatic proposal).
 */
import { mapInOrder } from '$lib/core/in-order';
import { dbGet } from '$lib/core/database';
import { and, eq } from 'drizzle-orm';
import { criterionByCode } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { verdictOf } from '$lib/sim/marking';
import { getAttempt, type AttemptResult, type AttemptView, type TranscriptEntry } from '$lib/sim/runtime';
import { reflection, user } from '$lib/server/db/schema';
import { assessmentDraft, type AssessmentDecision } from '$lib/server/db/assessment';
import { assesses } from '$lib/server/cohort-membership';
import { findScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import { countersignStanding, countersignaturesOf, decisionsOf, historyEntry } from './decisions';
import { countersignBlock, verifyCountersignature } from './countersigning';
import { draftValues, type DecisionValues } from './forms';
import { verifyDecision } from './hashing';
import { stateOf } from './queue';

export interface ReviewPoint {
	id: string;
	description: string;
	critical: boolean;
	weight: number;
	/** What the automatic marking proposed. */
	proposed: boolean;
	/** The marking's feedback for what it proposed. */
	autoFeedback: string;
	criteria: { code: string; title: string }[];
	evidence: Pick<TranscriptEntry, 'seq' | 'at' | 'who' | 'kind' | 'text'>[];
}

export interface ReviewCriterion {
	code: string;
	title: string;
	proposed: boolean;
}

/** An attempt this assessor may judge: ended, by a learner they assess, never their own. */
export async function reviewable(db: Db, assessorId: string, attemptId: string): Promise<{ view: AttemptView; title: string; version: string; hash: string; criteria: string[]; marking: ReturnType<typeof loadScenarioVersion>['scenario']['marking'] } | undefined> {
	if (typeof attemptId !== 'string' || attemptId.length > 100) return undefined;
	const view = await getAttempt(db, attemptId);
	if (!view || view.ownerId === assessorId || view.status !== 'ended' || !view.result) return undefined;
	if (!await assesses(db, assessorId, view.ownerId)) return undefined;
	const version = await findScenarioVersion(db, `${view.scenarioId}@${view.scenarioVersion}`);
	if (!version) return undefined;
	const loaded = loadScenarioVersion(version);
	return { view, title: version.title, version: version.version, hash: version.hash, criteria: version.criteria, marking: loaded.scenario.marking };
}

export function reviewPoints(view: AttemptView): ReviewPoint[] {
	const lineOfEvent = new Map<string, TranscriptEntry>();
	for (const entry of view.transcript) for (const id of entry.eventIds) lineOfEvent.set(id, entry);
	return (view.result?.points ?? []).map((p) => {
		const lines = new Map<number, TranscriptEntry>();
		for (const id of p.evidence) {
			const line = lineOfEvent.get(id);
			if (line) lines.set(line.seq, line);
		}
		return {
			id: p.id,
			description: p.description,
			critical: p.critical,
			weight: p.weight,
			proposed: p.met,
			autoFeedback: p.feedback,
			criteria: p.criteria.map((code) => ({ code, title: criterionByCode(code)?.title ?? code })),
			evidence: [...lines.values()].sort((a, b) => a.seq - b.seq).map(({ seq, at, who, kind, text }) => ({ seq, at, who, kind, text }))
		};
	});
}

export function reviewCriteria(result: AttemptResult, criteria: readonly string[]): ReviewCriterion[] {
	// The scenario's declared criteria and any a point evidences, in the unit's order.
	const codes = new Set([...criteria, ...result.points.flatMap((p) => p.criteria)]);
	return [...codes]
		.map((code) => criterionByCode(code))
		.filter((c) => c !== undefined)
		.map((c) => ({ code: c.code, title: c.title, proposed: result.passed && result.criteriaEvidenced.includes(c.code as never) }));
}

function proposalValues(points: ReviewPoint[], criteria: ReviewCriterion[]): DecisionValues {
	return {
		outcome: '',
		feedback: '',
		nextSteps: '',
		assessorNote: '',
		points: Object.fromEntries(points.map((p) => [p.id, { met: p.proposed ? 'met' : 'not-met', feedback: '' }])),
		criteria: Object.fromEntries(criteria.map((c) => [c.code, { met: c.proposed ? 'met' : 'not-met', feedback: '' }])),
		signedName: '',
		supersedes: ''
	};
}

function valuesOfDecision(d: AssessmentDecision): DecisionValues {
	return {
		outcome: d.outcome,
		feedback: d.feedback,
		nextSteps: d.nextSteps,
		assessorNote: d.assessorNote,
		points: Object.fromEntries(d.points.map((p) => [p.pointId, { met: p.met ? 'met' : 'not-met', feedback: p.feedback }])),
		criteria: Object.fromEntries(d.criteria.map((c) => [c.code, { met: c.met ? 'met' : 'not-met', feedback: c.feedback }])),
		signedName: '',
		supersedes: d.id
	};
}


/** Everything the review page shows, or undefined when the attempt is not one this assessor may see. */
export async function assessorReview(db: Db, assessorId: string, attemptId: string) {
	const found = await reviewable(db, assessorId, attemptId);
	if (!found) return undefined;
	const { view } = found;
	const result = view.result!;
	const learner = await dbGet(db.select({ id: user.id, displayName: user.displayName }).from(user).where(eq(user.id, view.ownerId)));
	const written = await dbGet(db.select().from(reflection).where(eq(reflection.attemptId, view.id)));
	const decisions = await decisionsOf(db, view.id);
	const latest = decisions[0];
	const countersignatures = await countersignaturesOf(db, decisions.map((d) => d.id));
	const points = reviewPoints(view);
	const criteria = reviewCriteria(result, found.criteria);
	const descriptions = new Map(points.map((p) => [p.id, p.description]));
	const draft = await dbGet(db
		.select()
		.from(assessmentDraft)
		.where(and(eq(assessmentDraft.attemptId, view.id), eq(assessmentDraft.assessorId, assessorId))));
	const base = latest ? valuesOfDecision(latest) : proposalValues(points, criteria);
	return {
		attempt: {
			id: view.id,
			scenarioId: view.scenarioId,
			title: found.title,
			version: found.version,
			scenarioHash: found.hash,
			startedAt: view.startedAt,
			endedAt: view.endedAt,
			clockStart: view.transcript[0]?.at ?? result.clock,
			clockEnd: result.clock
		},
		learner: { id: view.ownerId, name: learner?.displayName ?? '' },
		result: { score: result.score, earned: result.earned, possible: result.possible, passed: result.passed, verdict: verdictOf(result) },
		transcript: view.transcript,
		reflection: written ? { status: written.status, situation: written.situation, task: written.task, action: written.action, result: written.result, submittedAt: written.submittedAt, updatedAt: written.updatedAt } : null,
		state: stateOf(written, latest, latest ? countersignStanding(latest, countersignatures.get(latest.id)) : undefined),
		points,
		criteria,
		decisions: await mapInOrder(decisions, async (d) => {
			const entry = historyEntry(d, descriptions, true, countersignatures.get(d.id));
			const c = countersignatures.get(d.id);
			return { ...entry, verified: await verifyDecision(db, d), countersignature: entry.countersignature && c ? { ...entry.countersignature, verified: verifyCountersignature(c, d) } : null };
		}),
		/** A trainee's decision waiting for a qualified assessor's countersignature, and whether this assessor may give it. */
		countersign: await countersignBlock(db, assessorId, latest),
		values: draft ? draftValues(draft.content, base) : base,
		draftSavedAt: draft?.updatedAt ?? null,
		/** Signing needs the learner's submitted reflection (a resubmission being written cannot be judged yet). */
		canSign: written?.status === 'submitted'
	};
}
export type AssessorReview = NonNullable<Awaited<ReturnType<typeof assessorReview>>>;
