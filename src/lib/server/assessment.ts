import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { criterionByCode } from '$lib/criteria';
import { writeTransaction, type Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { verdictOf } from '$lib/sim/marking';
import { attemptActions, getAttempt, type AttemptResult, type AttemptView, type TranscriptEntry } from '$lib/sim/runtime';
import { reflection, user, type Reflection } from '$lib/server/db/schema';
import {
	DECISION_OUTCOMES,
	assessmentDecision,
	assessmentDraft,
	commentBankEntry,
	type AssessmentDecision,
	type CriterionJudgement,
	type DecisionOutcome,
	type PointJudgement
} from '$lib/server/db/assessment';
import { assesses, learnersAssessedBy } from '$lib/server/cohort-membership';
import { findScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import { reopenReflection } from '$lib/server/reflections';

/**
 * The assessor's workflow (issue 6): the queue of submitted attempts, the review of one attempt,
 * drafts, signed decisions and their supersession, the comment bank, and the decisions as the
 * learner sees them.
 *
 * "Submitted" means an ended attempt whose reflection the learner has submitted: the attempt and the
 * account of it are judged together. A signed decision is immutable (database triggers refuse UPDATE
 * and DELETE); a later judgement is a new signed row that names the one it supersedes.
 */

// ── Canonical JSON and hashes ────────────────────────────────────────────────────────────────

/**
 * JSON with every object's keys sorted and no whitespace, so that the same value always gives the
 * same bytes (and so the same SHA-256). Keys whose value is undefined are left out, as JSON.stringify
 * does; an undefined array element becomes null, as it does too.
 */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
		if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
	const object = value as Record<string, unknown>;
	const keys = Object.keys(object)
		.filter((k) => object[k] !== undefined && typeof object[k] !== 'function' && typeof object[k] !== 'symbol')
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Exactly the evidence an assessor judges: the attempt, what the learner did, its marking, their reflection. */
export interface JudgedEvidence {
	attemptId: string;
	scenarioId: string;
	scenarioVersion: string;
	scenarioHash: string;
	actions: { seq: number; kind: string; name: string; input: unknown; at: string; outcome: unknown }[];
	result: AttemptResult | null;
	reflection: { situation: string; task: string; action: string; result: string; submittedAt: string | null } | null;
}

export function judgedEvidence(db: Db, attemptId: string): JudgedEvidence | undefined {
	const row = db.select().from(attempt).where(eq(attempt.id, attemptId)).get();
	if (!row) return undefined;
	const written = db.select().from(reflection).where(eq(reflection.attemptId, attemptId)).get();
	return {
		attemptId: row.id,
		scenarioId: row.scenarioId,
		scenarioVersion: row.scenarioVersion,
		scenarioHash: row.scenarioHash,
		actions: attemptActions(db, attemptId).map((a) => ({ seq: a.seq, kind: a.kind, name: a.name, input: a.input ?? null, at: a.at, outcome: a.outcome.core ?? null })),
		result: row.result ?? null,
		reflection:
			written && written.status === 'submitted'
				? { situation: written.situation, task: written.task, action: written.action, result: written.result, submittedAt: written.submittedAt }
				: null
	};
}

/** What a signature covers: the decision as stored, the evidence hash, who signed and when. */
function signedContent(d: Omit<AssessmentDecision, 'signatureHash'>) {
	return {
		decision: {
			id: d.id,
			attemptId: d.attemptId,
			learnerId: d.learnerId,
			sequence: d.sequence,
			supersedesId: d.supersedesId,
			outcome: d.outcome,
			feedback: d.feedback,
			nextSteps: d.nextSteps,
			points: d.points,
			criteria: d.criteria,
			assessorNote: d.assessorNote
		},
		evidenceHash: d.evidenceHash,
		signer: { id: d.assessorId, name: d.signedName },
		signedAt: d.signedAt
	};
}

export function signatureHashOf(d: Omit<AssessmentDecision, 'signatureHash'>): string {
	return sha256Hex(canonicalJson(signedContent(d)));
}

export interface DecisionVerification {
	/** The decision, signer and time reproduce the signature hash: the row is as it was signed. */
	signatureMatches: boolean;
	/** The evidence kept with the decision reproduces the evidence hash: what was judged is on record, unchanged. */
	evidenceMatches: boolean;
	/**
	 * The attempt's evidence as it stands now is still what was judged. False after the learner
	 * rewrote their reflection for a resubmission: the rewritten account is the next decision's to
	 * judge, and this one still verifies against the evidence kept with it.
	 */
	evidenceCurrent: boolean;
	matches: boolean;
}

/** Recomputes the signature hash and the evidence hash, from the stored decision alone and against the attempt now. */
export function verifyDecision(db: Db, decision: AssessmentDecision): DecisionVerification {
	const signatureMatches = signatureHashOf(decision) === decision.signatureHash;
	const now = judgedEvidence(db, decision.attemptId);
	const evidenceCurrent = now !== undefined && sha256Hex(canonicalJson(now)) === decision.evidenceHash;
	// A decision signed before the evidence was kept with it can only be checked against the attempt now.
	const evidenceMatches = decision.evidence == null ? evidenceCurrent : sha256Hex(canonicalJson(decision.evidence)) === decision.evidenceHash;
	return { signatureMatches, evidenceMatches, evidenceCurrent, matches: signatureMatches && evidenceMatches };
}

// ── Errors ───────────────────────────────────────────────────────────────────────────────────

export type AssessmentErrorCode =
	| 'attempt.not-found'
	| 'reflection.not-submitted'
	| 'decision.invalid'
	| 'decision.already-signed'
	| 'decision.superseded'
	| 'comment.invalid';

export interface AssessmentError {
	code: AssessmentErrorCode;
	message: string;
	field?: string;
	/** Per form field name: what is wrong with it. */
	fields?: Record<string, string>;
}
export type AssessmentResult<T> = { ok: true; value: T } | { ok: false; error: AssessmentError };

const NOT_FOUND: { ok: false; error: AssessmentError } = { ok: false, error: { code: 'attempt.not-found', message: 'That attempt was not found.' } };

// ── Queue ────────────────────────────────────────────────────────────────────────────────────

export const QUEUE_STATES = ['awaiting', 'resubmission-requested', 'decided'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
	awaiting: 'Awaiting decision',
	'resubmission-requested': 'Resubmission requested',
	decided: 'Decided'
};

export const OUTCOME_LABELS: Record<DecisionOutcome, string> = {
	met: 'Met',
	'not-yet-met': 'Not yet met',
	'resubmission-requested': 'Resubmission requested'
};

export interface QueueItem {
	attemptId: string;
	learnerId: string;
	learnerName: string;
	scenarioId: string;
	title: string;
	endedAt: string | null;
	/** When the reflection was (last) submitted; null while a resubmission is being written. */
	submittedAt: string | null;
	state: QueueState;
	/** The decision in force, if any. */
	latest: { outcome: DecisionOutcome; signedName: string; signedAt: string } | null;
}

export interface QueueFilters {
	learnerId?: string;
	scenarioId?: string;
	state?: QueueState;
}

function stateOf(written: Pick<Reflection, 'status' | 'submittedAt'> | undefined, latest: Pick<AssessmentDecision, 'outcome' | 'signedAt'> | undefined): QueueState | null {
	const submitted = written?.status === 'submitted';
	if (!latest) return submitted ? 'awaiting' : null;
	if (latest.outcome !== 'resubmission-requested') return 'decided';
	// Resubmitted after the request: it is back in the queue.
	return submitted && (written?.submittedAt ?? '') > latest.signedAt ? 'awaiting' : 'resubmission-requested';
}

/** The newest decision of each attempt given (the one in force). */
function latestDecisions(db: Db, attemptIds: string[]): Map<string, AssessmentDecision> {
	const latest = new Map<string, AssessmentDecision>();
	if (attemptIds.length === 0) return latest;
	for (const d of db.select().from(assessmentDecision).where(inArray(assessmentDecision.attemptId, attemptIds)).orderBy(asc(assessmentDecision.sequence)).all()) {
		latest.set(d.attemptId, d);
	}
	return latest;
}

/**
 * The attempts submitted for assessment by the learners this assessor assesses (never their own),
 * oldest submission first, with the filters applied. Also lists what the filters can choose from.
 */
export function assessmentQueue(db: Db, assessorId: string, filters: QueueFilters = {}) {
	const learners = learnersAssessedBy(db, assessorId).filter((l) => l.id !== assessorId);
	const names = new Map(learners.map((l) => [l.id, l.displayName]));
	const all: QueueItem[] = [];
	if (learners.length > 0) {
		const rows = db
			.select({ id: attempt.id, ownerId: attempt.ownerId, scenarioId: attempt.scenarioId, scenarioVersion: attempt.scenarioVersion, endedAt: attempt.endedAt })
			.from(attempt)
			.where(and(inArray(attempt.ownerId, [...names.keys()]), eq(attempt.status, 'ended')))
			.all();
		const ids = rows.map((r) => r.id);
		const reflections = new Map(
			(ids.length === 0 ? [] : db.select().from(reflection).where(inArray(reflection.attemptId, ids)).all()).map((r) => [r.attemptId, r])
		);
		const latest = latestDecisions(db, ids);
		const titles = new Map<string, string>();
		for (const row of rows) {
			const written = reflections.get(row.id);
			const decision = latest.get(row.id);
			const state = stateOf(written, decision);
			if (!state) continue;
			const versionId = `${row.scenarioId}@${row.scenarioVersion}`;
			if (!titles.has(versionId)) titles.set(versionId, findScenarioVersion(db, versionId)?.title ?? row.scenarioId);
			all.push({
				attemptId: row.id,
				learnerId: row.ownerId,
				learnerName: names.get(row.ownerId) ?? '',
				scenarioId: row.scenarioId,
				title: titles.get(versionId)!,
				endedAt: row.endedAt,
				submittedAt: written?.status === 'submitted' ? written.submittedAt : null,
				state,
				latest: decision ? { outcome: decision.outcome, signedName: decision.signedName, signedAt: decision.signedAt } : null
			});
		}
	}
	// Oldest first: by submission, and a resubmission being written by when its request was signed.
	const key = (item: QueueItem) => item.submittedAt ?? item.latest?.signedAt ?? item.endedAt ?? '';
	all.sort((a, b) => key(a).localeCompare(key(b)) || a.attemptId.localeCompare(b.attemptId));
	const scenarios = [...new Map(all.map((i) => [i.scenarioId, i.title])).entries()]
		.map(([id, title]) => ({ id, title }))
		.sort((a, b) => a.title.localeCompare(b.title));
	const items = all.filter(
		(i) =>
			(!filters.learnerId || i.learnerId === filters.learnerId) &&
			(!filters.scenarioId || i.scenarioId === filters.scenarioId) &&
			(!filters.state || i.state === filters.state)
	);
	return {
		items,
		total: all.length,
		counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, all.filter((i) => i.state === s).length])) as Record<QueueState, number>,
		options: { learners: learners.map((l) => ({ id: l.id, name: l.displayName })), scenarios }
	};
}

