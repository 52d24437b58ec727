import type { Locator, Page } from '@playwright/test';
import { closeDatabase, openDatabase } from '../../src/lib/core/database';
import { changeDueDate } from '../../src/lib/server/cohorts';
import { ukToday } from '../../src/lib/dates';
import { expectNoViolations } from './support/accessibility';
import { endedAttempt } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, ReflectionPage, ScenarioBrief } from './support/learner';

/** A count on a home page ("Where you are"), by its key. */
function count(page: Page, key: string): Locator {
	return page.getByRole('list', { name: 'Where you are' }).locator(`[data-count="${key}"]`);
}

/** The learner's history row of one attempt. */
function historyRow(page: Page, attemptId: string): Locator {
	return page.getByRole('listitem').filter({ has: page.locator(`a[href^="/learn/attempts/${attemptId}"]`) });
}

async function writeReflection(page: Page) {
	const reflection = new ReflectionPage(page);
	await reflection.part('Situation').fill('A caller said she was the account holder’s wife and asked for his balance.');
	await reflection.part('Task').fill('Help her without disclosing anything, following the data protection policy and UK GDPR.');
	await reflection.part('Action').fill('I ended the call at once, before checking any authority on the account.');
	await reflection.part('Result').fill('Nothing was disclosed, but I did not log the call or explain the procedure.');
	return reflection;
}

test('an attempt goes from in progress, through the reflection’s confirmation, to awaiting assessment, and the assessor’s home counts it to mark', async ({ browser, page, learner, assessor, cohort }) => {
	await logInAsOwn(page, learner);
	await expect(count(page, 'in-progress')).toHaveText(/^\s*0\s+In progress\s*$/);
	await expect(count(page, 'awaiting')).toHaveText(/^\s*0\s+Awaiting assessment\s*$/);

	// In progress: the next step is to continue the call.
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	const attemptId = await brief.start();
	await page.goto('/learn');
	await expect(count(page, 'in-progress')).toContainText('1 In progress');
	await count(page, 'in-progress').getByRole('link').click();
	await expect(page).toHaveURL('/learn/history?state=in-progress');
	await expect(historyRow(page, attemptId)).toContainText('In progress');
	await expect(historyRow(page, attemptId).getByRole('link', { name: /^Continue the call/ })).toHaveAttribute('href', `/learn/attempts/${attemptId}`);

	// Ended: the next step is the reflection.
	await new AttemptActions(page, attemptId).end();
	await page.goto('/learn/history');
	await expect(historyRow(page, attemptId)).toContainText('Reflection not submitted');
	await historyRow(page, attemptId).getByRole('link', { name: /^Write your reflection/ }).click();
	await expect(page).toHaveURL(`/learn/attempts/${attemptId}/reflection`);

	// Submitting asks for confirmation first, saying what happens next; nothing is submitted yet.
	const reflection = await writeReflection(page);
	await reflection.submit();
	const confirm = page.getByRole('region', { name: 'Check your reflection, then submit it' });
	await expect(confirm).toContainText('Your assessor will see the attempt and this reflection; you cannot change it after submitting.');
	await expect(page.getByRole('region', { name: 'Action' })).toContainText('I ended the call at once');
	await expectNoViolations(page);
	await page.goto('/learn/history');
	await expect(historyRow(page, attemptId)).toContainText('Reflection not submitted');

	// Going back keeps every word typed.
	await page.goto(`/learn/attempts/${attemptId}/reflection?confirm`);
	await page.getByRole('link', { name: 'Go back and change it' }).click();
	await expect(reflection.part('Action')).toHaveValue('I ended the call at once, before checking any authority on the account.');
	await reflection.part('Result').fill('Nothing was disclosed; I did not log the call, which I should have done.');
	await reflection.submit();
	await reflection.confirm();
	await expect(page.getByRole('status')).toContainText('Submitted for assessment on');
	await expect(page.getByRole('region', { name: 'Result' })).toContainText('I did not log the call, which I should have done.');

	// Awaiting assessment: the learner waits for the assessor.
	await page.goto('/learn');
	await expect(count(page, 'in-progress')).toContainText('0 In progress');
	await expect(count(page, 'awaiting')).toContainText('1 Awaiting assessment');
	await count(page, 'awaiting').getByRole('link').click();
	await expect(page).toHaveURL('/learn/history?state=awaiting');
	await expect(historyRow(page, attemptId)).toContainText('Submitted');
	await expect(historyRow(page, attemptId)).toContainText('Waiting for your assessor');
	await expectNoViolations(page);

	// The assessor's home counts it to mark and leads to it.
	const assessing = await newPageAsOwn(browser, assessor);
	await expect(count(assessing, 'to-mark')).toContainText('1 To mark');
	await count(assessing, 'to-mark').getByRole('link').click();
	await expect(assessing).toHaveURL('/assess?state=awaiting');
	const row = assessing.getByRole('row').filter({ has: assessing.locator(`a[href="/assess/attempts/${attemptId}"]`) });
	await expect(row).toContainText('Submitted');
	await expect(row.getByRole('link', { name: /^Mark this attempt/ })).toHaveAttribute('href', `/assess/attempts/${attemptId}`);
	await expectNoViolations(assessing);
	await assessing.context().close();
});

test('the reflection’s confirmation step works without JavaScript', async ({ browser, page, learner }) => {
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	const plain = await newPageAsOwn(browser, learner, `/learn/attempts/${attemptId}/reflection`, { javaScript: false });
	const reflection = await writeReflection(plain);
	await reflection.submit();
	await expect(plain).toHaveURL(`/learn/attempts/${attemptId}/reflection?confirm`);
	await reflection.confirm();
	await expect(plain.getByRole('status')).toContainText('Submitted for assessment on');
	await plain.goto('/learn/history');
	await expect(historyRow(plain, attemptId)).toContainText('Waiting for your assessor');
	await plain.context().close();
});

test('an assignment past its due date with nothing submitted is counted overdue on the learner’s and the assessor’s homes', async ({ browser, page, learner, assessor, tutor, cohort }) => {
	const db = openDatabase(e2eDatabasePath(), { migrate: false });
	const yesterday = ukToday(new Date(Date.now() - 86_400_000));
	const changed = await changeDueDate(db, tutor.organisationId, cohort.id, { assignmentId: cohort.assignments['new-customer-signup']!, dueOn: yesterday });
	expect(changed.ok).toBe(true);
	await closeDatabase(db);

	await logInAsOwn(page, learner);
	await expect(count(page, 'overdue')).toContainText('1 Overdue assignments');
	await expect(count(page, 'overdue').getByRole('link')).toHaveAttribute('href', '/learn#your-assignments');

	const assessing = await newPageAsOwn(browser, assessor);
	await expect(count(assessing, 'overdue')).toContainText('1 Overdue assignments of your learners');
	await count(assessing, 'overdue').getByRole('link').click();
	const section = assessing.getByRole('region', { name: 'Overdue assignments of your learners' });
	await expect(section.getByRole('listitem')).toHaveCount(1);
	await expect(section).toContainText(`${learner.name}:`);
	await expect(section).toContainText('overdue by 1 day');
	await assessing.context().close();
});
