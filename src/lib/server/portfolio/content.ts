/**
 * What a portfolio document says, gathered into one plain object before anything is drawn: the
 * learner's whole portfolio, or one attempt. The PDF is a rendering of this object and nothing else,
 * so the SHA-256 of its canonical JSON (the "content hash" printed on every page and recorded when
 * the document is issued) identifies exactly what the document shows.
 *
 * Never in it: the assessor's private note (assessment_decision.assessor_note), a reflection the
 * learner has not submitted, another learner's anything.
 */
import { dbGet, dbAll } from '$lib/core/database';
import { asc, eq } from 'drizzle-orm';
import { UNIT, criterionByCode } from '$lib/criteria';
import { canonicalHash } from '$lib/core';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { getAttempt, type AttemptView } from '$lib/sim/runtime';
import { speakerOf } from '$lib/sim/conversation';
import { formatPercent, verdictOf, type MarkingResult, type PointOutcome } from '$lib/sim/marking';
import { organisation, reflection, user } from '$lib/server/db/schema';
import { assessmentDecision, type DecisionCountersignature, type PortfolioDocument } from '$lib/server/db/assessment';

function countersignatureOf(c: DecisionCountersignature | undefined): PortfolioDecision['countersignature'] {
	return c ? { outcome: c.outcome, signedName: c.signedName, signedAt: c.signedAt, signatureHash: c.signatureHash, comment: c.comment } : null;
}
import { findScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import { COVERAGE_LABELS, learnerCoverage, type CoverageRow } from '$lib/server/coverage';
import { OUTCOME_LABELS } from '$lib/server/assessment';
import { countersignaturesOf } from '$lib/server/assessment/decisions';
import { signedIqaOutcomes, type SignedIqaOutcome } from '$lib/server/iqa/records';
import { observationsOf, testimoniesOf } from '$lib/server/other-evidence';
import { workplacePortfolio, type PortfolioWorkplace } from '$lib/server/workplace/portfolio';

export type PortfolioKind = PortfolioDocument['kind'];

export interface TranscriptLine {
	seq: number;
	at: string;
	/** '' for narration, which has no speaker. */
	who: string;
	text: string;
}

export interface PortfolioPoint {
	id: string;
	description: string;
	met: boolean;
	/** Met, met in part, missed or not reached (results from before the pass rule: met or missed). */
	outcome: PointOutcome;
	critical: boolean;
	weight: number;
	/** Marks earned; null for results from before the pass rule. */
	earned: number | null;
	/** The rule a miss breaks, by name, and what to do instead; null when the scenario does not say. */
	rule: string | null;
	instead: string | null;
	criteria: string[];
	feedback: string;
	/** The transcript lines that prove the outcome, in the order they happened. */
	evidence: TranscriptLine[];
}

export interface PortfolioDecision {
	sequence: number;
	outcome: string;
	outcomeLabel: string;
	/** A later signed decision replaced this one (only the newest is in force); it stays in the history. */
	superseded: boolean;
	feedback: string;
	nextSteps: string;
	points: { description: string; met: boolean; proposed: boolean; feedback: string }[];
	criteria: { code: string; title: string; met: boolean; proposed: boolean; feedback: string }[];
	signedName: string;
	signedAt: string;
	evidenceHash: string;
	signatureHash: string;
	/**
	 * For a trainee assessor's decision (issue 17): the qualified assessor's countersignature, or
	 * their sending it back, or null while it waits (then it does not count). Absent otherwise.
	 */
	countersignature?: { outcome: 'countersigned' | 'sent-back'; signedName: string; signedAt: string; signatureHash: string; comment: string } | null;
	/**
	 * The IQA's signed rounds on this decision when it was sampled (issue 17): outcome, signer, time and
	 * hash only — the IQA's feedback to the assessor never reaches the learner. Absent when not sampled.
	 */
	iqa?: SignedIqaOutcome[];
}

export interface PortfolioAttempt {
	id: string;
	title: string;
	scenarioId: string;
	version: string;
	brief: string;
	startedAt: string;
	endedAt: string | null;
	score: number;
	passed: boolean;
	/** The verdict as printed: headline, the two checks of the pass rule in words, and the reason. */
	verdict: { headline: string; checks: string[]; reason: string };
	transcript: TranscriptLine[];
	points: PortfolioPoint[];
	reflection: { situation: string; task: string; action: string; result: string; submittedAt: string | null } | null;
	/** Every signed decision, newest first. */
	decisions: PortfolioDecision[];
}

export interface PortfolioCoverageRow {
	code: string;
	title: string;
	state: string;
	stateLabel: string;
	evidence: { kind: string; title: string; stateLabel: string }[];
	signedBy: { name: string; at: string } | null;
}

export interface PortfolioTestimony {
	witnessName: string;
	witnessRole: string;
	relationship: string;
	witnessedOn: string;
	statement: string;
	/** The witness's signature (typed name, date); null for testimony recorded before it was asked for. */
	witnessSigned: { name: string; on: string } | null;
	/** Whoever recorded it confirmed the witness is not a relative of the learner. */
	notRelative: boolean;
	declaredCriteria: string[];
	/** Criteria the assessor accepted it for; null until mapped. */
	criteria: string[] | null;
	mappedBy: string | null;
	mappedAt: string | null;
}

export interface PortfolioObservation {
	observedOn: string;
	setting: string;
	description: string;
	criteria: string[];
	assessorName: string;
	recordedAt: string;
}

export interface PortfolioContent {
	documentId: string;
	kind: PortfolioKind;
	issuedAt: string;
	centre: string;
	unit: string;
	learner: { name: string };
	/** First and last instant of the evidence included (null when there is none yet). */
	evidenceFrom: string | null;
	evidenceTo: string | null;
	coverage: PortfolioCoverageRow[];
	attempts: PortfolioAttempt[];
	testimony: PortfolioTestimony[];
	observations: PortfolioObservation[];
	/** Workplace evidence (issue 17), in the whole portfolio only. */
	workplace: PortfolioWorkplace[];
}

export interface ContentRequest {
	documentId: string;
	learnerId: string;
	kind: PortfolioKind;
	/** For kind 'attempt'. */
	attemptId?: string;
	issuedAt: string;
}

/**
 * The SHA-256 (hex) of a content object's RFC 8785 canonical JSON (CANONICAL_ENCODING): what the
 * document's footer prints. Throws a CanonicalJsonError naming a value that is not JSON.
 */
export function contentHashOf(content: PortfolioContent): string {
	return canonicalHash(content, 'content');
}

/** A transcript line with its speaker as a reader of the document knows them: the learner by name, narration by no one (''). */
function lineOf(entry: AttemptView['transcript'][number], learnerName: string): TranscriptLine {
	return { seq: entry.seq, at: entry.at, who: speakerOf(entry, learnerName), text: entry.text };
}

/** The verdict in words a printed page can carry: each check with ✓ or ✗, never colour. */
function printedVerdict(result: MarkingResult): PortfolioAttempt['verdict'] {
	const verdict = verdictOf(result);
	const mark = (ok: boolean) => (ok ? '✓' : '✗');
	return {
		headline: verdict.headline,
		checks: [
			`${verdict.critical.label} ${mark(verdict.critical.ok)}`,
			verdict.score ? `${verdict.score.label} ${mark(verdict.score.ok)}` : `Score ${formatPercent(result.score)}: marked under the earlier rule (no pass mark)`
		],
		reason: verdict.reason
	};
}

async function attemptContent(db: Db, view: AttemptView, learnerName: string): Promise<PortfolioAttempt | undefined> {
	const result = view.result;
	if (view.status !== 'ended' || !result) return undefined;
	const version = await findScenarioVersion(db, `${view.scenarioId}@${view.scenarioVersion}`);
	if (!version) return undefined;
	const scenario = loadScenarioVersion(version).scenario;
	const lineOfEvent = new Map<string, AttemptView['transcript'][number]>();
	for (const entry of view.transcript) for (const id of entry.eventIds) lineOfEvent.set(id, entry);
	const points: PortfolioPoint[] = result.points.map((p) => {
		const lines = new Map<number, TranscriptLine>();
		for (const id of p.evidence) {
			const line = lineOfEvent.get(id);
			if (line) lines.set(line.seq, lineOf(line, learnerName));
		}
		return {
			id: p.id,
			description: p.description,
			met: p.met,
			outcome: p.outcome ?? (p.met ? 'met' : 'missed'),
			critical: p.critical,
			weight: p.weight,
			earned: p.earned ?? null,
			rule: p.rule ?? null,
			instead: p.instead ?? null,
			criteria: [...p.criteria],
			feedback: p.feedback,
			evidence: [...lines.values()].sort((a, b) => a.seq - b.seq)
		};
	});
	const written = await dbGet(db.select().from(reflection).where(eq(reflection.attemptId, view.id)));
	const descriptions = new Map(result.points.map((p) => [p.id, p.description]));
	const signed = await dbAll(db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, view.id)).orderBy(asc(assessmentDecision.sequence)));
	const newest = signed.at(-1);
	const countersignatures = await countersignaturesOf(db, signed.filter((d) => d.requiresCountersignature).map((d) => d.id));
	const sampled = await signedIqaOutcomes(db, 'simulation', signed.map((d) => d.id));
	const decisions: PortfolioDecision[] = signed
		.filter((d) => d.learnerId === view.ownerId)
		.reverse()
		// The assessor's note is deliberately not read into the content: it never reaches the learner's PDF.
		.map((d) => ({
			sequence: d.sequence,
			outcome: d.outcome,
			outcomeLabel: OUTCOME_LABELS[d.outcome],
			superseded: d.id !== newest?.id,
			feedback: d.feedback,
			nextSteps: d.nextSteps,
			points: d.points.map((p) => ({ description: descriptions.get(p.pointId) ?? p.pointId, met: p.met, proposed: p.proposed, feedback: p.feedback })),
			criteria: d.criteria.map((c) => ({ code: c.code, title: criterionByCode(c.code)?.title ?? c.code, met: c.met, proposed: c.proposed, feedback: c.feedback })),
			signedName: d.signedName,
			signedAt: d.signedAt,
			evidenceHash: d.evidenceHash,
			signatureHash: d.signatureHash,
			...(d.requiresCountersignature ? { countersignature: countersignatureOf(countersignatures.get(d.id)) } : {}),
			...(sampled.has(d.id) ? { iqa: sampled.get(d.id) } : {})
		}));
	return {
		id: view.id,
		title: version.title,
		scenarioId: view.scenarioId,
		version: version.version,
		brief: scenario.brief,
		startedAt: view.startedAt,
		endedAt: view.endedAt,
		score: result.score,
		passed: result.passed,
		verdict: printedVerdict(result),
		transcript: view.transcript.map((entry) => lineOf(entry, learnerName)),
		points,
		reflection:
			written && written.status === 'submitted'
				? { situation: written.situation, task: written.task, action: written.action, result: written.result, submittedAt: written.submittedAt }
				: null,
		decisions
	};
}