/** Reads queue filters from a URL's query, ignoring anything that is not one of the choices. */
export function queueFilters(params: URLSearchParams): QueueFilters {
	const pick = (name: string) => {
		const value = params.get(name);
		return value && value.length <= 200 ? value : undefined;
	};
	const state = pick('state');
	return {
		learnerId: pick('learner'),
		scenarioId: pick('scenario'),
		state: (QUEUE_STATES as readonly string[]).includes(state ?? '') ? (state as QueueState) : undefined
	};
}

// ── Review ───────────────────────────────────────────────────────────────────────────────────

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
function reviewable(db: Db, assessorId: string, attemptId: string): { view: AttemptView; title: string; version: string; hash: string; criteria: string[]; marking: ReturnType<typeof loadScenarioVersion>['scenario']['marking'] } | undefined {
	if (typeof attemptId !== 'string' || attemptId.length > 100) return undefined;
	const view = getAttempt(db, attemptId);
	if (!view || view.ownerId === assessorId || view.status !== 'ended' || !view.result) return undefined;
	if (!assesses(db, assessorId, view.ownerId)) return undefined;
	const version = findScenarioVersion(db, `${view.scenarioId}@${view.scenarioVersion}`);
	if (!version) return undefined;
	const loaded = loadScenarioVersion(version);
	return { view, title: version.title, version: version.version, hash: version.hash, criteria: version.criteria, marking: loaded.scenario.marking };
}

