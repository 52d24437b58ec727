import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { createOwnCentre, createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, requestContextAsOwn, test } from './support/fixtures';

/**
 * Issue 17 item 2: the IQA makes a sampling plan for a cohort and narrows it to one criterion, the
 * simulation method and the interim stage; the grid shows the gap in words; an assessor signs a
 * decision, "Pick samples now" picks it (a new assessor is sampled at 100 %), and the grid shows the
 * coverage and the plan compliant. Standardisation meetings are recorded against the plan. Another
 * centre's plan is answered like a missing one.
 */
test('an IQA plans the sample for a cohort, sees the gap, picks a signed decision and sees it covered', async ({ browser, page, learner, assessor, tutor, admin }) => {
	const cohort = await createOwnCohort(tutor, { learners: [learner], assessors: [assessor] }, ['spouse-caller']);
	const iqa = await createOwnUser(['iqa'], 'plan quality assurer');
	const quality = await newPageAsOwn(browser, iqa);
	await quality.getByRole('navigation', { name: 'Quality assurance' }).getByRole('link', { name: 'Sampling plans' }).click();
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText('Sampling plans');
	await waitForHydration(quality);

	// A plan needs a cohort: refused next to the field, then made.
	await quality.getByRole('button', { name: 'Make the plan' }).click();
	await expect(quality.locator('#cohortId-error')).toContainText('Choose one of the centre’s cohorts');
	await quality.getByLabel('Cohort', { exact: true }).selectOption({ label: cohort.name });
	await expect(quality.getByLabel('Qualification', { exact: true })).toHaveValue('Process information about customers');
	await quality.getByRole('button', { name: 'Make the plan' }).click();
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText('Process information about customers');
	await expect(quality.getByText(`Sampling plan · ${cohort.name}`)).toBeVisible();
	await waitForHydration(quality);
	const planUrl = new URL(quality.url()).pathname;

	// Settings: a rate out of range is refused next to its field; then one criterion, simulation, interim only.
	const settings = quality.getByRole('form', { name: 'Settings' });
	await settings.getByLabel('High', { exact: true }).fill('140');
	await settings.getByRole('button', { name: 'Save the settings' }).click();
	await expect(quality.locator('#rate-high-error')).toContainText('0 to 100');
	await settings.getByLabel('High', { exact: true }).fill('50');
	for (const method of ['Observation', 'Witness testimony', 'Workplace evidence', 'Reflection']) await settings.getByRole('checkbox', { name: method }).uncheck();
	await settings.getByRole('checkbox', { name: /^Summative samples/ }).uncheck();
	for (const summary of await settings.locator('summary').all()) await summary.click();
	for (const box of await settings.getByRole('checkbox', { name: /^(PC|K|EMP|AC)\d\d / }).all()) await box.uncheck();
	await settings.getByRole('checkbox', { name: /^PC11 / }).check();
	await settings.getByRole('button', { name: 'Save the settings' }).click();
	await expect(quality.getByRole('status')).toContainText('The plan’s settings are saved.');

	// Nothing signed yet: the criterion and the method are gaps, said in words.
	await expect(quality.getByText('✗ Not yet compliant')).toBeVisible();
	const grid = quality.getByRole('region', { name: 'Samples by criterion, method and stage' });
	const row = grid.locator('tr', { has: quality.getByRole('rowheader', { name: /^PC11/ }) });
	await expect(row.getByRole('rowheader')).toContainText('Gap: no interim sample');
	await expect(grid.getByRole('columnheader', { name: /Simulation/ })).toContainText('Gap: not sampled');
	await expect(quality.getByRole('list', { name: 'Gaps' })).toContainText('PC11');
	await expectNoViolations(quality);

	// The learner submits an attempt and the assessor (new: 100 %) signs a decision on it.
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);
	const assessorPage = await newPageAsOwn(browser, assessor);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');

	// The IQA picks by the rules (the scheduled job may have picked it already): it is in the sample.
	await quality.goto(planUrl);
	await waitForHydration(quality);
	await quality.getByRole('button', { name: 'Pick samples now' }).click();
	await expect(quality.getByRole('status')).toContainText(/One decision was picked|No new samples/);
	const samples = quality.getByRole('region', { name: 'Samples picked under this plan' });
	await expect(samples.getByRole('row', { name: new RegExp(learner.name) })).toContainText('Risk band new: 100 %');
	await expect(quality.getByText('✓ Compliant')).toBeVisible();
	await expect(row.getByRole('rowheader')).toContainText('Covered');
	await expect(row.getByRole('cell').first()).toHaveText('1');
	await expect(quality.getByRole('region', { name: 'Sample rates per assessor' }).getByRole('row', { name: new RegExp(assessor.name) })).toContainText('1 of 1 sampled (100 %)');

	// A manual pick of the same decision at the same stage is refused next to the field.
	await expect(quality.getByLabel('Decision', { exact: true })).not.toContainText(learner.name);

	// A standardisation meeting, recorded against the plan.
	await quality.getByRole('link', { name: 'Standardisation meetings' }).click();
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText('Standardisation meetings');
	await waitForHydration(quality);
	await quality.getByRole('button', { name: 'Record the meeting' }).click();
	await expect(quality.locator('#workDiscussed-error')).toContainText('Describe the work discussed');
	await quality.getByLabel('Other attendees').fill('Jo Bloggs, EQA');
	await quality.getByLabel('Work discussed').fill(`${learner.name}’s spouse-caller attempt and its decision.`);
	await quality.getByLabel('Actions agreed').fill('Add feedback on PC11.');
	await quality.getByRole('button', { name: 'Record the meeting' }).click();
	await expect(quality.getByRole('status')).toContainText('The meeting is recorded.');
	await expect(quality.getByRole('listitem').filter({ hasText: 'Jo Bloggs, EQA' })).toContainText('Add feedback on PC11.');
	await expectNoViolations(quality);

	// The centre's administrator reads the plan, its coverage and its meetings, and can change nothing there.
	const adminPage = await newPageAsOwn(browser, admin);
	await adminPage.getByRole('link', { name: 'View the sampling plans' }).click();
	await adminPage.getByRole('link', { name: cohort.name }).click();
	await expect(adminPage.getByRole('heading', { level: 1 })).toHaveText('Process information about customers');
	await expect(adminPage.getByText('✓ Compliant')).toBeVisible();
	await expect(adminPage.getByRole('region', { name: 'Samples picked under this plan' })).toContainText(learner.name);
	await expect(adminPage.getByRole('listitem').filter({ hasText: 'Jo Bloggs, EQA' })).toContainText('Add feedback on PC11.');
	for (const name of ['Pick samples now', 'Save the settings', 'Add to the sample']) await expect(adminPage.getByRole('button', { name })).toHaveCount(0);
	await expectNoViolations(adminPage);
});

