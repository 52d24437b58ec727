import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { testPng } from '../../src/lib/server/workplace/testing';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { createOwnCentre, createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { makeTrainee, submittedEvidence } from './support/workplace';

/**
 * Issue 17 item 5: the assessor judges a learner's workplace evidence. A trainee marks it met, a
 * qualified assessor countersigns it, and the learner's portfolio PDF lists the file with its
 * SHA-256, the decision and the countersignature; /verify still recognises the PDF. Evidence of a
 * learner outside the assessor's cohorts, or of another centre, is not found.
 */

const photo = testPng(320, 200);
const photoHash = createHash('sha256').update(photo).digest('hex');

function pdfText(path: string): string {
	const run = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' });
	expect(run.status).toBe(0);
	return run.stdout.replace(/\s+/g, ' ');
}

async function openReview(page: Page, evidenceId: string) {
	await page.goto(`/assess/workplace/${evidenceId}`);
	await waitForHydration(page);
}

test('a trainee marks workplace evidence met, a qualified assessor countersigns it, and the learner’s PDF lists the file with its hash', async ({ browser, page, learner, tutor }) => {
	const trainee = await createOwnUser(['assessor'], 'trainee judge');
	const qualified = await createOwnUser(['assessor'], 'qualified judge');
	const iqa = await createOwnUser(['iqa'], 'judge iqa');
	await createOwnCohort(tutor, { learners: [learner], assessors: [trainee, qualified] });
	await makeTrainee(trainee, iqa);
	const title = `Identity check form ${Date.now()}`;
	const { evidenceId } = await submittedEvidence(learner, { title, criteria: ['PC01', 'PC02'], files: [{ name: 'identity-form.png', mediaType: 'image/png', bytes: photo }] });

	// The trainee finds it in the queue, beside the attempts, in the same words.
	const traineePage = await newPageAsOwn(browser, trainee);
	const queue = traineePage.getByRole('region', { name: 'Workplace evidence', exact: true });
	await expect(queue.getByRole('row', { name: new RegExp(title) })).toContainText('Submitted');
	await queue.getByRole('link', { name: new RegExp(`^${title}`) }).click();
	await expect(traineePage.getByRole('heading', { level: 1 })).toHaveText(title);
	await waitForHydration(traineePage);
	await expect(traineePage.getByRole('region', { name: 'The learner’s account (STAR)' })).toContainText('A customer rang asking for their account balance.');
	await expect(traineePage.getByRole('region', { name: 'Authenticity declaration' })).toContainText('This is my own work');
	const files = traineePage.getByRole('region', { name: 'Files' });
	await expect(files.getByRole('row', { name: /identity-form\.png/ })).toContainText(photoHash);
	await expect(files.getByRole('link', { name: 'identity-form.png' })).toHaveAttribute('href', /^\/uploads\/[^/]+\/file$/);
	await expect(files.getByRole('img', { name: /identity-form\.png/ })).toHaveCount(1);
	await expectNoViolations(traineePage);

	// Signed with nothing chosen: each problem is shown next to its field, and nothing is signed.
	await traineePage.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(traineePage.locator('#criterion-0-met-error')).toContainText('Choose met or not yet met for PC01');
	await expect(traineePage.locator('#outcome-error')).toBeVisible();
	await expect(traineePage.locator('#signedName-error')).toContainText('Type your name');

	const form = traineePage.getByRole('region', { name: 'Your decision' });
	await form.getByRole('group', { name: /PC01/ }).getByLabel('Met', { exact: true }).check();
	await form.getByRole('group', { name: /PC02/ }).getByLabel('Not yet met').check();
	await form.getByRole('group', { name: /PC02/ }).getByLabel('Feedback on PC02 (optional)').fill('This call does not show it.');
	await form.getByRole('group', { name: 'Overall decision' }).getByLabel('Met', { exact: true }).check();
	await form.getByLabel('Feedback to the learner').fill('The form shows every identity check.');
	await form.getByLabel('Your name, to sign').fill(trainee.name);
	await form.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(traineePage.getByRole('status')).toContainText('Your decision is signed.');
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText('Waiting for a qualified assessor');
	await expect(traineePage.getByRole('article', { name: /^Decision 1: Met/ })).toContainText('counts once a qualified assessor countersigns it');

	// The qualified assessor is asked to countersign, and the link leads to the evidence.
	const qualifiedPage = await newPageAsOwn(browser, qualified, '/notifications');
	await qualifiedPage.getByRole('link', { name: /decision on workplace evidence needs your countersignature/ }).click();
	await expect(qualifiedPage).toHaveURL(`/assess/workplace/${evidenceId}`);

	// The qualified assessor finds it among the countersignatures to give and countersigns it.
	await qualifiedPage.goto('/assess');
	const toGive = qualifiedPage.getByRole('region', { name: 'Countersignatures to give' });
	await expect(toGive).toContainText(`signed by ${trainee.name}`);
	await toGive.getByRole('link', { name: new RegExp(title) }).click();
	await waitForHydration(qualifiedPage);
	const block = qualifiedPage.getByRole('region', { name: 'Countersignature' });
	await expect(block).toContainText(`signed by ${trainee.name}, a trainee assessor`);
	await block.getByLabel('Your full name, to sign').fill(qualified.name);
	await block.getByRole('button', { name: 'Sign my answer' }).click();
	await expect(qualifiedPage.getByRole('region', { name: 'Countersignature' })).toContainText('You countersigned the decision: it now counts.');
	await expect(qualifiedPage.getByRole('article', { name: /^Decision 1: Met/ })).toContainText(`Countersigned by ${qualified.name}`);
	await traineePage.goto('/notifications');
	await expect(traineePage.getByRole('link', { name: /Your decision on workplace evidence was countersigned/ })).toHaveCount(1);
	await qualifiedPage.goto('/assess');
	await expect(qualifiedPage.getByRole('region', { name: 'Workplace evidence', exact: true }).getByRole('row', { name: new RegExp(title) })).toContainText('Signed off');

	// The learner's portfolio PDF lists the file with its hash, the decision and the countersignature; /verify knows it.
	await logInAsOwn(page, learner, '/learn/portfolio');
	await waitForHydration(page);
	const saved = page.waitForEvent('download');
	await page.locator('main').getByRole('button', { name: 'Download the whole portfolio (PDF)' }).click();
	const file = await saved;
	const path = test.info().outputPath(file.suggestedFilename());
	await file.saveAs(path);
	const text = pdfText(path);
	expect(text).toContain('Workplace evidence');
	expect(text).toContain(title);
	expect(text).toContain('identity-form.png (image/png');
	expect(text).toContain(photoHash);
	expect(text).toContain(`Signed: ${trainee.name}`);
	expect(text).toContain(`Countersigned: ${qualified.name}`);
	const images = spawnSync('pdfimages', ['-list', path], { encoding: 'utf8' }).stdout;
	expect(images).toMatch(/\b320\s+200\b/);
	await page.goto('/verify');
	await waitForHydration(page);
	await page.getByLabel('PDF file').setInputFiles(path);
	await page.getByRole('button', { name: 'Check the file' }).click();
	await expect(page.locator('#verify-result')).toContainText('Issued by this centre and unchanged');

	for (const other of [traineePage, qualifiedPage]) await other.context().close();
});

test('workplace evidence of a learner outside the assessor’s cohorts, or of another centre, is not found', async ({ browser, learner, assessor, cohort }) => {
	void cohort; // the test's assessor assesses the test's learner
	const outsider = await createOwnUser(['learner'], 'outside learner');
	const elsewhere = await createOwnUser(['learner'], 'elsewhere learner', { organisationId: await createOwnCentre() });
	const mine = await submittedEvidence(learner, { title: 'Mine to judge', criteria: ['PC01'], files: [] });
	const theirs = await submittedEvidence(outsider, { title: 'Not in my cohorts', criteria: ['PC01'], files: [] });
	const foreign = await submittedEvidence(elsewhere, { title: 'Another centre’s', criteria: ['PC01'], files: [] });
	const page = await newPageAsOwn(browser, assessor);
	await openReview(page, mine.evidenceId);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mine to judge');
	for (const id of [theirs.evidenceId, foreign.evidenceId]) {
		const response = await page.goto(`/assess/workplace/${id}`);
		expect(response?.status(), id).toBe(404);
		await expect(page.locator('main')).not.toContainText('Not in my cohorts');
		await expect(page.locator('main')).not.toContainText('Another centre’s');
		const posted = await page.request.post(`/assess/workplace/${id}?/sign`, { form: { outcome: 'met' }, headers: { origin: new URL(page.url()).origin }, maxRedirects: 0 });
		expect(posted.status(), `${id}: sign`).toBe(404);
	}
	await page.goto('/assess');
	const queue = page.getByRole('region', { name: 'Workplace evidence', exact: true });
	await expect(queue).toContainText('Mine to judge');
	await expect(queue).not.toContainText('Not in my cohorts');
	await page.context().close();
});

test('a relative is refused as a witness; the witness status list shows each witness’s role, relationship, contact and signature', async ({ browser, learner, assessor, cohort }) => {
	void cohort;
	const page = await newPageAsOwn(browser, assessor, `/assess/learners/${learner.id}`);
	await waitForHydration(page);
	const witness = `Bethan Hughes ${Date.now()}`;
	await page.locator('summary', { hasText: 'Record witness testimony' }).click();
	await page.getByLabel('Witness’s name').fill(witness);
	await page.getByLabel('Witness’s job title or role').fill('Customer service team leader');
	await page.getByLabel('How they know the learner').fill('Mother');
	await page.getByLabel('Witness’s telephone or e-mail').fill('bethan@employer.example');
	await page.getByLabel('Date of the work witnessed').fill('2026-01-15');
	await page.getByLabel('The witness’s statement').fill('I saw the learner check a caller’s identity before discussing the account.');
	await page.getByLabel('Name the witness signed with').fill(witness);
	await page.getByLabel('Date the witness signed').fill('2026-01-16');
	await page.getByRole('button', { name: 'Record the testimony' }).click();
	await expect(page.locator('#t-relationship-error')).toContainText('must not be a relative or partner');
	await expect(page.locator('#t-notRelative-error')).toContainText('Confirm that the witness is not a relative');
	await expect(page.getByLabel('The witness’s statement')).toHaveValue(/check a caller/);

	await expect(page.getByLabel('How they know the learner')).toHaveValue('Mother');
	await page.getByLabel('How they know the learner').fill('Line manager');
	await page.getByLabel('The witness is not a relative or partner of the learner').check();
	await page.getByRole('button', { name: 'Record the testimony' }).click();
	await expect(page.getByRole('status')).toContainText(`Witness testimony from ${witness} recorded`);

	await page.goto('/assess/witnesses');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Witnesses');
	const row = page.getByRole('row', { name: new RegExp(witness) });
	await expect(row).toContainText('Customer service team leader');
	await expect(row).toContainText('Line manager');
	await expect(row).toContainText('bethan@employer.example');
	await expect(row).toContainText('Signed');
	await expect(row).toContainText(learner.name);
	await expectNoViolations(page);
	await page.context().close();
});

test('the learner reads the decision on their workplace evidence, and after a resubmission request changes it, submits it again and is told', async ({ browser, page, learner, assessor, cohort }) => {
	void cohort; // the test's assessor, qualified, assesses the test's learner
	const title = `Address change ${Date.now()}`;
	const { evidenceId } = await submittedEvidence(learner, { title, criteria: ['PC01'], files: [{ name: 'address-form.png', mediaType: 'image/png', bytes: photo }] });

	// The assessor asks for a resubmission.
	const assessorPage = await newPageAsOwn(browser, assessor);
	await openReview(assessorPage, evidenceId);
	let form = assessorPage.getByRole('region', { name: 'Your decision' });
	await form.getByRole('group', { name: /PC01/ }).getByLabel('Not yet met').check();
	await form.getByRole('group', { name: 'Overall decision' }).getByLabel('Resubmission requested').check();
	await form.getByLabel('Feedback to the learner').fill('The photo of the form is too dark to read.');
	await form.getByLabel('What to do next').fill('Photograph the form again in good light and say who checked it.');
	await form.getByLabel('Note for assessors (optional)').fill('Private: compare with last month’s form.');
	await form.getByLabel('Your name, to sign').fill(assessor.name);
	await form.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(assessorPage.getByRole('status')).toContainText('Your decision is signed.');

	// The learner is told, and finds the evidence a draft again with the request to read.
	await logInAsOwn(page, learner, '/notifications');
	const told = page.getByRole('link', { name: /asks you to change and resubmit your workplace evidence/ });
	await expect(told).toHaveCount(1);
	await expect(page.locator('main')).not.toContainText(title);
	await told.click();
	await expect(page).toHaveURL(`/learn/evidence/${evidenceId}`);
	await page.goto('/learn/evidence');
	const listed = page.getByRole('listitem').filter({ hasText: title });
	await expect(listed).toContainText('Resubmission asked');
	await expect(listed).toContainText('Read the feedback, change it and submit it again');
	await listed.getByRole('link', { name: title, exact: true }).click();
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText('Your assessor asks you to change this evidence and submit it again')).toBeVisible();
	const asked = page.getByRole('article', { name: /^Decision 1: Resubmission requested/ });
	await expect(asked).toContainText('The photo of the form is too dark to read.');
	await expect(asked).toContainText('Photograph the form again in good light');
	await expect(asked).toContainText(`Signed by ${assessor.name}`);
	await expect(asked).toContainText('Not yet met');
	await expect(page.locator('main')).not.toContainText('Private: compare');
	await expectNoViolations(page);

	// The learner changes the account and submits it again.
	await page.getByRole('textbox', { name: 'Action' }).fill('I checked the caller’s identity, photographed the form by the window, and my team leader checked it.');
	await page.getByRole('checkbox', { name: /This is my own work/ }).check();
	await page.getByRole('button', { name: 'Submit', exact: true }).click();
	await expect(page.getByText(/Submitted on/)).toBeVisible();
	await expect(page.getByText(/your assessor will judge it/)).toBeVisible();
	await expect(page.getByRole('textbox')).toHaveCount(0);
	await expect(page.locator('main')).toContainText('my team leader checked it');

	// The assessor judges the new version; the learner reads the decision and its criteria.
	await openReview(assessorPage, evidenceId);
	await expect(assessorPage.locator('main')).toContainText('my team leader checked it');
	form = assessorPage.getByRole('region', { name: /Sign a new decision/ });
	await form.getByRole('group', { name: /PC01/ }).getByLabel('Met', { exact: true }).check();
	await form.getByRole('group', { name: /PC01/ }).getByLabel('Feedback on PC01 (optional)').fill('The form now shows both checks.');
	await form.getByRole('group', { name: 'Overall decision' }).getByLabel('Met', { exact: true }).check();
	await form.getByLabel('Feedback to the learner').fill('Clear now: the checks are all there.');
	await form.getByLabel('Your name, to sign').fill(assessor.name);
	await form.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(assessorPage.getByRole('status')).toContainText('Your decision is signed.');

	await page.goto(`/learn/evidence/${evidenceId}`);
	await expect(page.getByText('Workplace evidence · Signed off')).toBeVisible();
	const met = page.getByRole('article', { name: /^Decision 2: Met/ });
	await expect(met).toContainText('Clear now: the checks are all there.');
	await expect(met).toContainText('PC01');
	await expect(met).toContainText('The form now shows both checks.');
	await expect(page.getByRole('article', { name: /^Decision 1: Resubmission requested \(superseded\)/ })).toBeVisible();
	await expect(page.locator('main')).not.toContainText('Private: compare');
	await page.goto('/notifications');
	await expect(page.getByRole('link', { name: /Your workplace evidence has been assessed/ })).toHaveCount(1);
	await page.goto('/learn/evidence');
	await expect(page.getByRole('listitem').filter({ hasText: title })).toContainText('Signed off');
	await assessorPage.context().close();
});
