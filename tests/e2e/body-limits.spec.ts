import { Agent, request as httpRequest } from 'node:http';
import { LoginPage, waitForHydration } from './support/accounts';
import { endedAttempt } from './support/assessor';
import { expect, newPageAsOwn, test } from './support/fixtures';
import { ReflectionPage } from './support/learner';

/**
 * Request bodies are limited by route (issue 13, item 3; src/hooks/body-limit.ts): small for log-in
 * and ordinary forms, large only where an upload needs it. A larger body is refused with 413 before
 * it is read, while other clients are served as usual; a form over its limit says so.
 */

const MB = 1024 * 1024;

interface Sent {
	status: number;
	body: string;
}

/**
 * Posts `size` bytes as a form, with a Content-Length or chunked, and resolves with the answer as
 * soon as one arrives: the server answers a refused body without reading it and closes the
 * connection, so the rest of the body may fail to send, which is not the test's concern.
 */
function postLarge(baseURL: string, path: string, options: { size: number; contentType: string; chunked?: boolean }): Promise<Sent> {
	const base = new URL(baseURL);
	// Keep-alive, as a browser's: a client that asks for the connection to close gets it closed
	// as soon as the answer is sent, with the rest of its body unread, and may see only the reset.
	const agent = new Agent({ keepAlive: true });
	return new Promise<Sent>((resolve, reject) => {
		let answered = false;
		const req = httpRequest(
			{
				host: base.hostname,
				port: base.port,
				method: 'POST',
				path,
				agent,
				headers: {
					origin: base.origin,
					accept: 'text/html',
					'content-type': options.contentType,
					...(options.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(options.size) })
				}
			},
			(res) => {
				answered = true;
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
				res.on('error', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			}
		);
		req.on('error', (error) => {
			if (!answered) reject(error);
		});
		// Many small fields: the shape that costs a parser the most for its size.
		const piece = Buffer.from('a=1&'.repeat(16 * 1024));
		let sent = 0;
		const write = () => {
			while (sent < options.size && !answered) {
				const chunk = piece.subarray(0, Math.min(piece.length, options.size - sent));
				sent += chunk.length;
				if (!req.write(chunk)) return void req.once('drain', write);
			}
			req.end();
		};
		write();
	}).finally(() => agent.destroy());
}

test('10 MB bodies to log-in and to the verify upload, and a 2 MB chunked one, are refused with 413 while another client is served its page', async ({ page, baseURL }) => {
	const form = 'application/x-www-form-urlencoded';
	const [login, upload, chunked, other] = await Promise.all([
		postLarge(baseURL!, '/login', { size: 10 * MB, contentType: form }),
		postLarge(baseURL!, '/verify?/upload', { size: 10 * MB, contentType: 'multipart/form-data; boundary=----e2e' }),
		// Chunked, no length declared: read up to the limit, the rest (within BODY_SIZE_LIMIT) dropped.
		postLarge(baseURL!, '/login', { size: 2 * MB, contentType: form, chunked: true }),
		page.goto('/verify')
	]);
	expect(login.status).toBe(413);
	expect(login.body).toContain('larger than this page accepts (at most 64 KB)');
	expect(upload.status).toBe(413);
	expect(upload.body).toContain('at most 4 MB');
	expect(chunked.status).toBe(413);
	expect(other!.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	// The refusals cost the server nothing lasting: log-in still works.
	const login2 = new LoginPage(page);
	await login2.goto();
	await expect(page.getByLabel('Email address')).toBeVisible();
});

test('a form sent over its page’s limit is refused with a clear message, with and without JavaScript', async ({ browser, learner }) => {
	// The four parts of a reflection together may take 256 KB; each here is 80 KB.
	const long = 'word '.repeat(16 * 1024);
	for (const javaScriptEnabled of [true, false]) {
		const page = await newPageAsOwn(browser, learner, learner.home, { javaScript: javaScriptEnabled });
		const attemptId = await endedAttempt(page);
		const reflection = new ReflectionPage(page, { javaScript: javaScriptEnabled });
		await reflection.goto(attemptId);
		if (javaScriptEnabled) await waitForHydration(page);
		for (const part of ['Situation', 'Task', 'Action', 'Result'] as const) await reflection.part(part).fill(long);
		await reflection.saveDraft();
		await expect(page.getByRole('heading', { level: 1, name: 'Too much sent at once' })).toBeVisible();
		await expect(page.getByText('What you sent is larger than this page accepts (at most 256 KB)')).toBeVisible();
		await page.context().close();
	}
});
