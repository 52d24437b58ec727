import { expectNoViolations } from './support/accessibility';
import { ReviewPage, submitReflection } from './support/assessor';
import { expect, logInAsOwn, newPageAsOwn, test } from './support/fixtures';
import { AttemptActions, ScenarioBrief } from './support/learner';

const SCREENSHOTS = 'tests/.artifacts/screenshots';

test('at 1280 px the review puts the decision beside the evidence; choosing a point filters the transcript to its cited lines, Next moves on, and the sign button is in reach', async ({ browser, page, learner, assessor: assessorAccount, cohort }) => {
	expect(cohort.assignments['spouse-caller']).toBeDefined();
	// An attempt with something said, so that marking points cite lines of the transcript.
	await logInAsOwn(page, learner);
	const brief = new ScenarioBrief(page);
	await brief.goto('spouse-caller');
	const attemptId = await brief.start();
	await new AttemptActions(page, attemptId).choose('ask-his-security', 'security-passed-give-balance');
	await new AttemptActions(page, attemptId).end();
	await submitReflection(page, attemptId);

	const assessor = await newPageAsOwn(browser, assessorAccount);
	await assessor.setViewportSize({ width: 1280, height: 800 });
	const review = new ReviewPage(assessor);
	await review.goto(attemptId);
	const panel = assessor.getByRole('region', { name: 'Judgement' });
	const evidence = assessor.getByRole('region', { name: /^Marking point 1 of \d+$/ });
	const transcript = assessor.getByRole('region', { name: 'Transcript' });
	const lines = transcript.locator('li[id^="t-"]');
	const allLines = await lines.count();

	// Side by side: the panel to the right of the evidence, level with it.
	const left = (await evidence.boundingBox())!;
	const right = (await panel.boundingBox())!;
	expect(right.x).toBeGreaterThanOrEqual(left.x + left.width);
	expect(right.y).toBeLessThan(left.y + left.height);
	await expectNoViolations(assessor);

	// Choose, point by point with Next, the first that cites lines of the transcript; a marker on the
	// window shows no page was loaded on the way.
	await assessor.evaluate(() => ((window as unknown as { unloaded: boolean }).unloaded = false));
	const items = assessor.getByRole('navigation', { name: 'Points and criteria' });
	await items.getByRole('link', { name: /^1\s*: / }).click();
	await expect(assessor).toHaveURL(/\?point=/);
	let cited = 0;
	for (let n = 1; ; n++) {
		await expect(assessor.getByRole('heading', { level: 2, name: new RegExp(`^Marking point ${n} of`) })).toBeVisible();
		await expect(items.getByRole('link', { name: new RegExp(`^${n}\\s*: `) })).toHaveAttribute('aria-current', 'true');
		cited = await assessor.getByRole('region', { name: /^Marking point/ }).getByRole('list').first().getByRole('link').count();
		if (cited > 0) break;
		await items.getByRole('link', { name: 'Next', exact: true }).click();
		await expect(assessor.getByRole('heading', { level: 2, name: new RegExp(`^Marking point ${n + 1} of`) })).toBeVisible();
	}
	expect(await assessor.evaluate(() => (window as unknown as { unloaded?: boolean }).unloaded)).toBe(false);
	const citedPoint = new URL(assessor.url()).searchParams.get('point')!;

	// The transcript shows exactly the lines the point's evidence cites.
	const point = assessor.getByRole('region', { name: /^Marking point/ });
	const citedIds = await point.getByRole('list').first().getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!.slice(1)));
	await expect(lines).toHaveCount(citedIds.length);
	expect(await lines.evaluateAll((li) => li.map((l) => l.id))).toEqual(citedIds);
	expect(citedIds.length).toBeLessThan(allLines);

	// The overall decision and the signature are within reach, not 12,000 px down.
	const sign = assessor.getByRole('button', { name: 'Sign the decision' });
	await assessor.screenshot({ path: `${SCREENSHOTS}/review-1280.png`, fullPage: true });
	const signTop = await sign.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
	expect(signTop).toBeLessThan(2 * 800);
	await expect(assessor.getByRole('group', { name: 'Decision', exact: true })).toBeVisible();
	await expectNoViolations(assessor);

	// Next moves on: the next point's evidence and judgement, and the transcript follows it.
	const pointHeading = await point.getByRole('heading', { level: 2 }).innerText();
	const n = Number(/^Marking point (\d+)/.exec(pointHeading)![1]);
	await items.getByRole('link', { name: 'Next', exact: true }).click();
	await expect(items.getByRole('link', { name: new RegExp(`^${n + 1}\\s*: `) })).toHaveAttribute('aria-current', 'true');
	await expect(assessor.locator('#evidence')).not.toHaveText(pointHeading);
	await expect(assessor.locator(`#point-${n}-title`)).toBeVisible();
	await expect(assessor.locator(`#point-${n - 1}-title`)).toBeHidden();

	// "Show the whole transcript" undoes the filter.
	const whole = transcript.getByRole('link', { name: 'Show the whole transcript' });
	if ((await whole.count()) > 0) await whole.click();
	await expect(lines).toHaveCount(allLines);

	// Without JavaScript the same address shows the same selection, and the links work as plain links.
	const plain = await newPageAsOwn(browser, assessorAccount, assessorAccount.home, { javaScript: false });
	await plain.goto(`/assess/attempts/${attemptId}?point=${citedPoint}`);
	const plainLines = plain.getByRole('region', { name: 'Transcript' }).locator('li[id^="t-"]');
	await expect(plainLines).toHaveCount(citedIds.length);
	await plain.getByRole('link', { name: 'Show the whole transcript' }).click();
	await expect(plain).toHaveURL(/transcript=whole/);
	await expect(plainLines).toHaveCount(allLines);
	await plain.getByRole('navigation', { name: 'Points and criteria' }).getByRole('link', { name: 'Next', exact: true }).click();
	await expect(plain.getByRole('navigation', { name: 'Points and criteria' }).locator('[aria-current="true"]')).not.toHaveAttribute('href', `?point=${citedPoint}`);
	await plain.context().close();

	// At 390 px: one column, the decision after the evidence, nothing lost.
	await assessor.setViewportSize({ width: 390, height: 844 });
	const narrowLeft = (await assessor.getByRole('region', { name: /^Marking point/ }).boundingBox())!;
	const narrowRight = (await panel.boundingBox())!;
	expect(narrowRight.y).toBeGreaterThanOrEqual(narrowLeft.y + narrowLeft.height);
	await expect(assessor.getByRole('button', { name: 'Sign the decision' })).toBeVisible();
	await assessor.screenshot({ path: `${SCREENSHOTS}/review-390.png`, fullPage: true });
	await expectNoViolations(assessor);
	await assessor.context().close();
});
