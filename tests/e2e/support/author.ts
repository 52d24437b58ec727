import { expect, type Locator, type Page } from '@playwright/test';
import { waitForHydration } from './accounts';

/**
 * The tutor's authoring pages (/author/scenarios), as a tutor meets them. Tests run in parallel on
 * one database: each works on a scenario of its own, made with a unique id.
 */

let counter = 0;
/** A scenario id no other test (or earlier run on the same database) uses. */
export function uniqueScenarioId(prefix = 'e2e'): string {
	counter += 1;
	return `${prefix}-${Date.now().toString(36)}-${process.pid.toString(36)}-${counter}`;
}

export class ScenarioEditor {
	constructor(readonly page: Page) {}

	async goto(scenarioId: string) {
		await this.page.goto(`/author/scenarios/${scenarioId}/edit`);
		await waitForHydration(this.page);
	}
	source(): Locator {
		return this.page.getByLabel('Scenario file (YAML)');
	}
	status(): Locator {
		return this.page.locator('#source-status');
	}
	problems(): Locator {
		return this.page.locator('#problem-list li');
	}
	problem(path: string): Locator {
		return this.problems().filter({ hasText: path });
	}
	async text(): Promise<string> {
		return this.source().inputValue();
	}
	async type(text: string) {
		await this.source().fill(text);
	}
	/** The 1-based line the caret is on. */
	async caretLine(): Promise<number> {
		return this.source().evaluate((el) => {
			const area = el as HTMLTextAreaElement;
			return area.value.slice(0, area.selectionStart).split('\n').length;
		});
	}
	async save() {
		await this.page.getByRole('button', { name: 'Save draft' }).click();
		await expect(this.page.getByRole('status').filter({ hasText: 'Draft saved.' })).toBeVisible();
	}
}

/** Duplicates a scenario under a new id and title from the library, landing in the editor. */
export async function duplicateScenario(page: Page, from: string, scenarioId: string, title: string) {
	await page.goto(`/author/scenarios/${from}/duplicate`);
	await waitForHydration(page);
	await page.getByLabel('New id').fill(scenarioId);
	await page.getByLabel('Title').fill(title);
	await page.getByRole('button', { name: 'Duplicate' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${scenarioId}/edit`));
	await waitForHydration(page);
}

/** Publishes the editor's text; lands on the scenario's page. */
export async function publish(page: Page, scenarioId: string) {
	await page.getByRole('button', { name: 'Publish' }).click();
	await expect(page).toHaveURL(new RegExp(`/author/scenarios/${scenarioId}\\?published=`));
}

/** Imports a scenario file through the import page; the page the import lands on is left open. */
export async function importScenarioFile(page: Page, name: string, text: string) {
	await page.goto('/author/scenarios/import');
	await waitForHydration(page);
	await page.getByLabel('Scenario file').setInputFiles({ name, mimeType: 'text/yaml', buffer: Buffer.from(text) });
	await page.getByRole('button', { name: 'Import' }).click();
}
