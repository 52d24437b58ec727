import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The conformance the app claims: WCAG 2.2 levels A and AA (and the earlier versions' rules they keep). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Fails with each violation's rule, help and the elements it was found on. */
export async function expectNoViolations(page: Page) {
	const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
