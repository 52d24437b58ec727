import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import exifr from 'exifr';
import type { Page } from '@playwright/test';
import { jpegWithGps } from '../../src/lib/server/uploads/testing';
import { ukToday } from '../../src/lib/dates';
import { LoginPage, waitForHydration } from './support/accounts';
import { addressHeaders, createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test, uniqueSuffix } from './support/fixtures';
import { mailTo, resetPathIn } from './support/mail';
import { enrolMfa } from './support/mfa';

/**
 * Issue 17, the whole quality cycle: a learner uploads a photo of a real form with a STAR account and
 * the declaration; a trainee assessor marks it met and a qualified assessor countersigns; it falls in
 * the interim sample of the IQA's plan for the cohort; the IQA sets an action, the assessor answers,
 * the IQA confirms it closed and agrees, and the work locks; the learner's portfolio PDF shows all
 * three signatures; an EQA invited for 14 days logs in with two-step log-in, sees exactly the sample
 * and the plan's coverage, downloads the evidence pack, and /verify confirms it.
 */

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const ukDay = (offset = 0) => ukToday(new Date(Date.now() + offset * 86_400_000));

function pdfText(path: string): string {
	const run = spawnSync('pdftotext', [path, '-'], { encoding: 'utf8' });
	expect(run.status).toBe(0);
	return run.stdout.replace(/\s+/g, ' ');
}

/** The IQA's round: VACS all confirmed, every criterion agreed, or the first given an action. */
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

