import { existsSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { waitForHydration } from './support/accounts';
import { createOwnCohort, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, CoverageMap, DebriefPage, ScenarioBrief, expectEveryFailGivesItsReason } from './support/learner';

test('an assessor reviews a submitted attempt, overrides a point with feedback and signs; the learner sees the decision and “signed off”; an edit after signing is refused', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	// The learner ends a fresh attempt and submits their reflection on it.
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	// The assessor finds it in the queue.
	const assessor = await newPageAsOwn(browser, assessorAccount);
	await expect(assessor.getByRole('heading', { level: 1, name: 'Assessment queue' })).toBeVisible();
	await assessor.getByLabel('State').selectOption({ label: 'Awaiting decision' });
	await assessor.getByRole('button', { name: 'Filter' }).click();
	await expect(assessor).toHaveURL(/state=awaiting/);
	const row = assessor.locator(`th a[href="/assess/attempts/${attemptId}"]`);
	await expect(row).toContainText(`by ${learner.name}`);
	await expectNoViolations(assessor);
	await row.click();
	await expect(assessor).toHaveURL(`/assess/attempts/${attemptId}`);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	await expect(assessor.getByRole('region', { name: 'The learner’s reflection' })).toContainText('I ended the call at once');
	await expect(assessor.getByRole('region', { name: 'Transcript' }).locator('time').first()).toHaveText(/^\d\d:\d\d$/);

	// The automatic marking's verdict, with its reason and both checks: never a bare "Not passed" beside a score.
	const automatic = assessor.getByRole('region', { name: 'Automatic marking' });
	await expect(automatic.getByRole('heading', { level: 2 })).toHaveText(/^\s*(Passed|Not passed — .+)$/);
	await expect(automatic.getByRole('list', { name: 'The two checks of the pass rule' }).getByRole('listitem')).toHaveText([
		/Critical points: (none|\d+) missed [✓✗]/,
		/Score [\d.]+ % \(pass mark \d+ %\) [✓✗]/
	]);
	await expectEveryFailGivesItsReason(assessor);

	// A second tab keeps the form as it is now: it will be stale once the first tab signs.
	const staleTab = await assessor.context().newPage();
	await new ReviewPage(staleTab).goto(attemptId);

	// Override the first marking point, and judge the first criterion met.
	const pointTitle = (await assessor.locator('#point-0-title').innerText()).trim();
	const proposedMet = await review.judgement(pointTitle).getByRole('radio', { name: 'Met', exact: true }).isChecked();
	const criterionTitle = (await assessor.locator('#criterion-0-title').innerText()).trim();
	const criterionCode = criterionTitle.split(' ')[0]!;
	await review.judge(pointTitle, !proposedMet, 'I judge this point differently: the call was ended before anything could go wrong.');
	await expect(review.judgement(pointTitle)).toContainText('Overrides the automatic marking');
	await review.judge(criterionTitle, true, 'Shown by keeping the account holder’s information private.');

	// A wrong name is refused next to the field, and nothing typed is lost.
	await review.decide('Met', 'A careful call: nothing was disclosed.');
	await assessor.getByLabel('Note for assessors').fill('Private: sample this one at standardisation.');
	await review.sign('Sam Okafor');
	await expect(assessor.locator('#signedName-error')).toContainText(assessorAccount.name);
	await expect(assessor.getByLabel('Feedback to the learner', { exact: true })).toHaveValue('A careful call: nothing was disclosed.');
	// The review shows one judgement at a time: back on the point, what was typed is there.
	await review.select(pointTitle);
	await expect(review.judgement(pointTitle).getByRole('textbox')).toHaveValue(/I judge this point differently/);
	await expectNoViolations(assessor);

	await review.sign(assessorAccount.name.toLowerCase());
	await expect(assessor.getByRole('status')).toContainText(`Decision 1 signed: met, by ${assessorAccount.name.toLowerCase()}`);
	const decision = assessor.getByRole('article', { name: /Decision 1/ });
	await expect(decision).toContainText('A careful call');
	await expect(decision).toContainText('Private: sample this one');
	await expect(assessor.getByRole('link', { name: 'Supersede with a new decision' })).toBeVisible();
	await expectNoViolations(assessor);

	// The stale tab's form, posted after the signing, is refused: a signed decision cannot be edited.
	const stale = new ReviewPage(staleTab);
	await stale.decide('Not yet met', 'Changed my mind.', 'Try it again.');
	await stale.sign(assessorAccount.name);
	await expect(staleTab.getByRole('alert')).toContainText('A signed decision cannot be edited');
	await expect(staleTab.getByLabel('Feedback to the learner', { exact: true })).toHaveValue('Changed my mind.');
	await staleTab.goto(`/assess/attempts/${attemptId}`);
	await expect(staleTab.getByRole('article', { name: /Decision \d/ })).toHaveCount(1);

	// The queue lists it as decided.
	await assessor.goto(`/assess?state=decided`);
	await expect(assessor.locator(`th a[href="/assess/attempts/${attemptId}"]`)).toBeVisible();

	// The learner sees the decision and feedback, never the private note, and the criterion signed off.
	await new DebriefPage(page).goto(attemptId);
	const seen = page.getByRole('region', { name: 'Your assessor’s decision' });
	await expect(seen).toContainText('Met');
	await expect(seen).toContainText('A careful call: nothing was disclosed.');
	await expect(seen).toContainText('I judge this point differently');
	await expect(seen).toContainText(new RegExp(assessorAccount.name, 'i'));
	await expect(page.locator('main')).not.toContainText('Private: sample this one');
	await expectNoViolations(page);
	const map = new CoverageMap(page);
	await map.goto();
	await expect(map.criterion(criterionCode).locator('.state')).toContainText('Signed off');
	await expect(map.criterion(criterionCode).locator('.state')).toContainText(`by ${assessorAccount.name.toLowerCase()}`);
	await expectNoViolations(page);

	// Helper B's portfolio download, when it exists.
	if (existsSync('src/routes/(guarded)/learn/portfolio/+page.svelte')) {
		await page.goto('/learn/portfolio');
		await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	}
	await assessor.context().close();
});