function reviewPoints(view: AttemptView): ReviewPoint[] {
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

function reviewCriteria(result: AttemptResult, criteria: readonly string[]): ReviewCriterion[] {
	// The scenario's declared criteria and any a point evidences, in the unit's order.
	const codes = new Set([...criteria, ...result.points.flatMap((p) => p.criteria)]);
	return [...codes]
		.map((code) => criterionByCode(code))
		.filter((c) => c !== undefined)
		.map((c) => ({ code: c.code, title: c.title, proposed: result.passed && result.criteriaEvidenced.includes(c.code as never) }));
}

/** The form's values, as strings, exactly as typed (drafts store these). */
export interface DecisionValues {
	outcome: string;
	feedback: string;
	nextSteps: string;
	assessorNote: string;
	points: Record<string, { met: string; feedback: string }>;
	criteria: Record<string, { met: string; feedback: string }>;
	signedName: string;
	/** The decision in force when the form was drawn ('' for none): a stale form is refused. */
	supersedes: string;
}

export interface DecisionHistoryEntry {
	id: string;
	sequence: number;
	supersedesId: string | null;
	outcome: DecisionOutcome;
	feedback: string;
	nextSteps: string;
	points: (PointJudgement & { description: string })[];
	criteria: (CriterionJudgement & { title: string })[];
	signedName: string;
	signedAt: string;
	evidenceHash: string;
	signatureHash: string;
	/** Only in what assessors see. */
	assessorNote?: string;
	verified?: DecisionVerification;
}

function historyEntry(d: AssessmentDecision, descriptions: Map<string, string>, withNote: boolean): DecisionHistoryEntry {
	return {
		id: d.id,
		sequence: d.sequence,
		supersedesId: d.supersedesId,
		outcome: d.outcome,
		feedback: d.feedback,
		nextSteps: d.nextSteps,
		points: d.points.map((p) => ({ ...p, description: descriptions.get(p.pointId) ?? p.pointId })),
		criteria: d.criteria.map((c) => ({ ...c, title: criterionByCode(c.code)?.title ?? c.code })),
		signedName: d.signedName,
		signedAt: d.signedAt,
		evidenceHash: d.evidenceHash,
		signatureHash: d.signatureHash,
		...(withNote ? { assessorNote: d.assessorNote } : {})
	};
}

function decisionsOf(db: Db, attemptId: string): AssessmentDecision[] {
	return db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, attemptId)).orderBy(desc(assessmentDecision.sequence)).all();
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

