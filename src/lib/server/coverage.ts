import { CRITERIA, CRITERION_KINDS, criterionByCode, type CriterionKind } from '$lib/criteria';
import type { Db } from '$lib/core/database';
import { attemptsOf } from '$lib/server/attempts';
import type { AttemptSummary, CoverageCount, CoverageState } from '$lib/views/learning';
import { currentScenarios } from '$lib/server/scenarios';
import { decisionsInForce } from '$lib/server/assessment';
import { observationsOf, testimoniesOf } from '$lib/server/other-evidence';
import { workplaceDecisionsCounting } from '$lib/server/workplace/decisions';

/**
 * The learner's coverage map: every criterion of the unit and the evidence for it.
 * - signed-off: an assessor's signed decision in force judged it met ("met" overall) on an attempt
 *   or on workplace evidence (once countersigned, if a trainee signed it), or an assessor mapped a
 *   witness testimony or an observation record to it;
 * - met: an ended, passed attempt met a marking point that evidences it;
 * - in-progress: an attempt under way is on a scenario covering it, or an attempt met a point for it
 *   but failed on a critical point (evidence, but not yet good evidence);
 * - none: nothing yet.
 */

/** Who signed a criterion off, and when. */
export interface Signature {
	name: string;
	at: string;
}

export type CoverageEvidenceKind = 'attempt' | 'testimony' | 'observation' | 'workplace';

/** One piece of evidence for a criterion: an attempt, a witness testimony or an observation record. */
export interface CoverageEvidence {
	kind: CoverageEvidenceKind;
	id: string;
	title: string;
	state: CoverageState;
	signedBy?: Signature;
}

export interface CoverageRow {
	code: string;
	kind: CriterionKind;
	title: string;
	state: CoverageState;
	/** The attempts among the evidence (kept for pages that list attempts only). */
	attempts: { id: string; title: string; state: CoverageState }[];
	/** Every piece of evidence: attempts first, then testimony and observations. */
	evidence: CoverageEvidence[];
	/** For a signed-off criterion: the latest sign-off. */
	signedBy?: Signature;
}

/** Evidence an assessor signed off, and the criteria it was signed off for. */
export interface SignedOffEvidence {
	kind: CoverageEvidenceKind;
	id: string;
	title: string;
	criteria: readonly string[];
	signedBy: Signature;
}

const RANK: Record<CoverageState, number> = { none: 0, 'in-progress': 1, met: 2, 'signed-off': 3 };

export function coverageOf(
	attempts: readonly AttemptSummary[],
	scenarioCriteria: ReadonlyMap<string, readonly string[]>,
	signedOff: readonly SignedOffEvidence[] = []
): CoverageRow[] {
	return CRITERIA.map((criterion) => {
		const evidence: CoverageEvidence[] = [];
		for (const a of attempts) {
			let state: CoverageState = 'none';
			const signed = signedOff.find((s) => s.kind === 'attempt' && s.id === a.id && s.criteria.includes(criterion.code));
			if (signed) state = 'signed-off';
			else if (a.status === 'ended') {
				if (a.criteriaEvidenced.includes(criterion.code)) state = a.passed ? 'met' : 'in-progress';
			} else if (scenarioCriteria.get(a.scenarioId)?.includes(criterion.code)) {
				state = 'in-progress';
			}
			if (state !== 'none') evidence.push({ kind: 'attempt', id: a.id, title: a.title, state, ...(signed ? { signedBy: signed.signedBy } : {}) });
		}
		for (const s of signedOff) {
			if (s.kind !== 'attempt' && s.criteria.includes(criterion.code)) evidence.push({ kind: s.kind, id: s.id, title: s.title, state: 'signed-off', signedBy: s.signedBy });
		}
		const state = evidence.reduce<CoverageState>((best, e) => (RANK[e.state] > RANK[best] ? e.state : best), 'none');
		const signedBy = evidence
			.map((e) => e.signedBy)
			.filter((s): s is Signature => s !== undefined)
			.reduce<Signature | undefined>((latest, s) => (!latest || s.at > latest.at ? s : latest), undefined);
		return {
			code: criterion.code,
			kind: criterion.kind,
			title: criterion.title,
			state,
			attempts: evidence.filter((e) => e.kind === 'attempt').map(({ id, title, state }) => ({ id, title, state })),
			evidence,
			...(signedBy ? { signedBy } : {})
		};
	});
}

