import { waitForHydration } from './support/accounts';
import { expectNoViolations } from './support/accessibility';
import { createOwnCentre, createOwnUser, expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, ScenarioBrief } from './support/learner';
import { startStandInLrs, type StandInLrs } from '../../src/lib/server/xapi/testing';

/**
 * The administrator's xAPI page against a stand-in LRS on the loopback address, in a centre of the
 * test's own (so no other test's attempts send statements): a bad address refused next to its field,
 * the LRS saved and checked with a test statement, a learner's attempt reaching it, and a refused
 * statement shown as failed and sent again on retry.
 */
let lrs: StandInLrs;
test.beforeEach(async () => {
	lrs = await startStandInLrs();
});
test.afterEach(async () => {
	await lrs.close();
});

const verbs = () => lrs.puts.map((p) => (JSON.parse(p.body) as { verb: { display: { 'en-GB': string } } }).verb.display['en-GB']);

test('an admin sets up the centre’s LRS, checks it, and sees a learner’s attempt delivered and a refused statement retried', async ({ page, browser }) => {
	const organisationId = await createOwnCentre();
	const admin = await createOwnUser(['admin'], 'admin', { organisationId });
	await logInAsOwn(page, admin, '/admin/xapi');
	await waitForHydration(page);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('xAPI and the learning record store');

	// A plain-http address off this machine is refused next to its field; nothing is saved.
	await page.getByLabel('xAPI endpoint').fill('http://lrs.example.org/xapi');
	await page.getByLabel('Key').fill('centre-key');
	await page.getByLabel('Secret').fill('centre-secret');
	await page.getByRole('button', { name: 'Save the LRS' }).click();
	await expect(page.locator('#endpoint-error')).toContainText('must start https://');
	await expect(page.getByLabel('xAPI endpoint')).toHaveAttribute('aria-invalid', 'true');
	await expectNoViolations(page);

	await page.getByLabel('xAPI endpoint').fill(lrs.endpoint);
	await page.getByLabel('Secret').fill('centre-secret');
	await page.getByLabel('Send statements to this LRS').check();
	await page.getByRole('button', { name: 'Save the LRS' }).click();
	await expect(page.getByRole('status')).toContainText('saved and switched on');
	await page.reload();
	await expect(page.getByLabel('Secret')).toHaveValue('');
	await expect(page.getByText('A secret is saved. It is never shown again')).toBeVisible();
	expect(await page.content()).not.toContain('centre-secret');

	await page.getByRole('button', { name: 'Send a test statement' }).click();
	await expect(page.getByRole('status')).toContainText('The LRS took the test statement (it answered 204).');
	expect(lrs.puts).toHaveLength(1);
	expect(JSON.parse(lrs.puts[0]!.body).actor.account.name).toBe('custodian-lrs-check');
	expect(lrs.puts[0]!.headers.authorization).toBe(`Basic ${Buffer.from('centre-key:centre-secret').toString('base64')}`);
	await expectNoViolations(page);

	// A learner of the centre plays: each statement reaches the LRS, sent just after its action.
	const learner = await createOwnUser(['learner'], 'learner', { organisationId });
	const learnerPage = await newPageAsOwn(browser, learner, '/learn/scenarios/spouse-caller');
	const attemptId = await new ScenarioBrief(learnerPage).start();
	const actions = new AttemptActions(learnerPage, attemptId);
	await actions.choose('bring-up-account');
	await expect.poll(verbs).toEqual(['interacted', 'attempted', 'responded']);
	const played = lrs.puts.slice(1).map((p) => JSON.parse(p.body) as { actor: { account: { name: string } }; context: { registration: string } });
	expect(played.map((s) => s.actor.account.name)).toEqual([learner.id, learner.id]);
	expect(played[0]!.context.registration).toBe(played[1]!.context.registration);

	// The LRS refuses what comes next: the statements fail, are shown, and go again on retry.
	lrs.everyStatus = 400;
	await actions.end();
	await expect.poll(() => lrs.puts.length).toBe(5);
	await page.reload();
	await expect(page.getByRole('region', { name: 'Failed statements' }).getByRole('row')).toHaveCount(3);
	await expect(page.getByRole('region', { name: 'Failed statements' })).toContainText('400: {"message":"Stand-in LRS answered 400"}');
	lrs.everyStatus = null;
	await page.getByRole('button', { name: 'Retry the failed statements' }).click();
	await expect(page.getByRole('status')).toContainText('2 failed statements are queued again');
	await expect.poll(() => lrs.puts.length).toBe(7);
	await page.reload();
	await expect(page.getByRole('region', { name: 'Failed statements' })).toHaveCount(0);
	await learnerPage.close();
});
