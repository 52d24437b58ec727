import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { bodyLimit, bodyLimitFor, DEFAULT_BODY_LIMIT, readWithin, sizeLabel } from './body-limit';

const MB = 1024 * 1024;
const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data; boundary=----x';

/** A body of `chunks` chunks of `size` bytes that counts how many were pulled from it. */
function countedBody(chunks: number, size: number) {
	const pulled = { count: 0 };
	const body = new ReadableStream<Uint8Array>(
		{
			pull(controller) {
				if (pulled.count === chunks) return controller.close();
				pulled.count++;
				controller.enqueue(new Uint8Array(size).fill(0x61));
			}
		},
		{ highWaterMark: 0 }
	);
	return { body, pulled };
}

function eventFor(routeId: string | null, init: { body: ReadableStream<Uint8Array> | string; contentType?: string; contentLength?: number; headers?: Record<string, string> }) {
	const headers = new Headers(init.headers);
	if (init.contentType) headers.set('content-type', init.contentType);
	const request = new Request('http://localhost/login?/default', { method: 'POST', headers, body: init.body, duplex: 'half' } as RequestInit);
	// A streamed body has no Content-Length in a Request; set one as the server's request would carry it.
	if (init.contentLength !== undefined) {
		Object.defineProperty(request, 'headers', { value: new Headers([...headers, ['content-length', String(init.contentLength)]]) });
	}
	return { route: { id: routeId }, request, isDataRequest: false, locals: {}, url: new URL(request.url) } as unknown as RequestEvent;
}

/** The handle run with a resolve that records the request it was given (reading its form). */
async function run(event: RequestEvent) {
	let resolved: { form: FormData | null } | null = null;
	const response = await bodyLimit({
		event,
		resolve: async (e: RequestEvent, _options?: ResolveOptions) => {
			resolved = { form: await e.request.formData().catch(() => null) };
			return new Response('resolved');
		}
	});
	return { response, resolved: resolved as { form: FormData | null } | null };
}

describe('bodyLimitFor', () => {
	it('gives log-in and any route without its own rule the small default', () => {
		expect(bodyLimitFor('/login', FORM, 4 * MB)).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor('/(guarded)/admin/users/new', MULTIPART, 4 * MB)).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor(null, FORM, 4 * MB)).toBe(DEFAULT_BODY_LIMIT);
	});

	it('allows the verify upload up to the server-wide bound, but only as a file upload', () => {
		expect(bodyLimitFor('/verify', MULTIPART, 4 * MB)).toBe(4 * MB);
		expect(bodyLimitFor('/verify', FORM, 4 * MB)).toBe(DEFAULT_BODY_LIMIT);
	});

	it('sizes the scenario import, scenario editor and learner import from their own file limits', () => {
		expect(bodyLimitFor('/(guarded)/author/scenarios/import', MULTIPART, 4 * MB)).toBeGreaterThan(256 * 1024);
		expect(bodyLimitFor('/(guarded)/author/scenarios/import', MULTIPART, 4 * MB)).toBeLessThan(300 * 1024);
		expect(bodyLimitFor('/(guarded)/author/scenarios/[scenarioId]/edit', FORM, 4 * MB)).toBeGreaterThan(600 * 1024);
		expect(bodyLimitFor('/(guarded)/author/scenarios/[scenarioId]/edit', FORM, 4 * MB)).toBeLessThan(700 * 1024);
		expect(bodyLimitFor('/(guarded)/admin/users/import', FORM, 4 * MB)).toBeGreaterThan(250_000);
	});

	it('takes one piece of a resumable upload (2 MB of raw bytes) only on its own route', () => {
		const PIECE = 'application/offset+octet-stream';
		expect(bodyLimitFor('/(guarded)/learn/uploads/[uploadId]', PIECE, 4 * MB)).toBe(2 * MB);
		expect(bodyLimitFor('/(guarded)/learn/uploads', PIECE, 4 * MB)).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor('/(guarded)/learn/evidence/[evidenceId]', FORM, 4 * MB)).toBe(256 * 1024);
	});

	it('never allows more than the server-wide bound', () => {
		expect(bodyLimitFor('/(guarded)/author/scenarios/[scenarioId]/edit', FORM, 100 * 1024)).toBe(100 * 1024);
	});

	it('names sizes as people read them', () => {
		expect(sizeLabel(64 * 1024)).toBe('64 KB');
		expect(sizeLabel(4 * MB)).toBe('4 MB');
	});
});