test('a resubmission request reopens the learner’s reflection with the assessor’s words, and the resubmission returns to the queue', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	// A reusable comment goes in the bank…
	const tip = `Name the procedure and the law in your Task and Action (${Date.now()}).`;
	await assessor.locator('summary', { hasText: 'Add to the comment bank' }).click();
	await assessor.getByLabel('Comment', { exact: true }).fill(tip);
	await assessor.getByRole('button', { name: 'Add to the comment bank' }).click();
	await expect(assessor.getByRole('status')).toContainText('Added to the comment bank');

	await review.decide('Resubmission requested', 'Your Action part does not say what the procedure required.');
	await review.sign(assessorAccount.name);
	await expect(assessor.locator('#nextSteps-error')).toContainText('resubmission');
	// …and is inserted where it is needed.
	await assessor.getByLabel('Comment bank for What to do next').selectOption({ label: tip });
	await assessor.getByRole('button', { name: 'Insert the comment into What to do next' }).click();
	await expect(assessor.getByLabel('What to do next', { exact: true })).toHaveValue(tip);
	await review.sign(assessorAccount.name);
	await expect(assessor.getByRole('status')).toContainText('Decision 1 signed: resubmission requested');

	await page.goto(`/learn/attempts/${attemptId}/reflection`);
	const request = page.getByRole('region', { name: 'Your assessor asked for a resubmission' });
	await expect(request).toContainText('Name the procedure and the law');
	await page.getByRole('textbox', { name: 'Task', exact: true }).fill('Follow the data protection procedure: under UK GDPR nothing is disclosed without authority.');
	await page.getByRole('button', { name: 'Submit for assessment' }).click();
	await page.getByRole('button', { name: 'Confirm and submit' }).click();
	await expect(page.getByRole('status')).toContainText('Submitted for assessment on');

	await assessor.goto(`/assess?state=awaiting`);
	await expect(assessor.locator(`th a[href="/assess/attempts/${attemptId}"]`)).toBeVisible();
	// Resubmitted, it is the assessor's to mark again.
	await expect(assessor.getByRole('row').filter({ has: assessor.locator(`th a[href="/assess/attempts/${attemptId}"]`) })).toContainText('Mark this attempt');
	await assessor.context().close();
});

