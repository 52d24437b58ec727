import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { all, text } from '$lib/form-data';
import { postedForm } from '$lib/server/posted-form';
import { getDb } from '$lib/server/db';
import { appMailer } from '$lib/server/mail';
import { ukToday } from '$lib/dates';
import { actionsWithAnyRole, withAnyRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { oneTimePasswordLifetimeMs } from '$lib/server/auth/one-time-password';
import { DEFAULT_ACCESS_DAYS, GRANT_STATE_LABELS, STANDING_LABELS, addDays, cohortLearnersWithStanding, cohortsForSampling, grantsOfCentre, inviteEqa } from '$lib/server/eqa/grants';

/** The centre's administrator and its IQA both let external quality assurers in (access.ts SHARED_ROUTES). */

// The centre's administrator and its IQA both let external quality assurers in (access.ts SHARED_ROUTES).
export const load = withAnyRole(['iqa', 'admin'], (async ({ locals, url }) => {
	const db = getDb();
	const organisationId = locals.user!.organisationId;
	const cohorts = await cohortsForSampling(db, organisationId);
	const chosen = cohorts.find((c) => c.id === url.searchParams.get('cohort')) ?? null;
	const today = ukToday(new Date());
	return {
		isIqa: locals.user!.roles.includes('iqa'),
		grants: await grantsOfCentre(db, organisationId),
		cohorts,
		cohort: chosen,
		learners: chosen ? await cohortLearnersWithStanding(db, organisationId, chosen.id) : [],
		defaults: { startsOn: today, endsOn: addDays(today, DEFAULT_ACCESS_DAYS - 1) },
		stateLabels: GRANT_STATE_LABELS,
		standingLabels: STANDING_LABELS,
		mailConfigured: appMailer() !== null,
		oneTimePasswordHours: oneTimePasswordLifetimeMs() / 3_600_000
	};
}) satisfies PageServerLoad);

export const actions = actionsWithAnyRole(['iqa', 'admin'], {
	invite: async (event) => {
		const form = await postedForm(event.request);
		const values = {
			email: text(form, 'email', { max: 254 }),
			name: text(form, 'name', { max: 200 }),
			cohortId: text(form, 'cohortId', { max: 100 }),
			learnerIds: all(form, 'learnerIds', { count: 600, max: 100 }),
			startsOn: text(form, 'startsOn', { max: 20, trim: true }),
			endsOn: text(form, 'endsOn', { max: 20, trim: true })
		};
		const user = event.locals.user!;
		const invited = await inviteEqa(getDb(), user.organisationId, actorOf(event), values, { mailer: appMailer(), origin: event.url.origin });
		if (!invited.ok) return fail(400, { values, errors: invited.errors, invited: null });
		const { access, eqa, oneTimePassword, emailed } = invited.value;
		return { values: null, errors: null, invited: { accessId: access.id, name: eqa.name, email: eqa.email, created: eqa.created, emailed, oneTimePassword } };
	}
} satisfies Actions);
