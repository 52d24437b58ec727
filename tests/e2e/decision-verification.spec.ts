import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { closeDatabase, dbGet, dbRun, openDatabase } from '../../src/lib/core/database';
import { assessmentDecision } from '../../src/lib/server/db/assessment';
import { expectNoViolations } from './support/accessibility';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { e2eDatabasePath } from './support/fingerprint';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';

test('a decision that no longer matches its signature is shown as not verifying, naming what failed, in the open', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	await review.decide('Not yet met', 'Check the file for an authority before you decline.', 'Play the scenario again and check first.');
	await review.sign(assessorAccount.name);
	await expect(assessor.getByRole('status')).toContainText('Decision 1 signed');
	const first = assessor.getByRole('article', { name: /^Decision 1:/ });
	await expect(first).not.toContainText('does not verify');
	await expect(assessor.getByText(/does not verify/)).toHaveCount(0);

	// A second decision whose stored feedback is not what was signed (the table refuses an UPDATE, so
	// a tampered row can only be one written around the signing code).
	const db = openDatabase(e2eDatabasePath(), { migrate: false });
	try {
		const signed = (await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.attemptId, attemptId))))!;
		await dbRun(db.insert(assessmentDecision).values({ ...signed, id: randomUUID(), sequence: 2, supersedesId: signed.id, feedback: 'Met after all.' }));
	} finally {
		await closeDatabase(db);
	}

	await review.goto(attemptId);
	await expect(assessor.getByText('Decision 2 does not verify against its signature')).toBeVisible();
	const tampered = assessor.getByRole('article', { name: /^Decision 2:/ });
	// Visible without opening the signature details.
	await expect(tampered.getByText('This decision does not verify.')).toBeVisible();
	await expect(tampered).toContainText(`The decision as stored does not reproduce its signature hash: it is not exactly what ${assessorAccount.name} signed.`);
	await expect(tampered).not.toContainText('The evidence kept with it does not reproduce');
	await expect(assessor.getByRole('article', { name: /^Decision 1:/ })).not.toContainText('does not verify');
	await expectNoViolations(assessor);
	await assessor.getByRole('link', { name: 'Decision 2', exact: true }).click();
	await expect(assessor).toHaveURL(/#decision-.+-check$/);
	await assessor.context().close();
});