test('the whole quality cycle: workplace evidence judged, countersigned, sampled, actioned, agreed and locked, in the PDF, and seen by an EQA who verifies the evidence pack', async ({ browser, page, learner, tutor, admin }) => {
	test.slow(); // eleven people's steps, a first log-in with MFA set-up, a PDF and a pack
	const trainee = await createOwnUser(['assessor'], 'cycle trainee');
	const qualified = await createOwnUser(['assessor'], 'cycle qualified');
	const iqa = await createOwnUser(['iqa'], 'cycle iqa');
	// A second learner of the cohort, left out of the EQA's sample.
	const outside = await createOwnUser(['learner'], 'cycle outside');
	const cohort = await createOwnCohort(tutor, { learners: [learner, outside], assessors: [trainee, qualified] });

	// The IQA marks the new assessor as a trainee.
	const quality = await newPageAsOwn(browser, iqa);
	await quality.getByRole('link', { name: trainee.name }).click();
	await expect(quality.getByRole('heading', { level: 1 })).toHaveText(trainee.name);
	await waitForHydration(quality);
	await quality.getByLabel('Status', { exact: true }).selectOption('trainee');
	await quality.getByLabel('Reason', { exact: true }).fill('Working towards the assessor award.');
	await quality.getByRole('button', { name: 'Set the status' }).click();
	await expect(quality.locator('#profile-status')).toContainText('Trainee since');

	// ── The learner: a photo of the form (with a GPS location), the STAR account, the declaration ──
	const title = `Identity check form ${uniqueSuffix()}`;
	await logInAsOwn(page, learner, '/learn/evidence');
	await waitForHydration(page);
	await page.getByRole('link', { name: 'Add workplace evidence' }).click();
	await expect(page).toHaveURL(/\/learn\/evidence\/new$/);
	await waitForHydration(page);
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Start' }).click();
	await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
	await waitForHydration(page);
	await page.getByLabel('Situation').fill('A caller asked for their account balance at the start of my shift.');
	await page.getByLabel('Task', { exact: true }).fill('Confirm who they were before telling them anything.');
	await page.getByLabel('Action', { exact: true }).fill('I asked the security questions on the identity check form and ticked each answer on it.');
	await page.getByLabel('Result', { exact: true }).fill('The caller passed; the completed form in the photo records each check.');
	await page.getByRole('checkbox', { name: /PC01/ }).check();
	const photo = jpegWithGps();
	expect(await exifr.gps(Buffer.from(photo)), 'the test photo has a location to remove').toMatchObject({ latitude: 51.5 });
	await page.getByLabel('Add files').setInputFiles({ name: 'identity-form.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) });
	await expect(page.getByRole('link', { name: 'identity-form.jpg' })).toBeVisible();
	await expect(page.getByText('Removed before it was kept: GPS location')).toBeVisible();
	await page.getByRole('checkbox', { name: /This is my own work/ }).check();
	await page.getByRole('button', { name: 'Submit', exact: true }).click();
	await expect(page.getByText(/Submitted on/)).toBeVisible();

	// ── The trainee marks it met ──────────────────────────────────────────────────────────────
	const traineePage = await newPageAsOwn(browser, trainee);
	const queue = traineePage.getByRole('region', { name: 'Workplace evidence', exact: true });
	await queue.getByRole('link', { name: new RegExp(`^${title}`) }).click();
	await expect(traineePage.getByRole('heading', { level: 1 })).toHaveText(title);
	await waitForHydration(traineePage);
	await expect(traineePage.getByRole('region', { name: 'The learner’s account (STAR)' })).toContainText('ticked each answer');
	await expect(traineePage.getByRole('region', { name: 'Authenticity declaration' })).toContainText('This is my own work');
	const form = traineePage.getByRole('region', { name: 'Your decision' });
	await form.getByRole('group', { name: /PC01/ }).getByLabel('Met', { exact: true }).check();
	await form.getByRole('group', { name: 'Overall decision' }).getByLabel('Met', { exact: true }).check();
	await form.getByLabel('Feedback to the learner').fill('The form shows every identity check.');
	await form.getByLabel('Your name, to sign').fill(trainee.name);
	await form.getByRole('button', { name: 'Sign the decision' }).click();
	await expect(traineePage.getByRole('status')).toContainText('Your decision is signed.');
	await expect(traineePage.getByRole('region', { name: 'Countersignature' })).toContainText('Waiting for a qualified assessor');

	// ── A qualified assessor countersigns it ──────────────────────────────────────────────────
	const qualifiedPage = await newPageAsOwn(browser, qualified);
	await qualifiedPage.getByRole('region', { name: 'Countersignatures to give' }).getByRole('link', { name: new RegExp(title) }).click();
	await waitForHydration(qualifiedPage);
	const block = qualifiedPage.getByRole('region', { name: 'Countersignature' });
	await block.getByLabel('Your full name, to sign').fill(qualified.name);
	await block.getByRole('button', { name: 'Sign my answer' }).click();
	await expect(qualifiedPage.getByRole('region', { name: 'Countersignature' })).toContainText('You countersigned the decision: it now counts.');

	// ── It falls in the interim sample of the IQA's plan for the cohort ─────────────────────────
	await quality.goto('/iqa/plans');
	await waitForHydration(quality);
	await quality.getByLabel('Cohort', { exact: true }).selectOption({ label: cohort.name });
	await quality.getByRole('button', { name: 'Make the plan' }).click();
	await expect(quality.getByText(`Sampling plan · ${cohort.name}`)).toBeVisible();
	await waitForHydration(quality);
	// The scheduled job may have picked it already.
	await quality.getByRole('button', { name: 'Pick samples now' }).click();
	await expect(quality.getByRole('status')).toContainText(/One decision was picked|No new samples/);
	const picked = quality.getByRole('region', { name: 'Samples picked under this plan' }).getByRole('row', { name: new RegExp(learner.name) });
	await expect(picked).toHaveCount(1);
	// A new assessor (no risk rating set yet) is sampled at 100 %.
	await expect(picked).toContainText(`Risk band new: 100 % of ${trainee.name}’s interim decisions`);
	await expect(picked).toContainText('(workplace decision)');
	await expect(picked.getByRole('cell').nth(1)).toHaveText('Interim');

	// ── The IQA starts the sample and sets an action ────────────────────────────────────────────
	await picked.getByRole('link', { name: learner.name }).click();
	await expect(quality.locator('#sample-status')).toHaveText('Not started');
	const samplePath = new URL(quality.url()).pathname;
	await quality.getByRole('button', { name: 'Start sampling' }).click();
	await expect(quality.getByRole('status')).toContainText('Sampling started');
	await expect(quality.locator('#snapshot-outcome')).toContainText(`signed by ${trainee.name}`);
	await waitForHydration(quality);
	await fillRound(quality, 'Sound judgement; say where on the form each check is.', { text: 'Say which line of the form shows the identity check.', targetDate: ukDay(10) });
	await quality.getByLabel('Type your name to sign').fill(iqa.name);
	await quality.getByRole('button', { name: 'Sign the round' }).click();
	await expect(quality.getByRole('status')).toContainText('Round 1 signed. One action was set on the assessor.');
	await expect(quality.locator('#sample-status')).toHaveText('Actions open');
	const actionId = (await quality.locator('ul.actions > li').first().getAttribute('id'))!.replace(/^action-/, '');

	// ── The assessor answers it ───────────────────────────────────────────────────────────────
	await traineePage.goto('/assess/iqa-actions');
	const action = traineePage.locator(`#action-${actionId}`);
	await expect(action).toContainText('Say which line of the form shows the identity check.');
	await action.getByRole('textbox').fill('Added to my feedback: the ticks in section 2 of the form.');
	await action.getByRole('button', { name: 'Send the answer' }).click();
	await expect(traineePage.getByRole('status')).toContainText('Answer sent');

	// ── The IQA confirms it closed and signs an agreeing round: the work locks ────────────────────
	await quality.goto(samplePath);
	await quality.locator(`#action-${actionId}`).getByRole('button', { name: 'Confirm closed' }).click();
	await expect(quality.getByRole('status')).toContainText('Action confirmed closed.');
	await waitForHydration(quality);
	await fillRound(quality, 'All agreed now.');
	await quality.getByLabel('Type your name to sign').fill(iqa.name);
	await quality.getByRole('button', { name: 'Sign the round' }).click();
	await expect(quality.getByRole('status')).toContainText('Round 2 signed. You agreed on every criterion: the decision is locked.');
	await expect(quality.locator('#sample-status')).toHaveText('Agreed & locked');

	// ── The learner's portfolio PDF shows all three signatures ─────────────────────────────────
	await page.goto('/learn/portfolio');
	await waitForHydration(page);
	const savedPdf = page.waitForEvent('download');
	await page.locator('main').getByRole('button', { name: 'Download the whole portfolio (PDF)' }).click();
	const pdf = await savedPdf;
	const pdfPath = test.info().outputPath(pdf.suggestedFilename());
	await pdf.saveAs(pdfPath);
	const text = pdfText(pdfPath);
	expect(text).toContain(title);
	expect(text).toContain(`Signed: ${trainee.name}`);
	expect(text).toContain(`Countersigned: ${qualified.name}`);
	expect(text).toContain('IQA sample (interim), round 1: Actions set for the assessor');
	expect(text).toContain('IQA sample (interim), round 2: Agreed on every criterion');
	expect(text).toContain(`IQA signed: ${iqa.name}`);
	expect(text).not.toContain('say where on the form each check is');

	// ── An EQA invited for 14 days ─────────────────────────────────────────────────────────────
	const adminPage = await newPageAsOwn(browser, admin, '/iqa/eqa');
	await adminPage.getByLabel(/^Cohort/).selectOption(cohort.id);
	await adminPage.getByRole('button', { name: 'Show its learners' }).click();
	await waitForHydration(adminPage);
	await expect(adminPage.getByLabel('First day of access')).toHaveValue(ukDay());
	await expect(adminPage.getByLabel('Last day of access')).toHaveValue(ukDay(13));
	const email = `eqa.${uniqueSuffix()}@awarding.example`;
	await adminPage.getByLabel('EQA’s e-mail address').fill(email);
	await adminPage.getByLabel('EQA’s full name').fill('Rhian Pugh');
	await adminPage.getByRole('checkbox', { name: new RegExp(learner.name) }).check();
	await adminPage.getByRole('button', { name: 'Give access' }).click();
	await expect(adminPage.getByRole('status').first()).toContainText('has access');
	const accessId = (await adminPage.getByRole('link', { name: 'See the access' }).getAttribute('href'))!.split('/').pop()!;

	// … chooses a password from the e-mailed link and logs in with two-step log-in.
	const invitation = () => mailTo(email).filter((m) => m.subject.includes('invites you'));
	await expect.poll(() => invitation().length).toBe(1);
	const eqaContext = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const eqaPage = await eqaContext.newPage();
	await eqaPage.goto(resetPathIn(invitation()[0]!));
	await waitForHydration(eqaPage);
	const password = `sampling visit ${randomUUID()}`;
	await eqaPage.getByLabel('New password', { exact: true }).fill(password);
	await eqaPage.getByLabel('New password again').fill(password);
	await eqaPage.getByRole('button', { name: 'Save the new password' }).click();
	await expect(eqaPage).toHaveURL('/login?reset=done');
	await waitForHydration(eqaPage);
	await new LoginPage(eqaPage).logIn(email, password);
	await expect(eqaPage).toHaveURL(/\/account\/mfa(\?|$)/);
	await enrolMfa(eqaPage);

	// … sees exactly the sample and the plan's coverage.
	await eqaPage.goto('/eqa');
	await eqaPage.getByRole('link', { name: cohort.name }).click();
	await expect(eqaPage).toHaveURL(`/eqa/${accessId}`);
	await expect(eqaPage.getByRole('link', { name: learner.name })).toBeVisible();
	await expect(eqaPage.getByText(outside.name)).toHaveCount(0);
	const coverage = eqaPage.locator('#plan-coverage');
	await expect(coverage).toContainText('Process information about customers: the centre’s internal quality assurance plan for this cohort');
	const rate = coverage.getByRole('region', { name: 'Sample rates per assessor' }).getByRole('row', { name: new RegExp(trainee.name) });
	await expect(rate).toContainText('1 of 1 sampled (100 %)');
	await expect(rate).toContainText('Meets the rate');
	await expect(coverage.getByRole('table', { name: 'Samples by criterion, method and stage' })).toBeVisible();
	// The cohort's learner outside the EQA's sample is counted, never named.
	await expect(coverage).toContainText('1 of 2 learners have work in the sample.');
	expect((await eqaPage.goto(`/eqa/${accessId}/learners/${outside.id}`))?.status()).toBe(404);
	await eqaPage.goto(`/eqa/${accessId}`);
	await eqaPage.getByRole('link', { name: learner.name }).click();
	await expect(eqaPage).toHaveURL(`/eqa/${accessId}/learners/${learner.id}`);
	await waitForHydration(eqaPage);
	await expect(eqaPage.getByRole('heading', { level: 1 })).toHaveText(learner.name);
	// The learner's workplace evidence with its photo and its signed, countersigned decision …
	const evidence = eqaPage.getByRole('region', { name: title });
	await expect(evidence.getByRole('link', { name: 'identity-form.jpg' })).toBeVisible();
	await expect(evidence).toContainText(`signed by ${trainee.name}`);
	await expect(evidence).toContainText(`countersigned by ${qualified.name}`);
	// … and exactly the sample of it: the IQA's record, both rounds signed and verified, the action's history, the lock.
	const records = eqaPage.locator('#iqa-records').getByRole('region');
	await expect(records).toHaveCount(1);
	await expect(records).toContainText('Interim sample of a workplace evidence decision');
	await expect(records).toContainText(`Decision by ${trainee.name}`);
	await expect(records).toContainText(`countersigned by ${qualified.name}`);
	await expect(records).toContainText('Locked: the IQA agreed with it.');
	await expect(records.getByRole('heading', { level: 4 })).toHaveText([new RegExp(`^Round 1: signed by ${iqa.name}`), new RegExp(`^Round 2: signed by ${iqa.name}`)]);
	await expect(records.getByText('Signature verified.')).toHaveCount(2);
	await expect(records).toContainText('Added to my feedback: the ticks in section 2 of the form.');

	// … downloads the evidence pack: the photo is in it, as stored, and /verify confirms the pack.
	const savedPack = eqaPage.waitForEvent('download');
	await eqaPage.getByRole('button', { name: 'Download the evidence pack (ZIP)' }).click();
	const pack = await savedPack;
	const zipPath = test.info().outputPath(pack.suggestedFilename());
	await pack.saveAs(zipPath);
	const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
	const photoPath = `workplace/${title}/identity-form.jpg`;
	expect(Object.keys(files)).toContain(photoPath);
	expect(await exifr.gps(Buffer.from(files[photoPath]!))).toBeUndefined();
	const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { files: { path: string; sha256: string }[]; workplaceDecisions: { signedName: string; countersignatureHash: string | null; iqa: { signedName: string }[] }[] };
	expect(manifest.files.find((f) => f.path === photoPath)?.sha256).toBe(sha256(files[photoPath]!));
	expect(manifest.workplaceDecisions).toEqual([expect.objectContaining({ signedName: trainee.name, countersignatureHash: expect.stringMatching(/^[0-9a-f]{64}$/), iqa: [expect.objectContaining({ signedName: iqa.name }), expect.objectContaining({ signedName: iqa.name })] })]);
	await eqaPage.goto('/verify');
	await waitForHydration(eqaPage);
	await eqaPage.getByLabel('PDF file').setInputFiles(zipPath);
	await eqaPage.getByRole('button', { name: 'Check the file' }).click();
	await expect(eqaPage.locator('#verify-result')).toContainText('An evidence pack issued by this centre, unchanged');
	await expect(eqaPage.locator('#verify-result')).toContainText(learner.name);

	for (const other of [quality, traineePage, qualifiedPage, adminPage]) await other.context().close();
	await eqaContext.close();
});
