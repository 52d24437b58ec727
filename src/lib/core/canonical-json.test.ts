import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalJsonError, canonicalHash, canonicalJson, sha256Hex } from './canonical-json';

/** A double from its IEEE 754 bits, as RFC 8785 Appendix B lists them. */
function fromBits(hex: string): number {
	const view = new DataView(new ArrayBuffer(8));
	view.setBigUint64(0, BigInt(`0x${hex}`));
	return view.getFloat64(0);
}

/** Reorders every object's keys (reversed, or shuffled by the seed), keeping the value. */
function permuted(value: unknown, seed: number): unknown {
	if (Array.isArray(value)) return value.map((v) => permuted(v, seed));
	if (value === null || typeof value !== 'object') return value;
	const entries = Object.entries(value).map(([k, v]) => [k, permuted(v, seed)] as const);
	const order = entries.map((e, i) => ({ e, key: (i * 2654435761 + seed) % 4294967296 })).sort((a, b) => a.key - b.key);
	return Object.fromEntries(order.map(({ e }) => e));
}

/**
 * core/audit.ts's own encoder until RFC 8785 replaced it, kept verbatim here as the reference: audit
 * chains already stored were hashed with it, so for JSON the new encoder must give the same bytes.
 */
function auditEncoderBefore2026(value: unknown): string {
	if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new Error(`canonicalJson: ${value} is not a JSON number`);
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) return `[${value.map(auditEncoderBefore2026).join(',')}]`;
	if (typeof value === 'object') {
		const proto: unknown = Object.getPrototypeOf(value);
		if (proto !== Object.prototype && proto !== null) throw new Error('canonicalJson: only plain objects are encoded');
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${auditEncoderBefore2026(v)}`).join(',')}}`;
	}
	throw new Error(`canonicalJson: cannot encode a ${typeof value}`);
}

/** JSON values over all of Unicode (well-formed strings), including -0 and extreme doubles. */
const jsonValue = fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 4 });

function refusal(value: unknown, root?: string): string {
	try {
		canonicalJson(value, root);
	} catch (e) {
		expect(e).toBeInstanceOf(CanonicalJsonError);
		return (e as Error).message;
	}
	throw new Error('was encoded');
}

