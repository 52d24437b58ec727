import { mapInOrder } from '$lib/core/in-order';
import { dbAll } from '$lib/core/database';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { CRITERIA } from '$lib/criteria';
import { CORE_OPERATIONS } from '$lib/sim/runtime';
import { verdictOf } from '$lib/sim/marking';
import { attempt, attemptAction } from '$lib/sim/schema';
import { cohortMember } from '$lib/server/db/cohorts';
import { user } from '$lib/server/db/schema';
import { assignmentsOfCohort, findCohort, scenarioTitle } from '$lib/server/cohorts';
import { findScenarioVersion, loadScenarioVersion } from '$lib/server/scenarios';
import { toCsv } from '$lib/server/csv';
import type { ActionFrequency, MistakePath } from '$lib/views/results';

/**
 * A cohort's results, as a tutor reads them: per scenario and marking point, how many ended
 * attempts met it; per criterion, which learners have it evidenced; and what learners did in the
 * attempts that missed a point. Only ended attempts of the cohort's learners count (previews
 * belong to no learner, so they never do).
 */

export interface PointFigures {
	id: string;
	description: string;
	critical: boolean;
	criteria: string[];
	attempts: number;
	met: number;
	/** Share of attempts that met it, 0–100, one decimal place. */
	metRate: number;
}

export interface ScenarioFigures {
	scenarioId: string;
	title: string;
	assigned: boolean;
	dueOn: string | null;
	attempts: number;
	learners: number;
	passed: number;
	passRate: number;
	/** Attempts not passed with a critical error, and those not passed on the score alone. */
	notPassedCritical: number;
	notPassedScore: number;
	/** Those two counts in words ("Not passed: 1 with a critical error; …"); '' when every attempt passed. */
	notPassedReason: string;
	/** Mean score of the ended attempts, one decimal place; null without attempts. */
	meanScore: number | null;
	/** The pass marks the attempts were marked against, lowest first (none for results from before the pass rule). */
	passMarks: number[];
	/** Each ended attempt's verdict, oldest first: a score is never reported without it. */
	verdicts: AttemptVerdict[];
	points: PointFigures[];
	mistakes: MistakePath[];
}

export interface AttemptVerdict {
	attemptId: string;
	learner: string;
	endedAt: string | null;
	score: number;
	/** Null for a result from before the pass rule. */
	passMark: number | null;
	passed: boolean;
	headline: string;
	reason: string;
}

export interface CriterionFigures {
	code: string;
	title: string;
	/** Learners of the cohort with the criterion evidenced by a met point in an ended attempt. */
	learners: { id: string; displayName: string }[];
}

export interface CohortResults {
	cohort: { id: string; name: string };
	learners: { id: string; displayName: string }[];
	attempts: number;
	scenarios: ScenarioFigures[];
	criteria: CriterionFigures[];
	/** The points missed in the most attempts across the cohort, at most five. */
	mostMissed: { scenarioId: string; title: string; pointId: string; description: string; missed: number; attempts: number }[];
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);

async function choiceLabels(db: Db, scenarioId: string, version: string, cache: Map<string, Map<string, string>>): Promise<Map<string, string>> {
	const key = `${scenarioId}@${version}`;
	const cached = cache.get(key);
	if (cached) return cached;
	const labels = new Map<string, string>();
	const row = await findScenarioVersion(db, key);
	if (row) {
		for (const node of loadScenarioVersion(row).scenario.dialogue.nodes) {
			for (const choice of node.choices ?? []) if (!labels.has(choice.id)) labels.set(choice.id, choice.label);
		}
	}
	cache.set(key, labels);
	return labels;
}

function operationLabel(name: string): string {
	return (CORE_OPERATIONS as Record<string, { label: string } | undefined>)[name]?.label ?? name;
}

