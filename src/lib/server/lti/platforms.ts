/**
 * The platforms (LMSs) registered with our tool: by an administrator's form (manual registration) or
 * by IMS Dynamic Registration (registration.ts), which leaves them pending until an administrator
 * enables one. Only an enabled platform can launch.
 */
import { and, asc, eq } from 'drizzle-orm';
import { dbAll, dbGet, dbRun, type Db } from '$lib/core/database';
import { ltiPlatform, type LtiPlatformRow, type LtiPlatformStatus } from '$lib/server/db/lti';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { endpointUrl } from './http';

export type LtiPlatform = {
	id: string;
	name: string;
	issuer: string;
	clientId: string;
	authLoginUrl: string;
	tokenUrl: string;
	jwksUrl: string;
	deploymentIds: string[];
	status: 'pending' | 'enabled' | 'disabled';
};

/** A platform as stored: the shared shape plus the centre it belongs to and how it came. */
export type LtiPlatformRecord = LtiPlatform & Pick<LtiPlatformRow, 'organisationId' | 'registeredBy' | 'storageSeenAt' | 'createdAt' | 'updatedAt'>;

export async function platformById(db: Db, id: string): Promise<LtiPlatformRecord | null> {
	return (await dbGet(db.select().from(ltiPlatform).where(eq(ltiPlatform.id, id)))) ?? null;
}

export async function platformsOf(db: Db, organisationId: string): Promise<LtiPlatformRecord[]> {
	return await dbAll(db.select().from(ltiPlatform).where(eq(ltiPlatform.organisationId, organisationId)).orderBy(asc(ltiPlatform.createdAt)));
}

/** The platforms of an issuer that may launch: enabled only. */
export async function enabledPlatformsOf(db: Db, issuer: string): Promise<LtiPlatformRecord[]> {
	return await dbAll(db.select().from(ltiPlatform).where(and(eq(ltiPlatform.issuer, issuer), eq(ltiPlatform.status, 'enabled'))));
}

/** Every enabled platform's web origins (issuer and login URL): the only sites that may frame a launch. */
export function platformOrigins(platform: Pick<LtiPlatform, 'issuer' | 'authLoginUrl'>): string[] {
	const origins = new Set<string>();
	for (const value of [platform.issuer, platform.authLoginUrl]) {
		const url = endpointUrl(value);
		if (url) origins.add(url.origin);
	}
	return [...origins];
}

export type PlatformField = 'name' | 'issuer' | 'clientId' | 'authLoginUrl' | 'tokenUrl' | 'jwksUrl' | 'deploymentIds';
export type PlatformInput = Record<PlatformField, string>;
export type PlatformValues = Omit<LtiPlatform, 'id' | 'status'>;

const URL_FIELDS: { field: 'issuer' | 'authLoginUrl' | 'tokenUrl' | 'jwksUrl'; label: string }[] = [
	{ field: 'issuer', label: 'The issuer' },
	{ field: 'authLoginUrl', label: 'The authentication request URL' },
	{ field: 'tokenUrl', label: 'The access token URL' },
	{ field: 'jwksUrl', label: 'The public keyset URL' }
];

/** Deployment ids as typed: one per line or separated by commas. */
export function parseDeploymentIds(text: string): string[] {
	return [...new Set(text.split(/[\n,]/).map((id) => id.trim()).filter((id) => id.length > 0))];
}

/** The administrator's form, checked field by field: each problem is said next to its field. */
export function checkPlatformInput(input: PlatformInput): { ok: true; value: PlatformValues } | { ok: false; errors: Partial<Record<PlatformField, string>> } {
	const errors: Partial<Record<PlatformField, string>> = {};
	const name = input.name.trim();
	if (!name) errors.name = 'Give the platform a name your staff will recognise (e.g. “College Moodle”).';
	else if (name.length > 100) errors.name = 'The name can be at most 100 characters.';
	for (const { field, label } of URL_FIELDS) {
		const value = input[field].trim();
		if (!value) errors[field] = `${label} is needed: copy it from the platform's tool registration page.`;
		else if (!endpointUrl(value)) errors[field] = `${label} must be a full https:// address (http:// only on 127.0.0.1 or localhost while this site is not on https), without a user name or #fragment.`;
	}
	const clientId = input.clientId.trim();
	if (!clientId) errors.clientId = 'The client id is needed: the platform shows it once the tool is added.';
	else if (clientId.length > 255 || /[\u0000-\u001f]/.test(clientId)) errors.clientId = 'The client id can be at most 255 characters, without control characters.';
	const deploymentIds = parseDeploymentIds(input.deploymentIds);
	if (deploymentIds.length === 0) errors.deploymentIds = 'Give at least one deployment id (the platform shows it for each place the tool is deployed).';
	else if (deploymentIds.length > 50 || deploymentIds.some((id) => id.length > 255 || /[\u0000-\u001f]/.test(id))) {
		errors.deploymentIds = 'At most 50 deployment ids, each at most 255 characters without control characters.';
	}
	if (Object.keys(errors).length > 0) return { ok: false, errors };
	return {
		ok: true,
		value: {
			name,
			issuer: input.issuer.trim(),
			clientId,
			authLoginUrl: input.authLoginUrl.trim(),
			tokenUrl: input.tokenUrl.trim(),
			jwksUrl: input.jwksUrl.trim(),
			deploymentIds
		}
	};
}

