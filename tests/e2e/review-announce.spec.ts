import { ReviewPage, submitReflection } from './support/assessor';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, ScenarioBrief } from './support/learner';

test('choosing a point or criterion on the review announces what is now shown through a live region that was on the page, and focus stays on the control or where the review is', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	const attemptId = await brief.start();
	await new AttemptActions(page, attemptId).choose('ask-his-security', 'security-passed-give-balance');
	await new AttemptActions(page, attemptId).end();
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	await assessor.setViewportSize({ width: 1280, height: 800 });
	await new ReviewPage(assessor).goto(attemptId);
	const live = assessor.locator('#review-announcer');
	// In the page from the start, silent until something is chosen.
	await expect(live).toHaveAttribute('aria-live', 'polite');
	await expect(live).toHaveText('');

	const items = assessor.getByRole('navigation', { name: 'Points and criteria' });
	const points = await items.getByRole('list', { name: 'Marking points' }).getByRole('link').count();
	const first = items.getByRole('link', { name: /^1\s*: / });
	await first.click();
	await expect(live).toHaveText(new RegExp(`^Showing marking point 1 of ${points}, .+: (no|\\d+) lines? of evidence; `));
	await expect(first).toBeFocused();

	const next = items.getByRole('link', { name: 'Next', exact: true });
	await next.click();
	await expect(live).toHaveText(new RegExp(`^Showing marking point 2 of ${points}, `));
	await expect(next).toBeFocused();

	// A criterion says how many lines its points cite.
	const criteria = items.getByRole('list', { name: 'Criteria' }).getByRole('link');
	const last = criteria.last();
	await last.click();
	await expect(live).toHaveText(/^Showing criterion \S+ .+: (no|\d+) lines? of evidence cited by its marking points; /);
	await expect(last).toBeFocused();

	// At the end Next is gone: Previous then Next leaves focus on where the review is, not on the page.
	await items.getByRole('link', { name: 'Previous', exact: true }).click();
	await expect(items.getByRole('link', { name: 'Previous', exact: true })).toBeFocused();
	await next.click();
	await expect(next).toHaveCount(0);
	await expect(items.locator('.where')).toBeFocused();
	await expect(live).toHaveText(/^Showing criterion /);
	await assessor.context().close();
});
