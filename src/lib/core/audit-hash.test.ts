import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, sha256Hex } from './canonical-json';
import { canonicalEntry, entryHash, type EntryColumns } from './audit-hash';

/** What the chain's hash was defined over before the text was assembled: the object, encoded whole. */
function plainCanonical(entry: EntryColumns): string {
	return canonicalJson({ ...entry, fields: JSON.parse(entry.fields) as unknown, details: JSON.parse(entry.details) as unknown });
}

/** The outcome of a function, a thrown error's message standing for the value. */
function outcome(run: () => string): { value: string } | { error: string } {
	try {
		return { value: run() };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

// Every kind of string JSON treats differently: quotes, backslashes, control characters, characters
// beyond the BMP (surrogate pairs), lone surrogates (not JSON: refused), U+2028, DEL, plain ASCII.
const anyText = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 12 }),
	fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '😀', '\ud800', '\udfff', 'é'), maxLength: 8 }),
	fc.stringMatching(/^[a-z0-9.-]{0,16}$/)
);
// What a column might hold once someone has written to the database past the code: SQLite keeps
// whatever type it is given in a column declared text (a number stays a number in an untyped read).
const anyColumn = fc.oneof(anyText, fc.constant(null), fc.integer(), fc.double(), fc.constant(true));
const canonicalText = fc.jsonValue({ maxDepth: 3 }).map((value) => canonicalJson(value));

const entryArbitrary = fc.record({
	seq: fc.oneof(fc.integer({ min: 1, max: 2 ** 53 - 1 }), fc.double()),
	id: anyColumn,
	workspaceId: anyColumn,
	at: anyColumn,
	actorId: anyColumn,
	actorRole: anyColumn,
	action: anyColumn,
	subjectType: anyColumn,
	subject: anyColumn,
	fields: canonicalText,
	details: canonicalText
}) as fc.Arbitrary<EntryColumns>;

// The usual entry: every column a string of the kind appendAudit writes.
const usualEntryArbitrary: fc.Arbitrary<EntryColumns> = fc.record({
	seq: fc.integer({ min: 1, max: 10_000_000 }),
	id: fc.uuid(),
	workspaceId: fc.uuid(),
	at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
	actorId: anyText,
	actorRole: fc.constantFrom('agent', 'dpo', 'system'),
	action: fc.constantFrom('customer.viewed', 'customer.searched'),
	subjectType: fc.option(fc.constantFrom('customer', 'request'), { nil: null }),
	subject: fc.option(anyText, { nil: null }),
	fields: fc.array(fc.string(), { maxLength: 4 }).map((fields) => canonicalJson(fields)),
	details: canonicalText
});

// A usual entry with one column changed to anything a column might hold.
const COLUMNS = ['seq', 'id', 'workspaceId', 'at', 'actorId', 'actorRole', 'action', 'subjectType', 'subject'] as const;
const alteredEntryArbitrary: fc.Arbitrary<EntryColumns> = fc
	.tuple(usualEntryArbitrary, fc.constantFrom(...COLUMNS), fc.oneof(anyColumn, fc.double()))
	.map(([entry, column, value]) => ({ ...entry, [column]: value }) as EntryColumns);

describe('the canonical text of an audit entry', () => {
	it('is byte for byte the canonical JSON of the entry as an object, or the same refusal', () => {
		fc.assert(
			fc.property(fc.oneof(entryArbitrary, usualEntryArbitrary, alteredEntryArbitrary), (entry) => {
				expect(outcome(() => canonicalEntry(entry))).toEqual(outcome(() => plainCanonical(entry)));
			}),
			{ numRuns: 3000 }
		);
	});

	it('is hashed after the previous hash: SHA-256 of both texts in UTF-8, as hex', () => {
		fc.assert(
			fc.property(usualEntryArbitrary, fc.stringMatching(/^[0-9a-f]{64}$/), (entry, prevHash) => {
				expect(outcome(() => entryHash(prevHash, entry))).toEqual(outcome(() => sha256Hex(prevHash + plainCanonical(entry))));
			}),
			{ numRuns: 1000 }
		);
	});

	it('refuses a lone surrogate in a column, naming the member as the encoder does', () => {
		const entry: EntryColumns = {
			seq: 2,
			id: 'e-1',
			workspaceId: 'w-1',
			at: '2025-03-03T09:00:00.000Z',
			actorId: 'agent-1',
			actorRole: 'agent',
			action: 'customer.viewed',
			subjectType: 'customer',
			subject: 'c-\ud800',
			fields: '[]',
			details: '{}'
		};
		expect(() => canonicalEntry(entry)).toThrow('value.subject: a string with a lone surrogate is not JSON');
	});
});
