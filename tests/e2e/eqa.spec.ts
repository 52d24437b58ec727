import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { LoginPage, waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { addressHeaders, createOwnCentre, createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test, uniqueSuffix, type OwnUser } from './support/fixtures';
import { mailTo, resetPathIn } from './support/mail';
import { enrolMfa } from './support/mfa';

/**
 * External quality assurance access the centre controls (issue 17, item 4): an administrator invites
 * an EQA for 14 days to a sample of one cohort; the EQA chooses a password from the e-mailed link,
 * sets up two-step log-in, sees exactly the sample, downloads a sampled learner's evidence pack that
 * /verify recognises, and submits a report the centre answers. Access past its last day, revoked, or
 * to another centre's grant is refused; every view and refusal is in the security log.
 */

const ukDay = (offset = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offset * 86_400_000));

function eventsOf(userId: string, type: string): { detail: string }[] {
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	try {
		return db.prepare('SELECT detail FROM security_event WHERE user_id = ? AND type = ? ORDER BY id').all(userId, type) as { detail: string }[];
	} finally {
		db.close();
	}
}

/** A grant written straight into the database (as the app writes one), for the cases the invite form cannot make: dates in the past, another centre. */
function insertGrant(grant: { organisationId: string; eqaId: string; cohortId: string; invitedBy: string; startsOn: string; endsOn: string; learnerIds: string[] }): string {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	db.pragma('busy_timeout = 5000');
	try {
		const id = `e2e-grant-${randomUUID()}`;
		db.prepare('INSERT INTO eqa_access (id, organisation_id, eqa_user_id, cohort_id, starts_on, ends_on, invited_by, invited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
			id,
			grant.organisationId,
			grant.eqaId,
			grant.cohortId,
			grant.startsOn,
			grant.endsOn,
			grant.invitedBy,
			new Date().toISOString()
		);
		for (const learnerId of grant.learnerIds) db.prepare('INSERT INTO eqa_access_learner (access_id, learner_id) VALUES (?, ?)').run(id, learnerId);
		return id;
	} finally {
		db.close();
	}
}

function insertCohort(organisationId: string, createdBy: string): string {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	db.pragma('busy_timeout = 5000');
	try {
		const id = `e2e-cohort-${randomUUID()}`;
		db.prepare(`INSERT INTO cohort (id, organisation_id, name, description, created_by, created_at) VALUES (?, ?, ?, '', ?, ?)`).run(id, organisationId, `Elsewhere ${uniqueSuffix()}`, createdBy, new Date().toISOString());
		return id;
	} finally {
		db.close();
	}
}

async function signedOffAttempt(learnerPage: Page, assessorPage: Page, assessor: OwnUser): Promise<string> {
	const attemptId = await endedAttempt(learnerPage);
	await submitReflection(learnerPage, attemptId);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');
	return attemptId;
}