export async function cohortResults(db: Db, organisationId: string, cohortId: string): Promise<CohortResults | undefined> {
	const found = await findCohort(db, organisationId, cohortId);
	if (!found) return undefined;
	const learners = await dbAll(db
		.select({ id: user.id, displayName: user.displayName })
		.from(cohortMember)
		.innerJoin(user, eq(user.id, cohortMember.userId))
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.role, 'learner')))
		.orderBy(user.displayName));
	const ids = learners.map((l) => l.id);
	const ended = ids.length === 0 ? [] : await dbAll(db.select().from(attempt).where(and(inArray(attempt.ownerId, ids), eq(attempt.status, 'ended'))));
	const attempts = ended.filter((a) => a.result !== null && !a.ownerId.startsWith('preview:'));
	const actions = new Map<string, { kind: 'choice' | 'core'; name: string }[]>();
	if (attempts.length > 0) {
		const rows = await dbAll(db
			.select({ attemptId: attemptAction.attemptId, seq: attemptAction.seq, kind: attemptAction.kind, name: attemptAction.name })
			.from(attemptAction)
			.where(inArray(attemptAction.attemptId, attempts.map((a) => a.id)))
			.orderBy(attemptAction.attemptId, attemptAction.seq));
		for (const row of rows) actions.set(row.attemptId, [...(actions.get(row.attemptId) ?? []), { kind: row.kind, name: row.name }]);
	}

	const assignments = await assignmentsOfCohort(db, cohortId);
	const scenarioIds = [...new Set([...assignments.map((a) => a.scenarioId), ...attempts.map((a) => a.scenarioId)])];
	const labelCache = new Map<string, Map<string, string>>();
	const scenarios = await mapInOrder(scenarioIds, async (scenarioId): Promise<ScenarioFigures> => {
		const mine = attempts.filter((a) => a.scenarioId === scenarioId);
		const assigned = assignments.find((a) => a.scenarioId === scenarioId);
		const pointOrder: string[] = [];
		const points = new Map<string, PointFigures>();
		for (const a of mine) {
			for (const p of a.result!.points) {
				if (!points.has(p.id)) {
					pointOrder.push(p.id);
					points.set(p.id, { id: p.id, description: p.description, critical: p.critical, criteria: [...p.criteria], attempts: 0, met: 0, metRate: 0 });
				}
				const figures = points.get(p.id)!;
				figures.attempts += 1;
				if (p.met) figures.met += 1;
			}
		}
		for (const figures of points.values()) figures.metRate = rate(figures.met, figures.attempts);
		const passed = mine.filter((a) => a.result!.passed).length;
		const names = new Map(learners.map((l) => [l.id, l.displayName]));
		const verdicts = [...mine]
			.sort((x, y) => (x.endedAt ?? '').localeCompare(y.endedAt ?? ''))
			.map((a): AttemptVerdict => {
				const verdict = verdictOf(a.result!);
				return {
					attemptId: a.id,
					learner: names.get(a.ownerId) ?? '',
					endedAt: a.endedAt,
					score: a.result!.score,
					passMark: verdict.score?.passMark ?? null,
					passed: verdict.passed,
					headline: verdict.headline,
					reason: verdict.reason
				};
			});
		const notPassedCritical = mine.filter((a) => a.result!.criticalMisses.length > 0).length;

		const stepsOf = async (a: (typeof mine)[number]) => {
			const labels = await choiceLabels(db, a.scenarioId, a.scenarioVersion, labelCache);
			return (actions.get(a.id) ?? []).map((s) => ({ kind: s.kind, label: s.kind === 'choice' ? (labels.get(s.name) ?? s.name) : operationLabel(s.name) }));
		};
		const mistakes = (await mapInOrder(pointOrder, async (pointId): Promise<MistakePath | null> => {
				const missedIn = mine.filter((a) => a.result!.points.some((p) => p.id === pointId && !p.met));
				if (missedIn.length === 0) return null;
				const metIn = mine.filter((a) => a.result!.points.some((p) => p.id === pointId && p.met));
				const tally = new Map<string, ActionFrequency>();
				const count = async (list: typeof mine, field: 'inMissed' | 'inMet') => {
					for (const a of list) {
						for (const step of new Map((await stepsOf(a)).map((s) => [`${s.kind}:${s.label}`, s])).values()) {
							const key = `${step.kind}:${step.label}`;
							const entry = tally.get(key) ?? { label: step.label, kind: step.kind, inMissed: 0, inMet: 0 };
							entry[field] += 1;
							tally.set(key, entry);
						}
					}
				};
				await count(missedIn, 'inMissed');
				await count(metIn, 'inMet');
				const share = (n: number, of: number) => (of === 0 ? 0 : n / of);
				// With no attempt that met the point there is nothing to compare with: no action is singled out.
				const distinctive = metIn.length === 0 ? [] : [...tally.values()]
					.filter((e) => e.inMissed > 0 && share(e.inMissed, missedIn.length) > share(e.inMet, metIn.length))
					.sort((x, y) => y.inMissed - x.inMissed || x.inMet - y.inMet || x.label.localeCompare(y.label))
					.slice(0, 5);
				const sequences = new Map<string, { labels: string[]; attempts: number }>();
				for (const a of missedIn) {
					const labels = (await stepsOf(a)).filter((s) => s.kind === 'choice').map((s) => s.label);
					const key = JSON.stringify(labels);
					sequences.set(key, { labels, attempts: (sequences.get(key)?.attempts ?? 0) + 1 });
				}
				const common = [...sequences.values()].sort((x, y) => y.attempts - x.attempts)[0] ?? null;
				return {
					pointId,
					description: points.get(pointId)!.description,
					missed: missedIn.length,
					met: metIn.length,
					actions: distinctive,
					commonChoices: common && common.labels.length > 0 ? common : null
				};
			}))
			.filter((m): m is MistakePath => m !== null)
			.sort((x, y) => y.missed - x.missed);

		return {
			scenarioId,
			title: assigned?.title ?? await scenarioTitle(db, scenarioId),
			assigned: assigned !== undefined,
			dueOn: assigned?.dueOn ?? null,
			attempts: mine.length,
			learners: new Set(mine.map((a) => a.ownerId)).size,
			passed,
			passRate: rate(passed, mine.length),
			notPassedCritical,
			notPassedScore: mine.length - passed - notPassedCritical,
			notPassedReason: notPassedReasons({ notPassedCritical, notPassedScore: mine.length - passed - notPassedCritical }),
			meanScore: mine.length === 0 ? null : Math.round((mine.reduce((sum, a) => sum + a.result!.score, 0) / mine.length) * 10) / 10,
			passMarks: [...new Set(verdicts.flatMap((v) => (v.passMark === null ? [] : [v.passMark])))].sort((x, y) => x - y),
			verdicts,
			points: pointOrder.map((id) => points.get(id)!),
			mistakes
		};
	});

	const evidenced = new Map<string, Set<string>>();
	for (const a of attempts) for (const code of a.result!.criteriaEvidenced) evidenced.set(code, (evidenced.get(code) ?? new Set()).add(a.ownerId));
	const relevant = new Set(scenarios.flatMap((s) => s.points.flatMap((p) => p.criteria)));
	for (const code of evidenced.keys()) relevant.add(code);
	const criteria = CRITERIA.filter((c) => relevant.has(c.code)).map((c) => ({
		code: c.code,
		title: c.title,
		learners: learners.filter((l) => evidenced.get(c.code)?.has(l.id))
	}));

	const mostMissed = scenarios
		.flatMap((s) => s.points.map((p) => ({ scenarioId: s.scenarioId, title: s.title, pointId: p.id, description: p.description, missed: p.attempts - p.met, attempts: p.attempts })))
		.filter((p) => p.missed > 0)
		.sort((x, y) => y.missed - x.missed || rate(y.missed, y.attempts) - rate(x.missed, x.attempts))
		.slice(0, 5);

	return { cohort: { id: found.id, name: found.name }, learners, attempts: attempts.length, scenarios, criteria, mostMissed };
}

