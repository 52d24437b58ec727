import { errorText } from '$lib/core/error-text';
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

/**
 * An error SvelteKit caught. A client's error (4xx: a body over the size limit, an unknown route) is
 * one line with no stack; a server error (a bug) is one line with its stack, on stderr, keyed by the
 * request id the error page shows, so a user's report can be matched to it. Never the URL.
 */
export function logError(event: RequestEvent, status: number, message: string, error: unknown): void {
	const line: Record<string, unknown> = {
		t: new Date().toISOString(),
		id: event.locals.requestId,
		method: event.request.method,
		route: event.route.id ?? '(unmatched)',
		status,
		error: message
	};
	if (status >= 500) {
		// Never the values a failed query carried (customers' and learners' data): errorText withholds them.
		line.detail = error instanceof Error ? `${error.name}: ${errorText(error)}` : errorText(error);
		// drizzle wraps the driver's error: its cause says what the database refused.
		const cause = error instanceof Error ? error.cause : undefined;
		if (cause instanceof Error) line.cause = `${cause.name}: ${cause.message}`;
		line.stack = error instanceof Error ? error.stack?.replace(error.message, errorText(error)) : undefined;
		process.stderr.write(JSON.stringify(line) + '\n');
	} else if (process.env.LOG_REQUESTS !== 'false') {
		process.stdout.write(JSON.stringify(line) + '\n');
	}
}
