import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';

/** The assessor records one observation evidencing every criterion of the unit: the unit is signed off. */
async function signOffEveryCriterion(assessor: Page, learnerName: string): Promise<void> {
	await assessor.goto('/assess/learners');
	await assessor.getByRole('link', { name: learnerName }).click();
	await expect(assessor.getByRole('heading', { level: 1, name: learnerName })).toBeVisible();
	await waitForHydration(assessor);
	await assessor.getByText('Record an observation').click();
	await assessor.getByLabel('Date observed').fill('2026-01-20');
	await assessor.getByLabel('Setting').fill('Front desk, a whole shift');
	await assessor.getByLabel('What you observed').fill('Handled every kind of customer record request the unit covers, each by the procedure.');
	for (const box of await assessor.locator('#o-criteria input[type="checkbox"]').all()) await box.check();
	await assessor.getByRole('button', { name: 'Record the observation' }).click();
	await expect(assessor.getByRole('status')).toContainText('Observation of 2026-01-20 recorded');
}

async function checkOnVerify(page: Page, how: { file: string } | { pasted: string }): Promise<void> {
	await page.goto('/verify');
	await waitForHydration(page);
	const form = page.getByRole('region', { name: 'Check an Open Badge' });
	if ('file' in how) await form.getByLabel('The badge’s .json file').setInputFiles(how.file);
	else await form.getByLabel('Or paste the badge (JSON)').fill(how.pasted);
	await form.getByRole('button', { name: 'Check the badge' }).click();
}

test('a learner downloads their badge once the unit is signed off, /verify says valid, an administrator revokes it and /verify says revoked; the sign-off redone issues a new one', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.id).toBeTruthy();
	await logInAsOwn(page, learner, '/learn/badges');
	await expect(page.getByRole('heading', { level: 2, name: 'No badge yet' })).toBeVisible();

	const assessor = await newPageAsOwn(browser, assessorAccount);
	await signOffEveryCriterion(assessor, learner.name);
	await assessor.context().close();

	await page.goto('/learn/badges');
	await expect(page.getByRole('heading', { level: 2, name: 'Process information about customers' })).toBeVisible();
	await expectNoViolations(page);
	await page.screenshot({ path: 'tests/.artifacts/badges-learner.png', fullPage: true });
	const downloading = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download the badge (.json)' }).click();
	const download = await downloading;
	expect(download.suggestedFilename()).toMatch(/^open-badge-[0-9a-f-]+\.json$/);
	const file = await download.path();
	const credential = JSON.parse(readFileSync(file, 'utf8')) as { type: string[]; name: string; credentialSubject: { achievement: { name: string } }; proof: { cryptosuite: string } };
	expect(credential.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
	expect(credential.proof.cryptosuite).toBe('eddsa-rdfc-2022');
	expect(JSON.stringify(credential)).not.toContain(learner.email);

	// Anyone, without an account: the file as downloaded is valid.
	const visitor = await browser.newPage();
	await checkOnVerify(visitor, { file });
	await expect(visitor.locator('#badge-result')).toContainText('Valid badge');
	await expect(visitor.locator('#badge-result')).toContainText('Process information about customers');
	await expectNoViolations(visitor);
	await visitor.screenshot({ path: 'tests/.artifacts/badges-verify-valid.png', fullPage: true });
	// Changed after signing: the name of the achievement made grander.
	await checkOnVerify(visitor, { pasted: JSON.stringify({ ...credential, name: 'Level 5 Diploma in Data Protection' }) });
	await expect(visitor.locator('#badge-result')).toContainText('Not valid: changed since it was signed');
	// Not JSON: said next to the field.
	await checkOnVerify(visitor, { pasted: '{"type": ["VerifiableCredential"' });
	await expect(visitor.locator('#credential-error')).toContainText('not JSON');

	// The centre's administrator revokes it with a reason; an empty reason is refused at the field.
	const admin = await newPageAsOwn(browser, await createOwnUser(['admin']), '/iqa/badges');
	await waitForHydration(admin);
	const row = admin.getByRole('row').filter({ hasText: learner.name });
	await row.getByRole('button', { name: 'Revoke' }).click();
	await expect(admin.getByRole('row').filter({ hasText: learner.name }).locator('.field-error')).toContainText('Give the reason');
	await admin.getByRole('row').filter({ hasText: learner.name }).getByLabel('Reason for revoking').fill('The observation was recorded against the wrong learner.');
	await admin.getByRole('row').filter({ hasText: learner.name }).getByRole('button', { name: 'Revoke' }).click();
	await expect(admin.getByRole('status')).toContainText('Revoked');
	await expect(admin.getByRole('row').filter({ hasText: learner.name })).toContainText('The observation was recorded against the wrong learner.');
	await expectNoViolations(admin);
	await admin.screenshot({ path: 'tests/.artifacts/badges-iqa.png', fullPage: true });
	await admin.context().close();

	await checkOnVerify(visitor, { file });
	await expect(visitor.locator('#badge-result')).toContainText('Revoked');
	await expect(visitor.locator('#badge-result')).toContainText('has revoked it');
	await visitor.close();

	await page.goto('/learn/badges');
	await expect(page.getByText('The observation was recorded against the wrong learner.')).toBeVisible();
	await expect(page.getByRole('link', { name: 'Download the badge (.json)' })).toHaveCount(0);

	// The sign-off redone after the revocation: a new badge, valid, beside the revoked one.
	const again = await newPageAsOwn(browser, assessorAccount);
	await signOffEveryCriterion(again, learner.name);
	await again.context().close();
	await page.goto('/learn/badges');
	await expect(page.getByRole('heading', { level: 2, name: 'Process information about customers' })).toHaveCount(2);
	await expect(page.getByText('The observation was recorded against the wrong learner.')).toBeVisible();
	await expectNoViolations(page);
	await page.screenshot({ path: 'tests/.artifacts/badges-learner-reissued.png', fullPage: true });
	const downloadingNew = page.waitForEvent('download');
	await page.getByRole('link', { name: 'Download the badge (.json)' }).click();
	const renewed = await (await downloadingNew).path();
	expect(JSON.parse(readFileSync(renewed, 'utf8')).id).not.toBe((credential as unknown as { id: string }).id);
	const checker = await browser.newPage();
	await checkOnVerify(checker, { file: renewed });
	await expect(checker.locator('#badge-result')).toContainText('Valid badge');
	await checkOnVerify(checker, { file });
	await expect(checker.locator('#badge-result')).toContainText('Revoked');
	await checker.close();
});