test('the assessor’s transcript names the learner on their lines, where the learner’s own debrief says “You”', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	await logInAsOwn(page, learner);
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	const attemptId = await brief.start();
	await new AttemptActions(page, attemptId).choose('bring-up-account');
	await new AttemptActions(page, attemptId).end();
	await submitReflection(page, attemptId);
	const said = (region: Locator) => region.getByRole('listitem').filter({ hasText: 'Bear with me a moment' });

	await new DebriefPage(page).goto(attemptId);
	await expect(said(page.getByRole('region', { name: 'Transcript' }))).toContainText('You');

	const assessor = await newPageAsOwn(browser, assessorAccount);
	await new ReviewPage(assessor).goto(attemptId);
	const line = said(assessor.getByRole('region', { name: 'Transcript' }));
	await expect(line).toContainText(learner.name);
	await expect(line).not.toContainText(/\bYou\b/);
	await assessor.context().close();
});

test('an assessor cannot open an attempt of a learner they do not assess (404), while that learner’s assessor can', async ({ browser, learner, assessor, tutor }) => {
	// The learner is in a cohort the test's assessor does not assess; a second assessor assesses it.
	const theirAssessor = await createOwnUser(['assessor']);
	await createOwnCohort(tutor, { learners: [learner], assessors: [theirAssessor] });
	const ola = await newPageAsOwn(browser, learner);
	const olasAttempt = await endedAttempt(ola);

	const gareth = await newPageAsOwn(browser, assessor);
	expect((await gareth.goto(`/assess/attempts/${olasAttempt}`))?.status()).toBe(404);
	const refused = await gareth.request.post(`/assess/attempts/${olasAttempt}?/save`, { form: { feedback: 'x' }, headers: { origin: new URL(gareth.url()).origin }, maxRedirects: 0 });
	expect(refused.status()).toBe(404);
	await expect(gareth.getByText(learner.name)).toHaveCount(0);

	const sam = await newPageAsOwn(browser, theirAssessor);
	expect((await sam.goto(`/assess/attempts/${olasAttempt}`))?.status()).toBe(200);
	await expect(sam.getByRole('heading', { level: 1 })).toBeVisible();
	await expect(sam.getByText(`By ${learner.name}`)).toBeVisible();
	for (const p of [ola, gareth, sam]) await p.context().close();
});

