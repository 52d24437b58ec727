import type { RequestEvent } from '@sveltejs/kit';

/**
 * The answer to a refused request, made in the hook so that no load or action of the refused route
 * ever runs (ASVS 5.0 §8.3.1). It has the shape each kind of client expects: JSON for SvelteKit's
 * data requests and enhanced form posts, a small self-contained page for a browser.
 */
export function refusal(event: Pick<RequestEvent, 'isDataRequest' | 'request'>, status: RefusalStatus, message: string): Response {
	const headers = { 'Cache-Control': 'no-store' };
	if (event.isDataRequest) return Response.json({ message }, { status, headers });
	// An enhanced form post (use:enhance) reads { type: 'error', error } and shows the error page.
	if (event.request.method !== 'GET' && event.request.headers.get('x-sveltekit-action') === 'true') {
		return Response.json({ type: 'error', error: { message } }, { status, headers });
	}
	const accept = event.request.headers.get('accept') ?? '';
	if (accept.includes('application/json') && !accept.includes('text/html')) {
		return Response.json({ message }, { status, headers });
	}
	return new Response(page(status, message), {
		status,
		headers: {
			...headers,
			'Content-Type': 'text/html; charset=utf-8',
			// Nothing on this page runs or loads from elsewhere; its one stylesheet is a static file.
			'Content-Security-Policy':
				"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
		}
	});
}

/** Access refused or not found, and the overloads (too large, too many at once, server busy: issue 13, item 3). */
export type RefusalStatus = 400 | 403 | 404 | 413 | 429 | 503;

const TITLES: Record<RefusalStatus, string> = {
	400: 'That request could not be understood',
	403: 'You do not have access to this page',
	404: 'Page not found',
	413: 'Too much sent at once',
	429: 'Too many requests',
	503: 'The server is busy'
};

function page(status: RefusalStatus, message: string): string {
	const title = TITLES[status];
	return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Custodian</title>
<link rel="icon" href="/favicon.svg">
<link rel="stylesheet" href="/refused.css">
</head>
<body>
<header><a href="/" class="brand">Custodian</a></header>
<main id="main">
<p class="eyebrow">Error ${status}</p>
<h1>${title}</h1>
<p>${escapeHtml(message)}</p>
${status === 403 ? '<p>If you think you should have access, ask your centre’s administrator to add the role to your account.</p>' : ''}
<p><a href="/">Go to your home page</a></p>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