test('the issuer’s DID document and status list are public JSON; an administrator rotates the key and earlier keys stay published', async ({ page, request, admin }) => {
	await logInAsOwn(page, admin, '/admin/badges');
	await expect(page.getByRole('heading', { level: 1, name: 'Open Badges issuer' })).toBeVisible();
	const didUrl = await page.getByRole('link', { name: /did\.json$/ }).getAttribute('href');
	const before = await request.get(didUrl!);
	expect(before.status()).toBe(200);
	expect(before.headers()['content-type']).toContain('application/did+ld+json');
	const keysBefore = ((await before.json()) as { verificationMethod: { id: string }[] }).verificationMethod.length;
	await page.getByRole('button', { name: 'Rotate the signing key' }).click();
	await expect(page.getByRole('status')).toContainText('signs from now on');
	await expectNoViolations(page);
	await page.screenshot({ path: 'tests/.artifacts/badges-admin.png', fullPage: true });
	const after = (await (await request.get(didUrl!)).json()) as { verificationMethod: { id: string; publicKeyMultibase: string }[]; assertionMethod: string[] };
	expect(after.verificationMethod).toHaveLength(Math.max(keysBefore, 1) + 1);
	expect(after.assertionMethod).toEqual(after.verificationMethod.map((m) => m.id));
	expect(JSON.stringify(after)).not.toMatch(/secretKey/i);
	expect((await request.get('/badges/no-such-centre/did.json')).status()).toBe(404);
	expect((await request.get(didUrl!.replace('did.json', 'status/999999'))).status()).toBe(404);
});
