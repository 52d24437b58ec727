/**
 * The centre as an issuer of Open Badges: its identifier, a did:web under ORIGIN's host
 * (`did:web:<host>:badges:<centre id>`, resolved by any did:web resolver at
 * `<ORIGIN>/badges/<centre id>/did.json`), and its Ed25519 keys, made on first need and stored in
 * the database. A rotation retires the signing key and makes the next one; every key stays in the
 * DID document, so credentials signed before still verify. Secret keys never leave this module
 * except as a signer.
 */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { dbAll, dbGet, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { badgeIssuerKey } from '$lib/server/db/badges';
import { organisation } from '$lib/server/db/schema';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { openSecret, sealSecret, type SecretPlace } from '$lib/server/security/secrets';
import { DID_V1, MULTIKEY_V1 } from './contexts';

/** ORIGIN without a trailing slash, or the README's default. */
export function badgeOrigin(env: Record<string, string | undefined> = process.env): string {
	return (env.ORIGIN?.trim() || `http://localhost:${env.PORT?.trim() || '3000'}`).replace(/\/+$/, '');
}

/** A centre id that can stand in a DID and a URL path as it is. */
export function validCentreId(id: string): boolean {
	return /^[A-Za-z0-9._-]{1,100}$/.test(id);
}

/** did:web of ORIGIN's host (its port percent-encoded, as did:web asks) and the centre. */
export function issuerDid(origin: string, organisationId: string): string {
	if (!validCentreId(organisationId)) throw new Error(`A centre id that cannot stand in a did:web: ${organisationId}`);
	return `did:web:${encodeURIComponent(new URL(origin).host)}:badges:${organisationId}`;
}

/** Where did:web resolves the issuer's DID document. */
export function didDocumentUrl(origin: string, organisationId: string): string {
	return `${origin}/badges/${organisationId}/did.json`;
}

export function keyId(origin: string, organisationId: string, number: number): string {
	return `${issuerDid(origin, organisationId)}#key-${number}`;
}

export interface IssuerKey {
	number: number;
	publicKeyMultibase: string;
	createdAt: string;
	retiredAt: string | null;
}

/** The centre's keys, oldest first: public halves only. */
export async function issuerKeys(db: Db, organisationId: string): Promise<IssuerKey[]> {
	return await dbAll(db
		.select({ number: badgeIssuerKey.number, publicKeyMultibase: badgeIssuerKey.publicKeyMultibase, createdAt: badgeIssuerKey.createdAt, retiredAt: badgeIssuerKey.retiredAt })
		.from(badgeIssuerKey)
		.where(eq(badgeIssuerKey.organisationId, organisationId))
		.orderBy(asc(badgeIssuerKey.number)));
}

/** Where a key's secret half is stored (SECRETS_KEY encrypts it there: security/secrets.ts). */
export function secretKeyPlace(organisationId: string, number: number): SecretPlace {
	return { table: 'badge_issuer_key', column: 'secret_key_multibase', row: JSON.stringify([organisationId, number]) };
}

async function newKey(db: Db, organisationId: string, number: number, now: Date): Promise<void> {
	const pair = await Ed25519Multikey.generate({});
	const exported = await pair.export({ publicKey: true, secretKey: true, includeContext: false });
	// Two requests making key 1 at once: the primary key keeps one, the other inserts nothing.
	await dbRun(db
		.insert(badgeIssuerKey)
		.values({ organisationId, number, publicKeyMultibase: exported.publicKeyMultibase!, secretKeyMultibase: sealSecret(exported.secretKeyMultibase!, secretKeyPlace(organisationId, number)), createdAt: now.toISOString() })
		.onConflictDoNothing());
}

/** The key that signs now, made (key-1) on first need. */
async function signingKeyRow(db: Db, organisationId: string, now: Date) {
	const current = async () => await dbGet(db.select().from(badgeIssuerKey).where(and(eq(badgeIssuerKey.organisationId, organisationId), isNull(badgeIssuerKey.retiredAt))).orderBy(desc(badgeIssuerKey.number)).limit(1));
	const found = await current();
	if (found) return found;
	await newKey(db, organisationId, 1, now);
	const made = await current();
	if (!made) throw new Error('Open Badges: the issuer has keys but none current');
	return made;
}

/**
 * A signer for the centre's current key, with its verification method id. A secret key this
 * installation cannot decrypt (SECRETS_KEY) throws SecretUnreadableError.
 */
export async function issuerSigner(db: Db, origin: string, organisationId: string, now = new Date()) {
	const row = await signingKeyRow(db, organisationId, now);
	const pair = await Ed25519Multikey.from({
		type: 'Multikey',
		id: keyId(origin, organisationId, row.number),
		controller: issuerDid(origin, organisationId),
		publicKeyMultibase: row.publicKeyMultibase,
		secretKeyMultibase: openSecret(row.secretKeyMultibase, secretKeyPlace(organisationId, row.number))
	});
	return pair.signer();
}

/**
 * The issuer's DID document: every key the centre ever had (retired ones too, so what they signed
 * verifies), each allowed to assert credentials. Public halves only.
 */
export async function didDocument(db: Db, origin: string, organisationId: string): Promise<Record<string, unknown> | undefined> {
	if (!validCentreId(organisationId)) return undefined;
	const centre = await dbGet(db.select({ id: organisation.id }).from(organisation).where(eq(organisation.id, organisationId)));
	if (!centre) return undefined;
	const did = issuerDid(origin, organisationId);
	const keys = await issuerKeys(db, organisationId);
	const methods = keys.map((k) => ({ id: keyId(origin, organisationId, k.number), type: 'Multikey', controller: did, publicKeyMultibase: k.publicKeyMultibase }));
	return {
		'@context': [DID_V1, MULTIKEY_V1],
		id: did,
		verificationMethod: methods,
		assertionMethod: methods.map((m) => m.id)
	};
}

/** One key of the DID document as a document of its own (what a proof's verificationMethod names). */
export async function verificationMethod(db: Db, origin: string, organisationId: string, number: number): Promise<Record<string, unknown> | undefined> {
	if (!validCentreId(organisationId) || !Number.isSafeInteger(number)) return undefined;
	const row = await dbGet(db.select().from(badgeIssuerKey).where(and(eq(badgeIssuerKey.organisationId, organisationId), eq(badgeIssuerKey.number, number))));
	if (!row) return undefined;
	return { '@context': MULTIKEY_V1, id: keyId(origin, organisationId, number), type: 'Multikey', controller: issuerDid(origin, organisationId), publicKeyMultibase: row.publicKeyMultibase };
}

/**
 * Retires the signing key and makes the next one, in one transaction; the retired key stays in the
 * DID document. Logged as a security event (never the key itself).
 */
export async function rotateIssuerKey(db: Db, by: Actor & { organisationId: string }, now = new Date()): Promise<IssuerKey> {
	return await writeTransaction(db, async () => {
		const current = await signingKeyRow(db, by.organisationId, now);
		await dbRun(db.update(badgeIssuerKey).set({ retiredAt: now.toISOString(), retiredBy: by.id }).where(and(eq(badgeIssuerKey.organisationId, by.organisationId), eq(badgeIssuerKey.number, current.number))));
		await newKey(db, by.organisationId, current.number + 1, now);
		await recordActorEvent(db, by, { type: 'badge.key-rotated', detail: { retired: current.number, current: current.number + 1 } }, now);
		const keys = await issuerKeys(db, by.organisationId);
		return keys[keys.length - 1]!;
	});
}
