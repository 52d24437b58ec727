import type { Page } from '@playwright/test';
import { expectNoViolations } from './support/accessibility';
import { waitForHydration } from './support/accounts';
import { ReviewPage, endedAttempt, submitReflection } from './support/assessor';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { ScenarioBrief } from './support/learner';
import { SimulationScreen, tabTo } from './support/simulation';

/**
 * The failures an accessibility audit found (issue 16, item 6), each held to its fix: on a phone, from
 * the keyboard, with a screen reader's view of the page (names, descriptions, focus) and at 200 % text.
 */

const PHONE = { width: 390, height: 844 };

/** Every box that scrolls sideways, with what a keyboard user needs to reach it: focusable, a region, a name. */
async function scrollingBoxes(page: Page) {
	return page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('body *')]
			.filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth)
			.map((el) => ({ tabIndex: el.tabIndex, role: el.getAttribute('role'), name: el.getAttribute('aria-label') ?? '' }))
	);
}

async function expectScrollingBoxesReachable(page: Page, atLeast: number) {
	const boxes = await scrollingBoxes(page);
	expect(boxes.length, `${page.url()}: boxes that scroll sideways at 390 px`).toBeGreaterThanOrEqual(atLeast);
	for (const box of boxes) {
		expect(box.tabIndex, `${page.url()}: a scrolling box is in the tab order`).toBe(0);
		expect(box.role).toBe('region');
		expect(box.name).not.toBe('');
	}
	await expectNoViolations(page);
}

/** Starts the spouse-caller scenario as the (logged-in) learner; the page is then the simulation screen. */
async function startSpouseCaller(page: Page): Promise<SimulationScreen> {
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	await waitForHydration(page);
	await brief.start();
	await waitForHydration(page);
	return new SimulationScreen(page);
}

test('tables that scroll sideways on a phone are regions a keyboard user can tab to and scroll, named after their table', async ({ browser, page, learner, assessor, tutor, admin, cohort }) => {
	test.setTimeout(120_000);
	await page.setViewportSize(PHONE);
	await logInAsOwn(page, learner);
	await endedAttempt(page);

	// The learner's record on the simulation screen: its tables (identity, contact, financial…) scroll.
	const sim = await startSpouseCaller(page);
	await sim.search({ name: 'Hughes', postcode: 'NN15 7QA', purpose: 'Energy supply and billing' });
	await sim.view('NWE-2048817', 'Energy supply and billing');
	await sim.open('Customer record');
	await expectScrollingBoxesReachable(page, 0);
	// Each table's region is reached with Tab.
	const region = page.getByRole('region', { name: 'Identity', exact: true });
	await page.getByRole('heading', { name: 'Customer record' }).focus();
	await expect(region).toBeVisible();
	await tabTo(page, region);
	await expect(region).toBeFocused();

	for (const [person, path] of [
		[assessor, `/assess/learners/${learner.id}`],
		[tutor, `/author/results/${cohort.id}`],
		[admin, '/admin/users/import']
	] as const) {
		const staff = await newPageAsOwn(browser, person, path);
		await staff.setViewportSize(PHONE);
		await staff.reload();
		await expectScrollingBoxesReachable(staff, 1);
		// The first box that scrolls is reached with Tab and scrolled with the arrow keys.
		const regions = staff.locator('[role="region"][tabindex="0"]');
		let scrolling = regions.first();
		for (const candidate of await regions.all()) {
			if (await candidate.evaluate((el) => el.scrollWidth > el.clientWidth)) {
				scrolling = candidate;
				break;
			}
		}
		await tabTo(staff, scrolling);
		await staff.keyboard.press('ArrowRight');
		await expect.poll(() => scrolling.evaluate((el) => el.scrollLeft), `${path}: the box scrolls from the keyboard`).toBeGreaterThan(0);
		await staff.context().close();
	}
});

test('an empty log-in puts focus on the first field refused, described by its message', async ({ page }) => {
	await page.goto('/login');
	await waitForHydration(page);
	await page.getByRole('button', { name: 'Log in' }).click();
	const email = page.getByLabel('Email address');
	await expect(email).toBeFocused();
	await expect(email).toHaveAttribute('aria-invalid', 'true');
	await expect(email).toHaveAccessibleDescription(/Enter your email address\./);
	await expect(page.getByLabel('Password')).toHaveAccessibleDescription(/Enter your password\./);

	// A refused password: focus goes to the message that says so.
	await email.fill('nobody@custodian.test');
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await expect(page.getByRole('alert')).toBeFocused();
});