/** A stored draft, made safe to show: only known points and criteria, only strings. */
function draftValues(content: unknown, base: DecisionValues): DecisionValues {
	if (!content || typeof content !== 'object') return base;
	const c = content as Partial<Record<keyof DecisionValues, unknown>>;
	const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
	const judgements = (stored: unknown, known: DecisionValues['points']) =>
		Object.fromEntries(
			Object.entries(known).map(([key, value]) => {
				const s = stored && typeof stored === 'object' ? (stored as Record<string, { met?: unknown; feedback?: unknown }>)[key] : undefined;
				return [key, { met: str(s?.met, value.met), feedback: str(s?.feedback, value.feedback) }];
			})
		);
	return {
		outcome: str(c.outcome, base.outcome),
		feedback: str(c.feedback, base.feedback),
		nextSteps: str(c.nextSteps, base.nextSteps),
		assessorNote: str(c.assessorNote, base.assessorNote),
		points: judgements(c.points, base.points),
		criteria: judgements(c.criteria, base.criteria),
		signedName: '',
		supersedes: base.supersedes
	};
}

/** Everything the review page shows, or undefined when the attempt is not one this assessor may see. */
export function assessorReview(db: Db, assessorId: string, attemptId: string) {
	const found = reviewable(db, assessorId, attemptId);
	if (!found) return undefined;
	const { view } = found;
	const result = view.result!;
	const learner = db.select({ id: user.id, displayName: user.displayName }).from(user).where(eq(user.id, view.ownerId)).get();
	const written = db.select().from(reflection).where(eq(reflection.attemptId, view.id)).get();
	const decisions = decisionsOf(db, view.id);
	const latest = decisions[0];
	const points = reviewPoints(view);
	const criteria = reviewCriteria(result, found.criteria);
	const descriptions = new Map(points.map((p) => [p.id, p.description]));
	const draft = db
		.select()
		.from(assessmentDraft)
		.where(and(eq(assessmentDraft.attemptId, view.id), eq(assessmentDraft.assessorId, assessorId)))
		.get();
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
		state: stateOf(written, latest),
		points,
		criteria,
		decisions: decisions.map((d) => ({ ...historyEntry(d, descriptions, true), verified: verifyDecision(db, d) })),
		values: draft ? draftValues(draft.content, base) : base,
		draftSavedAt: draft?.updatedAt ?? null,
		/** Signing needs the learner's submitted reflection (a resubmission being written cannot be judged yet). */
		canSign: written?.status === 'submitted'
	};
}
export type AssessorReview = NonNullable<ReturnType<typeof assessorReview>>;

