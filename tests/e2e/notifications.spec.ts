import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test, type OwnUser } from './support/fixtures';
import { mailTo } from './support/mail';

/**
 * Issue 17 item 8: notifications in the app (the bell, /notifications) and by e-mail when the user
 * chose it (the e2e server's mail sink receives the mail: scripts/mail-sink.js).
 */

/** The bell in the header, named in words for screen readers. */
const bell = (page: Page) => page.getByRole('banner').getByRole('link', { name: /^Notifications, \d+ unread$/ });

/** Marks the assessor a trainee, as the IQA would (countersignature.spec.ts does it through the IQA's pages). */
function makeTrainee(person: OwnUser): void {
	const db = new Database(e2eDatabasePath(), { fileMustExist: true });
	db.pragma('busy_timeout = 5000');
	const now = new Date().toISOString();
	db.prepare(`INSERT INTO assessor_profile (assessor_id, status, status_since, risk, risk_reason, updated_at, updated_by) VALUES (?, 'trainee', ?, 'trainee', 'New to the centre.', ?, ?)`).run(
		person.id,
		now.slice(0, 10),
		now,
		person.id
	);
	db.close();
}

test('an assessor’s decision reaches the learner: the bell counts it, the list leads to it and opening it clears the count; the e-mail comes as chosen', async ({ browser, page, learner, assessor, cohort }) => {
	expect(cohort.id).toBeTruthy();
	await logInAsOwn(page, learner);
	await expect(bell(page)).toHaveAccessibleName('Notifications, 0 unread');

	// The learner asks for decisions by e-mail too.
	await page.goto('/account/notifications');
	await waitForHydration(page);
	const decisions = page.getByRole('checkbox', { name: 'A decision or feedback on your work' });
	await expect(decisions).not.toBeChecked();
	await expect(page.getByRole('checkbox', { name: 'Your assessor asks you to resubmit' })).toBeChecked();
	await decisions.check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toContainText('Your choice has been saved.');
	await page.reload();
	await expect(decisions).toBeChecked();
	await expectNoViolations(page);

	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const assessorPage = await newPageAsOwn(browser, assessor);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');

	await page.goto('/learn');
	await expect(bell(page)).toHaveAccessibleName('Notifications, 1 unread');
	await bell(page).click();
	await expect(page).toHaveURL('/notifications');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications');
	await expectNoViolations(page);
	const item = page.getByRole('link', { name: /has been assessed/ });
	await expect(item).toHaveCount(1);
	await item.click();
	await expect(page).toHaveURL(`/learn/attempts/${attemptId}/debrief`);
	await expect(bell(page)).toHaveAccessibleName('Notifications, 0 unread');

	// The e-mail: the title and a link, nothing of the learner's work.
	await expect.poll(() => mailTo(learner.email).length).toBe(1);
	const [mail] = mailTo(learner.email);
	expect(mail!.subject).toContain('has been assessed');
	expect(mail!.text).toContain(`/learn/attempts/${attemptId}/debrief`);
	expect(mail!.text).not.toContain('lawful call');
	expect(mail!.text).not.toContain(learner.name);
});

test('a trainee’s decision asks the qualified assessors of the cohort to countersign, and nobody else; the list works without JavaScript', async ({ browser, page, learner, tutor }) => {
	const trainee = await createOwnUser(['assessor'], 'trainee assessor');
	const qualified = await createOwnUser(['assessor'], 'qualified assessor');
	const elsewhere = await createOwnUser(['assessor'], 'assessor of another cohort');
	await createOwnCohort(tutor, { learners: [learner], assessors: [trainee, qualified] }, ['spouse-caller']);
	await createOwnCohort(tutor, { assessors: [elsewhere] });
	makeTrainee(trainee);

	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const traineePage = await newPageAsOwn(browser, trainee);
	const review = new ReviewPage(traineePage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(trainee.name);
	await expect(traineePage.getByRole('status')).toContainText('Decision 1 signed');

	// The qualified assessor, in a browser without JavaScript.
	const told = await newPageAsOwn(browser, qualified, '/notifications', { javaScript: false });
	await expect(bell(told)).toHaveAccessibleName('Notifications, 1 unread');
	await expect(told.getByRole('link', { name: /needs your countersignature/ })).toHaveAttribute('href', /^\/notifications\//);
	await told.getByRole('button', { name: 'Mark all as read' }).click();
	await expect(told).toHaveURL('/notifications');
	await expect(bell(told)).toHaveAccessibleName('Notifications, 0 unread');
	await expect(told.getByRole('button', { name: 'Mark all as read' })).toHaveCount(0);
	// Asking for a countersignature comes by e-mail unless the assessor turned it off.
	await expect.poll(() => mailTo(qualified.email).length).toBe(1);
	expect(mailTo(qualified.email)[0]!.subject).toContain('needs your countersignature');

	// The trainee, the learner and an assessor of another cohort are not told.
	await traineePage.goto('/assess');
	await expect(bell(traineePage)).toHaveAccessibleName('Notifications, 0 unread');
	await page.goto('/learn');
	await expect(bell(page)).toHaveAccessibleName('Notifications, 0 unread');
	const other = await newPageAsOwn(browser, elsewhere);
	await expect(bell(other)).toHaveAccessibleName('Notifications, 0 unread');
});

test('another user’s notification is not found, and opening one of your own leads to it', async ({ browser, page, learner, assessor, cohort }) => {
	expect(cohort.id).toBeTruthy();
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const assessorPage = await newPageAsOwn(browser, assessor);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Resubmission requested', 'Say what you checked before answering the caller.', 'Add what you checked on the account.');
	await review.sign(assessor.name);
	await page.goto('/notifications');
	const href = await page.getByRole('link', { name: /asks you to resubmit/ }).getAttribute('href');
	const opened = await assessorPage.request.get(href!, { maxRedirects: 0 });
	expect(opened.status()).toBe(404);
	await page.goto(href!);
	await expect(page).toHaveURL(`/learn/attempts/${attemptId}/reflection`);
});
