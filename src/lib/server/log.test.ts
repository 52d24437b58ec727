import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { logError, logRequest } from './log';

describe('request logs', () => {
	afterEach(() => vi.restoreAllMocks());

	it('writes one JSON line with id, method, route pattern, status and duration, and nothing from the URL', () => {
		const lines: string[] = [];
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			lines.push(String(chunk));
			return true;
		});
		const event = {
			locals: { requestId: 'req-1' },
			request: new Request('http://localhost/learn/attempts/abc?postcode=NN15%207QA&email=sarah@example.com', { method: 'POST' }),
			route: { id: '/(guarded)/learn/attempts/[attemptId]' },
			url: new URL('http://localhost/learn/attempts/abc?postcode=NN15%207QA&email=sarah@example.com')
		} as unknown as RequestEvent;
		logRequest(event, 200, 12.34);
		expect(lines).toHaveLength(1);
		const entry = JSON.parse(lines[0]!);
		expect(entry).toMatchObject({ id: 'req-1', method: 'POST', route: '/(guarded)/learn/attempts/[attemptId]', status: 200, ms: 12.3 });
		expect(Object.keys(entry).sort()).toEqual(['id', 'method', 'ms', 'route', 'status', 't']);
		expect(lines[0]).not.toMatch(/NN15|sarah|abc/);
	});

	it('logs a client error as one line without a stack, and a server error with its stack on stderr, never the URL', () => {
		const out: string[] = [];
		const err: string[] = [];
		vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			out.push(String(chunk));
			return true;
		});
		vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
			err.push(String(chunk));
			return true;
		});
		const event = {
			locals: { requestId: 'req-2' },
			request: new Request('http://localhost/admin/settings?email=sarah@example.com', { method: 'POST' }),
			route: { id: '/(guarded)/admin/settings' }
		} as unknown as RequestEvent;
		logError(event, 413, 'Payload Too Large', new Error('Content-length of 5402626 exceeds limit of 524288 bytes.'));
		logError(event, 500, 'Internal Error', new TypeError('x is undefined'));
		expect(out).toHaveLength(1);
		expect(JSON.parse(out[0]!)).toMatchObject({ id: 'req-2', status: 413, route: '/(guarded)/admin/settings', error: 'Payload Too Large' });
		expect(out[0]).not.toMatch(/stack|at |sarah/);
		expect(err).toHaveLength(1);
		const entry = JSON.parse(err[0]!);
		expect(entry).toMatchObject({ id: 'req-2', status: 500, detail: 'TypeError: x is undefined' });
		expect(entry.stack).toContain('TypeError');
		expect(err[0]).not.toMatch(/sarah/);
	});
});
