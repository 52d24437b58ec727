import { readFileSync } from 'node:fs';
import { waitForHydration } from './support/accounts';
import { addressHeaders, expect, logInAsOwn, test } from './support/fixtures';
import { SimulationScreen } from './support/simulation';
import { createAccountsAsAdmin, firstLogIn, uniquePerson } from './support/admin';
import { expectNoViolations } from './support/accessibility';

const OWN_PASSWORD = 'my own long passphrase';

function isoDate(daysFromNow: number): string {
	return new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
}

test('a tutor makes a cohort, adds a learner and an assessor, assigns a scenario; the learner sees it, plays it, and the results and CSV show it', async ({ browser, admin, tutor: tutorAccount, cohort: existing }) => {
	// People of this test's own, made by an administrator of its own, so nothing shared changes.
	const learner = uniquePerson('Cohort Learner');
	const assessor = uniquePerson('Cohort Assessor');
	const adminContext = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const [learnerPassword, assessorPassword] = await createAccountsAsAdmin(await adminContext.newPage(), admin, [
		{ person: learner, roles: ['learner'] },
		{ person: assessor, roles: ['assessor'] }
	]);
	await adminContext.close();
	expect(assessorPassword).toBeTruthy();

	const tutorContext = await browser.newContext({ extraHTTPHeaders: addressHeaders(), acceptDownloads: true });
	const tutor = await tutorContext.newPage();
	await logInAsOwn(tutor, tutorAccount, '/author/cohorts');
	await waitForHydration(tutor);
	await expectNoViolations(tutor);

	// A name already used (by the test's other cohort) is refused next to the field, keeping what was typed.
	await tutor.getByLabel('Name').fill(existing.name);
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
	const learnerContext = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
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

test('a learner sees their cohort’s assignments on their home page, with due dates and status', async ({ page, learner, cohort }) => {
	await logInAsOwn(page, learner);
	const section = page.getByRole('region', { name: 'Your assignments' });
	// The cohort's three assignments, due in 14 days (13 to 15 around midnight in the UK), none started.
	await expect(section.getByRole('listitem')).toHaveCount(Object.keys(cohort.assignments).length);
	for (const title of ['a caller asks about her husband', 'A new customer moves in', 'I want everything you']) {
		await expect(section.getByRole('listitem').filter({ hasText: title })).toHaveCount(1);
	}
	await expect(section.getByRole('link').first()).toHaveAttribute('href', /^\/learn\/scenarios\//);
	for (const item of await section.getByRole('listitem').all()) {
		await expect(item).toContainText(/Due \d{1,2} \w+ \d{4}/);
		await expect(item).toContainText('Not started');
		await expect(item).toContainText(/due in 1[345] days/);
	}
});

test('a cohort offers the assign form, and unknown cohorts answer 404', async ({ page, tutor, cohort }) => {
	await logInAsOwn(page, tutor);
	await page.goto(`/author/cohorts/${cohort.id}`);
	const form = page.getByRole('form', { name: 'Assign a scenario' });
	await expect(form.getByLabel('Scenario')).toBeVisible();
	await expect(form.getByLabel('Due date')).toBeVisible();
	await expect(form.getByRole('button', { name: 'Assign' })).toBeVisible();
	await page.goto(`/author/results/${cohort.id}`);
	await expectNoViolations(page);
	expect((await page.goto('/author/cohorts/not-a-real-id'))?.status()).toBe(404);
	expect((await page.goto('/author/results/not-a-real-id'))?.status()).toBe(404);
	expect((await page.request.get('/author/results/not-a-real-id/results.csv')).status()).toBe(404);
});
