import type { Page } from '@playwright/test';
import { closeDatabase, openDatabase } from '../../src/lib/core/database';
import { changeDueDate } from '../../src/lib/server/cohorts';
import { ukToday } from '../../src/lib/dates';
import { e2eDatabasePath } from './support/fingerprint';
import { expect, logInAsOwn, test } from './support/fixtures';
import { AttemptActions, ScenarioBrief } from './support/learner';

/** The learner's assignment in "Your assignments", by its title. */
const assignment = (page: Page, title: string) => page.getByRole('region', { name: 'Your assignments' }).getByRole('listitem').filter({ hasText: title });

test('an assignment past its due date whose attempt ended but was not submitted is marked overdue in words, as the home count says', async ({ page, learner, tutor, cohort }) => {
	const db = openDatabase(e2eDatabasePath(), { migrate: false });
	const yesterday = ukToday(new Date(Date.now() - 86_400_000));
	expect((await changeDueDate(db, tutor.organisationId, cohort.id, { assignmentId: cohort.assignments['new-customer-signup']!, dueOn: yesterday })).ok).toBe(true);
	await closeDatabase(db);

	// The learner played it and ended the call, but has not submitted the attempt for assessment.
	await logInAsOwn(page, learner);
	const brief = new ScenarioBrief(page);
	await brief.goto('new-customer-signup');
	const attemptId = await brief.start();
	await new AttemptActions(page, attemptId).end();

	await page.goto('/learn');
	await expect(page.getByRole('list', { name: 'Where you are' }).locator('[data-count="overdue"]')).toContainText('1 Overdue assignments');
	const overdue = assignment(page, 'A new customer moves in');
	await expect(overdue).toContainText('Overdue: not yet submitted');
	await expect(overdue).toContainText('(overdue by 1 day)');
	// An assignment not yet due is not marked.
	const others = page.getByRole('region', { name: 'Your assignments' }).getByRole('listitem').filter({ hasNotText: 'A new customer moves in' });
	await expect(others.first()).toBeVisible();
	await expect(others.filter({ hasText: /Overdue/ })).toHaveCount(0);
});
