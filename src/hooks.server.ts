import { redirect, type Handle, type RequestEvent, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { env } from '$env/dynamic/private';
import { getDb } from '$lib/server/db';
import { prepareDatabase } from '$lib/core/database';
import { seedDemoData, seedFirstAdministrator } from '$lib/server/demo';
import { syncBuiltInScenarios } from '$lib/server/scenarios';
import { requirementFor, safeRedirectTarget } from '$lib/server/auth/access';
import { refusal } from '$lib/server/auth/refusal';
import { allowedDuringStep, pendingStepFor } from '$lib/server/auth/steps';
import { recordSecurityEvent, requestContext } from '$lib/server/security/events';
import { validateSessionToken } from '$lib/server/auth/session';
import { deleteSessionCookie, sessionTokenOf, setSessionCookie } from '$lib/server/auth/cookie';
import { framersOfSession } from '$lib/server/lti/framed-session';
import { logError, logRequest } from '$lib/server/log';
import { bodyLimit } from './hooks/body-limit';
import { crossSiteForms } from './hooks/cross-site';
import { scheduleSecurityLogPruning } from '$lib/server/security/retention';
import { jobsSchedule, scheduleReminders } from '$lib/server/notifications/reminders';
import { scheduleXapiDelivery } from '$lib/server/xapi/outbox';
import { wireLtiServices } from '$lib/server/lti/services-wiring';
import { uploadStorageKind } from '$lib/server/uploads/storage';
import { writeEventLoopStats } from '$lib/server/diagnostics/event-loop-stats';
import { prepareSecrets } from '$lib/server/security/secret-columns';

export const init: ServerInit = async () => {
	// A diagnostic, off by default: the event loop's delay each second, for the benchmarks (README).
	if (env.CUSTODIAN_LOOP_STATS_FILE) writeEventLoopStats(env.CUSTODIAN_LOOP_STATS_FILE);
	uploadStorageKind(); // a mistyped UPLOAD_STORAGE stops the start, not a learner's upload
	const db = getDb(); // opens the database (SQLite migrates as it opens)
	await prepareDatabase(db); // PostgreSQL: migrates, and refuses a database of the wrong collation
	await prepareSecrets(db); // a bad SECRETS_KEY stops the start; secrets not yet under it are encrypted
	// Scheduled work, now and on its schedule, each job once across the instances on this database
	// (server/jobs/lease.ts): security events older than the centre's period go once a day; reminders,
	// sampling picks, pending e-mail, disposal and xAPI delivery every 15 minutes (JOBS_SCHEDULE).
	// LTI grade return and NRPS sign with our tool key and reach enabled platforms only (before the jobs start).
	wireLtiServices();
	scheduleSecurityLogPruning(db);
	scheduleReminders(db, jobsSchedule(env.JOBS_SCHEDULE));
	// xAPI statements waiting for the centre's LRS (also kicked after each event that writes one).
	scheduleXapiDelivery(db, jobsSchedule(env.JOBS_SCHEDULE));
	const scenarios = await syncBuiltInScenarios(db);
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

/**
 * Behind a reverse proxy without ADDRESS_HEADER, every client has the proxy's address: log-in
 * throttling per address and the security log would lump all of them together. Said once, loudly.
 */
let warnedAboutProxy = false;
function warnIfProxiedWithoutAddressHeader(request: Request): void {
	if (warnedAboutProxy || env.ADDRESS_HEADER || !request.headers.has('x-forwarded-for')) return;
	warnedAboutProxy = true;
	process.stderr.write(
		JSON.stringify({
			t: new Date().toISOString(),
			warning: 'Requests carry X-Forwarded-For but ADDRESS_HEADER is not set: every client is seen with the proxy’s address. Set ADDRESS_HEADER=X-Forwarded-For and XFF_DEPTH (see the README).'
		}) + '\n'
	);
}

const securityHeaders: Handle = async ({ event, resolve }) => {
	event.locals.requestId = crypto.randomUUID();
	warnIfProxiedWithoutAddressHeader(event.request);
	const started = performance.now();
	const response = await resolve(event);
	response.headers.set('X-Content-Type-Options', 'nosniff');
	const framers = event.locals.frameAncestors ?? [];
	// Pages and downloads here show personal data (learners' evidence, users, results): no browser
	// or proxy cache may keep them (ASVS 5.0 §14.3.2). Static files are not served through here.
	if (!response.headers.has('Cache-Control') || event.locals.user) response.headers.set('Cache-Control', 'no-store');
	response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	if (framers.length === 0) {
		response.headers.set('X-Frame-Options', 'DENY');
		response.headers.set('Cross-Origin-Opener-Policy', 'same-origin');
	} else {
		// A page an LTI platform opens in its own frame: that platform's origins only (server/lti).
		const csp = response.headers.get('content-security-policy');
		if (csp) response.headers.set('content-security-policy', csp.replace("frame-ancestors 'none'", `frame-ancestors ${framers.join(' ')}`));
		// The platform's page listens for our postMessage (Dynamic Registration's close).
		response.headers.set('Cross-Origin-Opener-Policy', 'unsafe-none');
	}
	const formTargets = event.locals.formActionOrigins ?? [];
	if (formTargets.length > 0) {
		// The Deep Linking answer posts to the LMS that asked (server/lti/services/deep-linking.ts): that origin only, this response only.
		const csp = response.headers.get('content-security-policy');
		if (csp) response.headers.set('content-security-policy', csp.replace("form-action 'self'", `form-action 'self' ${formTargets.join(' ')}`));
	}
	response.headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
	if ((env.ORIGIN ?? '').startsWith('https:')) {
		response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
	}
	logRequest(event, response.status, performance.now() - started);
	return response;
};

const authenticate: Handle = async ({ event, resolve }) => {
	const carried = sessionTokenOf(event.cookies);
	event.locals.user = null;
	event.locals.session = null;
	if (carried) {
		const db = getDb();
		const result = await validateSessionToken(db, carried.token);
		if (result.session) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			event.locals.sessionCookie = carried.kind;
			if (result.renewed) setSessionCookie(event.cookies, carried.token, result.session.expiresAt, carried.kind);
			// A session begun in an LMS's frame: its pages may be framed by that platform, and only by it.
			if (carried.kind === 'frame') event.locals.frameAncestors ??= await framersOfSession(db, result.session.id);
		} else {
			deleteSessionCookie(event.cookies, carried.kind);
		}
	}
	return resolve(event);
};

/**
 * Access, decided on every request from the route SvelteKit matched (event.route.id, after
 * decoding), never from the URL's text: deny by default, and refuse before any load or action of
 * the route runs. Each area's server code checks the role again (withRole in access.ts).
 */
const authorise: Handle = async ({ event, resolve }) => {
	const routeId = event.route.id;
	const requirement = requirementFor(routeId);
	if (requirement.kind === 'public') return resolve(event);
	const user = event.locals.user;
	if (requirement.kind === 'denied') {
		await refused(event, 'no-rule');
		return refusal(event, 404, 'There is no page at this address.');
	}
	if (!user || !event.locals.session) {
		const back = safeRedirectTarget(event.url.pathname + event.url.search);
		redirect(303, back ? `/login?redirectTo=${encodeURIComponent(back)}` : '/login');
	}
	const step = pendingStepFor(user, event.locals.session);
	if (step && !allowedDuringStep(step, routeId)) {
		const back = safeRedirectTarget(event.url.pathname + event.url.search);
		redirect(303, back ? `${step.path}?redirectTo=${encodeURIComponent(back)}` : step.path);
	}
	if (requirement.kind === 'role' && !user.roles.includes(requirement.role)) {
		await refused(event, requirement.role);
		return refusal(event, 403, `This page is for users with the ${requirement.role} role, which your account does not have.`);
	}
	if (requirement.kind === 'any-role' && !requirement.roles.some((role) => user.roles.includes(role))) {
		await refused(event, requirement.roles.join('|'));
		return refusal(event, 403, `This page is for users with the ${requirement.roles.join(' or ')} role, which your account does not have.`);
	}
	return resolve(event);
};

/**
 * SvelteKit throws (a 500) when a form post names the reserved action "default" (`?/default`): it
 * is a malformed request, so it is refused as one before SvelteKit sees it.
 */
const reservedActionName: Handle = async ({ event, resolve }) => {
	if (event.request.method === 'POST') {
		for (const [name] of event.url.searchParams) {
			if (!name.startsWith('/')) continue;
			if (name === '/default') return refusal(event, 400, 'There is no form action named “default”: post to the page itself.');
			break;
		}
	}
	return resolve(event);
};

/** A refused request is a security event (ASVS 5.0 §16.3.2): who, which route, from where. */
async function refused(event: RequestEvent, needed: string): Promise<void> {
	await recordSecurityEvent(getDb(), {
		type: 'access.refused',
		userId: event.locals.user?.id ?? null,
		...requestContext(event),
		detail: { method: event.request.method, needed }
	});
}

// Bodies are limited after access is decided: an anonymous or refused client never has one read.
export const handle = sequence(securityHeaders, crossSiteForms, authenticate, authorise, bodyLimit, reservedActionName);

/** Errors SvelteKit caught: logged as one line (log.ts); the page names the request, never the cause. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	logError(event, status, message, error);
	const requestId = event.locals.requestId;
	return status >= 500
		? { message: 'Something went wrong on our side. Please try again; if it keeps happening, give your centre this reference.', requestId }
		: { message, requestId };
};