describe('readWithin', () => {
	it('stops reading a body as soon as it passes the limit', async () => {
		const { body, pulled } = countedBody(1000, 1024);
		expect(await readWithin(body, 10 * 1024)).toBeNull();
		expect(pulled.count).toBe(11);
	});

	it('returns a body within the limit whole', async () => {
		const { body } = countedBody(3, 100);
		expect((await readWithin(body, 300))?.byteLength).toBe(300);
	});
});

describe('the body limit hook', () => {
	it('refuses a declared 10 MB body to log-in with 413 without reading it or resolving the route', async () => {
		const { body, pulled } = countedBody(10 * 1024, 1024);
		const { response, resolved } = await run(eventFor('/login', { body, contentType: FORM, contentLength: 10 * MB, headers: { accept: 'text/html' } }));
		expect(response.status).toBe(413);
		expect(await response.text()).toContain('larger than this page accepts (at most 64 KB)');
		expect(resolved).toBeNull();
		expect(pulled.count).toBe(0);
	});

	it('refuses a chunked body (no Content-Length) once it passes the limit, before the route parses it, and stops reading at the server-wide bound', async () => {
		const { body, pulled } = countedBody(10 * 1024, 1024);
		const { response, resolved } = await run(eventFor('/login', { body, contentType: FORM }));
		expect(response.status).toBe(413);
		expect(response.headers.get('connection')).toBe('close');
		expect(resolved).toBeNull();
		// BODY_SIZE_LIMIT is unset here: adapter-node's default of 512 KB (plus the chunk that crossed each bound).
		expect(pulled.count).toBeLessThanOrEqual(514);
	});

	it('reads and drops the rest of a refused body within the server-wide bound, so that a browser still sending it gets the answer', async () => {
		const { body, pulled } = countedBody(100, 1024);
		const { response, resolved } = await run(eventFor('/login', { body, contentType: FORM, contentLength: 100 * 1024 }));
		expect(response.status).toBe(413);
		expect(response.headers.get('connection')).toBeNull();
		expect(resolved).toBeNull();
		expect(pulled.count).toBe(100);
	});

	it('passes a chunked body within the limit on to the route, readable as a form', async () => {
		const text = new TextEncoder().encode('email=a%40b.test&password=secret');
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(text);
				controller.close();
			}
		});
		const { response, resolved } = await run(eventFor('/login', { body, contentType: FORM }));
		expect(response.status).toBe(200);
		expect(resolved?.form?.get('email')).toBe('a@b.test');
	});

	it('passes a declared body within the route limit on untouched', async () => {
		const { response, resolved } = await run(eventFor('/login', { body: 'email=a%40b.test', contentType: FORM, contentLength: 16 }));
		expect(response.status).toBe(200);
		expect(resolved?.form?.get('email')).toBe('a@b.test');
	});

	it('answers an enhanced form post with an error result the page shows', async () => {
		const { response } = await run(
			eventFor('/login', { body: 'x', contentType: FORM, contentLength: DEFAULT_BODY_LIMIT + 1, headers: { accept: 'application/json', 'x-sveltekit-action': 'true' } })
		);
		expect(response.status).toBe(413);
		const result = await response.json();
		expect(result.type).toBe('error');
		expect(result.error.message).toContain('at most 64 KB');
	});
});
