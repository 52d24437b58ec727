import { expect, type Locator, type Page } from '@playwright/test';
import { waitForHydration } from './accounts';

/**
 * The learner's pages, as a learner meets them. Every helper works on the attempt it is given,
 * never on "the latest" or "the only" one.
 */

const ATTEMPT_URL = /\/learn\/attempts\/([0-9a-f-]{36})$/;

export function attemptIdOf(page: Page): string {
	const match = ATTEMPT_URL.exec(new URL(page.url()).pathname);
	if (!match) throw new Error(`Not on an attempt page: ${page.url()}`);
	return match[1]!;
}

export class LearnerHome {
	constructor(readonly page: Page) {}
	async goto() {
		await this.page.goto('/learn');
	}
	scenarios(): Locator {
		return this.page.getByRole('region', { name: 'Scenarios' }).getByRole('listitem').filter({ has: this.page.getByRole('heading', { level: 3 }) });
	}
	scenario(title: string | RegExp): Locator {
		return this.scenarios().filter({ has: this.page.getByRole('heading', { level: 3, name: title }) });
	}
}

export class ScenarioBrief {
	constructor(readonly page: Page) {}
	async goto(scenarioId: string) {
		await this.page.goto(`/learn/scenarios/${scenarioId}`);
	}
	/** Starts a fresh attempt from the brief and returns its id (the page is then the attempt). */
	async start(): Promise<string> {
		await this.page.getByRole('button', { name: /^(Start|Start a new attempt)$/ }).click();
		await expect(this.page).toHaveURL(ATTEMPT_URL);
		return attemptIdOf(this.page);
	}
}

/**
 * The simulation screen's own form actions, posted as its enhanced forms post them (JSON answer):
 * the quickest way to a debrief, whatever the screen looks like.
 */
export class AttemptActions {
	constructor(
		readonly page: Page,
		readonly attemptId: string
	) {}
	private async post(action: string, form: Record<string, string>) {
		const origin = new URL(this.page.url().startsWith('http') ? this.page.url() : `http://localhost:${process.env.E2E_PORT}`).origin;
		const response = await this.page.request.post(`/learn/attempts/${this.attemptId}?/${action}`, {
			form,
			headers: { origin, accept: 'application/json', 'x-sveltekit-action': 'true' },
			maxRedirects: 0
		});
		expect(response.status(), `${action} answered ${response.status()}`).toBeLessThan(400);
		return (await response.json()) as { type: string };
	}
	/** Picks dialogue replies by choice id, in order, as actions 1, 2, 3 … of a fresh attempt. */
	async choose(...choiceIds: string[]) {
		for (const [i, choiceId] of choiceIds.entries()) {
			const answer = await this.post('choose', { choiceId, expectedActionSeq: String(i + 1) });
			expect(answer.type, `choice ${choiceId}`).toBe('success');
		}
	}
	async end() {
		const answer = await this.post('end', {});
		expect(answer.type).toBe('redirect');
	}
}

export class DebriefPage {
	constructor(readonly page: Page) {}
	async goto(attemptId: string) {
		await this.page.goto(`/learn/attempts/${attemptId}/debrief`);
	}
	point(description: string): Locator {
		return this.page.getByRole('article', { name: description });
	}
	/** The verdict at the top: named by its headline ("Passed", "Not passed — 1 critical error"). */
	verdict(): Locator {
		return this.page.getByRole('region', { name: /^(Passed|Not passed — )/ });
	}
	/** The two checks of the pass rule, side by side. */
	checks(): Locator {
		return this.page.getByRole('list', { name: 'The two checks of the pass rule' }).getByRole('listitem');
	}
	/** The timeline of the learner's choices. */
	choices(): Locator {
		return this.page.getByRole('region', { name: 'Your choices' });
	}
}

/**
 * Wherever the page says an attempt was not passed, it says why beside it ("Not passed — 1 critical
 * error", "Not passed: 2 with a critical error"), and no score is shown without its pass mark (or the
 * note that it was marked under the earlier rule, which had none).
 */
export async function expectEveryFailGivesItsReason(page: Page) {
	const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
	expect(text).not.toMatch(/Not passed(?! — |: )/);
	for (const score of text.matchAll(/Score [\d.]+ %(.{0,40})/g)) expect(score[1]).toMatch(/^ \(pass mark \d+ %\)|^:? ?(marked under|\(earlier rule)/);
}

export class ReflectionPage {
	/** `javaScript: false` for a page opened without scripts, which never hydrates. */
	constructor(
		readonly page: Page,
		readonly options: { javaScript?: boolean } = {}
	) {}
	async goto(attemptId: string) {
		await this.page.goto(`/learn/attempts/${attemptId}/reflection`);
		// Text typed before the page hydrates can be drawn over by it: the Situation once came back empty.
		if (this.options.javaScript !== false) await waitForHydration(this.page);
	}
	part(label: 'Situation' | 'Task' | 'Action' | 'Result'): Locator {
		return this.page.getByRole('textbox', { name: label, exact: true });
	}
	async saveDraft() {
		await this.page.getByRole('button', { name: 'Save draft' }).click();
	}
	/** The first step of a submission: checked and saved, then shown to read over (or refused, next to each part). */
	async submit() {
		await this.page.getByRole('button', { name: 'Submit for assessment' }).click();
	}
	/** The second step: the learner read it over and submits it for good. */
	async confirm() {
		await expect(this.page.getByRole('region', { name: 'Check your reflection, then submit it' })).toContainText('you cannot change it after submitting');
		await this.page.getByRole('button', { name: 'Confirm and submit' }).click();
	}
}

export class CoverageMap {
	constructor(readonly page: Page) {}
	async goto() {
		await this.page.goto('/learn/coverage');
	}
	criterion(code: string): Locator {
		return this.page.locator(`#criterion-${code}`);
	}
}
