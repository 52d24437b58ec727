import axe from 'axe-core';
import { expect, type Page } from '@playwright/test';

/** The conformance the app claims: WCAG 2.2 levels A and AA (and the earlier versions' rules they keep). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * The rules whose outcome depends on where things land on the screen rather than on the page's markup
 * and styles: the same page at another width under the same CSS rules, or with its text made larger,
 * can only fail these anew (a target now too small or too close, text now over another background, a
 * region that now overflows and must be reachable by keyboard).
 */
export const GEOMETRY_RULES = ['target-size', 'color-contrast', 'scrollable-region-focusable'] as const;

interface Found {
	id: string;
	help: string;
	targets: string[];
}

/**
 * Fails with each violation's rule, help and the elements it was found on.
 *
 * axe-core runs in the page itself (the app has no frames), injected once per page load: a second scan
 * of the same load (after the text is made larger) reuses it. @axe-core/playwright, used before, injected
 * the 500 KB script on every scan and then opened a blank page to combine each scan's results, which
 * cost more than the scan itself over the several hundred scans of a test run.
 */
export async function expectNoViolations(page: Page, options: { rules?: readonly string[] } = {}) {
	const ready = await page.evaluate(() => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function');
	if (!ready) await page.evaluate(axe.source);
	const runOnly = options.rules ? { type: 'rule', values: [...options.rules] } : { type: 'tag', values: TAGS };
	const found = await page.evaluate(async (only): Promise<Found[]> => {
		const run = (window as unknown as { axe: typeof axe }).axe.run;
		const results = await run(document, { runOnly: only as axe.RunOnly, resultTypes: ['violations'] });
		return results.violations.map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
	}, runOnly);
	expect(found.map((v) => `${v.id}: ${v.help} (${v.targets.join(', ')})`)).toEqual([]);
}