// ── The form ─────────────────────────────────────────────────────────────────────────────────

/** Form field names, shared with the page. */
export const field = {
	pointMet: (i: number) => `point-${i}-met`,
	pointFeedback: (i: number) => `point-${i}-feedback`,
	pointComment: (i: number) => `point-${i}-comment`,
	criterionMet: (i: number) => `criterion-${i}-met`,
	criterionFeedback: (i: number) => `criterion-${i}-feedback`,
	criterionComment: (i: number) => `criterion-${i}-comment`
} as const;

const MAX_FIELD_CHARS = 20_000;
const text = (form: FormData, name: string) => {
	const value = form.get(name);
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').slice(0, MAX_FIELD_CHARS) : '';
};

/**
 * The decision form's values from a posted form, for the points and criteria of this review only.
 * A comment chosen from the bank beside a feedback box is appended to that box (so the bank works
 * without JavaScript).
 */
export function decisionValuesFromForm(form: FormData, review: Pick<AssessorReview, 'points' | 'criteria'>, bank: readonly CommentBankItem[]): DecisionValues {
	const comments = new Map(bank.map((c) => [c.id, c.text]));
	const withComment = (feedback: string, commentField: string) => {
		const chosen = comments.get(text(form, commentField));
		if (!chosen) return feedback;
		return feedback.trim() === '' ? chosen : `${feedback.replace(/\s+$/u, '')}\n${chosen}`;
	};
	return {
		outcome: text(form, 'outcome'),
		feedback: withComment(text(form, 'feedback'), 'feedback-comment'),
		nextSteps: withComment(text(form, 'nextSteps'), 'nextSteps-comment'),
		assessorNote: text(form, 'assessorNote'),
		points: Object.fromEntries(
			review.points.map((p, i) => [p.id, { met: text(form, field.pointMet(i)), feedback: withComment(text(form, field.pointFeedback(i)), field.pointComment(i)) }])
		),
		criteria: Object.fromEntries(
			review.criteria.map((c, i) => [c.code, { met: text(form, field.criterionMet(i)), feedback: withComment(text(form, field.criterionFeedback(i)), field.criterionComment(i)) }])
		),
		signedName: text(form, 'signedName').slice(0, 200),
		supersedes: text(form, 'supersedes').slice(0, 100)
	};
}

export const LIMITS = { feedback: 4000, judgementFeedback: 2000, note: 4000 } as const;

const longText = (max: number, what: string) => z.string().max(max, `Use at most ${max.toLocaleString('en-GB')} characters for ${what}.`);

const overall = z
	.object({
		outcome: z.enum(DECISION_OUTCOMES, { error: 'Choose the overall decision: met, not yet met, or resubmission requested.' }),
		feedback: longText(LIMITS.feedback, 'the feedback').refine((s) => s.trim() !== '', 'Write your feedback to the learner.'),
		nextSteps: longText(LIMITS.feedback, 'what to do next'),
		assessorNote: longText(LIMITS.note, 'the note')
	})
	.superRefine((v, ctx) => {
		if (v.outcome !== 'met' && v.nextSteps.trim() === '') {
			ctx.addIssue({
				code: 'custom',
				path: ['nextSteps'],
				message: v.outcome === 'not-yet-met' ? 'Say what the learner should do next: it is required when the decision is not yet met.' : 'Say what the learner must do for the resubmission.'
			});
		}
	});

