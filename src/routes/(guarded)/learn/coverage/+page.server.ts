import type { PageServerLoad } from './$types';
import { CRITERION_KINDS, criterionByCode } from '$lib/criteria';
import { getDb } from '$lib/server/db';
import { attemptsOf, type AttemptSummary } from '$lib/server/attempts';
import { COVERAGE_LABELS, learnerCoverage, type CoverageRow, type CoverageState } from '$lib/server/coverage';
import { withRole } from '$lib/server/auth/access';

const SHOWN_PER_SCENARIO = 3;

/** A criterion's evidence, per scenario: its newest few attempts (attemptsOf gives newest first). */
function byScenario(attempts: (AttemptSummary & { signedOff: boolean })[]) {
	const groups = new Map<string, { scenarioId: string; title: string; attempts: (Pick<AttemptSummary, 'id' | 'status' | 'passed' | 'startedAt' | 'verdict'> & { signedOff: boolean })[]; more: number }>();
	for (const a of attempts) {
		const group = groups.get(a.scenarioId) ?? { scenarioId: a.scenarioId, title: a.title, attempts: [], more: 0 };
		if (group.attempts.length < SHOWN_PER_SCENARIO) group.attempts.push({ id: a.id, status: a.status, passed: a.passed, verdict: a.verdict, startedAt: a.startedAt, signedOff: a.signedOff });
		else group.more++;
		groups.set(a.scenarioId, group);
	}
	return [...groups.values()];
}

export const load = withRole('learner', (({ locals }) => {
	const db = getDb();
	const attempts = attemptsOf(db, locals.user!.id);
	const byId = new Map(attempts.map((a) => [a.id, a]));
	const rows: CoverageRow[] = learnerCoverage(db, locals.user!.id);
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
					signedBy: row.signedBy ?? null,
					evidence: byScenario(row.attempts.map((e) => ({ ...byId.get(e.id)!, signedOff: e.state === 'signed-off' }))),
					other: row.evidence.filter((e) => e.kind !== 'attempt').map((e) => ({ kind: e.kind, id: e.id, title: e.title, signedBy: e.signedBy ?? null }))
				}))
		}))
	};
}) satisfies PageServerLoad);
