/**
 * Cross-site form posts (CSRF), refused here rather than by SvelteKit's own check (`csrf.checkOrigin`,
 * off in svelte.config.js): an LTI platform posts its login initiation and its id_token to us from its
 * own site (LTI 1.3 Core §5.1.1, OIDC form_post), which SvelteKit's all-or-nothing check would refuse.
 * This is the same rule SvelteKit applies (a POST, PUT, PATCH or DELETE with a form content type
 * whose Origin is not ours), for every route except those two, chosen by route id, never by the
 * URL's text. Those two check what is posted instead: the issuer and client registered and enabled,
 * and for the launch a single-use state and a signed id_token (server/lti).
 */
import type { Handle } from '@sveltejs/kit';

/** Routes a registered LMS posts to from its own site. */
export const CROSS_SITE_FORM_ROUTES: ReadonlySet<string> = new Set(['/lti/login', '/lti/launch']);

const FORM_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', 'application/x-sveltekit-formdata'];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function crossSiteFormRefused(request: Request, origin: string, routeId: string | null): boolean {
	if (!STATE_CHANGING.has(request.method)) return false;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (!FORM_CONTENT_TYPES.includes(type)) return false;
	if (request.headers.get('origin') === origin) return false;
	return !(routeId !== null && CROSS_SITE_FORM_ROUTES.has(routeId));
}

export const crossSiteForms: Handle = async ({ event, resolve }) => {
	if (crossSiteFormRefused(event.request, event.url.origin, event.route.id)) {
		const message = `Cross-site ${event.request.method} form submissions are forbidden`;
		return event.request.headers.get('accept') === 'application/json' ? Response.json({ message }, { status: 403 }) : new Response(message, { status: 403 });
	}
	return resolve(event);
};