test('an administrator invites an EQA for 14 days; the EQA sets up MFA, sees exactly the sample, downloads a verified evidence pack and reports; the centre answers', async ({ browser, admin, learner, assessor, tutor }) => {
	test.slow(); // a signed decision, an invitation, a first log-in with MFA set-up and a pack
	// The cohort has a second learner, whom the administrator leaves out of the sample.
	const outside = await createOwnUser(['learner'], 'eqa outside');
	const cohort = await createOwnCohort(tutor, { learners: [learner, outside], assessors: [assessor] }, ['spouse-caller']);

	const learnerPage = await newPageAsOwn(browser, learner);
	const assessorPage = await newPageAsOwn(browser, assessor);
	await signedOffAttempt(learnerPage, assessorPage, assessor);

	// The administrator invites: cohort first, then the learners of it, dates left at their 14-day default.
	const adminPage = await newPageAsOwn(browser, admin, '/iqa/eqa');
	await adminPage.getByLabel(/^Cohort/).selectOption(cohort.id);
	await adminPage.getByRole('button', { name: 'Show its learners' }).click();
	await waitForHydration(adminPage);
	await expect(adminPage.getByLabel('First day of access')).toHaveValue(ukDay());
	await expect(adminPage.getByLabel('Last day of access')).toHaveValue(ukDay(13));
	await expect(adminPage.getByRole('checkbox', { name: new RegExp(outside.name) })).toBeVisible();
	await expectNoViolations(adminPage);
	// Nothing picked: refused next to the field.
	const email = `eqa.${uniqueSuffix()}@awarding.example`;
	await adminPage.getByLabel('EQA’s e-mail address').fill(email);
	await adminPage.getByLabel('EQA’s full name').fill('Rhian Pugh');
	await adminPage.getByRole('button', { name: 'Give access' }).click();
	await expect(adminPage.locator('#learnerIds-error')).toContainText('Pick at least one learner');
	await adminPage.getByRole('checkbox', { name: new RegExp(learner.name) }).check();
	await adminPage.getByRole('button', { name: 'Give access' }).click();
	await expect(adminPage.getByRole('status').first()).toContainText('has access');
	await expect(adminPage.getByRole('status').first()).toContainText('e-mailed them a link');
	const grantLink = adminPage.getByRole('link', { name: 'See the access' });
	const accessId = (await grantLink.getAttribute('href'))!.split('/').pop()!;

	// The EQA chooses a password from the e-mailed link, then must set up two-step log-in.
	// (The "EQA access granted" notification comes by e-mail too.)
	const invitation = () => mailTo(email).filter((m) => m.subject.includes('invites you'));
	await expect.poll(() => invitation().length).toBe(1);
	await expect.poll(() => mailTo(email).some((m) => m.subject.startsWith('EQA access granted'))).toBe(true);
	const eqaContext = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const eqaPage = await eqaContext.newPage();
	await eqaPage.goto(resetPathIn(invitation()[0]!));
	await waitForHydration(eqaPage);
	const password = `sampling visit ${randomUUID()}`;
	await eqaPage.getByLabel('New password', { exact: true }).fill(password);
	await eqaPage.getByLabel('New password again').fill(password);
	await eqaPage.getByRole('button', { name: 'Save the new password' }).click();
	await expect(eqaPage).toHaveURL('/login?reset=done');
	await waitForHydration(eqaPage);
	await new LoginPage(eqaPage).logIn(email, password);
	await expect(eqaPage).toHaveURL(/\/account\/mfa(\?|$)/);
	await enrolMfa(eqaPage);
	await eqaPage.goto('/eqa');
	await expect(eqaPage.getByRole('heading', { level: 1 })).toHaveText('External quality assurance');

	// Exactly the sample: the picked learner, never the other one of the cohort.
	await eqaPage.getByRole('link', { name: cohort.name }).click();
	await expect(eqaPage).toHaveURL(`/eqa/${accessId}`);
	await expect(eqaPage.getByRole('link', { name: learner.name })).toBeVisible();
	await expect(eqaPage.getByText(outside.name)).toHaveCount(0);
	await expect(eqaPage.getByRole('heading', { name: assessor.name })).toBeVisible();
	await expectNoViolations(eqaPage);
	const refused = await eqaPage.goto(`/eqa/${accessId}/learners/${outside.id}`);
	expect(refused?.status()).toBe(404);
	await expect(eqaPage.getByText(outside.name)).toHaveCount(0);

	// The sampled learner's work, and the evidence pack /verify recognises.
	await eqaPage.goto(`/eqa/${accessId}/learners/${learner.id}`);
	await waitForHydration(eqaPage);
	await expect(eqaPage.getByRole('heading', { level: 1 })).toHaveText(learner.name);
	await expect(eqaPage.getByText(`signed by ${assessor.name}`)).toBeVisible();
	await expectNoViolations(eqaPage);
	const saved = eqaPage.waitForEvent('download');
	await eqaPage.getByRole('button', { name: 'Download the evidence pack (ZIP)' }).click();
	const file = await saved;
	const zipPath = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(zipPath);
	await eqaPage.goto('/verify');
	await waitForHydration(eqaPage);
	await eqaPage.getByLabel('PDF file').setInputFiles(zipPath);
	await eqaPage.getByRole('button', { name: 'Check the file' }).click();
	await expect(eqaPage.locator('#verify-result')).toContainText('An evidence pack issued by this centre, unchanged');
	await expect(eqaPage.locator('#verify-result')).toContainText(learner.name);

	// The report: submitting without a risk is refused next to the field; then submitted, it is final.
	await eqaPage.goto(`/eqa/${accessId}/report`);
	await waitForHydration(eqaPage);
	await eqaPage.getByLabel('Summary').fill('Assessment decisions are sound and well evidenced.');
	await eqaPage.getByLabel(/^PC01 /).fill('Decisions cite the customer record for each point.');
	await eqaPage.getByLabel('Action 1: what is to be done').fill('Record the reason for each countersignature.');
	await eqaPage.getByLabel('Owner').first().fill('Lead IQA');
	await eqaPage.getByLabel('Due').first().fill(ukDay(30));
	await eqaPage.getByRole('button', { name: 'Submit the report' }).click();
	await expect(eqaPage.locator('#risk-error')).toContainText('Choose the centre’s risk');
	await eqaPage.getByLabel('Amber: some risk').check();
	await eqaPage.getByRole('button', { name: 'Submit the report' }).click();
	await expect(eqaPage.getByRole('status')).toContainText('Your report is submitted');
	await expect(eqaPage.locator('#report-risk')).toHaveText('Amber: some risk');
	await expect(eqaPage.getByRole('button', { name: 'Submit the report' })).toHaveCount(0);

	// The centre reads and answers it, the action and the report.
	await adminPage.goto(`/iqa/eqa/${accessId}`);
	await waitForHydration(adminPage);
	await expect(adminPage.locator('#report-risk')).toHaveText('Amber: some risk');
	await adminPage.getByLabel('The centre’s answer to this action').fill('A reason field is now required when countersigning.');
	await adminPage.getByRole('button', { name: 'Answer the action' }).click();
	await expect(adminPage.getByRole('status')).toContainText('Your answer to the action is recorded');
	await adminPage.getByLabel('Answer', { exact: true }).fill('We accept the findings.');
	await adminPage.getByRole('button', { name: 'Answer the report' }).click();
	await expect(adminPage.getByRole('status')).toContainText('Your answer to the report is recorded');
	await expectNoViolations(adminPage);
	await eqaPage.goto(`/eqa/${accessId}/report`);
	await expect(eqaPage.getByText('We accept the findings.')).toBeVisible();

	// Everything the EQA viewed, and the refusal, is in the security log.
	const db = new Database(e2eDatabasePath(), { readonly: true, fileMustExist: true });
	const eqaUser = db.prepare('SELECT id FROM user WHERE email = ?').get(email) as { id: string };
	db.close();
	const viewed = eventsOf(eqaUser.id, 'eqa.viewed').map((e) => JSON.parse(e.detail) as { accessId: string; learnerId: string | null; what: string });
	expect(viewed).toEqual(expect.arrayContaining([{ accessId, learnerId: null, what: 'sample' }, { accessId, learnerId: learner.id, what: 'learner' }, { accessId, learnerId: learner.id, what: 'evidence-pack' }]));
	expect(eventsOf(eqaUser.id, 'eqa.refused').map((e) => JSON.parse(e.detail))).toContainEqual({ reason: 'outside-sample', accessId, learnerId: outside.id });
	await eqaContext.close();
});

