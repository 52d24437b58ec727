import type { Page } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { ReviewPage, submitReflection } from './support/assessor';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, ReflectionPage, ScenarioBrief } from './support/learner';

/**
 * After a save that stays on its page, a screen-reader user hears the confirmation (a live region in the
 * page from the start, empty until then), keeps their place (focus on the button pressed, or on what went
 * wrong), and does not hear the page's title again as if a new page had loaded. SvelteKit's route announcer
 * (#svelte-announcer) still reads the title after a real navigation.
 */

const announcer = (page: Page) => page.locator('#svelte-announcer');

/** An ended attempt of the learner's with choices made, so the marking cites lines of the transcript. */
async function attemptWithEvidence(page: Page): Promise<string> {
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	const attemptId = await brief.start();
	await new AttemptActions(page, attemptId).choose('ask-his-security', 'security-passed-give-balance');
	await new AttemptActions(page, attemptId).end();
	return attemptId;
}

test('saving a reflection draft announces the confirmation, keeps focus on the button and does not read the title again; a refusal lands on its summary', async ({ page, learner, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const attemptId = await attemptWithEvidence(page);
	const reflection = new ReflectionPage(page);
	await reflection.goto(attemptId);
	await waitForHydration(page);
	const status = page.getByRole('status');
	await expect(status).toHaveText('');

	await reflection.part('Situation').fill('A caller said she was the account holder’s wife.');
	await reflection.saveDraft();
	await expect(status).toContainText('Draft saved at');
	await expect(page).toHaveURL(/\?saved=draft$/);
	await expect(page.getByRole('button', { name: 'Save draft' })).toBeFocused();
	expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
	await expect(announcer(page)).toHaveText('');

	// A second save is announced too, and still not the title.
	await reflection.part('Task').fill('Help her without disclosing anything.');
	await reflection.saveDraft();
	await expect(page.getByRole('button', { name: 'Save draft' })).toBeFocused();
	await expect(status).toContainText('Draft saved at');
	await expect(announcer(page)).toHaveText('');

	// Submitting with parts missing is refused: focus goes to the summary of what is wrong.
	await reflection.part('Task').fill('');
	await reflection.submit();
	const summary = page.getByRole('alert');
	await expect(summary).toBeFocused();
	await expect(status).toHaveText('');
	await expect(announcer(page)).toHaveText('');

	// A real navigation is still announced by its title.
	await page.locator('.about a').click();
	await expect(page).toHaveURL(new RegExp(`/learn/attempts/${attemptId}/debrief$`));
	await expect(announcer(page)).toContainText(await page.title());
});

test('on the debrief, a transcript line’s “Evidence for” link lands on the point’s card', async ({ page, learner, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const attemptId = await attemptWithEvidence(page);
	await page.goto(`/learn/attempts/${attemptId}/debrief`);
	await waitForHydration(page);
	const link = page.getByRole('region', { name: 'Transcript' }).locator('.for a').first();
	const href = (await link.getAttribute('href'))!;
	expect(href).toMatch(/^#point-/);
	await link.click();
	const card = page.locator(href);
	await expect(card).toHaveCount(1);
	await expect(card).toBeInViewport();
	await expect(page).toHaveURL(new RegExp(`${href}$`));
});

test('the assessor’s draft, comment and signature announce their confirmation and keep focus in place; refusals land on what went wrong', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const attemptId = await attemptWithEvidence(page);
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	const status = assessor.getByRole('status');
	await expect(status).toHaveText('');

	// A draft: announced, focus stays on the button.
	await review.decide('Not yet met', 'Check the file for an authority before you decline.');
	const saveDraft = assessor.getByRole('button', { name: 'Save draft' });
	await saveDraft.click();
	await expect(status).toContainText('Draft saved at');
	await expect(saveDraft).toBeFocused();
	await expect(announcer(assessor)).toHaveText('');

	// A comment: refused when empty (focus on the field), then added (focus stays on the button).
	await assessor.getByText('Add to the comment bank', { exact: true }).first().click();
	const addComment = assessor.getByRole('button', { name: 'Add to the comment bank' });
	await addComment.click();
	const comment = assessor.getByRole('textbox', { name: 'Comment', exact: true });
	await expect(comment).toBeFocused();
	await expect(comment).toHaveAttribute('aria-invalid', 'true');
	await comment.fill(`Check the authority first ${attemptId.slice(0, 8)}`);
	await assessor.getByRole('button', { name: 'Add to the comment bank' }).click();
	await expect(status).toContainText('Added to the comment bank');
	await expect(assessor.getByRole('button', { name: 'Add to the comment bank' })).toBeFocused();
	await expect(announcer(assessor)).toHaveText('');

	// A signature without a name is refused: focus on the error summary.
	await assessor.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(assessor.getByRole('alert')).toBeFocused();

	// Signed: the confirmation is announced and focused.
	await review.decide('Not yet met', 'Check the file for an authority before you decline.', 'Play the scenario again and check first.');
	await review.sign(assessorAccount.name);
	await expect(status).toContainText('Decision 1 signed');
	await expect(status.locator('.alert')).toBeFocused();
	await expect(announcer(assessor)).toHaveText('');
});

test('on the review, a transcript line’s “Evidence for” link chooses that point and lands on its evidence', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const attemptId = await attemptWithEvidence(page);
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	const link = assessor.getByRole('region', { name: 'Transcript' }).locator('.for a').last();
	const description = (await link.textContent())!.trim();
	const pointId = new URLSearchParams((await link.getAttribute('href'))!.split('#')[0]).get('point');
	expect(pointId).toBeTruthy();
	await link.click();
	await expect(assessor).toHaveURL(new RegExp(`[?&]point=${pointId}`));
	const heading = assessor.getByRole('heading', { level: 2, name: /^Marking point \d+ of \d+$/ });
	await expect(heading).toBeFocused();
	await expect(assessor.getByRole('region', { name: /^Marking point/ })).toContainText(description);

	// Without JavaScript the same link loads the page with the point chosen, at its evidence.
	const plain = await newPageAsOwn(browser, assessorAccount, `/assess/attempts/${attemptId}`, { javaScript: false });
	const plainLink = plain.getByRole('region', { name: 'Transcript' }).locator('.for a').last();
	await plainLink.click();
	await expect(plain).toHaveURL(new RegExp(`[?&]point=${pointId}#evidence$`));
	await expect(plain.getByRole('region', { name: /^Marking point/ })).toContainText(description);
});
