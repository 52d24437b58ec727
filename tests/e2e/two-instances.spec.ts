import { and, eq } from 'drizzle-orm';
import { request as playwrightRequest, type Browser, type Page } from '@playwright/test';
import { dbGet, dbAll, openDatabase, type Db } from '../../src/lib/core/database';
import { notification } from '../../src/lib/server/db/notifications';
import { jobLease } from '../../src/lib/server/db/jobs';
import { loginThrottle } from '../../src/lib/server/db/schema';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { LoginPage, waitForHydration } from './support/accounts';
import { addressHeaders, createOwnCohort, logInAsOwn, type OwnUser } from './support/fixtures';
import { e2eDatabasePath } from './support/fingerprint';
import { mailTo } from './support/mail';
import { expectNoViolations } from './support/accessibility';
import { expect, instanceURL, test } from './support/pair';

/**
 * Two app instances on one database (scripts/e2e-server.js with E2E_PORTS), as behind a load
 * balancer: what one instance does, the other sees, and scheduled work runs once between them
 * (JOBS_SCHEDULE every 5 seconds on this pair). Each test makes its own people and data.
 */

let connection: Db | undefined;
/** The pair's database, for what only it can tell (how many notifications, how the jobs ran). */
function pairDb(): Db {
	connection ??= openDatabase(e2eDatabasePath(), { migrate: false });
	return connection;
}

/** A page of its own on instance `n`, signed in as the user (the session is made on instance 1). */
async function pageOn(browser: Browser, n: 1 | 2, person: OwnUser, path = person.home): Promise<Page> {
	const context = await browser.newContext({ baseURL: instanceURL(n), extraHTTPHeaders: addressHeaders() });
	const page = await context.newPage();
	await logInAsOwn(page, person, path);
	return page;
}

