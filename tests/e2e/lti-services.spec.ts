import { eq } from 'drizzle-orm';
import { dbRun, openDatabase, type Db } from '../../src/lib/core/database';
import { endLearnerAttempt, startLearnerAttempt } from '../../src/lib/server/attempts';
import { ltiGradeReturn } from '../../src/lib/server/db/lti-services';
import { linkAttemptToLaunch } from '../../src/lib/server/lti/services/grade-return';
import { rememberLaunchContext } from '../../src/lib/server/lti/services/members';
import { expectNoViolations } from './support/accessibility';
import { e2eDatabasePath } from './support/fingerprint';
import { createOwnCentre, createOwnCohort, createOwnUser, expect, logInAsOwn, test } from './support/fixtures';

let connection: Db | undefined;
const db = () => (connection ??= openDatabase(e2eDatabasePath(), { migrate: false }));

test('an administrator sees a grade the LMS refused for good, with why, and queues it again', async ({ page }) => {
	const centre = await createOwnCentre();
	const admin = await createOwnUser(['admin'], 'admin', { organisationId: centre });
	const learner = await createOwnUser(['learner'], 'lms learner', { organisationId: centre });
	const started = await startLearnerAttempt(db(), learner.id, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	await linkAttemptToLaunch(db(), started.value.id, { platformId: 'e2e-platform', sub: 'lms-sub-1', resourceLinkId: 'rl-1', ags: { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineitem: 'https://lms.example/li/1' } });
	const ended = await endLearnerAttempt(db(), learner.id, started.value.id);
	if (!ended.ok) throw new Error(ended.error.message);
	await dbRun(db()
		.update(ltiGradeReturn)
		.set({ attempts: 1, failedAt: new Date().toISOString(), lastError: 'Posting the score: the platform answered 400 (the line item is closed).' })
		.where(eq(ltiGradeReturn.attemptId, started.value.id)));

	await logInAsOwn(page, admin, '/admin');
	const section = page.getByRole('region', { name: 'Grades not returned to the LMS' });
	const row = section.getByRole('row', { name: new RegExp(learner.name) });
	await expect(row).toContainText('Score');
	await expect(row).toContainText('the line item is closed');
	await expect(row).toContainText('after 1 try');
	await expectNoViolations(page);
	await section.screenshot({ path: 'tests/.artifacts/lti-admin-failures.png' });
	await row.getByRole('button', { name: /Try again/ }).click();
	await expect(section.getByRole('status')).toHaveText('The grade is queued again and is being sent now. If the LMS refuses it again, it comes back to this list with the reason.');
	// Sent at once (not at the next tick): this platform is not registered here, so it is refused for good again, and says why.
	await expect(async () => {
		await page.reload();
		const again = page.getByRole('region', { name: 'Grades not returned to the LMS' }).getByRole('row', { name: new RegExp(learner.name) });
		await expect(again).toContainText('no longer registered', { timeout: 1_000 });
		await expect(again).not.toContainText('the line item is closed', { timeout: 1_000 });
	}).toPass({ timeout: 15_000 });
});

test('a tutor fills a cohort from an LMS course, and is told clearly when the LMS cannot be asked', async ({ page }) => {
	const centre = await createOwnCentre();
	const tutor = await createOwnUser(['tutor'], 'tutor', { organisationId: centre });
	const cohort = await createOwnCohort(tutor, {});
	await rememberLaunchContext(db(), { platformId: 'e2e-platform', organisationId: centre, context: { id: `course-${cohort.id}`, title: 'Level 2 Customer Service (LMS)' }, nrps: { context_memberships_url: 'https://lms.example/nrps', service_versions: ['2.0'] } });

	await logInAsOwn(page, tutor, `/author/cohorts/${cohort.id}`);
	const section = page.getByRole('region', { name: 'Learners from the LMS' });
	await expect(section).toContainText('never by e-mail');
	await expectNoViolations(page);
	// Nothing chosen: the field says so.
	await section.getByRole('button', { name: 'Fill from the LMS' }).click();
	await expect(page.locator('#course-error')).toHaveText('Choose one of the LMS courses listed.');
	await expect(section.getByLabel('LMS course')).toHaveAttribute('aria-invalid', 'true');
	// The course's platform is not registered (or not enabled) on this server: a clear message, never a 500.
	await section.getByLabel('LMS course').selectOption({ label: 'Level 2 Customer Service (LMS)' });
	await section.getByRole('button', { name: 'Fill from the LMS' }).click();
	await expect(page.locator('#course-error')).toContainText('no longer registered or is disabled');
	await section.screenshot({ path: 'tests/.artifacts/lti-cohort-fill.png' });
});
