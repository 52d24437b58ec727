import type { RequestEvent } from '@sveltejs/kit';

/**
 * One JSON line per request: id, method, route (the route pattern, never the URL with its query
 * string, which might carry personal data), status and duration. Nothing personal is logged.
 */
export function logRequest(event: RequestEvent, status: number, durationMs: number): void {
	if (process.env.LOG_REQUESTS === 'false') return;
	const line = {
		t: new Date().toISOString(),
		id: event.locals.requestId,
		method: event.request.method,
		route: event.route.id ?? '(unmatched)',
		status,
		ms: Math.round(durationMs * 10) / 10
	};
	process.stdout.write(JSON.stringify(line) + '\n');
}
