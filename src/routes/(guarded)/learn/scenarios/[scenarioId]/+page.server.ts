import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CRITERIA, CRITERION_KINDS } from '$lib/criteria';
import { getDb } from '$lib/server/db';
import { attemptsOf, inProgressAttemptOf, startLearnerAttempt } from '$lib/server/attempts';
import { currentVersionOf, isArchived, loadScenarioVersion } from '$lib/server/scenarios';
import { withRole, actionsWithRole } from '$lib/server/auth/access';
import { launchOfSession } from '$lib/server/lti/attempt-launch';

const NOT_FOUND = 'There is no scenario at this address. Choose one from your scenarios.';

export const load = withRole('learner', (async ({ locals, params }) => {
	const db = getDb();
	const version = await currentVersionOf(db, params.scenarioId);
	if (!version) error(404, { message: NOT_FOUND });
	const { scenario } = loadScenarioVersion(version);
	const learnerId = locals.user!.id;
	return {
		scenario: {
			id: version.scenarioId,
			title: version.title,
			version: scenario.version,
			difficulty: version.difficulty,
			organisation: scenario.organisation.name ?? null,
			brief: scenario.brief
		},
		marking: {
			points: scenario.marking.length,
			critical: scenario.marking.filter((p) => p.critical).length,
			passMark: scenario.passMark
		},
		// In the unit's order, whatever order the file lists them in.
		criteria: CRITERIA.filter((c) => version.criteria.includes(c.code)).map((c) => ({
			code: c.code,
			title: c.title,
			kind: CRITERION_KINDS.find((k) => k.kind === c.kind)!.label
		})),
		attempts: (await attemptsOf(db, learnerId)).filter((a) => a.scenarioId === version.scenarioId),
		inProgress: await inProgressAttemptOf(db, learnerId, version.scenarioId) ?? null,
		archived: await isArchived(db, version.scenarioId)
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('learner', {
	start: async ({ locals, params }) => {
		const db = getDb();
		// Started in the session an LMS launch of this scenario began: its grade goes back to the LMS.
		const launch = await launchOfSession(db, locals.session?.id, locals.user!.id, params.scenarioId);
		const started = await startLearnerAttempt(db, locals.user!.id, params.scenarioId, launch);
		if (!started.ok) {
			if (started.error.code === 'scenario.not-found') error(404, { message: NOT_FOUND });
			return fail(409, { startError: `The attempt could not be started: ${started.error.message}` });
		}
		redirect(303, `/learn/attempts/${started.value.id}`);
	}
} satisfies Actions);
