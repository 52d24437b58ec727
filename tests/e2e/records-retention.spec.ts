import type { Page } from '@playwright/test';
import { waitForHydration } from './support/accounts';
import { expectNoViolations } from './support/accessibility';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, test } from './support/fixtures';

/** Saves a learner's standing on their admin page and waits for the page to say so (or refuse). */
async function saveStanding(page: Page, values: { standing: string; since: string; certified: string }) {
	const form = page.locator('form[action="?/standing"]');
	await form.getByLabel('Standing').selectOption({ label: values.standing });
	await form.getByLabel('Since').fill(values.since);
	await form.getByLabel('Certificated on (optional)').fill(values.certified);
	await form.getByRole('button', { name: 'Save the standing' }).click();
}

test('an administrator certificates a learner, holds their records, releases the hold and disposes of them once due, all logged', async ({ page }) => {
	// A centre of the test's own: disposal acts on a whole centre's due records.
	const centre = await createOwnCentre();
	const admin = await createOwnUser(['admin'], 'records admin', { organisationId: centre });
	const learner = await createOwnUser(['learner'], 'certified learner', { organisationId: centre });
	await logInAsOwn(page, admin);

	// The hold comes first, so the scheduled run cannot dispose of the records while the test looks at them.
	await page.goto('/admin/records');
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Records and retention');
	await expectNoViolations(page);
	const holdForm = page.locator('form[action="?/hold"]');
	await holdForm.getByRole('button', { name: 'Place the hold' }).click();
	await expect(holdForm.getByText('Choose a learner of this centre.')).toBeVisible();
	await holdForm.getByLabel('Learner').selectOption({ label: `${learner.name} (${learner.email})` });
	await holdForm.getByLabel('Reason').fill('Appeal against an assessment decision');
	await holdForm.getByRole('button', { name: 'Place the hold' }).click();
	await expect(page.getByRole('status')).toContainText('The legal hold is placed');
	await expect(page.getByText(`${learner.name} (${learner.email}) — held since`)).toBeVisible();

	// Certification needs the programme completed: refused next to the field, then saved.
	await page.goto(`/admin/users/${learner.id}`);
	await waitForHydration(page);
	await saveStanding(page, { standing: 'In training', since: '2019-09-01', certified: '2020-01-15' });
	await expect(page.locator('#standing-certified-error')).toContainText('Only a learner who completed the programme can be certificated');
	await saveStanding(page, { standing: 'Completed', since: '2019-12-20', certified: '2020-01-15' });
	await expect(page.getByRole('status')).toContainText('The learner’s standing is saved');
	await expect(page.getByRole('region', { name: 'Programme' })).toContainText('certificated on 2020-01-15');

	// Due (three years after 2020-01-15) but held: listed, kept, and nothing to dispose of.
	await page.goto('/admin/records');
	await waitForHydration(page);
	const due = page.getByRole('region', { name: 'Records due for disposal' });
	await expect(due.getByRole('row', { name: new RegExp(`${learner.name} Learner evidence`) })).toContainText('Held: kept');
	await expect(due.getByRole('row', { name: new RegExp(`${learner.name} Assessment and IQA decisions`) })).toContainText('Held: kept');
	await expect(page.getByRole('button', { name: 'Dispose of the due records now' })).toHaveCount(0);

	// Released with a reason (refused without one).
	const release = page.locator('form[action="?/release"]');
	await release.getByRole('button', { name: `Release the hold on ${learner.name}` }).click();
	await expect(release.getByText('Say why the hold ends.')).toBeVisible();
	await release.getByLabel('Why the hold ends').fill('Appeal decided');
	await release.getByRole('button', { name: `Release the hold on ${learner.name}` }).click();
	await expect(page.getByRole('status')).toContainText('The hold is released');
	await expect(page.getByText('No learner’s records are held.')).toBeVisible();

	// Disposal asks for a confirmation; then the two sets go and the log lists them.
	const dispose = page.getByRole('button', { name: 'Dispose of the due records now' });
	if ((await dispose.count()) > 0) {
		await dispose.click();
		await expect(page.locator('#confirm-error')).toHaveText('Tick the box to confirm: disposal cannot be undone.');
		await page.getByRole('checkbox', { name: /will be deleted for good/ }).check();
		await dispose.click();
		await expect(page.getByRole('status')).toContainText(/Disposed of 2 sets of records|Nothing was due/);
	}
	// (The scheduled run may have got there first: either way both sets are disposed of and logged.)
	const history = page.getByRole('region', { name: 'Disposal log' });
	await expect(history.getByRole('row').filter({ hasText: learner.name })).toHaveCount(2);
	await expect(history).toContainText('3 years after 2020-01-15');
	await expect(page.getByText(`No records are past their period today`)).toBeVisible();

	await page.goto('/admin/security?event=records');
	await expect(page.getByRole('table').locator('tbody tr').filter({ hasText: 'records disposed of' })).toHaveCount(2);
	await expect(page.getByRole('table').locator('tbody tr').filter({ hasText: 'Legal hold placed' })).toHaveCount(1);
});

test('the retention periods are settable within limits, with the reason next to the field', async ({ page }) => {
	const centre = await createOwnCentre();
	const admin = await createOwnUser(['admin'], 'periods admin', { organisationId: centre });
	await logInAsOwn(page, admin, '/admin/records');
	await waitForHydration(page);
	const form = page.locator('form[action="?/settings"]');
	await form.getByLabel('Learner evidence (years)').fill('0');
	await form.getByRole('button', { name: 'Save the periods' }).click();
	await expect(page.locator('#evidenceYears-error')).toHaveText('Keep records from 1 to 50 years after certification.');
	await form.getByLabel('Learner evidence (years)').fill('6');
	await form.getByLabel('Assessment and IQA decisions (years)').fill('6');
	await form.getByRole('button', { name: 'Save the periods' }).click();
	await expect(page.getByRole('status')).toContainText('The retention periods are saved');
	await page.reload();
	await expect(form.getByLabel('Learner evidence (years)')).toHaveValue('6');
});
