import { spawnSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { createOwnCohort, createOwnSample, createOwnUser, expect, logInAsOwn, newPageAsOwn, newestDecisionOf, requestContextAsOwn, test } from './support/fixtures';
import { baseURL } from './support/mfa';
import { ukToday } from '../../src/lib/dates';

/**
 * Issue 17 item 3: the IQA's record of a sample. An assessor signs a decision; it is sampled (the
 * sampling plan's pick is another module's, so the test writes the sample row); the IQA starts
 * sampling, sets an action; the assessor answers it; the IQA confirms it closed and signs an agreeing
 * round; the work locks and the assessor's new decision is refused; an admin unlocks it with a reason,
 * in the security log; the learner's PDF shows the IQA's signature (never their feedback) and /verify
 * recognises it.
 */

function pdfText(path: string): string {
	const run = spawnSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
	expect(run.status).toBe(0);
	return run.stdout;
}

/** The UK calendar date some days from now (the target date of an action). */
function daysFromNow(days: number): string {
	return ukToday(new Date(Date.now() + days * 86_400_000));
}

/** Fills the IQA's round: VACS all confirmed, every criterion agreed except the one given an action. */
async function fillRound(page: Page, feedback: string, action?: { text: string; targetDate: string }) {
	const form = page.getByRole('form', { name: /Your judgement|Round \d/ });
	for (const check of ['Valid', 'Authentic', 'Current', 'Sufficient']) await form.getByRole('group', { name: check, exact: true }).getByRole('radio', { name: 'Yes' }).check();
	const criteria = form.locator('fieldset.criterion');
	const count = await criteria.count();
	expect(count).toBeGreaterThan(0);
	for (let i = 0; i < count; i++) await criteria.nth(i).getByRole('radio', { name: 'Agree' }).check();
	if (action) {
		const first = criteria.first();
		await first.getByRole('radio', { name: 'Assessor to action' }).check();
		await first.getByRole('textbox', { name: /^Action on / }).fill(action.text);
		await first.locator('input[type="date"]').fill(action.targetDate);
	}
	await form.getByLabel('Feedback to the assessor').fill(feedback);
}

test('the IQA samples a decision, sets an action the assessor answers, agrees and locks the work; an admin unlocks it with a reason; the PDF shows the IQA’s signature', async ({ browser, page, learner, assessor, admin, cohort }) => {
	test.setTimeout(180_000);
	expect(cohort.id).toBeTruthy();
	const iqa = await createOwnUser(['iqa'], 'quality assurer');

	// The learner submits an attempt; their assessor signs a met decision.
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const assessorPage = await newPageAsOwn(browser, assessor);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');
	const decisionId = await newestDecisionOf(attemptId);

	// It falls in the sample (written as the plan's manual pick would write it).
	const sampleId = await createOwnSample({ decisionId, learner, assessor });

	// The IQA finds it not started, starts sampling: the snapshot shows the assessor's decision.
	const quality = await newPageAsOwn(browser, iqa, '/iqa/samples?status=not-started');
	await quality.getByRole('link', { name: learner.name }).click();
	await expect(quality).toHaveURL(new RegExp(`/iqa/samples/${sampleId}$`));
	await expect(quality.locator('#sample-status')).toHaveText('Not started');
	await quality.getByRole('button', { name: 'Start sampling' }).click();
	await expect(quality.getByRole('status')).toContainText('Sampling started');
	await expect(quality.locator('#snapshot-outcome')).toContainText(`Met, signed by ${assessor.name}`);
	await waitForHydration(quality);

	// Signing with nothing chosen is refused, each answer named next to its field.
	await quality.getByRole('button', { name: 'Sign the round' }).click();
	await expect(quality.locator('#vacs-valid-error')).toContainText('Say whether the assessor confirmed');
	await expect(quality.locator('#feedback-error')).toContainText('Write your feedback');

	// The IQA sets an action on the first criterion and signs.
	const privateFeedback = `Good judgement overall; tighten the criterion feedback ${sampleId}.`;
	await fillRound(quality, privateFeedback, { text: 'Say which part of the call shows this criterion.', targetDate: daysFromNow(10) });
	await quality.getByLabel('Type your name to sign').fill(iqa.name);
	await quality.getByRole('button', { name: 'Sign the round' }).click();
	await expect(quality.getByRole('status')).toContainText('Round 1 signed. One action was set on the assessor.');
	await expect(quality.locator('#sample-status')).toHaveText('Actions open');
	await expect(quality.getByRole('article', { name: 'Round 1' })).toContainText('Signature verified.');
	await expectNoViolations(quality);

	// Another assessor cannot answer it: refused like an action that does not exist.
	const otherAssessor = await createOwnUser(['assessor'], 'other assessor');
	const other = await requestContextAsOwn(otherAssessor);
	const actionId = (await quality.locator('ul.actions > li').first().getAttribute('id'))!.replace(/^action-/, '');
	const intruded = await other.post('/assess/iqa-actions?/answer', { form: { actionId, answer: 'Not mine to answer.' }, headers: { origin: baseURL() }, maxRedirects: 0 });
	expect(intruded.status()).toBe(404);
	await other.dispose();

	// The assessor is told, finds the action with its due date, and answers it.
	await assessorPage.goto('/notifications');
	await expect(assessorPage.getByRole('main')).toContainText('The IQA set you an action');
	await assessorPage.goto('/assess/iqa-actions');
	const action = assessorPage.locator(`#action-${actionId}`);
	await expect(action).toContainText('Say which part of the call shows this criterion.');
	await expect(action).toContainText('Due in 10 days');
	await action.getByRole('button', { name: 'Send the answer' }).click();
	await expect(assessorPage.locator(`#answer-${actionId}-error`)).toContainText('Say what you did');
	await assessorPage.locator(`#action-${actionId}`).getByRole('textbox').fill('Added: the caller was refused at the authority check.');
	await assessorPage.locator(`#action-${actionId}`).getByRole('button', { name: 'Send the answer' }).click();
	await expect(assessorPage.getByRole('status')).toContainText('Answer sent');
	await expect(assessorPage.locator(`#action-${actionId}`)).toContainText('Answered — for the IQA to review');
	await expectNoViolations(assessorPage);

	// The IQA confirms it closed; the history stays. Then signs a round agreeing on everything: the work locks.
	await quality.reload();
	await quality.locator(`#action-${actionId}`).getByRole('button', { name: 'Confirm closed' }).click();
	await expect(quality.getByRole('status')).toContainText('Action confirmed closed.');
	const history = quality.getByRole('list', { name: /History of the action/ });
	await expect(history.getByRole('listitem')).toHaveCount(2);
	await expect(history).toContainText('answered: Added: the caller was refused');
	await expect(history).toContainText('confirmed it closed');
	await waitForHydration(quality);
	await fillRound(quality, 'All agreed now.');
	await quality.getByLabel('Type your name to sign').fill(iqa.name);
	await quality.getByRole('button', { name: 'Sign the round' }).click();
	await expect(quality.getByRole('status')).toContainText('Round 2 signed. You agreed on every criterion: the decision is locked.');
	await expect(quality.locator('#sample-status')).toHaveText('Agreed & locked');
	await expect(quality.getByRole('button', { name: 'Sign the round' })).toHaveCount(0);

	// The assessor's new decision superseding it is refused while it is locked.
	await review.goto(attemptId);
	await assessorPage.getByRole('link', { name: 'Supersede with a new decision' }).click();
	await waitForHydration(assessorPage);
	await review.decide('Not yet met', 'Changed my mind.', 'Try again.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('alert')).toContainText('This decision is locked');
	await review.goto(attemptId);
	await expect(assessorPage.getByRole('article', { name: /Decision \d/ })).toHaveCount(1);

	// An admin unlocks it: a reason is required, and kept in the security log.
	const adminPage = await newPageAsOwn(browser, admin, '/admin/locks');
	const row = adminPage.getByRole('row').filter({ hasText: learner.name });
	await row.getByRole('button', { name: 'Unlock' }).click();
	await expect(adminPage.locator(`#reason-${decisionId}-error`)).toContainText('Say why the work is unlocked');
	const reason = `Appeal upheld for ${sampleId}`;
	await adminPage.locator(`#reason-${decisionId}`).fill(reason);
	await adminPage.getByRole('row').filter({ hasText: learner.name }).getByRole('button', { name: 'Unlock' }).click();
	await expect(adminPage.getByRole('status')).toContainText('Unlocked.');
	await expect(adminPage.getByRole('row').filter({ hasText: learner.name })).toHaveCount(0);
	await adminPage.goto('/admin/security?event=work.unlocked');
	await expect(adminPage.getByRole('table')).toContainText(reason);
	await quality.reload();
	await expect(quality.getByRole('list').filter({ hasText: reason })).toContainText('unlocked');

	// The learner's PDF shows the IQA's signed outcome under the decision, never the IQA's feedback; /verify recognises it.
	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	const item = page.getByRole('listitem').filter({ has: page.locator(`form[action="/learn/portfolio/attempts/${attemptId}/download"]`) });
	const saved = page.waitForEvent('download');
	await item.getByRole('button', { name: 'Download attempt (PDF)' }).click();
	const file = await saved;
	const path = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(path);
	const text = pdfText(path).replace(/\s+/g, ' ');
	expect(text).toContain('IQA sample (interim), round 2: Agreed on every criterion');
	expect(text).toContain(`IQA signed: ${iqa.name}`);
	expect(text).toContain('IQA signature SHA-256');
	expect(text).not.toContain(sampleId);
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.locator('#verify-result')).toContainText('Issued by this centre and unchanged');

	for (const other of [quality, assessorPage, adminPage]) await other.context().close();
});

test('an IQA cannot sample their own decision: the page says so and starting is refused', async ({ browser, page, learner, tutor }) => {
	// An assessor who is also the centre's IQA signs a decision; the sample of it is theirs to refuse.
	const both = await createOwnUser(['assessor', 'iqa'], 'assessor and iqa');
	await createOwnCohort(tutor, { learners: [learner], assessors: [both] }, ['spouse-caller']);
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const own = await newPageAsOwn(browser, both, '/assess');
	const review = new ReviewPage(own);
	await review.goto(attemptId);
	await review.decide('Met', 'A lawful call.');
	await review.sign(both.name);
	await expect(own.getByRole('status')).toContainText('Decision 1 signed');
	const sampleId = await createOwnSample({ decisionId: await newestDecisionOf(attemptId), learner, assessor: both });
	await own.goto(`/iqa/samples/${sampleId}`);
	await expect(own.getByRole('alert')).toContainText('an IQA never samples their own decisions');
	await expect(own.getByRole('button', { name: 'Start sampling' })).toHaveCount(0);
	const client = await requestContextAsOwn(both);
	const started = await client.post(`/iqa/samples/${sampleId}?/start`, { form: {}, headers: { origin: baseURL() }, maxRedirects: 0 });
	expect(started.status()).toBe(403);
	await client.dispose();
	await own.context().close();
});
