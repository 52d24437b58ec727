/**
 * Our tool's signing keys (RS256): kept in the database so every instance signs with the same key,
 * published as a JWKS at /lti/jwks. The private key never leaves the server. Keys rotate: the newest
 * key signs, and one replaced stays published for a grace period, so a platform that cached our JWKS
 * still verifies what the old key signed.
 */
import { desc, isNull, lte } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { ltiToolKey } from '$lib/server/db/lti';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { openSecret, sealSecret, SecretUnreadableError, type SecretPlace } from '$lib/server/security/secrets';

const DAY = 24 * 60 * 60 * 1000;
/** A key signs for 90 days, then the next use rotates it. */
export const KEY_ROTATE_AFTER_MS = 90 * DAY;
/** A replaced key stays in the JWKS this long (platforms cache JWKS for hours, some for a day). */
export const KEY_GRACE_MS = 7 * DAY;

/** Where a key's private half is stored (SECRETS_KEY encrypts it there: security/secrets.ts). */
export function privateJwkPlace(kid: string): SecretPlace {
	return { table: 'lti_tool_key', column: 'private_jwk', row: kid };
}

async function newKeyRow(now: Date) {
	const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
	const kid = crypto.randomUUID();
	const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } as unknown as Record<string, string>;
	const privateJwk = sealSecret(JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'RS256' }), privateJwkPlace(kid));
	return { kid, publicJwk, privateJwk, createdAt: now.toISOString(), retiredAt: null };
}

/**
 * Makes a new key the one that signs and retires the current one (still published for KEY_GRACE_MS).
 * Returns the new key's id.
 */
export async function rotateToolKey(db: Db, now = new Date()): Promise<string> {
	const row = await newKeyRow(now);
	await writeTransaction(db, async () => {
		await dbRun(db.update(ltiToolKey).set({ retiredAt: now.toISOString() }).where(isNull(ltiToolKey.retiredAt)));
		await dbRun(db.insert(ltiToolKey).values(row));
		// Keys whose grace period is over verify nothing any more: they go.
		const graceStart = new Date(now.getTime() - KEY_GRACE_MS).toISOString();
		await dbRun(db.delete(ltiToolKey).where(lte(ltiToolKey.retiredAt, graceStart)));
	});
	return row.kid;
}

async function currentKey(db: Db) {
	return await dbGet(db.select().from(ltiToolKey).where(isNull(ltiToolKey.retiredAt)).orderBy(desc(ltiToolKey.createdAt)).limit(1));
}

/**
 * The key that signs now (made on first use, rotated once it is KEY_ROTATE_AFTER_MS old). A private
 * key this installation cannot decrypt (SECRETS_KEY) throws SecretUnreadableError: callers serving
 * a request say the tool cannot use its key.
 */
export async function toolSigningKey(db: Db, now = new Date()): Promise<{ kid: string; privateKey: CryptoKey }> {
	let key = await currentKey(db);
	if (!key || now.getTime() - Date.parse(key.createdAt) >= KEY_ROTATE_AFTER_MS) {
		await rotateToolKey(db, now);
		key = await currentKey(db);
	}
	if (!key) throw new Error('toolSigningKey: no key after rotation');
	const privateKey = (await importJWK(JSON.parse(openSecret(key.privateJwk, privateJwkPlace(key.kid))) as JWK, 'RS256')) as CryptoKey;
	return { kid: key.kid, privateKey };
}

/**
 * The signing key, or null (logged, naming the setting) when its private half cannot be decrypted:
 * for a request, which then says the tool cannot use its key instead of failing.
 */
export async function toolSigningKeyOrNull(db: Db, now = new Date()): Promise<{ kid: string; privateKey: CryptoKey } | null> {
	try {
		return await toolSigningKey(db, now);
	} catch (error) {
		if (!(error instanceof SecretUnreadableError)) throw error;
		console.error(`LTI: ${error.message}`);
		return null;
	}
}

/** The public keys a platform may verify us with: the current key and those retired within the grace period. */
export async function toolJwks(db: Db, now = new Date()): Promise<{ keys: JWK[] }> {
	if (!(await currentKey(db))) await toolSigningKey(db, now);
	const graceStart = new Date(now.getTime() - KEY_GRACE_MS).toISOString();
	const rows = await dbAll(db.select({ publicJwk: ltiToolKey.publicJwk, retiredAt: ltiToolKey.retiredAt }).from(ltiToolKey).orderBy(desc(ltiToolKey.createdAt)));
	return { keys: rows.filter((r) => r.retiredAt === null || r.retiredAt > graceStart).map((r) => r.publicJwk as JWK) };
}

/** An administrator's "Rotate now" (after a suspected leak, or as routine), kept in the security log. */
export async function rotateToolKeyNow(db: Db, actor: Actor, now = new Date()): Promise<string> {
	const kid = await rotateToolKey(db, now);
	await recordActorEvent(db, actor, { type: 'lti.keys-rotated', detail: { kid } }, now);
	return kid;
}

/** For the administrator's page: each key's id, when it was made and retired (never a key itself). */
export async function toolKeyList(db: Db): Promise<{ kid: string; createdAt: string; retiredAt: string | null }[]> {
	return await dbAll(db.select({ kid: ltiToolKey.kid, createdAt: ltiToolKey.createdAt, retiredAt: ltiToolKey.retiredAt }).from(ltiToolKey).orderBy(desc(ltiToolKey.createdAt)));
}
