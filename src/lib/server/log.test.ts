import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RequestEvent } from '@sveltejs/kit';
import { logRequest } from './log';

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
});
