import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { DebriefPage } from './support/learner';
import { createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';

/**
 * Issue 17 item 1: an IQA marks a new assessor as a trainee; the trainee's decision does not count
 * until a qualified assessor of the same cohort countersigns it; the learner sees it waiting, then
 * signed off; the portfolio PDF carries both signatures and /verify still recognises it.
 */

function pdfText(path: string): string {
	const run = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
	expect(run.status).toBe(0);
	return run.stdout;
}

/** The learner's own status of the attempt, as their history lists it. */
async function standing(page: Page, attemptId: string) {
	await page.goto('/learn/history');
	return page.getByRole('listitem').filter({ has: page.locator(`a[href="/learn/attempts/${attemptId}/debrief"]`) }).locator('.status-badge');
}

test('a trainee’s decision waits for a qualified assessor’s countersignature, then counts, and the PDF shows both signatures', async ({ browser, page, learner, tutor }) => {
	const trainee = await createOwnUser(['assessor'], 'trainee assessor');
	const qualified = await createOwnUser(['assessor'], 'qualified assessor');
	const iqa = await createOwnUser(['iqa'], 'quality assurer');
	await createOwnCohort(tutor, { learners: [learner], assessors: [trainee, qualified] }, ['spouse-caller']);

	// The IQA marks the new assessor as a trainee, with a reason; a rating without a reason is refused next to its field.
	const quality = await newPageAsOwn(browser, iqa);
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText('Quality assurance');
	await quality.getByRole('link', { name: trainee.name }).click();
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText(trainee.name);
	await waitForHydration(quality);
	await expect(quality.locator('#profile-status')).toHaveText('Qualified');
	await expect(quality.locator('#profile-risk')).toHaveText('New');
	await quality.getByLabel('Status', { exact: true }).selectOption('trainee');
	await quality.getByLabel('Reason', { exact: true }).fill('Working towards the assessor award; new to the centre.');
	await quality.getByRole('button', { name: 'Set the status' }).click();
	await expect(quality.getByRole('status')).toContainText('Status saved.');
	await expect(quality.locator('#profile-status')).toContainText('Trainee since');
	await quality.getByLabel('Risk', { exact: true }).selectOption('trainee');
	await quality.getByRole('button', { name: 'Set the risk' }).click();
	await expect(quality.locator('#risk-reason-error')).toContainText('Give the reason');
	await quality.getByLabel('Reason for the rating').fill('Every decision is countersigned.');
	await quality.getByRole('button', { name: 'Set the risk' }).click();
	await expect(quality.locator('#profile-risk')).toHaveText('Trainee: Every decision is countersigned.');
	await expect(quality.getByRole('list', { name: 'Changes, newest first' }).getByRole('listitem')).toHaveCount(2);
	await expectNoViolations(quality);

	// The learner submits an attempt; the trainee signs a met decision.
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const traineePage = await newPageAsOwn(browser, trainee);
	const review = new ReviewPage(traineePage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(trainee.name);
	await expect(traineePage.getByRole('status')).toContainText('Decision 1 signed');
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText('Waiting for a qualified assessor');
	await expect(traineePage.getByRole('article', { name: /^Decision 1:/ })).toContainText('Awaiting countersignature');

	// The learner still sees it waiting, not signed off.
	await expect(await standing(page, attemptId)).toHaveText(/Awaiting countersignature/);
	await new DebriefPage(page).goto(attemptId);
	await expect(page.getByRole('region', { name: 'Your assessor’s decision' })).toContainText('Awaiting countersignature');

	// A qualified assessor of the cohort finds it on their home page and countersigns it from the review.
	const qualifiedPage = await newPageAsOwn(browser, qualified);
	const toGive = qualifiedPage.getByRole('region', { name: 'Countersignatures to give' });
	await expect(toGive).toContainText(`signed by ${trainee.name}`);
	await toGive.getByRole('link', { name: new RegExp(learner.name) }).click();
	await waitForHydration(qualifiedPage);
	const block = qualifiedPage.getByRole('region', { name: 'Countersignature' });
	await expect(block).toContainText(`signed by ${trainee.name}, a trainee assessor`);
	await block.getByLabel('Your full name, to sign').fill(qualified.name);
	await block.getByRole('button', { name: 'Sign my answer' }).click();
	await expect(qualifiedPage.getByRole('region', { name: 'Countersignature' })).toContainText('You countersigned the decision: it now counts.');
	await expect(qualifiedPage.getByRole('article', { name: /^Decision 1:/ })).toContainText(`Countersigned by ${qualified.name}`);
	await expectNoViolations(qualifiedPage);

	// The learner now sees it signed off, countersigned.
	await expect(await standing(page, attemptId)).toHaveText(/Signed off/);
	await new DebriefPage(page).goto(attemptId);
	await expect(page.getByRole('region', { name: 'Your assessor’s decision' })).toContainText(`Countersigned by ${qualified.name}`);

	// The portfolio PDF shows both signatures, and /verify recognises it.
	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	const row = page.getByRole('listitem').filter({ has: page.locator(`form[action="/learn/portfolio/attempts/${attemptId}/download"]`) });
	const saved = page.waitForEvent('download');
	await row.getByRole('button', { name: 'Download attempt (PDF)' }).click();
	const file = await saved;
	const path = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(path);
	const text = pdfText(path);
	expect(text).toContain(trainee.name);
	expect(text).toContain('Countersigned');
	expect(text).toContain(qualified.name);
	expect(text).toContain('Countersignature SHA-256');
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.locator('#verify-result')).toContainText('Issued by this centre and unchanged');

	for (const other of [quality, traineePage, qualifiedPage]) await other.context().close();
});

test('an assessor sees their own profile, read-only: qualified with risk “new” until an IQA says otherwise', async ({ browser, assessor }) => {
	const page = await newPageAsOwn(browser, assessor, '/assess/profile');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your assessor profile');
	await expect(page.locator('#profile-status')).toHaveText('Qualified');
	await expect(page.locator('#profile-risk')).toHaveText('New');
	await expect(page.getByRole('button', { name: 'Set the risk' })).toHaveCount(0);
	await expect(page.getByRole('combobox')).toHaveCount(0);
	await page.context().close();
});

test('an administrator marks an assessor as a trainee on the user’s page; a missing reason is shown next to its field', async ({ browser, admin, assessor }) => {
	const page = await newPageAsOwn(browser, admin, `/admin/users/${assessor.id}`);
	const section = page.getByRole('region', { name: 'Assessor status' });
	await expect(section).toContainText('Qualified');
	await section.getByLabel('Status', { exact: true }).selectOption('trainee');
	await section.getByRole('button', { name: 'Save the status' }).click();
	await expect(page.locator('#qualification-reason-error')).toContainText('Say why the status changes.');
	await section.getByLabel('Reason', { exact: true }).fill('Starting the assessor award this term.');
	await section.getByRole('button', { name: 'Save the status' }).click();
	await expect(page.getByRole('status')).toContainText('The assessor’s status is saved.');
	await expect(section).toContainText('Trainee since');
	await page.context().close();
	const own = await newPageAsOwn(browser, assessor, '/assess/profile');
	await expect(own.locator('#profile-status')).toContainText('Trainee since');
	await own.context().close();
});

test('a qualified assessor sends a trainee’s decision back with a comment; the trainee then signs a new one', async ({ browser, page, learner, tutor, admin }) => {
	const trainee = await createOwnUser(['assessor'], 'trainee assessor');
	const qualified = await createOwnUser(['assessor'], 'qualified assessor');
	await createOwnCohort(tutor, { learners: [learner], assessors: [trainee, qualified] }, ['spouse-caller']);
	const adminPage = await newPageAsOwn(browser, admin, `/admin/users/${trainee.id}`);
	const status = adminPage.getByRole('region', { name: 'Assessor status' });
	await status.getByLabel('Status', { exact: true }).selectOption('trainee');
	await status.getByLabel('Reason', { exact: true }).fill('New assessor, not yet qualified.');
	await status.getByRole('button', { name: 'Save the status' }).click();
	await expect(adminPage.getByRole('status')).toContainText('The assessor’s status is saved.');
	await adminPage.context().close();

	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const traineePage = await newPageAsOwn(browser, trainee);
	const review = new ReviewPage(traineePage);
	await review.goto(attemptId);
	await review.decide('Not yet met', 'Check for an authority before declining.', 'Play it again and check the file first.');
	await review.sign(trainee.name);
	await expect(traineePage.getByRole('status')).toContainText('Decision 1 signed');

	const qualifiedPage = await newPageAsOwn(browser, qualified, `/assess/attempts/${attemptId}`);
	const block = qualifiedPage.getByRole('region', { name: 'Countersignature' });
	await block.getByLabel('Send back with a comment').check();
	await block.getByLabel('Your full name, to sign').fill(qualified.name);
	await block.getByRole('button', { name: 'Sign my answer' }).click();
	await expect(qualifiedPage.locator('#countersignComment-error')).toContainText('Say what the assessor should look at again.');
	await qualifiedPage.getByRole('region', { name: 'Countersignature' }).getByLabel('Comment to the assessor').fill('The reflection shows the call was ended early: judge point 1 again.');
	await qualifiedPage.getByRole('region', { name: 'Countersignature' }).getByRole('button', { name: 'Sign my answer' }).click();
	await expect(qualifiedPage.getByRole('region', { name: 'Countersignature' })).toContainText('You sent the decision back to the assessor with your comment.');
	await qualifiedPage.context().close();

	await review.goto(attemptId);
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText(`Sent back by ${qualified.name}`);
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText('judge point 1 again');
	await traineePage.getByRole('link', { name: 'Supersede with a new decision' }).click();
	await waitForHydration(traineePage);
	await review.decide('Not yet met', 'Judged again: check for an authority before declining.', 'Play it again and check the file first.');
	await review.sign(trainee.name);
	await expect(traineePage.getByRole('status')).toContainText('Decision 2 signed');
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText('Waiting for a qualified assessor');
	await expect(await standing(page, attemptId)).toHaveText(/Awaiting countersignature/);
	await traineePage.context().close();
});
