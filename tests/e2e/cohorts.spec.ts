import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { logInAs, waitForHydration } from './support/accounts';
import { SimulationScreen } from './support/simulation';
import { createAccountsAsAdmin, expectNoViolations, firstLogIn, uniquePerson } from './support/admin';

const OWN_PASSWORD = 'my own long passphrase';

function isoDate(daysFromNow: number): string {
	return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

test('a tutor makes a cohort, adds a learner and an assessor, assigns a scenario; the learner sees it, plays it, and the results and CSV show it', async ({ browser }) => {
	// People of this test's own, so nothing shared changes.
	const learner = uniquePerson('Cohort Learner');
	const assessor = uniquePerson('Cohort Assessor');
	const adminContext = await browser.newContext();
	const [learnerPassword, assessorPassword] = await createAccountsAsAdmin(await adminContext.newPage(), [
		{ person: learner, roles: ['learner'] },
		{ person: assessor, roles: ['assessor'] }
	]);
	await adminContext.close();
	expect(assessorPassword).toBeTruthy();

	const tutorContext = await browser.newContext({ acceptDownloads: true });
	const tutor = await tutorContext.newPage();
	await logInAs(tutor, 'tutor');
	await tutor.goto('/author/cohorts');
	await waitForHydration(tutor);
	await expectNoViolations(tutor);

	// A name already used is refused next to the field, keeping what was typed.
	await tutor.getByLabel('Name').fill('Level 2 Customer Service, January intake');
	await tutor.getByLabel('Description (optional)').fill('Kept after the error');
	await tutor.getByRole('button', { name: 'Create cohort' }).click();
	await expect(tutor.locator('#name-error')).toContainText('already a cohort');
	await expect(tutor.getByLabel('Description (optional)')).toHaveValue('Kept after the error');

	const cohortName = `E2E cohort ${Date.now().toString(36)}`;
	await tutor.getByLabel('Name').fill(cohortName);
	await tutor.getByRole('button', { name: 'Create cohort' }).click();
	await expect(tutor.getByRole('heading', { level: 1 })).toHaveText(cohortName);
	const cohortUrl = tutor.url().replace(/\?.*$/, '');
	const cohortId = cohortUrl.split('/').pop()!;
	await waitForHydration(tutor);

	await tutor.getByLabel('Add a learner').selectOption({ label: `${learner.name} (${learner.email})` });
	await tutor.getByRole('button', { name: 'Add learner' }).click();
	await expect(tutor.getByRole('status')).toContainText(`${learner.name} is now a learner`);
	await tutor.getByLabel('Add an assessor').selectOption({ label: `${assessor.name} (${assessor.email})` });
	await tutor.getByRole('button', { name: 'Add assessor' }).click();
	await expect(tutor.getByRole('status')).toContainText(`${assessor.name} now assesses`);

	// A date in the past is refused; today or later is taken.
	const assign = tutor.getByRole('form', { name: 'Assign a scenario' });
	await assign.getByLabel('Scenario').selectOption('spouse-caller');
	await assign.getByLabel('Due date').fill(isoDate(-3));
	await assign.getByRole('button', { name: 'Assign' }).click();
	await expect(tutor.locator('#dueOn-error')).toContainText('from today');
	const due = isoDate(10);
	await assign.getByLabel('Scenario').selectOption('spouse-caller');
	await assign.getByLabel('Due date').fill(due);
	await assign.getByLabel('Note for learners (optional)').fill('Before Thursday’s session, please.');
	await assign.getByRole('button', { name: 'Assign' }).click();
	await expect(tutor.getByRole('status')).toContainText('The scenario is assigned');
	const assigned = tutor.getByRole('table', { name: /Scenarios assigned/ });
	await expect(assigned.getByRole('row')).toHaveCount(2);
	await expectNoViolations(tutor);

	// The learner's first log-in, then their home page.
	const learnerContext = await browser.newContext();
	const page = await learnerContext.newPage();
	await firstLogIn(page, learner.email, learnerPassword!, OWN_PASSWORD);
	await expect(page).toHaveURL('/learn');
	const section = page.getByRole('region', { name: 'Your assignments' });
	await expect(section).toBeVisible();
	const item = section.getByRole('listitem').first();
	await expect(item).toContainText(/due in (9|10|11) days/);
	await expect(item).toContainText('Not started');
	await expect(item).toContainText('Before Thursday’s session, please.');
	await expectNoViolations(page);

	// Plays it: one reply, then ends the attempt.
	await item.getByRole('link').click();
	await expect(page).toHaveURL('/learn/scenarios/spouse-caller');
	await waitForHydration(page);
	await page.getByRole('button', { name: 'Start', exact: true }).click();
	await expect(page).toHaveURL(/\/learn\/attempts\//);
	await waitForHydration(page);
	await page.getByRole('group', { name: /^(Your reply|Or say)$/ }).getByRole('button').first().click();
	await new SimulationScreen(page).end();
	await page.goto('/learn');
	await expect(page.getByRole('region', { name: 'Your assignments' }).getByRole('listitem').first()).toContainText('Done');

	// The tutor sees the ended attempt in the results, and downloads them.
	await tutor.goto(`/author/results/${cohortId}`);
	await waitForHydration(tutor);
	const scenario = tutor.getByRole('region', { name: /caller|husband|spouse/i }).first();
	await expect(scenario).toContainText('1 attempt');
	await expect(scenario.getByRole('table', { name: /Marking points/ })).toBeVisible();
	await expectNoViolations(tutor);
	const [download] = await Promise.all([tutor.waitForEvent('download'), tutor.getByRole('link', { name: 'Download the results as CSV' }).click()]);
	const csv = readFileSync((await download.path())!, 'utf8');
	expect(csv.split('\r\n')[0]).toBe(
		'section,scenario,"marking point, criterion or learner",description,critical,attempts,met,met rate %,learners evidenced,learners in cohort,score %,pass mark %,verdict,verdict reason'
	);
	// The attempt's row: its score beside the pass mark, the verdict and its reason.
	expect(csv).toMatch(/\r\nattempt,[^\r\n]+,[\d.]+,\d+,(Passed|Not passed — [^,]+),"?.{10,}/);
	expect(csv).toMatch(/\r\nscenario,[^\r\n]+,,"?\d of 1 attempts passed"?,,1,/);

	// Withdrawing, archiving.
	await tutor.goto(cohortUrl);
	await waitForHydration(tutor);
	await tutor.getByRole('button', { name: /^Withdraw/ }).click();
	await expect(tutor.getByRole('status')).toContainText('withdrawn');
	await tutor.getByRole('button', { name: 'Archive cohort' }).click();
	await expect(tutor.getByRole('status')).toContainText('archived');
	await tutorContext.close();
	await learnerContext.close();
});

test('the demo learner sees the January cohort’s assignments on her home page, with due dates and status', async ({ page }) => {
	await logInAs(page, 'learner');
	const section = page.getByRole('region', { name: 'Your assignments' });
	// The demo cohort's three, and any other test has assigned since (they share the database).
	for (const title of ['a caller asks about her husband', 'A new customer moves in', 'I want everything you']) {
		await expect(section.getByRole('listitem').filter({ hasText: title })).toHaveCount(1);
	}
	await expect(section.getByRole('link').first()).toHaveAttribute('href', /^\/learn\/scenarios\//);
	// Each shows its due date and status; one not yet done also says how long is left (other specs
	// sharing the database may already have finished some of them as Amira).
	for (const item of await section.getByRole('listitem').all()) {
		const text = (await item.textContent()) ?? '';
		expect(text).toMatch(/Due \d{1,2} \w+ \d{4}/);
		expect(text).toMatch(/Done|In progress|Not started/i);
		if (!/Done/.test(text)) expect(text).toMatch(/due (in \d+ days?|today)|overdue by/);
	}
});

test('the demo cohort offers the assign form other tests use, and unknown cohorts answer 404', async ({ page }) => {
	await logInAs(page, 'tutor');
	await page.goto('/author/cohorts/demo-cohort-january');
	const form = page.getByRole('form', { name: 'Assign a scenario' });
	await expect(form.getByLabel('Scenario')).toBeVisible();
	await expect(form.getByLabel('Due date')).toBeVisible();
	await expect(form.getByRole('button', { name: 'Assign' })).toBeVisible();
	await page.goto('/author/results/demo-cohort-january');
	await expectNoViolations(page);
	expect((await page.goto('/author/cohorts/not-a-real-id'))?.status()).toBe(404);
	expect((await page.goto('/author/results/not-a-real-id'))?.status()).toBe(404);
	expect((await page.request.get('/author/results/not-a-real-id/results.csv')).status()).toBe(404);
});
