/**
 * The bytes an audit entry's hash is taken over, and the hash (DOMAIN.md §7):
 *
 *   hash_n = SHA-256(hash_n-1 ‖ RFC 8785 canonical JSON of entry n)
 *
 * where the canonical JSON is that of an object holding every column but the hashes, with fields and
 * details as JSON values. That object always has the same eleven members, so its canonical form is
 * assembled here as text, members in their sorted order, instead of building the object and encoding
 * it (canonical-json.ts): a verifier of a million entries does this a million times. The stored
 * fields and details are canonical text already (appendAudit writes them so), and go in as they are.
 * audit-hash.test.ts checks the assembly against canonicalJson of the object, byte for byte.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** An entry's columns, as stored; `fields` and `details` are their stored (canonical JSON) text. */
export interface EntryColumns {
	seq: number;
	id: string;
	workspaceId: string;
	at: string;
	actorId: string;
	actorRole: string;
	action: string;
	subjectType: string | null;
	subject: string | null;
	fields: string;
	details: string;
}

// A string JSON.stringify writes as it is between quotes: no quote, backslash, control character or
// surrogate (RFC 8785 §3.2.2.2 escapes exactly those; a surrogate is left to the encoder, which
// refuses a lone one).
const VERBATIM = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** A column's value as canonical JSON; anything unusual goes through the encoder, errors and all. */
function member(value: unknown, key: string): string {
	if (typeof value === 'string' && VERBATIM.test(value)) return `"${value}"`;
	// ES Number::toString, which is what JSON.stringify and so the encoder write (RFC 8785 §3.2.2.3).
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	// The path the encoder would name inside the whole object, so its errors read the same.
	return canonicalJson(value, `value.${key}`);
}

const isText = (value: unknown): value is string => typeof value === 'string';
const orEmpty = (value: unknown) => (value === null ? '' : value);
const quotedOrNull = (value: string | null) => (value === null ? 'null' : `"${value}"`);

/** `prefix` followed by the canonical JSON of the entry (see canonicalEntry). */
function withCanonical(prefix: string, e: EntryColumns): string {
	// The usual entry, in one piece: every string column written as it is, checked once in one test
	// (the text is flattened once, for the hash, instead of piece by piece).
	if (
		isText(e.action) && isText(e.actorId) && isText(e.actorRole) && isText(e.at) && isText(e.id) && isText(e.workspaceId) &&
		isText(orEmpty(e.subject)) && isText(orEmpty(e.subjectType)) && Number.isSafeInteger(e.seq) &&
		VERBATIM.test(e.action + e.actorId + e.actorRole + e.at + e.id + e.workspaceId + (e.subject ?? '') + (e.subjectType ?? ''))
	) {
		// RFC 8785 §3.2.3: members sorted by name (UTF-16 code units).
		return `${prefix}{"action":"${e.action}","actorId":"${e.actorId}","actorRole":"${e.actorRole}","at":"${e.at}","details":${e.details},"fields":${e.fields},"id":"${e.id}","seq":${e.seq},"subject":${quotedOrNull(e.subject)},"subjectType":${quotedOrNull(e.subjectType)},"workspaceId":"${e.workspaceId}"}`;
	}
	return (
		`${prefix}{"action":${member(e.action, 'action')}` +
		`,"actorId":${member(e.actorId, 'actorId')}` +
		`,"actorRole":${member(e.actorRole, 'actorRole')}` +
		`,"at":${member(e.at, 'at')}` +
		`,"details":${e.details}` +
		`,"fields":${e.fields}` +
		`,"id":${member(e.id, 'id')}` +
		`,"seq":${member(e.seq, 'seq')}` +
		`,"subject":${member(e.subject, 'subject')}` +
		`,"subjectType":${member(e.subjectType, 'subjectType')}` +
		`,"workspaceId":${member(e.workspaceId, 'workspaceId')}}`
	);
}

/**
 * The canonical JSON of an entry: canonicalJson({ seq, id, workspaceId, at, actorId, actorRole,
 * action, subjectType, subject, fields: JSON.parse(fields), details: JSON.parse(details) }) whenever
 * `fields` and `details` are canonical text, which is how they are stored; it throws where that would.
 */
export function canonicalEntry(entry: EntryColumns): string {
	return withCanonical('', entry);
}

/**
 * The one place where stored bytes could move from one column to the next without changing the
 * bytes hashed: the boundary between details and fields, both stored text put in as they are (every
 * other column is a quoted string, a number or null, which ends where it ends). Moving that boundary
 * leaves this separator inside one of the two texts; a verifier that meets it there decides by
 * parsing them (audit.ts). In canonical text it appears only as a nested member named "fields".
 */
export const FIELDS_SEPARATOR = ',"fields":';

/**
 * SHA-256 (lower-case hex) of the UTF-8 bytes of the previous entry's hex hash followed by this
 * entry's canonical JSON.
 */
export function entryHash(prevHash: string, entry: EntryColumns): string {
	return hash('sha256', withCanonical(prevHash, entry), 'hex');
}
