import { openDatabase, type Db } from '../../src/lib/core/database';
import { applyLearnerAction, SCREEN_TRANSCRIPT_LINES, startLearnerAttempt } from '../../src/lib/server/attempts';
import type { LearnerAction } from '../../src/lib/sim/runtime';
import { expectNoViolations } from './support/accessibility';
import { expect, logInAsOwn, newPageAsOwn, test, type OwnUser } from './support/fixtures';
import { e2eDatabasePath } from './support/fingerprint';
import { SimulationScreen } from './support/simulation';

/**
 * A long conversation on the simulation screen: the page loads its last lines only, and a plain
 * link opens the whole of it. The long attempt is made through the app's own services (the
 * runtime, as the screen's form actions call it), not by clicking 200 times.
 */

let connection: Db | undefined;
const db = () => (connection ??= openDatabase(e2eDatabasePath(), { migrate: false }));

const SEARCH: LearnerAction = { kind: 'core', operation: 'searchCustomers', input: { name: 'Hughes', postcode: 'NN15', purposeCode: 'supply-and-billing' } };

/** A spouse-caller attempt of the learner's with more lines than the screen loads; its id and line count. */
async function longAttempt(learner: OwnUser): Promise<{ id: string; lines: number }> {
	const started = await startLearnerAttempt(db(), learner.id, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	const id = started.value.id;
	let seq = started.value.nextActionSeq;
	let lines = started.value.transcript.length;
	const act = async (action: LearnerAction) => {
		const applied = await applyLearnerAction(db(), learner.id, id, action, seq++);
		if (!applied.ok) throw new Error(applied.error.message);
		lines += applied.value.transcript.length;
	};
	await act({ kind: 'choice', choiceId: 'bring-up-account' });
	while (lines <= SCREEN_TRANSCRIPT_LINES + 10) await act(SEARCH);
	return { id, lines };
}

test('a long conversation shows its last lines, and the link above it opens the whole; the desk still works', async ({ page, learner }) => {
	const { id, lines } = await longAttempt(learner);
	await logInAsOwn(page, learner, `/learn/attempts/${id}`);
	const sim = new SimulationScreen(page);

	await expect(sim.lines()).toHaveCount(SCREEN_TRANSCRIPT_LINES);
	await expect(sim.lines().last()).toHaveAttribute('data-seq', String(lines));
	const earlier = page.getByRole('link', { name: `Earlier in the conversation (${lines - SCREEN_TRANSCRIPT_LINES} lines)` });
	await expect(earlier).toBeVisible();
	await expectNoViolations(page);

	await earlier.click();
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);
	await expect(sim.lines()).toHaveCount(lines);
	await expect(sim.lines().first()).toHaveAttribute('data-seq', '1');
	await expect(page.getByRole('link', { name: /^Earlier in the conversation/ })).toHaveCount(0);

	// A form of the desk still works on the whole conversation (the link kept the Search panel open),
	// and the new line joins the whole of it.
	const search = sim.form('Search');
	await search.getByLabel('Name').fill('Hughes');
	await search.getByLabel('Postcode').fill('NN15 7QA');
	await search.getByLabel('Why are you searching?').selectOption({ label: 'Energy supply and billing' });
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.outcome(search)).toContainText('found');
	await expect(sim.lines()).toHaveCount(lines + 1);
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);

	// Another section of the record system keeps the whole conversation too.
	await sim.open('Rights requests');
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);
	await expect(sim.lines()).toHaveCount(lines + 1);
});

test('without JavaScript, the link to the earlier lines is an ordinary page load', async ({ browser, learner }) => {
	const { id, lines } = await longAttempt(learner);
	const page = await newPageAsOwn(browser, learner, `/learn/attempts/${id}`, { javaScript: false });
	const sim = new SimulationScreen(page);

	await expect(sim.lines()).toHaveCount(SCREEN_TRANSCRIPT_LINES);
	await page.getByRole('link', { name: `Earlier in the conversation (${lines - SCREEN_TRANSCRIPT_LINES} lines)` }).click();
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);
	await expect(sim.lines()).toHaveCount(lines);

	// A form posted without scripts answers with the whole conversation still, its new line at the end.
	const search = sim.form('Search');
	await search.getByLabel('Name').fill('Hughes');
	await search.getByLabel('Why are you searching?').selectOption({ label: 'Energy supply and billing' });
	await search.getByRole('button', { name: 'Search' }).click();
	await expect(sim.lines()).toHaveCount(lines + 1);
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);
	// And so does a section link.
	await sim.section('Rights requests').click();
	await expect(page).toHaveURL(/[?&]transcript=all(&|$)/);
	await expect(sim.lines()).toHaveCount(lines + 1);
	await page.context().close();
});

test('a short conversation has no link to earlier lines', async ({ page, learner }) => {
	const started = await startLearnerAttempt(db(), learner.id, 'spouse-caller');
	if (!started.ok) throw new Error(started.error.message);
	await logInAsOwn(page, learner, `/learn/attempts/${started.value.id}`);
	await expect(new SimulationScreen(page).lines()).toHaveCount(started.value.transcript.length);
	await expect(page.getByRole('link', { name: /^Earlier in the conversation/ })).toHaveCount(0);
});
