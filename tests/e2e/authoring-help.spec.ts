import { expectNoViolations } from './support/accessibility';
import { duplicateScenario, uniqueScenarioId } from './support/author';
import { expect, logInAsOwn, test } from './support/fixtures';

/** The in-app help for tutors (/author/help): reached from the editor, one page per topic, each with a worked example. */

test('a tutor opens help from the editor, follows a topic and reads its worked example', async ({ page, tutor }) => {
	const id = uniqueScenarioId('help');
	await logInAsOwn(page, tutor);
	await duplicateScenario(page, 'spouse-caller', id, `Help tour ${id}`);
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${id}/edit`));

	// The editor's hint points at the help, not the README; the list beside it links every topic.
	await expect(page.locator('#source-hint')).not.toContainText('README');
	await page.locator('.format-help').getByRole('link', { name: 'Choices' }).click();
	await expect(page).toHaveURL('/author/help/choices');
	await expect(page.getByRole('heading', { level: 1, name: 'Choices' })).toBeVisible();

	// The example: the YAML to write, and what it means on the learner's screen.
	const example = page.getByRole('region', { name: 'Example YAML: Choices' });
	await expect(example).toContainText('quality: critical');
	await expect(example).toContainText('point: no-disclosure-before-verifying');
	await expect(page.getByRole('heading', { name: 'On the learner’s screen' })).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Common mistakes' })).toBeVisible();
	await expectNoViolations(page);

	// A related topic, then the index with every topic.
	await page.getByRole('link', { name: 'Marking points', exact: true }).click();
	await expect(page).toHaveURL('/author/help/marking');
	await expect(page.getByRole('region', { name: 'Example YAML: Marking points' })).toContainText('critical: true');
	await page.getByRole('link', { name: 'All help topics' }).click();
	await expect(page).toHaveURL('/author/help');
	await expect(page.getByRole('heading', { level: 2 })).toHaveCount(11);
	await page.getByRole('link', { name: 'Waiting for work in the system' }).click();
	await expect(page.getByRole('region', { name: /^Example YAML/ })).toContainText('waitFor: { event: identity.verified, subject: doreen }');
});

test('the help is linked from the scenario library and the author home', async ({ page, tutor }) => {
	await logInAsOwn(page, tutor, '/author');
	await page.getByRole('link', { name: 'Help with writing scenarios' }).click();
	await expect(page).toHaveURL('/author/help');
	await page.goto('/author/scenarios');
	await expect(page.getByRole('link', { name: 'Help with writing scenarios' })).toHaveAttribute('href', '/author/help');
});

test('an unknown help topic is a clear 404 with a way back to the topics', async ({ page, tutor }) => {
	await logInAsOwn(page, tutor);
	const response = await page.goto('/author/help/no-such-topic');
	expect(response?.status()).toBe(404);
	await expect(page.getByRole('heading', { level: 1, name: 'Help topic not found' })).toBeVisible();
	await page.getByRole('link', { name: 'See all help topics' }).click();
	await expect(page).toHaveURL('/author/help');
	await expect(page.getByRole('heading', { level: 1, name: 'Help with writing scenarios' })).toBeVisible();
});

test('a learner is refused the help pages', async ({ page, learner }) => {
	await logInAsOwn(page, learner);
	for (const path of ['/author/help', '/author/help/overview']) {
		expect((await page.goto(path))?.status(), path).toBe(403);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page');
	}
});