test('a grant past its last day is refused with the day it ended, and a revoked one from the moment it is revoked', async ({ page, browser, admin, learner, cohort }) => {
	const eqa = await createOwnUser(['eqa'], 'eqa ended');
	const ended = insertGrant({ organisationId: admin.organisationId, eqaId: eqa.id, cohortId: cohort.id, invitedBy: admin.id, startsOn: ukDay(-20), endsOn: ukDay(-7), learnerIds: [learner.id] });
	const live = insertGrant({ organisationId: admin.organisationId, eqaId: eqa.id, cohortId: cohort.id, invitedBy: admin.id, startsOn: ukDay(), endsOn: ukDay(13), learnerIds: [learner.id] });
	await logInAsOwn(page, eqa);
	for (const path of [`/eqa/${ended}`, `/eqa/${ended}/learners/${learner.id}`, `/eqa/${ended}/report`]) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your access is not open');
		await expect(page.locator('#refusal')).toContainText(/Your access to the sample of .* ended on/);
		await expect(page.getByText(learner.name)).toHaveCount(0);
	}
	const pack = await page.request.post(`/eqa/${ended}/learners/${learner.id}/pack`, { form: {}, headers: { origin: new URL(page.url()).origin }, maxRedirects: 0 });
	expect(pack.status()).toBe(403);
	expect((await page.goto(`/eqa/${live}/learners/${learner.id}`))?.status()).toBe(200);

	// The administrator revokes the live grant, with a reason: the EQA's next request is refused.
	const adminPage = await newPageAsOwn(browser, admin, `/iqa/eqa/${live}`);
	await adminPage.getByRole('button', { name: 'Revoke access' }).click();
	await expect(adminPage.locator('#reason-error')).toContainText('Say why');
	await adminPage.getByLabel('Why the access ends now').fill('The visit is over.');
	await adminPage.getByRole('button', { name: 'Revoke access' }).click();
	await expect(adminPage.getByRole('status')).toContainText('Access revoked');
	await expect(adminPage.locator('#grant-state')).toHaveText('Revoked');
	expect((await page.goto(`/eqa/${live}/learners/${learner.id}`))?.status()).toBe(403);
	await expect(page.locator('#refusal')).toContainText('the centre revoked it');
	expect(eventsOf(eqa.id, 'eqa.refused').map((e) => (JSON.parse(e.detail) as { reason: string }).reason)).toEqual(expect.arrayContaining(['ended', 'revoked']));
});