test('a learner submits on instance 1 and the assessor signs the decision on instance 2; the learner sees it on instance 1', async ({ browser, page, learner, assessor, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeTruthy();
	await logInAsOwn(page, learner);
	expect(page.url().startsWith(instanceURL(1))).toBe(true);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	const assessorPage = await pageOn(browser, 2, assessor);
	expect(assessorPage.url().startsWith(instanceURL(2))).toBe(true);
	await expect(assessorPage.locator(`th a[href="/assess/attempts/${attemptId}"]`)).toContainText(`by ${learner.name}`);
	const review = new ReviewPage(assessorPage);
	await review.goto(attemptId);
	await expect(assessorPage.getByRole('region', { name: 'The learner’s reflection' })).toContainText('I ended the call at once');
	await review.decide('Met', 'Nothing was disclosed: a lawful call.');
	await review.sign(assessor.name);
	await expect(assessorPage.getByRole('status')).toContainText('Decision 1 signed');

	await page.goto(`/learn/attempts/${attemptId}/debrief`);
	await expect(page.getByText('Nothing was disclosed: a lawful call.')).toBeVisible();
});

test('a session made by logging in on instance 1 is valid on instance 2, and logging out on instance 2 ends it on instance 1', async ({ browser, learner }) => {
	const context = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	const one = await context.newPage();
	await one.goto(`${instanceURL(1)}/login`);
	await waitForHydration(one);
	await new LoginPage(one).logIn(learner.email, learner.password);
	await expect(one).toHaveURL(`${instanceURL(1)}/learn`);
	const token = (await context.cookies(instanceURL(1))).find((c) => c.name === 'session')?.value;
	expect(token).toBeTruthy();

	// Both instances are on localhost, so the browser sends the cookie to either, as to one address.
	const two = await context.newPage();
	await two.goto(`${instanceURL(2)}/learn`);
	await expect(two).toHaveURL(`${instanceURL(2)}/learn`);
	await expect(two.getByRole('banner').getByRole('link', { name: learner.name })).toBeVisible();
	await waitForHydration(two);
	await two.getByRole('button', { name: 'Log out' }).click();
	await expect(two).toHaveURL(/\/login/);

	// The token kept from before is refused by instance 1 too: the session ended in the database.
	const copied = await browser.newContext({ extraHTTPHeaders: addressHeaders() });
	await copied.addCookies([{ name: 'session', value: token!, url: instanceURL(1), httpOnly: true, sameSite: 'Lax' }]);
	const replay = await copied.newPage();
	await replay.goto(`${instanceURL(1)}/learn`);
	await expect(replay).toHaveURL(/\/login/);
	await copied.close();
});

test('failed log-ins on instance 1 and 2 count together, and throttle the account on either', async ({ learner }) => {
	const clients = await Promise.all(
		([1, 2] as const).map((n) => playwrightRequest.newContext({ baseURL: instanceURL(n), extraHTTPHeaders: { origin: instanceURL(n), accept: 'text/html', ...addressHeaders() } }))
	);
	const logIn = (n: 1 | 2, password: string) => clients[n - 1]!.post('/login', { form: { email: learner.email, password }, maxRedirects: 0 });
	// Seven wrong passwords, one instance after the other, each waiting as long as the last answer asks:
	// three free, then 1, 2, 4 and 8 seconds apart. The seventh asks for a 16-second wait.
	let counted = 0;
	while (counted < 7) {
		const n = counted % 2 === 0 ? 1 : 2;
		const response = await logIn(n, 'not the password at all');
		const body = await response.text();
		if (response.status() === 429) {
			const seconds = Number(/Wait (\d+) seconds?/.exec(body)?.[1]);
			expect(seconds, body.slice(0, 200)).toBeGreaterThan(0);
			await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
			continue;
		}
		expect(response.status(), `wrong password ${counted + 1} on instance ${n}`).toBe(400);
		expect(body).toContain('do not match');
		counted++;
	}
	const row = await dbGet(pairDb().select().from(loginThrottle).where(eq(loginThrottle.key, `account:${learner.email.toLowerCase()}`)));
	expect(row?.failures).toBe(7);

	// The right password, on the instance that did not see the last failure, is not even checked.
	for (const n of [2, 1] as const) {
		const refused = await logIn(n, learner.password);
		expect(refused.status()).toBe(429);
		expect(await refused.text()).toMatch(/Too many failed log-in attempts\. Wait \d+ seconds? and try again\./);
	}
	await Promise.all(clients.map((client) => client.dispose()));
});

test('an assignment due soon gets one reminder and one e-mail, though both instances run the scheduled work', async ({ page, tutor, learner }) => {
	// The learner asks for due-soon reminders by e-mail, on instance 1.
	await logInAsOwn(page, learner, '/account/notifications');
	const dueSoon = page.getByRole('checkbox', { name: 'An assignment is due in 3 days' });
	await dueSoon.check();
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(page.getByRole('status')).toContainText('Your choice has been saved.');

	// Then the assignment: due tomorrow.
	const cohort = await createOwnCohort(tutor, { learners: [learner] }, ['spouse-caller'], 1);
	expect(cohort.assignments['spouse-caller']).toBeTruthy();
	const reminders = async () =>
		await dbAll(pairDb()
			.select({ id: notification.id, emailStatus: notification.emailStatus })
			.from(notification)
			.where(and(eq(notification.userId, learner.id), eq(notification.kind, 'assignment-due'))));
	const lastRun = async () => await dbGet(pairDb().select().from(jobLease).where(eq(jobLease.job, 'assignment-reminders')));
	await expect.poll(async () => (await reminders()).length, { timeout: 30_000 }).toBe(1);
	await expect.poll(() => mailTo(learner.email).length, { timeout: 30_000 }).toBe(1);

	// Two more runs of the job after it, whichever instance won each: still one of each.
	const seen = (await lastRun())!.lastStartedAt;
	await expect.poll(async () => (await lastRun())!.lastStartedAt > seen, { timeout: 30_000 }).toBe(true);
	const next = (await lastRun())!.lastStartedAt;
	await expect.poll(async () => (await lastRun())!.lastStartedAt > next && (await lastRun())!.holder === null, { timeout: 30_000 }).toBe(true);
	expect(await reminders()).toEqual([expect.objectContaining({ emailStatus: 'sent' })]);
	expect(mailTo(learner.email)).toEqual([expect.objectContaining({ subject: expect.stringMatching(/^Due tomorrow/) })]);
	expect(['instance-1', 'instance-2']).toContain((await lastRun())!.lastStartedBy);

	// The bell says it on instance 2 as on instance 1.
	await page.goto(`${instanceURL(2)}/learn`);
	await expect(page.getByRole('link', { name: /^Notifications, \d+ unread$/ })).toBeVisible();
	await page.goto(`${instanceURL(2)}/notifications`);
	await expect(page.getByRole('link', { name: /Due tomorrow/ })).toHaveCount(1);
});

test('the administrator sees where the scheduled work stands and which instance last ran each job', async ({ browser, admin }) => {
	const page = await pageOn(browser, 2, admin);
	const table = page.getByRole('table', { name: /Scheduled work/ });
	await expect(table).toBeVisible();
	const reminders = table.getByRole('row', { name: /Assignment reminders/ });
	await expect(reminders).toContainText(/instance-[12]/);
	await expect(reminders).toContainText(/Done|Running now/);
	await expect(table.getByRole('row', { name: /Pruning of the security log/ })).toContainText(/instance-[12]/);
	await expectNoViolations(page);
});