test('a learner records witness testimony; the assessor maps it and records an observation; both are signed off on the coverage map', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	await logInAsOwn(page, learner);
	await page.goto('/learn/evidence');
	await expect(page.getByRole('heading', { level: 1, name: 'Other evidence' })).toBeVisible();
	// Typed before the page hydrates, a field can be reset by hydration (seen in CI: name and role sent empty).
	await waitForHydration(page);
	const witness = `Dafydd Ap Rhys ${Date.now()}`;
	// A date in the future is refused next to its field, and the rest is kept.
	await page.getByLabel('Witness’s name').fill(witness);
	await page.getByLabel('Witness’s job title or role').fill('Customer service team leader');
	await page.getByLabel('How they know the learner').fill('Line manager');
	await page.getByLabel('Witness’s telephone or e-mail').fill('01632 960 001');
	await page.getByLabel('Name the witness signed with').fill('Dafydd Ap Rhys');
	await page.getByLabel('Date the witness signed').fill('2026-01-16');
	await page.getByLabel('The witness is not a relative or partner of the learner').check();
	await page.getByLabel('Date of the work witnessed').fill('2099-01-01');
	await page.getByLabel('The witness’s statement').fill('I saw Amira refuse to confirm a customer’s details to a caller who could not pass security.');
	await page.getByRole('checkbox', { name: /PC02/ }).check();
	await page.getByRole('button', { name: 'Record the testimony' }).click();
	await expect(page.locator('#t-witnessedOn-error')).toContainText('future');
	await expect(page.getByLabel('The witness’s statement')).toHaveValue(/refuse to confirm/);
	await expect(page.getByRole('checkbox', { name: /PC02/ })).toBeChecked();
	await expectNoViolations(page);
	await page.getByLabel('Date of the work witnessed').fill('2026-01-15');
	await page.getByRole('button', { name: 'Record the testimony' }).click();
	await expect(page.getByRole('status')).toContainText(`Witness testimony from ${witness} recorded`);
	await expect(page.getByRole('article', { name: new RegExp(witness) })).toContainText('Not mapped yet');

	const assessor = await newPageAsOwn(browser, assessorAccount);
	await assessor.goto('/assess/learners');
	await expectNoViolations(assessor);
	await assessor.getByRole('link', { name: learner.name }).click();
	await expect(assessor.getByRole('heading', { level: 1, name: learner.name })).toBeVisible();
	const card = assessor.getByRole('article', { name: new RegExp(witness) });
	await card.getByRole('checkbox', { name: /PC02/ }).check();
	await card.getByRole('button', { name: /Save the mapping/ }).click();
	await expect(assessor.getByRole('status')).toContainText(`mapped to`);
	await expect(assessor.getByRole('article', { name: new RegExp(witness) })).toContainText(`signed off by ${assessorAccount.name}`);

	await assessor.getByText('Record an observation').click();
	await assessor.getByLabel('Date observed').fill('2026-01-20');
	await assessor.getByLabel('Setting').fill(`Front desk ${witness}`);
	await assessor.getByLabel('What you observed').fill('Amira checked a caller’s identity with the security questions before discussing the account.');
	await assessor.getByRole('button', { name: 'Record the observation' }).click();
	await expect(assessor.locator('#o-criteria-error')).toContainText('at least one criterion');
	await expect(assessor.getByLabel('What you observed')).toHaveValue(/security questions/);
	await assessor.locator('#o-criteria').getByRole('checkbox', { name: /PC03/ }).check();
	await assessor.getByRole('button', { name: 'Record the observation' }).click();
	await expect(assessor.getByRole('status')).toContainText('Observation of 2026-01-20 recorded');
	await expectNoViolations(assessor);

	await page.goto('/learn/coverage');
	await expect(page.locator('#criterion-PC02 .state')).toContainText('Signed off');
	await expect(page.locator('#criterion-PC03 .state')).toContainText('Signed off');
	await page.goto('/learn/evidence');
	await expect(page.getByRole('article', { name: `Front desk ${witness}` })).toBeVisible();
	await expectNoViolations(page);
	await assessor.context().close();
});

test('the comment bank works without JavaScript: a new comment is added and a chosen one is appended to its feedback box', async ({ browser, learner: learnerAccount, assessor, cohort }) => {
	const learner = await newPageAsOwn(browser, learnerAccount);
	const attemptId = await endedAttempt(learner);
	await submitReflection(learner, attemptId);

	const page = await newPageAsOwn(browser, assessor, assessor.home, { javaScript: false });
	await page.goto(`/assess/attempts/${attemptId}`);
	const comment = `Refer to the organisation’s procedure by name (${Date.now()}).`;
	await page.getByLabel('Feedback to the learner', { exact: true }).fill('Good start.');
	await page.getByText('Add to the comment bank').first().click();
	await page.getByLabel('Comment', { exact: true }).fill(comment);
	await page.getByRole('button', { name: 'Add to the comment bank' }).click();
	await expect(page.getByRole('status')).toContainText('Added to the comment bank');
	await expect(page.getByLabel('Feedback to the learner', { exact: true })).toHaveValue('Good start.');

	await page.getByLabel('Comment bank for Feedback to the learner').selectOption({ label: comment });
	await page.getByRole('button', { name: 'Insert the comment into Feedback to the learner' }).click();
	await expect(page.getByRole('status')).toContainText('Draft saved');
	await expect(page.getByLabel('Feedback to the learner', { exact: true })).toHaveValue(`Good start.\n${comment}`);
	await page.goto(`/assess/attempts/${attemptId}`);
	await expect(page.getByLabel('Feedback to the learner', { exact: true })).toHaveValue(`Good start.\n${comment}`);
	await page.context().close();
	await learner.context().close();
});
