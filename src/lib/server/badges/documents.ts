/**
 * The centre's own documents a badge's proof and status point at, read from the database for the
 * document loader (contexts.ts): the issuer's DID document and each of its keys, and the signed
 * status lists. Nothing is fetched over HTTP, not even from this server.
 */
import { and, eq } from 'drizzle-orm';
import { dbGet, type Db } from '$lib/core/database';
import { badgeStatusList } from '$lib/server/db/badges';
import { documentLoader, type LoadedDocument } from './contexts';
import { didDocument, issuerDid, validCentreId, verificationMethod } from './issuer';

/** Which of the centre's documents a URL names, if any. */
export type OwnUrl = { kind: 'did'; organisationId: string } | { kind: 'key'; organisationId: string; number: number } | { kind: 'status-list'; organisationId: string; number: number };

export function ownUrl(origin: string, url: string): OwnUrl | undefined {
	const did = /^did:web:([^:#]+):badges:([A-Za-z0-9._-]{1,100})(?:#key-([1-9][0-9]{0,8}))?$/.exec(url);
	if (did) {
		const [, , organisationId, key] = did;
		if (!validCentreId(organisationId!) || issuerDid(origin, organisationId!) !== url.replace(/#.*$/, '')) return undefined;
		return key ? { kind: 'key', organisationId: organisationId!, number: Number(key) } : { kind: 'did', organisationId: organisationId! };
	}
	const prefix = `${origin}/badges/`;
	if (!url.startsWith(prefix)) return undefined;
	const list = /^([A-Za-z0-9._-]{1,100})\/status\/([1-9][0-9]{0,8})$/.exec(url.slice(prefix.length));
	return list ? { kind: 'status-list', organisationId: list[1]!, number: Number(list[2]) } : undefined;
}

/** The stored signed status list, as it is served. */
export async function storedStatusList(db: Db, organisationId: string, number: number): Promise<Record<string, unknown> | undefined> {
	const row = await dbGet(db.select({ credential: badgeStatusList.credential }).from(badgeStatusList).where(and(eq(badgeStatusList.organisationId, organisationId), eq(badgeStatusList.number, number))));
	return row?.credential;
}

/** The document loader for signing and checking this server's badges: pinned contexts and the centre's own documents. */
export function badgeDocumentLoader(db: Db, origin: string): (url: string) => Promise<LoadedDocument> {
	return documentLoader(async (url) => {
		const own = ownUrl(origin, url);
		if (!own) return undefined;
		if (own.kind === 'did') return await didDocument(db, origin, own.organisationId);
		if (own.kind === 'key') return await verificationMethod(db, origin, own.organisationId, own.number);
		return await storedStatusList(db, own.organisationId, own.number);
	});
}