function coverageContent(rows: readonly CoverageRow[], onlyAttemptId?: string): PortfolioCoverageRow[] {
	return rows
		.map((row) => {
			const evidence = onlyAttemptId === undefined ? row.evidence : row.evidence.filter((e) => e.kind === 'attempt' && e.id === onlyAttemptId);
			return { row, evidence };
		})
		.filter(({ evidence }) => onlyAttemptId === undefined || evidence.length > 0)
		.map(({ row, evidence }) => {
			const state = onlyAttemptId === undefined ? row.state : (evidence[0]?.state ?? 'none');
			const signedBy = onlyAttemptId === undefined ? row.signedBy : evidence[0]?.signedBy;
			return {
				code: row.code,
				title: row.title,
				state,
				stateLabel: COVERAGE_LABELS[state],
				evidence: evidence.map((e) => ({ kind: e.kind, title: e.title, stateLabel: COVERAGE_LABELS[e.state] })),
				signedBy: signedBy ? { name: signedBy.name, at: signedBy.at } : null
			};
		});
}

const yieldToLoop = () => new Promise<void>((done) => setImmediate(done));

/**
 * The content of a document for this learner, or undefined when there is nothing to issue: an
 * unknown learner, or (for one attempt) an attempt that is not this learner's or has not ended.
 * Ownership is decided by the caller's route; this only ever reads the learner's own rows.
 *
 * Gathering 20 attempts takes ~50 ms of CPU, and a learner's attempts are not bounded: it pauses
 * between attempts (by default, yielding to the event loop) so that no stretch holds other requests.
 */
