import { error, redirect, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { getDb } from '$lib/server/db';
import { seedDemoData, seedFirstAdministrator } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { requirementFor } from '$lib/server/auth/access';
import { validateSessionToken } from '$lib/server/auth/session';
import { deleteSessionCookie, sessionCookieName, setSessionCookie } from '$lib/server/auth/cookie';
import { logError, logRequest } from '$lib/server/log';

export const init: ServerInit = async () => {
	const db = getDb(); // opens the database and applies pending migrations
	const scenarios = syncBuiltInScenarios(db);
	for (const problem of scenarios.errors) {
		console.error(`Scenario not published: ${problem.file}: ${problem.path}: ${problem.message}`);
	}
	if (env.DEMO_DATA !== 'false') {
		await seedDemoData(db);
	} else if (env.ADMIN_EMAIL && env.ADMIN_PASSWORD) {
		await seedFirstAdministrator(db, {
			centreName: env.CENTRE_NAME || 'Training centre',
			email: env.ADMIN_EMAIL,
			password: env.ADMIN_PASSWORD
		});
	}
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	const started = performance.now();
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	response.headers.set('X-Frame-Options', 'DENY');
	response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if ((env.ORIGIN ?? '').startsWith('https:')) {
		response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	logRequest(event, response.status, performance.now() - started);
	return response;
};

const authenticate: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(sessionCookieName()) ?? null;
	event.locals.user = null;
	event.locals.session = null;
	if (token) {
		const result = validateSessionToken(getDb(), token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt);
		} else {
			deleteSessionCookie(event.cookies);
		}
	}
	return resolve(event);
};

/** Every guarded route is checked here, on every request, not only in a layout load. */
const authorise: Handle = async ({ event, resolve }) => {
	const path = event.url.pathname;
	const requirement = requirementFor(path);
	if (requirement.kind === 'public') return resolve(event);
	const user = event.locals.user;
	if (!user) {
		const back = path + event.url.search;
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}`);
	}
	if (user.mustChangePassword && path !== '/account/password') {
		redirect(303, `/account/password?redirectTo=${encodeURIComponent(path + event.url.search)}`);
	}
	if (requirement.kind === 'role' && !user.roles.includes(requirement.role)) {
		const message = `This page is for users with the ${requirement.role} role, which your account does not have.`;
		// A page is still refused here, but rendered through resolve() so that the 403 page carries
		// the same security headers as every other page: the (guarded) group's layout load throws the error.
		// Data requests and endpoints are refused outright.
		if (event.isDataRequest || event.request.method !== 'GET' || !event.route.id || isEndpoint(event.route.id)) {
			error(403, { message });
		}
		event.locals.denied = message;
		return resolve(event);
	}
	return resolve(event);
};

const ENDPOINT_ROUTES = new Set(
	Object.keys(import.meta.glob('/src/routes/**/+server.ts')).map((file) =>
		file.replace('/src/routes', '').replace(/\/\+server\.ts$/, '') || '/'
	)
);
function isEndpoint(routeId: string): boolean {
	return ENDPOINT_ROUTES.has(routeId);
}

export const handle = sequence(securityHeaders, authenticate, authorise);

/** Errors SvelteKit caught: logged as one line (log.ts); the page names the request, never the cause. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	logError(event, status, message, error);
	const requestId = event.locals.requestId;
	return status >= 500
		? { message: 'Something went wrong on our side. Please try again; if it keeps happening, give your centre this reference.', requestId }
		: { message, requestId };
};