function judgementErrors(
	values: DecisionValues,
	review: Pick<AssessorReview, 'points' | 'criteria'>,
	errors: Record<string, string>
): { points: PointJudgement[]; criteria: CriterionJudgement[] } {
	const judge = (value: { met: string; feedback: string } | undefined, proposed: boolean, metField: string, feedbackField: string, what: string) => {
		const met = value?.met === 'met' ? true : value?.met === 'not-met' ? false : undefined;
		const feedback = (value?.feedback ?? '').trim();
		if (met === undefined) errors[metField] = `Choose met or not met for ${what}.`;
		if (feedback.length > LIMITS.judgementFeedback) errors[feedbackField] = `Use at most ${LIMITS.judgementFeedback.toLocaleString('en-GB')} characters.`;
		else if (met !== undefined && met !== proposed && feedback === '') errors[feedbackField] = `You override the automatic marking here: say why in the feedback.`;
		return { met: met ?? proposed, feedback };
	};
	return {
		points: review.points.map((p, i) => ({ pointId: p.id, proposed: p.proposed, ...judge(values.points[p.id], p.proposed, field.pointMet(i), field.pointFeedback(i), 'this marking point') })),
		criteria: review.criteria.map((c, i) => ({ code: c.code, proposed: c.proposed, ...judge(values.criteria[c.code], c.proposed, field.criterionMet(i), field.criterionFeedback(i), 'this criterion') }))
	};
}

function normaliseName(name: string): string {
	return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en-GB');
}

// ── Drafts ───────────────────────────────────────────────────────────────────────────────────

/** Saves the assessor's unsigned work; nothing is checked but the lengths (a draft may be half done). */
export function saveDecisionDraft(db: Db, assessorId: string, attemptId: string, values: DecisionValues, now = new Date()): AssessmentResult<{ savedAt: string }> {
	const review = reviewable(db, assessorId, attemptId);
	if (!review) return NOT_FOUND;
	// A typed signature is never kept in a draft: signing is a deliberate act each time.
	const content = { ...values, signedName: '' };
	const at = now.toISOString();
	db.insert(assessmentDraft)
		.values({ attemptId, assessorId, content, updatedAt: at })
		.onConflictDoUpdate({ target: [assessmentDraft.attemptId, assessmentDraft.assessorId], set: { content, updatedAt: at } })
		.run();
	return { ok: true, value: { savedAt: at } };
}

// ── Signing ──────────────────────────────────────────────────────────────────────────────────

export interface Signer {
	id: string;
	displayName: string;
}

/**
 * Signs the decision: validates it, checks the typed name, computes the evidence and signature
 * hashes and stores the immutable row. When a decision is already in force the form must name it
 * (`supersedes`), and the new row supersedes it; a form drawn before someone signed, or naming an
 * older decision, is refused and nothing is signed. "Resubmission requested" reopens the learner's
 * reflection. The assessor's draft is discarded once signed.
 */