describe('canonical JSON (RFC 8785)', () => {
	it('gives Appendix B’s text for every number it lists, and refuses NaN and Infinity', () => {
		const vectors: [string, string][] = [
			['0000000000000000', '0'],
			['8000000000000000', '0'],
			['0000000000000001', '5e-324'],
			['8000000000000001', '-5e-324'],
			['7fefffffffffffff', '1.7976931348623157e+308'],
			['ffefffffffffffff', '-1.7976931348623157e+308'],
			['4340000000000000', '9007199254740992'],
			['c340000000000000', '-9007199254740992'],
			['4430000000000000', '295147905179352830000'],
			['44b52d02c7e14af5', '9.999999999999997e+22'],
			['44b52d02c7e14af6', '1e+23'],
			['44b52d02c7e14af7', '1.0000000000000001e+23'],
			['444b1ae4d6e2ef4e', '999999999999999700000'],
			['444b1ae4d6e2ef4f', '999999999999999900000'],
			['444b1ae4d6e2ef50', '1e+21'],
			['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
			['3eb0c6f7a0b5ed8d', '0.000001'],
			['41b3de4355555553', '333333333.3333332'],
			['41b3de4355555554', '333333333.33333325'],
			['41b3de4355555555', '333333333.3333333'],
			['41b3de4355555556', '333333333.3333334'],
			['41b3de4355555557', '333333333.33333343'],
			['becbf647612f3696', '-0.0000033333333333333333'],
			['43143ff3c1cb0959', '1424953923781206.2']
		];
		for (const [bits, text] of vectors) expect(canonicalJson(fromBits(bits)), bits).toBe(text);
		expect(refusal(fromBits('7fffffffffffffff'))).toBe('value: NaN is not a JSON number');
		expect(refusal(fromBits('7ff0000000000000'))).toBe('value: Infinity is not a JSON number');
		expect(refusal(-Infinity)).toBe('value: -Infinity is not a JSON number');
	});

	it('writes 1e21, 1e-7, -0 and 0.000001 as ES Number::toString does', () => {
		expect(canonicalJson([1e21, 1e20, 1e-7, 1e-6, -0, 0.000001, 4.5, 2e-3, 1e30, 1e-27])).toBe('[1e+21,100000000000000000000,1e-7,0.000001,0,0.000001,4.5,0.002,1e+30,1e-27]');
	});

	it('encodes §3.2.2’s example exactly', () => {
		const parsed: unknown = JSON.parse(
			'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
		);
		expect(canonicalJson(parsed)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
	});

	it('sorts members by UTF-16 code units, as §3.2.3’s example does', () => {
		const value = {
			'\u20ac': 'Euro Sign',
			'\r': 'Carriage Return',
			'\ufb33': 'Hebrew Letter Dalet With Dagesh',
			'1': 'One',
			'\ud83d\ude00': 'Emoji: Grinning Face',
			'\u0080': 'Control',
			'\u00f6': 'Latin Small Letter O With Diaeresis'
		};
		expect([...canonicalJson(value).matchAll(/:"([^"]+)"/g)].map((m) => m[1])).toEqual([
			'Carriage Return',
			'One',
			'Control',
			'Latin Small Letter O With Diaeresis',
			'Euro Sign',
			'Emoji: Grinning Face',
			'Hebrew Letter Dalet With Dagesh'
		]);
	});

	it('sorts keys at every depth and leaves no whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'x y' }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":"x y","z":1}]},"b":1}');
		expect(canonicalJson(Object.assign(Object.create(null) as object, { b: true, a: false }))).toBe('{"a":false,"b":true}');
	});

	it('parses back to a deep-equal value, and encodes the parsed text to the same bytes', () => {
		fc.assert(
			fc.property(jsonValue, (value) => {
				const text = canonicalJson(value);
				// JSON has no -0: it comes back as 0.
				expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
				expect(canonicalJson(JSON.parse(text))).toBe(text);
			}),
			{ numRuns: 300 }
		);
	});

	it('gives the same text whatever the order of the keys', () => {
		fc.assert(
			fc.property(jsonValue, fc.nat(), (value, seed) => {
				expect(canonicalJson(permuted(value, seed))).toBe(canonicalJson(value));
			}),
			{ numRuns: 300 }
		);
	});

	it('refuses everything that is not JSON, naming where it is', () => {
		expect(refusal({ actions: [{}, {}, {}, { at: new Date(0) }] }, 'evidence')).toBe('evidence.actions[3].at: a Date is not JSON');
		expect(refusal([1, undefined])).toBe('value[1]: undefined is not JSON');
		// eslint-disable-next-line no-sparse-arrays
		expect(refusal([1, , 3])).toBe('value[1]: undefined is not JSON');
		expect(refusal({ f: () => 1 })).toBe('value.f: a function is not JSON');
		expect(refusal({ toJSON: () => 'x' })).toBe('value.toJSON: a function is not JSON');
		expect(refusal({ s: Symbol('s') })).toBe('value.s: a symbol is not JSON');
		expect(refusal({ [Symbol('k')]: 1 })).toBe('value: a symbol-keyed property is not JSON');
		expect(refusal({ n: 10n })).toBe('value.n: a bigint is not JSON');
		expect(refusal({ m: new Map([['a', 1]]) })).toBe('value.m: a Map is not JSON');
		expect(refusal({ s: new Set([1]) })).toBe('value.s: a Set is not JSON');
		expect(refusal({ u: new URL('https://example.com/') })).toBe('value.u: an instance of URL is not JSON');
		class Point {
			x = 1;
		}
		expect(refusal({ 'a point': new Point() })).toBe('value["a point"]: an instance of Point is not JSON');
		expect(refusal({ text: 'half \ud800 a pair' })).toBe('value.text: a string with a lone surrogate is not JSON');
		expect(refusal({ ['\udc00']: 1 })).toBe('value["\\udc00"]: a string with a lone surrogate is not JSON');
		const cyclic: Record<string, unknown> = { a: [1] };
		(cyclic.a as unknown[]).push(cyclic);
		expect(refusal(cyclic)).toBe('value.a[1]: a cycle is not JSON');
		expect(refusal(undefined)).toBe('value: undefined is not JSON');
	});

	it('leaves out an object member whose value is undefined (an absent optional property), at any depth', () => {
		expect(canonicalJson({ b: 2, a: undefined, c: { d: undefined, e: [{ f: undefined }] } })).toBe('{"b":2,"c":{"e":[{}]}}');
		expect(canonicalJson({ a: undefined })).toBe(canonicalJson({}));
		// As the audit chain's earlier encoder did: chains stored with optional details still verify.
		const details = { reason: undefined, fields: { name: { before: 'A', after: undefined } } };
		expect(canonicalJson(details)).toBe(auditEncoderBefore2026(details));
		// Only as a member: undefined as the value itself or as an array element is refused.
		expect(refusal({ a: [undefined] })).toBe('value.a[0]: undefined is not JSON');
	});

	it('encodes a value met twice that is not a cycle', () => {
		const shared = { x: 1 };
		expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
	});

	it('refuses a value that is not JSON wherever it is put in a random JSON value', () => {
		const notJson = fc.constantFrom<[unknown, string]>(
			[undefined, 'undefined is not JSON'],
			[Number.NaN, 'NaN is not a JSON number'],
			[new Date(0), 'a Date is not JSON'],
			[1n, 'a bigint is not JSON'],
			['\udfff', 'a string with a lone surrogate is not JSON']
		);
		fc.assert(
			fc.property(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), fc.nat(), notJson, (items, at, [bad, reason]) => {
				const index = items.length === 0 ? 0 : at % (items.length + 1);
				// In an array: an undefined member of an object is left out, an undefined element is refused.
				const value = { items: [...items.slice(0, index), { bad: [bad] }, ...items.slice(index)] };
				expect(refusal(value)).toBe(`value.items[${index}].bad[0]: ${reason}`);
			})
		);
	});

	it('gives, for every JSON value, the bytes the audit chain’s earlier encoder gave, so stored chains still verify', () => {
		fc.assert(
			fc.property(jsonValue, (value) => {
				expect(canonicalJson(value)).toBe(auditEncoderBefore2026(value));
			}),
			{ numRuns: 500 }
		);
	});

	it('hashes the canonical text with SHA-256 in hex', () => {
		expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
		expect(canonicalHash({ b: 1, a: 2 })).toBe(sha256Hex('{"a":2,"b":1}'));
	});
});