export async function portfolioContent(db: Db, request: ContentRequest, pause: () => Promise<void> = yieldToLoop): Promise<PortfolioContent | undefined> {
	const learner = await dbGet(db
		.select({ name: user.displayName, centre: organisation.name })
		.from(user)
		.innerJoin(organisation, eq(organisation.id, user.organisationId))
		.where(eq(user.id, request.learnerId)));
	if (!learner) return undefined;
	let ids: string[];
	if (request.kind === 'attempt') {
		if (request.attemptId === undefined) return undefined;
		ids = [request.attemptId];
	} else {
		ids = (await dbAll(db
			.select({ id: attempt.id })
			.from(attempt)
			.where(eq(attempt.ownerId, request.learnerId))
			.orderBy(asc(attempt.startedAt))))
			.map((r) => r.id);
	}
	const attempts: PortfolioAttempt[] = [];
	for (const id of ids) {
		await pause();
		const view = await getAttempt(db, id);
		if (!view || view.ownerId !== request.learnerId) continue;
		const content = await attemptContent(db, view, learner.name);
		if (content) attempts.push(content);
	}
	if (request.kind === 'attempt' && attempts.length === 0) return undefined;

	const whole = request.kind === 'portfolio';
	const testimony: PortfolioTestimony[] = whole
		? (await testimoniesOf(db, request.learnerId)).map((t) => ({
				witnessName: t.witnessName,
				witnessRole: t.witnessRole,
				relationship: t.relationship,
				witnessedOn: t.witnessedOn,
				statement: t.statement,
				witnessSigned: t.witnessSignedName && t.witnessSignedOn ? { name: t.witnessSignedName, on: t.witnessSignedOn } : null,
				notRelative: t.notRelative,
				declaredCriteria: [...t.declaredCriteria],
				criteria: t.criteria === null ? null : [...t.criteria],
				mappedBy: t.mappedByName,
				mappedAt: t.mappedAt
			}))
		: [];
	const observations: PortfolioObservation[] = whole
		? (await observationsOf(db, request.learnerId)).map((o) => ({
				observedOn: o.observedOn,
				setting: o.setting,
				description: o.description,
				criteria: [...o.criteria],
				assessorName: o.assessorName,
				recordedAt: o.recordedAt
			}))
		: [];

	const workplace: PortfolioWorkplace[] = whole ? await workplacePortfolio(db, request.learnerId) : [];

	await pause();
	const instants = [
		...attempts.flatMap((a) => [a.startedAt, a.endedAt ?? a.startedAt]),
		...testimony.map((t) => t.witnessedOn),
		...observations.map((o) => o.observedOn),
		...workplace.flatMap((w) => (w.submittedAt ? [w.submittedAt] : []))
	].sort();

	return {
		documentId: request.documentId,
		kind: request.kind,
		issuedAt: request.issuedAt,
		centre: learner.centre,
		unit: UNIT.title,
		learner: { name: learner.name },
		evidenceFrom: instants[0] ?? null,
		evidenceTo: instants.at(-1) ?? null,
		coverage: coverageContent(await learnerCoverage(db, request.learnerId), whole ? undefined : request.attemptId),
		attempts,
		testimony,
		observations,
		workplace
	};
}
