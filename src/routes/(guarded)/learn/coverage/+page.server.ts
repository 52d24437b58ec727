import type { PageServerLoad } from './$types';
import { CRITERION_KINDS, criterionByCode } from '$lib/criteria';
import { getDb } from '$lib/server/db';
import { attemptsOf, type AttemptSummary } from '$lib/server/attempts';
import { COVERAGE_LABELS, coverageOf, type CoverageState } from '$lib/server/coverage';
import { currentScenarios } from '$lib/server/scenarios';

const SHOWN_PER_SCENARIO = 3;

/** A criterion's evidence, per scenario: its newest few attempts (attemptsOf gives newest first). */
function byScenario(attempts: AttemptSummary[]) {
	const groups = new Map<string, { scenarioId: string; title: string; attempts: Pick<AttemptSummary, 'id' | 'status' | 'passed' | 'startedAt'>[]; more: number }>();
	for (const a of attempts) {
		const group = groups.get(a.scenarioId) ?? { scenarioId: a.scenarioId, title: a.title, attempts: [], more: 0 };
		if (group.attempts.length < SHOWN_PER_SCENARIO) group.attempts.push({ id: a.id, status: a.status, passed: a.passed, startedAt: a.startedAt });
		else group.more++;
		groups.set(a.scenarioId, group);
	}
	return [...groups.values()];
}

export const load = (({ locals }) => {
	const db = getDb();
	const attempts = attemptsOf(db, locals.user!.id);
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const rows = coverageOf(attempts, new Map(currentScenarios(db).map((s) => [s.scenarioId, s.criteria])));
	return {
		labels: COVERAGE_LABELS,
		counts: (Object.keys(COVERAGE_LABELS) as CoverageState[]).map((state) => ({
			state,
			label: COVERAGE_LABELS[state],
			count: rows.filter((row) => row.state === state).length
		})),
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
					evidence: byScenario(row.attempts.map((e) => byId.get(e.id)!))
				}))
		}))
	};
}) satisfies PageServerLoad;
