/**
 * The centre's learning record store (issue 20 item 2): its address, key and secret, and the switch
 * that starts the statements. The secret is write-only: it is stored for Basic auth and never shown
 * back; a form left blank keeps the saved one. A change is a security event naming what changed,
 * never the key's or the secret's value.
 */
import { eq } from 'drizzle-orm';
import { dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { xapiLrs, type XapiLrs } from '$lib/server/db/xapi';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { openSecret, sealSecret, SecretUnreadableError, type SecretPlace } from '$lib/server/security/secrets';

export const LRS_LIMITS = { endpoint: 500, key: 200, secret: 500 } as const;

/** The form's values as typed; `secret` blank keeps the saved one. */
export interface LrsSettingsInput {
	endpoint: string;
	key: string;
	secret: string;
	enabled: boolean;
}

export type LrsSettingsErrors = Partial<Record<keyof LrsSettingsInput, string>>;

/** What the administrator's page shows: never the secret, only whether one is saved. */
export interface LrsSettingsView {
	endpoint: string;
	key: string;
	hasSecret: boolean;
	enabled: boolean;
	updatedAt: string | null;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);
const isLoopback = (hostname: string) => LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);

/**
 * The LRS's xAPI base address, checked: https, or plain http only on this machine's loopback
 * address (a stand-in LRS in tests, or one beside the app in development), since the key and secret
 * go with every statement and the statements speak of learners. No user name or password in the
 * address (they go in the key and secret), no query or fragment; a trailing slash or `/statements`
 * pasted with it is taken off, since the statements resource is added to it.
 */
export function checkEndpoint(text: string): { ok: true; endpoint: string } | { ok: false; message: string } {
	const trimmed = text.trim();
	if (trimmed === '') return { ok: false, message: 'Enter the LRS’s xAPI address, for example https://lrs.example.org/xapi.' };
	if (trimmed.length > LRS_LIMITS.endpoint) return { ok: false, message: `Use at most ${LRS_LIMITS.endpoint} characters.` };
	let url: URL;
	try {
		url = new URL(trimmed);
	} catch {
		return { ok: false, message: 'This is not a web address: enter it whole, starting https://.' };
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		return { ok: false, message: 'The address must start https:// (plain http is allowed only for an LRS on this machine, 127.0.0.1 or localhost).' };
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'The address must start https://.' };
	if (url.username || url.password) return { ok: false, message: 'Leave the user name and password out of the address: enter them as the key and secret.' };
	if (url.search || url.hash) return { ok: false, message: 'The address must not have a query (?…) or a fragment (#…).' };
	const path = url.pathname.replace(/\/+$/, '').replace(/\/statements$/i, '');
	return { ok: true, endpoint: `${url.origin}${path}` };
}

/** Where the centre's LRS secret is stored (SECRETS_KEY encrypts it there: security/secrets.ts). */
export function lrsSecretPlace(organisationId: string): SecretPlace {
	return { table: 'xapi_lrs', column: 'secret', row: organisationId };
}

/** The LRS row as stored: its `secret` is encrypted under SECRETS_KEY when that is set (lrsSecretPlace). */
export async function lrsOf(db: Db, organisationId: string): Promise<XapiLrs | undefined> {
	return await dbGet(db.select().from(xapiLrs).where(eq(xapiLrs.organisationId, organisationId)));
}

export async function lrsSettingsView(db: Db, organisationId: string): Promise<LrsSettingsView> {
	const row = await lrsOf(db, organisationId);
	return row
		? { endpoint: row.endpoint, key: row.key, hasSecret: row.secret !== '', enabled: row.enabled, updatedAt: row.updatedAt }
		: { endpoint: '', key: '', hasSecret: false, enabled: false, updatedAt: null };
}

/** Whether a typed secret differs from the stored one (one that cannot be read any more counts as different). */
function storedSecretDiffers(before: XapiLrs, typed: string): boolean {
	try {
		return openSecret(before.secret, lrsSecretPlace(before.organisationId)) !== typed;
	} catch (error) {
		if (error instanceof SecretUnreadableError) return true;
		throw error;
	}
}

/** Saves the centre's LRS, or says what to correct next to each field; nothing is saved then. */
export async function saveLrsSettings(db: Db, organisationId: string, input: LrsSettingsInput, by: Actor, now = new Date()): Promise<{ ok: true } | { ok: false; errors: LrsSettingsErrors }> {
	return await writeTransaction(db, async () => {
		const before = await lrsOf(db, organisationId);
		const errors: LrsSettingsErrors = {};
		const endpoint = checkEndpoint(input.endpoint);
		if (!endpoint.ok) errors.endpoint = endpoint.message;
		const key = input.key.trim();
		if (key === '') errors.key = 'Enter the key (the user name) the LRS gave the centre.';
		else if (key.length > LRS_LIMITS.key) errors.key = `Use at most ${LRS_LIMITS.key} characters.`;
		// RFC 7617: the user-id of Basic auth cannot hold a colon.
		else if (key.includes(':')) errors.key = 'A key cannot contain a colon (:).';
		else if (/[\u0000-\u001f\u007f]/.test(key)) errors.key = 'The key cannot contain control characters.';
		const secret = input.secret;
		if (secret.length > LRS_LIMITS.secret) errors.secret = `Use at most ${LRS_LIMITS.secret} characters.`;
		else if (/[\u0000-\u001f\u007f]/.test(secret)) errors.secret = 'The secret cannot contain control characters.';
		else if (secret === '' && !before?.secret) errors.secret = 'Enter the secret (the password) the LRS gave the centre.';
		if (Object.keys(errors).length > 0 || !endpoint.ok) return { ok: false as const, errors };
		// A blank secret keeps the stored value as it is; a new one is stored encrypted.
		const secretChanged = secret !== '' && (!before || storedSecretDiffers(before, secret));
		const row: XapiLrs = {
			organisationId,
			endpoint: endpoint.endpoint,
			key,
			secret: secret === '' ? before!.secret : sealSecret(secret, lrsSecretPlace(organisationId)),
			enabled: input.enabled,
			updatedAt: now.toISOString(),
			updatedBy: by.id
		};
		const changed = [
			...(before?.endpoint !== row.endpoint ? ['endpoint'] : []),
			...(before?.key !== row.key ? ['key'] : []),
			...(secretChanged ? ['secret'] : []),
			...(before?.enabled !== row.enabled ? ['enabled'] : [])
		];
		await dbRun(db.insert(xapiLrs).values(row).onConflictDoUpdate({ target: xapiLrs.organisationId, set: { endpoint: row.endpoint, key: row.key, secret: row.secret, enabled: row.enabled, updatedAt: row.updatedAt, updatedBy: row.updatedBy } }));
		if (changed.length > 0) await recordActorEvent(db, by, { type: 'settings.changed', detail: { settings: changed.map((c) => `xapi.${c}`), xapiEnabled: row.enabled } }, now);
		return { ok: true as const };
	});
}