async function clientTaken(db: Db, issuer: string, clientId: string): Promise<boolean> {
	return (await dbGet(db.select({ id: ltiPlatform.id }).from(ltiPlatform).where(and(eq(ltiPlatform.issuer, issuer), eq(ltiPlatform.clientId, clientId))))) !== undefined;
}

export type AddPlatformResult = { ok: true; platform: LtiPlatformRecord } | { ok: false; errors: Partial<Record<PlatformField, string>> };

/**
 * Stores a platform. Manual registrations are enabled at once (an administrator typed them); Dynamic
 * Registrations start pending.
 */
export async function addPlatform(
	db: Db,
	organisationId: string,
	values: PlatformValues,
	how: { registeredBy: 'manual' | 'dynamic'; actor: Actor },
	now = new Date()
): Promise<AddPlatformResult> {
	if (await clientTaken(db, values.issuer, values.clientId)) {
		return { ok: false, errors: { clientId: 'This issuer and client id are registered already.' } };
	}
	const at = now.toISOString();
	const row: LtiPlatformRow = {
		id: crypto.randomUUID(),
		organisationId,
		...values,
		status: how.registeredBy === 'manual' ? 'enabled' : 'pending',
		registeredBy: how.registeredBy,
		storageSeenAt: null,
		createdAt: at,
		updatedAt: at
	};
	await dbRun(db.insert(ltiPlatform).values(row));
	await recordActorEvent(db, how.actor, { type: 'lti.platform-registered', detail: { platformId: row.id, registeredBy: how.registeredBy, status: row.status } }, now);
	return { ok: true, platform: row };
}

/** Enables, disables or re-enables a platform of the centre. False when the centre has no such platform. */
export async function setPlatformStatus(db: Db, organisationId: string, platformId: string, status: LtiPlatformStatus, actor: Actor, now = new Date()): Promise<boolean> {
	const changed = await dbRun(db
		.update(ltiPlatform)
		.set({ status, updatedAt: now.toISOString() })
		.where(and(eq(ltiPlatform.id, platformId), eq(ltiPlatform.organisationId, organisationId))));
	if (changed.changes !== 1) return false;
	await recordActorEvent(db, actor, { type: 'lti.platform-changed', detail: { platformId, status } }, now);
	return true;
}

/**
 * Forgets that a platform offers its storage (storage.ts), so cookie-less launches from it are again
 * accepted on the state alone: for a platform noted by mistake (a launch crafted by one of its users
 * can note it) or one that stopped offering storage, whose users' browsers without cookies are refused.
 */
export async function forgetPlatformStorage(db: Db, organisationId: string, platformId: string, actor: Actor, now = new Date()): Promise<boolean> {
	const changed = await dbRun(db
		.update(ltiPlatform)
		.set({ storageSeenAt: null, updatedAt: now.toISOString() })
		.where(and(eq(ltiPlatform.id, platformId), eq(ltiPlatform.organisationId, organisationId))));
	if (changed.changes !== 1) return false;
	await recordActorEvent(db, actor, { type: 'lti.platform-changed', detail: { platformId, storage: 'forgotten' } }, now);
	return true;
}

export type EnableResult = { ok: true } | { ok: false; notFound?: true; errors: Partial<Record<'deploymentIds', string>> };

/**
 * Enables a platform (a pending Dynamic Registration, or one disabled), with the deployment ids its
 * launches may carry: Canvas, for one, sends none at registration, so the administrator adds them here.
 */
export async function enablePlatform(db: Db, organisationId: string, platformId: string, deploymentIdsText: string, actor: Actor, now = new Date()): Promise<EnableResult> {
	const deploymentIds = parseDeploymentIds(deploymentIdsText);
	if (deploymentIds.length === 0) return { ok: false, errors: { deploymentIds: 'Give at least one deployment id before enabling: launches from any other deployment are refused.' } };
	if (deploymentIds.length > 50 || deploymentIds.some((id) => id.length > 255 || /[\u0000-\u001f]/.test(id))) {
		return { ok: false, errors: { deploymentIds: 'At most 50 deployment ids, each at most 255 characters without control characters.' } };
	}
	const changed = await dbRun(db
		.update(ltiPlatform)
		.set({ status: 'enabled', deploymentIds, updatedAt: now.toISOString() })
		.where(and(eq(ltiPlatform.id, platformId), eq(ltiPlatform.organisationId, organisationId))));
	if (changed.changes !== 1) return { ok: false, notFound: true, errors: {} };
	await recordActorEvent(db, actor, { type: 'lti.platform-changed', detail: { platformId, status: 'enabled', deploymentIds } }, now);
	return { ok: true };
}
