/**
 * The one canonical JSON of the project: RFC 8785, the JSON Canonicalization Scheme (JCS). Every
 * hash that evidence rests on (the audit chain, assessment decisions, portfolio documents) is a
 * SHA-256 of this text, so the same value always gives the same bytes.
 *
 * Only JSON is encoded. Anything else is an error naming where it was, never silently replaced:
 * undefined as a value or an array element, functions, symbols, bigints, NaN and ±Infinity, Dates,
 * Maps and other class instances, lone surrogates (RFC 8785 §3.1 requires I-JSON, RFC 7493 §2.1),
 * cycles.
 *
 * One exception, deliberate: an object member whose value is undefined is left out. In TypeScript
 * that is an absent optional property (`{ note?: string }` built as `{ note: input.note }`), not a
 * value; JSON.stringify leaves it out too, and so did both encoders this one replaced, so the audit
 * chains already stored were hashed without such members and must still verify.
 */
import { createHash } from 'node:crypto';

/** The name stored beside a hash made with this encoder, so a verifier knows how to recompute it. */
export const CANONICAL_ENCODING = 'jcs-2026';

/** A value that is not JSON, with the path to it: `evidence.actions[3].at: a Date is not JSON`. */
export class CanonicalJsonError extends Error {
	constructor(
		readonly path: string,
		readonly reason: string
	) {
		super(`${path}: ${reason}`);
		this.name = 'CanonicalJsonError';
	}
}

// With the u flag a well-formed surrogate pair is one code point, so this matches only a lone half.
const LONE_SURROGATE = /\p{Cs}/u;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const memberPath = (path: string, key: string) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function encodeString(text: string, path: string): string {
	if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError(path, 'a string with a lone surrogate is not JSON');
	// RFC 8785 §3.2.2.2: JSON.stringify's escaping is exactly JCS's for well-formed strings.
	return JSON.stringify(text);
}

function kindOf(value: object): string {
	if (value instanceof Date) return 'a Date';
	if (value instanceof Map) return 'a Map';
	if (value instanceof Set) return 'a Set';
	const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
	return typeof name === 'string' && name !== '' ? `an instance of ${name}` : 'an object with a prototype';
}

function encode(value: unknown, path: string, open: Set<object>): string {
	switch (typeof value) {
		case 'string':
			return encodeString(value, path);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'number':
			if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a JSON number`);
			// RFC 8785 §3.2.2.3: ES Number::toString, which JSON.stringify uses (and -0 becomes 0).
			return JSON.stringify(value);
		case 'undefined':
			return fail(path, 'undefined is not JSON');
		case 'bigint':
			return fail(path, 'a bigint is not JSON');
		case 'function':
			return fail(path, 'a function is not JSON');
		case 'symbol':
			return fail(path, 'a symbol is not JSON');
	}
	if (value === null) return 'null';
	const object = value as object;
	if (open.has(object)) throw new CanonicalJsonError(path, 'a cycle is not JSON');
	open.add(object);
	try {
		const proto: unknown = Object.getPrototypeOf(object);
		if (Array.isArray(object) && proto === Array.prototype) {
			const items: string[] = [];
			// An index loop, not map: a hole in a sparse array is undefined, and refused.
			for (let i = 0; i < object.length; i++) items.push(encode(object[i], `${path}[${i}]`, open));
			return `[${items.join(',')}]`;
		}
		if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(path, `${kindOf(object)} is not JSON`);
		if (Object.getOwnPropertySymbols(object).length > 0) throw new CanonicalJsonError(path, 'a symbol-keyed property is not JSON');
		const record = object as Record<string, unknown>;
		// RFC 8785 §3.2.3: members sorted by their names' UTF-16 code units, which is what sort() compares.
		const members = Object.keys(record)
			.filter((key) => record[key] !== undefined)
			.sort()
			.map((key) => {
				const at = memberPath(path, key);
				return `${encodeString(key, at)}:${encode(record[key], at, open)}`;
			});
		return `{${members.join(',')}}`;
	} finally {
		open.delete(object);
	}
}

function fail(path: string, reason: string): never {
	throw new CanonicalJsonError(path, reason);
}

/**
 * The RFC 8785 text of a JSON value. Throws a CanonicalJsonError for anything that is not JSON;
 * `root` names the value in the error's path.
 */
export function canonicalJson(value: unknown, root = 'value'): string {
	return encode(value, root, new Set());
}

/** SHA-256, in lower-case hex, of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The SHA-256 (hex) of a value's canonical JSON: the hash evidence rests on. */
export function canonicalHash(value: unknown, root = 'value'): string {
	return sha256Hex(canonicalJson(value, root));
}