test('another centre’s plan is answered like a missing one, to its pages and its forms', async () => {
	const elsewhere = await createOwnCentre();
	const theirTutor = await createOwnUser(['tutor'], 'elsewhere tutor', { organisationId: elsewhere });
	const theirIqa = await createOwnUser(['iqa'], 'elsewhere iqa', { organisationId: elsewhere });
	const theirCohort = await createOwnCohort(theirTutor, {});
	const theirs = await requestContextAsOwn(theirIqa);
	const made = await theirs.post('/iqa/plans?/create', { form: { cohortId: theirCohort.id, qualificationTitle: 'Elsewhere diploma' }, maxRedirects: 0 });
	expect(made.status()).toBe(303);
	const planPath = made.headers()['location']!;
	expect((await theirs.get(planPath)).status()).toBe(200);
	await theirs.dispose();

	const ours = await requestContextAsOwn(await createOwnUser(['iqa'], 'our iqa'));
	for (const path of [planPath, `${planPath}/meetings`]) {
		const response = await ours.get(path);
		expect(response.status(), path).toBe(404);
		expect(await response.text()).not.toContain('Elsewhere diploma');
	}
	for (const action of [`${planPath}?/pick`, `${planPath}?/settings`, `${planPath}?/manual`, `${planPath}/meetings?/record`]) {
		expect((await ours.post(action, { form: { heldOn: '2026-03-01', others: 'x', workDiscussed: 'x' }, maxRedirects: 0 })).status(), action).toBe(404);
	}
	expect(await (await ours.get('/iqa/plans')).text()).not.toContain('Elsewhere diploma');
	await ours.dispose();
	const ourAdmin = await requestContextAsOwn(await createOwnUser(['admin'], 'our admin'));
	expect((await ourAdmin.get(planPath.replace('/iqa/', '/admin/'))).status()).toBe(404);
	expect(await (await ourAdmin.get('/admin/plans')).text()).not.toContain('Elsewhere diploma');
	await ourAdmin.dispose();
});