test('another centre’s grant is not found, for its EQA’s peers, the IQA and the administrator here', async ({ page, browser, admin, learner, cohort }) => {
	const elsewhere = await createOwnCentre();
	const theirAdmin = await createOwnUser(['admin'], 'elsewhere admin', { organisationId: elsewhere });
	const theirEqa = await createOwnUser(['eqa'], 'elsewhere eqa', { organisationId: elsewhere });
	const theirs = insertGrant({ organisationId: elsewhere, eqaId: theirEqa.id, cohortId: insertCohort(elsewhere, theirAdmin.id), invitedBy: theirAdmin.id, startsOn: ukDay(), endsOn: ukDay(13), learnerIds: [] });
	// An EQA here, with a live grant of their own, tries the other centre's.
	const ours = await createOwnUser(['eqa'], 'eqa here');
	insertGrant({ organisationId: admin.organisationId, eqaId: ours.id, cohortId: cohort.id, invitedBy: admin.id, startsOn: ukDay(), endsOn: ukDay(13), learnerIds: [learner.id] });
	await logInAsOwn(page, ours);
	expect((await page.goto(`/eqa/${theirs}`))?.status()).toBe(404);
	expect((await page.goto(`/eqa/${theirs}/report`))?.status()).toBe(404);
	for (const person of [admin, await createOwnUser(['iqa'], 'iqa here')]) {
		const staff = await newPageAsOwn(browser, person, '/iqa/eqa');
		expect((await staff.goto(`/iqa/eqa/${theirs}`))?.status(), person.email).toBe(404);
		await staff.context().close();
	}
	expect(eventsOf(ours.id, 'eqa.refused').map((e) => JSON.parse(e.detail))).toContainEqual({ reason: 'not-found', accessId: theirs });
});