export function signDecision(db: Db, signer: Signer, attemptId: string, values: DecisionValues, now = new Date()): AssessmentResult<AssessmentDecision> {
	const found = reviewable(db, signer.id, attemptId);
	if (!found) return NOT_FOUND;
	const review = { points: reviewPoints(found.view), criteria: reviewCriteria(found.view.result!, found.criteria) };
	const errors: Record<string, string> = {};
	const parsed = overall.safeParse(values);
	if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'outcome')] ??= issue.message;
	const judgements = judgementErrors(values, review, errors);
	if (values.signedName.trim() === '') errors.signedName = 'Type your name to sign.';
	else if (normaliseName(values.signedName) !== normaliseName(signer.displayName)) {
		errors.signedName = `The name you type to sign must be your name as the centre holds it: ${signer.displayName}.`;
	}
	if (Object.keys(errors).length > 0 || !parsed.success) {
		return { ok: false, error: { code: 'decision.invalid', message: 'The decision was not signed: correct what is marked below. Nothing you typed is lost.', fields: errors } };
	}
	return writeTransaction(db, (): AssessmentResult<AssessmentDecision> => {
		const latest = decisionsOf(db, attemptId)[0];
		if (latest && values.supersedes !== latest.id) {
			const named = values.supersedes === '' ? undefined : db.select().from(assessmentDecision).where(eq(assessmentDecision.id, values.supersedes)).get();
			const when = `${latest.signedName} signed a decision (${OUTCOME_LABELS[latest.outcome].toLowerCase()}) on ${latest.signedAt.slice(0, 16).replace('T', ' ')} UTC`;
			return {
				ok: false,
				error: named
					? { code: 'decision.superseded', message: `That decision has already been superseded and cannot be changed: ${when}. Read it, then supersede it with a new decision if you need to.` }
					: { code: 'decision.already-signed', message: `A signed decision cannot be edited: ${when}. Read it, then supersede it with a new decision if you need to.` }
			};
		}
		if (!latest && values.supersedes !== '') {
			return { ok: false, error: { code: 'decision.superseded', message: 'The decision your form names is not one of this attempt’s. Reload the page and try again.' } };
		}
		const written = db.select().from(reflection).where(eq(reflection.attemptId, attemptId)).get();
		if (written?.status !== 'submitted') {
			return { ok: false, error: { code: 'reflection.not-submitted', message: 'The learner has not submitted their reflection on this attempt yet: it can be judged once they have.' } };
		}
		const evidence = judgedEvidence(db, attemptId)!;
		const row: Omit<AssessmentDecision, 'signatureHash'> = {
			id: crypto.randomUUID(),
			attemptId,
			learnerId: found.view.ownerId,
			assessorId: signer.id,
			sequence: (latest?.sequence ?? 0) + 1,
			supersedesId: latest?.id ?? null,
			outcome: parsed.data.outcome,
			feedback: parsed.data.feedback.trim(),
			nextSteps: parsed.data.outcome === 'met' && parsed.data.nextSteps.trim() === '' ? '' : parsed.data.nextSteps.trim(),
			points: judgements.points,
			criteria: judgements.criteria,
			assessorNote: parsed.data.assessorNote.trim(),
			evidenceHash: sha256Hex(canonicalJson(evidence)),
			evidence,
			signedName: values.signedName.trim().replace(/\s+/gu, ' '),
			signedAt: now.toISOString()
		};
		const decision: AssessmentDecision = { ...row, signatureHash: signatureHashOf(row) };
		db.insert(assessmentDecision).values(decision).run();
		db.delete(assessmentDraft).where(and(eq(assessmentDraft.attemptId, attemptId), eq(assessmentDraft.assessorId, signer.id))).run();
		if (decision.outcome === 'resubmission-requested') reopenReflection(db, attemptId, now);
		return { ok: true, value: decision };
	});
}

// ── Comment bank ─────────────────────────────────────────────────────────────────────────────

export interface CommentBankItem {
	id: string;
	criterion: string | null;
	text: string;
}

export const COMMENT_MAX_CHARS = 1000;

/** The centre's reusable feedback, general comments first, then by criterion. */
export function commentBank(db: Db, organisationId: string): CommentBankItem[] {
	return db
		.select({ id: commentBankEntry.id, criterion: commentBankEntry.criterion, text: commentBankEntry.text })
		.from(commentBankEntry)
		.where(eq(commentBankEntry.organisationId, organisationId))
		.orderBy(asc(commentBankEntry.criterion), asc(commentBankEntry.createdAt))
		.all();
}

export function addComment(
	db: Db,
	author: { id: string; organisationId: string },
	input: { text: unknown; criterion: unknown },
	now = new Date()
): AssessmentResult<CommentBankItem> {
	const body = typeof input.text === 'string' ? input.text.replace(/\r\n?/g, '\n').trim() : '';
	const criterion = typeof input.criterion === 'string' ? input.criterion.trim() : '';
	if (body === '') return { ok: false, error: { code: 'comment.invalid', field: 'text', message: 'Write the comment to add to the bank.' } };
	if ([...body].length > COMMENT_MAX_CHARS) return { ok: false, error: { code: 'comment.invalid', field: 'text', message: `Use at most ${COMMENT_MAX_CHARS.toLocaleString('en-GB')} characters for a comment.` } };
	if (criterion !== '' && !criterionByCode(criterion)) return { ok: false, error: { code: 'comment.invalid', field: 'criterion', message: 'Choose a criterion from the list, or none.' } };
	const row = { id: crypto.randomUUID(), organisationId: author.organisationId, criterion: criterion || null, text: body, createdBy: author.id, createdAt: now.toISOString() };
	db.insert(commentBankEntry).values(row).run();
	return { ok: true, value: { id: row.id, criterion: row.criterion, text: row.text } };
}

