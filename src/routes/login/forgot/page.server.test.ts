import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import { actions, load } from './+page.server';
import ForgotPage from './+page.svelte';

/**
 * /login/forgot on a centre with no mail configured (no SMTP_URL or MAIL_FROM): the page says to ask
 * the centre's administrator for a one-time password and offers no form that would pretend to send
 * a link; a hand-made post is refused with the same advice. (The end-to-end server runs with mail,
 * so this case is covered here.)
 */
describe('a forgotten password where the centre sends no mail', () => {
	const saved = { SMTP_URL: process.env.SMTP_URL, MAIL_FROM: process.env.MAIL_FROM };
	beforeEach(() => {
		delete process.env.SMTP_URL;
		delete process.env.MAIL_FROM;
	});
	afterEach(() => {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	});

	it('tells the user to ask their centre’s administrator for a one-time password, with no form to send a link', () => {
		const data = load();
		expect(data).toEqual({ mailConfigured: false });
		const { body } = render(ForgotPage, { props: { data: { ...data, user: null } as never, form: null, params: {} as never } });
		expect(body).toContain('Ask your centre’s administrator to set a new one-time password for you');
		expect(body).not.toContain('<form');
		expect(body).not.toContain('Email me a link');
	});

	it('refuses a posted request with the same advice, beside the email field, and sends nothing', async () => {
		const request = new Request('http://localhost/login/forgot', { method: 'POST', body: new URLSearchParams({ email: 'someone@example.org' }) });
		const answer = await actions.default({ request, url: new URL(request.url) } as Parameters<typeof actions.default>[0]);
		expect(answer).toMatchObject({ status: 400, data: { email: 'someone@example.org', errors: { email: expect.stringContaining('does not send email') } } });
	});
});
