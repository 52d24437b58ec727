import { error, fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { readForm, text } from '$lib/form-data';
import { getDb } from '$lib/server/db';
import { actionsWithRole, withRole } from '$lib/server/auth/access';
import { actorOf } from '$lib/server/security/events';
import { rotateToolKeyNow, toolKeyList } from '$lib/server/lti/keys';
import { addPlatform, checkPlatformInput, enablePlatform, forgetPlatformStorage, platformsOf, setPlatformStatus, type PlatformField, type PlatformInput } from '$lib/server/lti/platforms';
import { createRegistrationLink, LTI_SCOPES, toolUrls } from '$lib/server/lti/registration';

const FIELDS: PlatformField[] = ['name', 'issuer', 'clientId', 'authLoginUrl', 'tokenUrl', 'jwksUrl', 'deploymentIds'];
const TOO_LONG = 'What you sent is far too long to be read. Shorten it and try again.';

export const load = withRole('admin', (async ({ locals, url }) => {
	const db = getDb();
	const urls = toolUrls(url.origin);
	return {
		platforms: await platformsOf(db, locals.user!.organisationId),
		keys: await toolKeyList(db),
		tool: { login: urls.login, launch: urls.launch, jwks: urls.jwks, domain: url.host, scopes: LTI_SCOPES }
	};
}) satisfies PageServerLoad);

export const actions = actionsWithRole('admin', {
	add: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: TOO_LONG });
		const input = Object.fromEntries(FIELDS.map((f) => [f, text(form, f, { max: 2001 * (f === 'deploymentIds' ? 10 : 1) })])) as PlatformInput;
		const checked = checkPlatformInput(input);
		if (!checked.ok) return fail(400, { add: { values: input, errors: checked.errors } });
		const added = await addPlatform(getDb(), event.locals.user!.organisationId, checked.value, { registeredBy: 'manual', actor: actorOf(event) });
		if (!added.ok) return fail(400, { add: { values: input, errors: added.errors } });
		return { done: `${added.platform.name} is registered and enabled.` };
	},
	link: async (event) => {
		const { token, expiresAt } = await createRegistrationLink(getDb(), event.locals.user!.organisationId, actorOf(event));
		return { link: { url: toolUrls(event.url.origin).registration(token), expiresAt } };
	},
	enable: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: TOO_LONG });
		const platformId = text(form, 'platformId', { max: 100 });
		const deploymentIds = text(form, 'deploymentIds', { max: 20_000 });
		const enabled = await enablePlatform(getDb(), event.locals.user!.organisationId, platformId, deploymentIds, actorOf(event));
		if (!enabled.ok && enabled.notFound) error(404, { message: 'There is no such platform at your centre.' });
		if (!enabled.ok) return fail(400, { enable: { platformId, deploymentIds, errors: enabled.errors } });
		return { done: 'The platform is enabled: its users can now launch Custodian.' };
	},
	disable: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: TOO_LONG });
		const changed = await setPlatformStatus(getDb(), event.locals.user!.organisationId, text(form, 'platformId', { max: 100 }), 'disabled', actorOf(event));
		if (!changed) error(404, { message: 'There is no such platform at your centre.' });
		return { done: 'The platform is disabled: launches from it are refused.' };
	},
	forgetStorage: async (event) => {
		const form = await readForm(event.request);
		if (!form) error(413, { message: TOO_LONG });
		const changed = await forgetPlatformStorage(getDb(), event.locals.user!.organisationId, text(form, 'platformId', { max: 100 }), actorOf(event));
		if (!changed) error(404, { message: 'There is no such platform at your centre.' });
		return { done: 'Forgotten: launches from this platform in browsers that keep no cookie of ours are accepted on the login’s state alone again, until the platform offers its storage at a launch.' };
	},
	rotate: async (event) => {
		const kid = await rotateToolKeyNow(getDb(), actorOf(event));
		return { done: `A new signing key (${kid}) is in use; the previous one stays published for a week.` };
	}
} satisfies Actions);