/** Why a scenario's attempts did not pass, counted: "Not passed: 1 with a critical error; 2 with the score below the pass mark". */
function notPassedReasons(s: Pick<ScenarioFigures, 'notPassedCritical' | 'notPassedScore'>): string {
	const parts = [];
	if (s.notPassedCritical > 0) parts.push(`${s.notPassedCritical} with a critical error`);
	if (s.notPassedScore > 0) parts.push(`${s.notPassedScore} with the score below the pass mark`);
	return parts.length === 0 ? '' : `Not passed: ${parts.join('; ')}`;
}

/**
 * The results as CSV: one row per scenario, its marking points and its attempts (each with its
 * score beside the pass mark, the verdict and its reason), then one per criterion.
 */
export function resultsCsv(results: CohortResults): string {
	const rows: (string | number | null)[][] = [
		[
			'section',
			'scenario',
			'marking point, criterion or learner',
			'description',
			'critical',
			'attempts',
			'met',
			'met rate %',
			'learners evidenced',
			'learners in cohort',
			'score %',
			'pass mark %',
			'verdict',
			'verdict reason'
		]
	];
	const none = ['', '', '', ''];
	for (const s of results.scenarios) {
		rows.push([
			'scenario',
			s.title,
			'',
			`${s.passed} of ${s.attempts} attempts passed`,
			'',
			s.attempts,
			s.passed,
			s.passRate,
			'',
			results.learners.length,
			s.meanScore,
			s.passMarks.join(' / '),
			`${s.passed} of ${s.attempts} passed`,
			s.notPassedReason
		]);
		for (const p of s.points) rows.push(['marking point', s.title, p.id, p.description, p.critical ? 'yes' : 'no', p.attempts, p.met, p.metRate, '', results.learners.length, ...none]);
		for (const v of s.verdicts) {
			rows.push([
				'attempt',
				s.title,
				v.learner,
				v.endedAt ? `ended ${v.endedAt}` : '',
				'',
				'',
				'',
				'',
				'',
				results.learners.length,
				v.score,
				v.passMark ?? 'none (earlier rule)',
				v.headline,
				v.reason
			]);
		}
	}
	for (const c of results.criteria) rows.push(['criterion', '', c.code, c.title, '', '', '', '', c.learners.length, results.learners.length, ...none]);
	return toCsv(rows);
}

/** The cohorts' result counts for the results index: ended attempts per cohort. */
export async function endedAttemptCount(db: Db, cohortId: string): Promise<number> {
	const ids = (await dbAll(db
		.select({ id: cohortMember.userId })
		.from(cohortMember)
		.where(and(eq(cohortMember.cohortId, cohortId), eq(cohortMember.role, 'learner')))))
		.map((r) => r.id);
	if (ids.length === 0) return 0;
	return (await dbAll(db.select({ id: attempt.id }).from(attempt).where(and(inArray(attempt.ownerId, ids), eq(attempt.status, 'ended'))))).length;
}