// ── What the learner sees ────────────────────────────────────────────────────────────────────

/** A learner's decisions on their own attempt, newest first, without the assessor's private note. */
export function decisionsForLearner(db: Db, learnerId: string, attemptId: string): DecisionHistoryEntry[] {
	const view = getAttempt(db, attemptId);
	if (!view || view.ownerId !== learnerId) return [];
	const descriptions = new Map((view.result?.points ?? []).map((p) => [p.id, p.description]));
	return decisionsOf(db, attemptId)
		.filter((d) => d.learnerId === learnerId)
		.map((d) => historyEntry(d, descriptions, false));
}

/** The decision in force on each attempt of a learner (for the coverage map and lists). */
export function decisionsInForce(db: Db, learnerId: string): AssessmentDecision[] {
	const all = db.select().from(assessmentDecision).where(eq(assessmentDecision.learnerId, learnerId)).orderBy(asc(assessmentDecision.sequence)).all();
	const latest = new Map<string, AssessmentDecision>();
	for (const d of all) latest.set(d.attemptId, d);
	return [...latest.values()];
}

/** The latest assessor feedback on an attempt whose reflection was reopened for resubmission. */
export function resubmissionRequest(db: Db, learnerId: string, attemptId: string): { feedback: string; nextSteps: string; signedName: string; signedAt: string } | undefined {
	const latest = decisionsOf(db, attemptId)[0];
	if (!latest || latest.learnerId !== learnerId || latest.outcome !== 'resubmission-requested') return undefined;
	return { feedback: latest.feedback, nextSteps: latest.nextSteps, signedName: latest.signedName, signedAt: latest.signedAt };
}

// ── The assessor's learners ──────────────────────────────────────────────────────────────────

/** The learners this assessor assesses (never themselves), with their ended attempts and what awaits a decision. */
export function assessedLearners(db: Db, assessorId: string) {
	const queue = assessmentQueue(db, assessorId);
	return learnersAssessedBy(db, assessorId)
		.filter((l) => l.id !== assessorId)
		.map((l) => ({
			id: l.id,
			name: l.displayName,
			email: l.email,
			ended: db.select({ id: attempt.id }).from(attempt).where(and(eq(attempt.ownerId, l.id), eq(attempt.status, 'ended'))).all().length,
			awaiting: queue.items.filter((i) => i.learnerId === l.id && i.state === 'awaiting').length
		}));
}

/** A learner this assessor assesses, or undefined (answered as "not found"). */
export function assessedLearner(db: Db, assessorId: string, learnerId: string): { id: string; name: string; email: string } | undefined {
	if (typeof learnerId !== 'string' || learnerId.length > 100 || learnerId === assessorId || !assesses(db, assessorId, learnerId)) return undefined;
	const row = db.select({ id: user.id, name: user.displayName, email: user.email }).from(user).where(eq(user.id, learnerId)).get();
	return row;
}

/** A learner's attempts as their assessor lists them: each with its reflection and the decision in force. */
export function learnerAttemptsForAssessor(db: Db, learnerId: string) {
	const rows = db.select().from(attempt).where(eq(attempt.ownerId, learnerId)).orderBy(desc(attempt.startedAt)).all();
	const ids = rows.map((r) => r.id);
	const reflections = new Map((ids.length === 0 ? [] : db.select().from(reflection).where(inArray(reflection.attemptId, ids)).all()).map((r) => [r.attemptId, r]));
	const latest = latestDecisions(db, ids);
	return rows.map((row) => {
		const decision = latest.get(row.id);
		return {
			id: row.id,
			title: findScenarioVersion(db, `${row.scenarioId}@${row.scenarioVersion}`)?.title ?? row.scenarioId,
			status: row.status,
			startedAt: row.startedAt,
			passed: row.result?.passed ?? null,
			score: row.result?.score ?? null,
			verdict: row.result ? verdictOf(row.result) : null,
			reflection: reflections.get(row.id)?.status ?? null,
			state: stateOf(reflections.get(row.id), decision),
			latest: decision ? { outcome: decision.outcome, signedName: decision.signedName, signedAt: decision.signedAt, sequence: decision.sequence } : null
		};
	});
}
