import { expect, type Locator, type Page } from '@playwright/test';
import { waitForHydration } from './accounts';
import { AttemptActions, ReflectionPage, ScenarioBrief } from './learner';

/**
 * The assessor's pages, as an assessor meets them, and the learner's steps that put an attempt in
 * their queue. Every helper works on the attempt it is given, never on "the first in the queue".
 */

/** A fresh attempt of the learner's, ended at once (its marking proposes most points not met). */
export async function endedAttempt(page: Page, scenarioId = 'spouse-caller'): Promise<string> {
	const brief = new ScenarioBrief(page);
	await brief.goto(scenarioId);
	const id = await brief.start();
	await new AttemptActions(page, id).end();
	return id;
}

export async function submitReflection(page: Page, attemptId: string) {
	const reflection = new ReflectionPage(page);
	await reflection.goto(attemptId);
	await reflection.part('Situation').fill('A caller said she was the account holder’s wife and asked for his balance.');
	await reflection.part('Task').fill('Help her without disclosing anything, following the data protection policy and UK GDPR.');
	await reflection.part('Action').fill('I ended the call at once, before checking any authority on the account.');
	await reflection.part('Result').fill('Nothing was disclosed, but I did not log the call or explain the procedure.');
	await reflection.submit();
	await reflection.confirm();
	await expect(page.getByRole('status')).toContainText('Submitted for assessment on');
}

export class ReviewPage {
	constructor(readonly page: Page) {}
	async goto(attemptId: string) {
		await this.page.goto(`/assess/attempts/${attemptId}`);
		await waitForHydration(this.page);
	}
	/** A marking point's or criterion's judgement, by its title. */
	judgement(title: string | RegExp): Locator {
		return this.page.getByRole('group', { name: title }).filter({ has: this.page.getByRole('radio', { name: 'Met', exact: true }) }).first();
	}
	/** The review shows one point or criterion's judgement at a time: choose it in the panel's list. */
	async select(title: string | RegExp) {
		await this.page.getByRole('navigation', { name: 'Points and criteria' }).getByRole('link', { name: title }).click();
		await expect(this.judgement(title)).toBeVisible();
	}
	async judge(title: string | RegExp, met: boolean, feedback: string) {
		await this.select(title);
		const group = this.judgement(title);
		await group.getByRole('radio', { name: met ? 'Met' : 'Not met', exact: true }).check();
		await group.getByRole('textbox').fill(feedback);
	}
	async decide(outcome: 'Met' | 'Not yet met' | 'Resubmission requested', feedback: string, nextSteps = '') {
		await this.page.getByRole('group', { name: 'Decision', exact: true }).getByRole('radio', { name: outcome, exact: true }).check();
		await this.page.getByLabel('Feedback to the learner', { exact: true }).fill(feedback);
		if (nextSteps) await this.page.getByLabel('What to do next', { exact: true }).fill(nextSteps);
	}
	async sign(name: string) {
		await this.page.getByLabel('Your name').fill(name);
		await this.page.getByRole('button', { name: /^Sign the (new )?decision$/ }).click();
	}
}