/** Everything an assessor has signed off for a learner: met decisions in force (attempts, workplace evidence), mapped testimony, observations. */
export async function signedOffEvidence(db: Db, learnerId: string, attempts: readonly AttemptSummary[]): Promise<SignedOffEvidence[]> {
	const titles = new Map(attempts.map((a) => [a.id, a.title]));
	const decisions = (await decisionsInForce(db, learnerId))
		.filter((d) => d.outcome === 'met')
		.map((d): SignedOffEvidence => ({
			kind: 'attempt',
			id: d.attemptId,
			title: titles.get(d.attemptId) ?? d.attemptId,
			criteria: d.criteria.filter((c) => c.met).map((c) => c.code),
			signedBy: { name: d.signedName, at: d.signedAt }
		}));
	const testimony = (await testimoniesOf(db, learnerId))
		.filter((t) => t.criteria !== null && t.criteria.length > 0 && t.mappedAt !== null)
		.map((t): SignedOffEvidence => ({
			kind: 'testimony',
			id: t.id,
			title: `Witness testimony: ${t.witnessName}, ${t.witnessedOn}`,
			criteria: t.criteria ?? [],
			signedBy: { name: t.mappedByName ?? '', at: t.mappedAt ?? '' }
		}));
	const observations = (await observationsOf(db, learnerId)).map((o): SignedOffEvidence => ({
		kind: 'observation',
		id: o.id,
		title: `Observation: ${o.setting}, ${o.observedOn}`,
		criteria: o.criteria,
		signedBy: { name: o.assessorName, at: o.recordedAt }
	}));
	const workplace = (await workplaceDecisionsCounting(db, learnerId))
		.filter((d) => d.outcome === 'met')
		.map((d): SignedOffEvidence => ({
			kind: 'workplace',
			id: d.evidenceId,
			title: `Workplace evidence: ${d.evidence.title}`,
			criteria: d.criteria.filter((c) => c.met).map((c) => c.code),
			signedBy: { name: d.signedName, at: d.signedAt }
		}));
	return [...decisions, ...testimony, ...observations, ...workplace];
}

/** A learner's coverage map from everything stored: the one entry point pages and the PDF use. */
export async function learnerCoverage(db: Db, learnerId: string): Promise<CoverageRow[]> {
	const scenarioCriteria = new Map((await currentScenarios(db)).map((s) => [s.scenarioId, s.criteria]));
	const attempts = await attemptsOf(db, learnerId);
	return coverageOf(attempts, scenarioCriteria, await signedOffEvidence(db, learnerId, attempts));
}

export const COVERAGE_LABELS: Record<CoverageState, string> = {
	none: 'No evidence yet',
	'in-progress': 'In progress',
	met: 'Met in the simulator',
	'signed-off': 'Signed off'
};

/** How many criteria are in each state, every state listed (in order of COVERAGE_LABELS) even at 0. */
export function coverageCounts(rows: readonly Pick<CoverageRow, 'state'>[]): CoverageCount[] {
	return (Object.keys(COVERAGE_LABELS) as CoverageState[]).map((state) => ({
		state,
		label: COVERAGE_LABELS[state],
		count: rows.filter((row) => row.state === state).length
	}));
}

/** Attempts shown per scenario under a criterion on the coverage page; the rest are counted. */
export const SHOWN_PER_SCENARIO = 3;

type ListedAttempt = Pick<AttemptSummary, 'id' | 'status' | 'passed' | 'startedAt' | 'verdict'> & { signedOff: boolean };

/** A criterion's attempts grouped by scenario, each group its newest few (attempts come newest first). */
export function attemptsByScenario(attempts: readonly (AttemptSummary & { signedOff: boolean })[]): { scenarioId: string; title: string; attempts: ListedAttempt[]; more: number }[] {
	const groups = new Map<string, { scenarioId: string; title: string; attempts: ListedAttempt[]; more: number }>();
	for (const a of attempts) {
		const group = groups.get(a.scenarioId) ?? { scenarioId: a.scenarioId, title: a.title, attempts: [], more: 0 };
		if (group.attempts.length < SHOWN_PER_SCENARIO) group.attempts.push({ id: a.id, status: a.status, passed: a.passed, verdict: a.verdict, startedAt: a.startedAt, signedOff: a.signedOff });
		else group.more++;
		groups.set(a.scenarioId, group);
	}
	return [...groups.values()];
}

/** The learner's coverage page: counts per state, and every criterion by kind with its evidence. */
export async function coveragePage(db: Db, learnerId: string) {
	const attempts = await attemptsOf(db, learnerId);
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const rows = coverageOf(attempts, new Map((await currentScenarios(db)).map((s) => [s.scenarioId, s.criteria])), await signedOffEvidence(db, learnerId, attempts));
	return {
		labels: COVERAGE_LABELS,
		counts: coverageCounts(rows),
		kinds: CRITERION_KINDS.map((kind) => ({
			kind: kind.kind,
			heading: kind.plural,
			stem: kind.stem,
			criteria: rows
				.filter((row) => row.kind === kind.kind)
				.map((row) => ({
					code: row.code,
					title: row.title,
					text: criterionByCode(row.code)?.text ?? '',
					state: row.state,
					signedBy: row.signedBy ?? null,
					evidence: attemptsByScenario(row.attempts.map((e) => ({ ...byId.get(e.id)!, signedOff: e.state === 'signed-off' }))),
					other: row.evidence.filter((e) => e.kind !== 'attempt').map((e) => ({ kind: e.kind, id: e.id, title: e.title, signedBy: e.signedBy ?? null }))
				}))
		}))
	};
}