test('the assessor’s override note is announced and describes the feedback field; the summary’s decision link goes to the first choice', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	test.setTimeout(120_000);
	await logInAsOwn(page, learner);
	const attemptId = await endedAttempt(page);
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	const pointTitle = (await assessor.locator('#point-0-title').innerText()).trim();
	const judgement = review.judgement(pointTitle);
	const note = judgement.locator('.override');
	// A live region from the start, empty until the assessor overrides.
	await expect(note).toHaveAttribute('aria-live', 'polite');
	await expect(note).toHaveText('');
	const proposedMet = await judgement.getByRole('radio', { name: 'Met', exact: true }).isChecked();
	await judgement.getByRole('radio', { name: proposedMet ? 'Not met' : 'Met', exact: true }).check();
	await expect(note).toHaveText('Overrides the automatic marking: say why.');
	await expect(judgement.getByRole('textbox')).toHaveAccessibleDescription('Overrides the automatic marking: say why.');

	// Signing with no decision chosen: the summary's link goes to the first choice of the decision.
	await review.sign(assessorAccount.name);
	const link = assessor.getByRole('alert').getByRole('link', { name: /Choose the overall decision/ });
	await expect(link).toHaveAttribute('href', '#outcome');
	await link.click();
	await expect(assessor.getByRole('group', { name: 'Decision', exact: true }).getByRole('radio').first()).toBeFocused();
	await expectNoViolations(assessor);
});

test('the end-attempt confirmation covers nothing and Escape closes it, back on its button', async ({ page, learner }) => {
	await logInAsOwn(page, learner);
	await startSpouseCaller(page);
	const end = page.locator('.sim-header details.end-attempt');
	const button = end.locator('summary');
	await button.focus();
	await page.keyboard.press('Enter');
	const confirm = end.getByRole('form');
	await expect(confirm).toBeVisible();

	// Nothing focusable is under it: the record system's tabs and the replies stay in view.
	const box = (await confirm.boundingBox())!;
	for (const target of await page.locator('.desk a, .desk button, .desk input, .desk select').all()) {
		const other = await target.boundingBox();
		if (!other) continue;
		const overlaps = other.x < box.x + box.width && box.x < other.x + other.width && other.y < box.y + box.height && box.y < other.y + other.height;
		expect(overlaps, `the confirmation covers ${await target.evaluate((el) => el.outerHTML.slice(0, 80))}`).toBe(false);
	}

	// Escape from inside the confirmation closes it and returns focus to the button that opened it.
	await page.keyboard.press('Tab');
	await expect(confirm.getByRole('button', { name: 'Yes, end and see my debrief' })).toBeFocused();
	await page.keyboard.press('Escape');
	await expect(confirm).toBeHidden();
	await expect(button).toBeFocused();
	await expect(end).not.toHaveAttribute('open');
});

test('at 200 % text the record system clips none of its inputs, hints or selects', async ({ page, learner }) => {
	test.setTimeout(120_000);
	await logInAsOwn(page, learner);
	const sim = await startSpouseCaller(page);
	await sim.search({ name: 'Hughes', postcode: 'NN15 7QA', purpose: 'Energy supply and billing' });
	const attempt = page.url().split('?')[0]!;
	for (const panel of ['search', 'record', 'new', 'identity', 'disclose', 'contact', 'requests', 'consent', 'breaches']) {
		await page.goto(`${attempt}?panel=${panel}`);
		// Text at 200 %, as a browser's text-size setting makes it (the page's CSP allows no inline style sheet).
		await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'));
		// Open every task of the panel, so its inputs are laid out.
		await page.evaluate(() => document.querySelectorAll<HTMLDetailsElement>('section[aria-labelledby="system-heading"] details').forEach((fold) => (fold.open = true)));
		const problems = await page.evaluate(() => {
			// The record system's section (a transcript line of the system's is a .system too).
			const system = document.querySelector<HTMLElement>('section[aria-labelledby="system-heading"]')!;
			const found: string[] = [];
			for (let el: HTMLElement | null = system; el; el = el.parentElement) {
				if (getComputedStyle(el).overflowX === 'hidden' || getComputedStyle(el).overflowX === 'clip') found.push(`${el.tagName.toLowerCase()}.${el.className} clips`);
			}
			const edge = system.getBoundingClientRect().right + 1;
			for (const el of system.querySelectorAll<HTMLElement>('input, select, textarea, .hint')) {
				const rect = el.getBoundingClientRect();
				if (rect.width === 0) continue;
				const label = `${el.tagName.toLowerCase()}#${el.id}`;
				if (rect.right > edge) found.push(`${label} sticks out of the panel by ${Math.round(rect.right - edge)} px`);
				if (el.matches('input:not([type=checkbox]):not([type=radio]), select') && el.scrollWidth > el.clientWidth + 1) found.push(`${label} is cut off inside (${el.scrollWidth} > ${el.clientWidth})`);
			}
			return found;
		});
		expect(problems, `the ${panel} panel at 200 % text`).toEqual([]);
	}
});
