import { forEachInOrder } from './in-order';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { dbExec, dbQuery, writeTransaction } from './database';
import { AUDIT_ACTIONS, appendAudit, auditEntries, verifyAuditChain, type AuditDetails, type AuditInput } from './audit';
import { closeTestContextsAfterEach, createTestContext, disableTrigger, refusal, type TestContext } from './testing';

closeTestContextsAfterEach();
async function setUp(): Promise<TestContext> {
	const t = await createTestContext();
	return t;
}

async function append(t: TestContext, inputs: AuditInput[]): Promise<void> {
	await writeTransaction(t.ctx.db, async () => {
		for (const input of inputs) {
			await appendAudit(t.ctx, input);
			t.clock.advance(1000);
		}
	});
}

function someEntries(n: number): AuditInput[] {
	return Array.from({ length: n }, (_, i) => ({
		action: 'customer.viewed' as const,
		subjectType: 'customer' as const,
		subject: `customer-${i % 3}`,
		fields: ['givenName', 'postcode'],
		details: { purposeCode: 'account-servicing', count: i }
	}));
}

/** Drops the append-only triggers, as an attacker with file access could. */
async function disableTriggers(t: TestContext): Promise<void> {
	await disableTrigger(t.ctx.db, 'audit_entry', 'audit_entry_no_update');
	await disableTrigger(t.ctx.db, 'audit_entry', 'audit_entry_no_delete');
}

/** Runs SQL straight on the database, past the code (as someone holding the database could). */
const exec = (t: TestContext, statement: string) => dbExec(t.ctx.db, sql.raw(statement));
const detailsOf = async (t: TestContext, seq: number) =>
	(await dbQuery<{ details: string }>(t.ctx.db, sql`select details from audit_entry where seq = ${seq}`))[0]!.details;

describe('audit log', () => {
	it('verifies a chain of appended entries, starting with the workspace being created', async () => {
		const t = await setUp();
		await append(t, someEntries(10));
		const result = await verifyAuditChain(t.ctx.db, t.ctx.workspaceId);
		expect(result).toMatchObject({ ok: true, entries: 11 });
		const entries = await auditEntries(t.ctx.db, t.ctx.workspaceId);
		expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
		expect(entries[0]).toMatchObject({ action: 'workspace.created', actorId: 'agent-1', actorRole: 'agent' });
		expect(entries[1]).toMatchObject({ at: '2025-03-03T09:00:00.000Z', fields: ['givenName', 'postcode'], details: { count: 0 } });
		expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
	});

	it('keeps a separate chain per workspace', async () => {
		const a = await setUp();
		await append(a, someEntries(3));
		const b = await createTestContext({ seed: 'other' });
		expect(await verifyAuditChain(a.ctx.db, a.ctx.workspaceId)).toMatchObject({ ok: true, entries: 4 });
		expect(await verifyAuditChain(b.ctx.db, b.ctx.workspaceId)).toMatchObject({ ok: true, entries: 1 });
	});

	it('is refused by the database when an entry is updated or deleted', async () => {
		const t = await setUp();
		await append(t, someEntries(2));
		expect(await refusal(exec(t, "update audit_entry set action = 'customer.searched' where seq = 2"))).toContain('audit log is append-only');
		expect(await refusal(exec(t, 'delete from audit_entry where seq = 2'))).toContain('audit log is append-only');
		expect(await refusal(exec(t, 'delete from audit_entry'))).toContain('audit log is append-only');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: true, entries: 3 });
	});

	it('refuses to append outside a transaction or with an event name not in the catalogue', async () => {
		const t = await setUp();
		await expect(appendAudit(t.ctx, { action: 'customer.viewed' })).rejects.toThrow('inside a write transaction');
		await expect((async () =>
			await writeTransaction(t.ctx.db, async () => await appendAudit(t.ctx, { action: 'customer.deleted' as never })))()
		).rejects.toThrow('unknown audit action');
	});

	it.each([
		['the actor', "update audit_entry set actor_id = 'someone-else' where seq = 4"],
		['the time', "update audit_entry set at = '2020-01-01T00:00:00.000Z' where seq = 4"],
		['the subject', "update audit_entry set subject = 'customer-9' where seq = 4"],
		['the field names', `update audit_entry set fields = '["givenName"]' where seq = 4`],
		['the details', `update audit_entry set details = '{"count":99,"purposeCode":"account-servicing"}' where seq = 4`],
		['the hash, recomputed by hand without the key', `update audit_entry set hash = '${randomBytes(32).toString('hex')}' where seq = 4`]
	])('names the entry when %s of an entry is changed behind the triggers', async (_what, tamper) => {
		const t = await setUp();
		await append(t, someEntries(6));
		await disableTriggers(t);
		await exec(t, tamper);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: 4 });
	});

	it('names a deleted entry by its seq', async () => {
		const t = await setUp();
		await append(t, someEntries(6));
		await disableTriggers(t);
		await exec(t, 'delete from audit_entry where seq = 4');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringContaining('missing') });
	});

	it('names the first entry out of place when two entries are swapped', async () => {
		const t = await setUp();
		await append(t, someEntries(6));
		await disableTriggers(t);
		await exec(t, 'update audit_entry set seq = -1 where seq = 4');
		await exec(t, 'update audit_entry set seq = 4 where seq = 5');
		await exec(t, 'update audit_entry set seq = 5 where seq = -1');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: 4 });
	});

	it('names an entry whose link to the previous entry was rewritten', async () => {
		const t = await setUp();
		await append(t, someEntries(6));
		await disableTriggers(t);
		await exec(t, 'update audit_entry set prev_hash = (select hash from audit_entry where seq = 2) where seq = 4');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: 4, reason: expect.stringContaining('link') });
	});

	it('names a tampered entry with the reason the plain check gives: non-canonical text, or other content', async () => {
		const t = await setUp();
		await append(t, someEntries(6));
		await disableTriggers(t);
		await exec(t, `update audit_entry set details = '{"count": 2,"purposeCode":"account-servicing"}' where seq = 4`);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 4, reason: 'entry 4 has altered fields or details' });
		await exec(t, `update audit_entry set details = '{"count":9,"purposeCode":"account-servicing"}' where seq = 4`);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 4, reason: 'entry 4 does not match its hash' });
		await exec(t, `update audit_entry set details = '{"count":2,"purposeCode":"account-servicing"}', subject = 'customer-2"' where seq = 4`);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 4, reason: 'entry 4 does not match its hash' });
	});

	it('names bytes moved from details to fields, which leave the text hashed the same', async () => {
		const t = await setUp();
		// A details member named "fields" puts the text between details and fields inside details too.
		await append(t, [{ action: 'customer.viewed', subjectType: 'customer', subject: 'c1', fields: ['postcode'], details: { a: { b: 1, fields: 2 } } }, ...someEntries(2)]);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: true, entries: 4 });
		await disableTriggers(t);
		await exec(t, `update audit_entry set details = '{"a":{"b":1', fields = '2}},"fields":["postcode"]' where seq = 2`);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 2, reason: 'entry 2 has altered fields or details' });
		// And the other way: the end of details moved onto the front of fields.
		await exec(t, `update audit_entry set details = '{"a":{"b":1,"fields":2}},"fields":["postcode"', fields = ']' where seq = 2`);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 2, reason: 'entry 2 has altered fields or details' });
	});

	it('names entry 1 as missing when it is moved below the start of the chain', async () => {
		const t = await setUp();
		await append(t, someEntries(2));
		await disableTriggers(t);
		await exec(t, 'update audit_entry set seq = 0 where seq = 1');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 1, reason: 'entry 1 is missing (next entry found is 0)' });
	});

	it('verifies a chain read in several pages, and names a tampered entry in a later page', async () => {
		const t = await setUp();
		await append(t, someEntries(2_400));
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: true, entries: 2_401 });
		const entries = await auditEntries(t.ctx.db, t.ctx.workspaceId);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: true, entries: 2_401, head: entries.at(-1)!.hash });
		await disableTriggers(t);
		await exec(t, "update audit_entry set subject = 'customer-9' where seq = 2001");
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: false, firstBadSeq: 2001, reason: 'entry 2001 does not match its hash' });
		await exec(t, 'delete from audit_entry where seq = 1000');
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: 1000, reason: expect.stringContaining('missing') });
	});

	it('verifies a chain that fills its last page exactly', async () => {
		const t = await setUp();
		await append(t, someEntries(999));
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: true, entries: 1_000 });
	});

	it('hashes entries to the same bytes as before the canonical text was assembled by hand', async () => {
		// Hashes written by the earlier appendAudit (canonicalJson of the entry as an object, createHash),
		// on SQLite and PostgreSQL alike: stored chains must still verify, and new ones continue them.
		const t = await createTestContext({ seed: 'audit-golden' });
		await writeTransaction(t.ctx.db, async () => {
			await appendAudit(t.ctx, {
				action: 'customer.viewed',
				subjectType: 'customer',
				subject: 'Zoë "Q" \\ \n\t\u0001 😀 \u2028',
				fields: ['givenName', 'postcode'],
				details: { purposeCode: 'account-servicing', n: 1e21, m: -0, f: 0.1, nested: { z: [1, 'two', null, true], a: { fields: 2, b: '\u007f' } }, é: 'x', Ω: 'y', a: 'z' }
			});
			t.clock.advance(1234);
			await appendAudit(t.ctx, { action: 'customer.searched' });
			t.clock.advance(1);
			await appendAudit(t.ctx, { action: 'customer.viewed', subjectType: 'request', subject: 'r-1', fields: [], details: { b: false, '': '' } });
		});
		expect((await auditEntries(t.ctx.db, t.ctx.workspaceId)).map((e) => e.hash)).toEqual([
			'bf6406f2f8e3c21d8a40b6d47405d66d210434a85a15a735cfda508d30080919',
			'a1e531c50e7d07ac62837138fae2c36480980b7e842d9ba1e3195cae282897eb',
			'b023ee35e5f7e6bdb7b29f105ebac1526129d2748e8e15f0a70b90f94c53ca55',
			'3ef99f202b8b7ba65df99e5ba5a014a80322dffaa5b840208de11389402bcc08'
		]);
		expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toEqual({ ok: true, entries: 4, head: '3ef99f202b8b7ba65df99e5ba5a014a80322dffaa5b840208de11389402bcc08' });
	});

	it('stores field names and facts, never more than the operation gave it', async () => {
		const t = await setUp();
		await writeTransaction(t.ctx.db, async () =>
			await appendAudit(t.ctx, { action: 'identity.verified', subjectType: 'customer', subject: 'c1', fields: ['dateOfBirth'], details: { method: 'knowledge-based', b: undefined as never } })
		);
		const last = (await auditEntries(t.ctx.db, t.ctx.workspaceId)).at(-1)!;
		expect(last.details).toEqual({ method: 'knowledge-based' });
		expect(await detailsOf(t, 2)).toBe('{"method":"knowledge-based"}');
	});

	it('has a catalogue of unique dotted event names, each described', () => {
		const names = AUDIT_ACTIONS.map((a) => a.action);
		expect(new Set(names).size).toBe(names.length);
		for (const entry of AUDIT_ACTIONS) {
			expect(entry.action).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
			expect(entry.description.length).toBeGreaterThan(10);
		}
	});
});

const detailsArbitrary: fc.Arbitrary<AuditDetails> = fc.dictionary(
	fc.string({ minLength: 1, maxLength: 8 }),
	fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })),
	{ maxKeys: 4 }
);
const inputArbitrary: fc.Arbitrary<AuditInput> = fc.record({
	action: fc.constantFrom(...AUDIT_ACTIONS.map((a) => a.action)),
	subjectType: fc.constantFrom('customer' as const, 'request' as const, 'breach' as const),
	subject: fc.uuid(),
	fields: fc.array(fc.constantFrom('givenName', 'familyName', 'dateOfBirth', 'postcode', 'email', 'balance'), { maxLength: 4 }),
	details: detailsArbitrary
});

describe('audit chain properties', () => {
	it('any sequence of appends verifies', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(inputArbitrary, { minLength: 1, maxLength: 25 }), fc.integer({ min: 0, max: 10_000_000 }), async (inputs, step) => {
				const t = await createTestContext();
				try {
					await writeTransaction(t.ctx.db, async () => {
						for (const input of inputs) {
							await appendAudit(t.ctx, input);
							t.clock.advance(step);
						}
					});
					const result = await verifyAuditChain(t.ctx.db, t.ctx.workspaceId);
					expect(result).toMatchObject({ ok: true, entries: inputs.length + 1 });
				} finally {
					t.close();
				}
			}),
			{ numRuns: 40 }
		);
	});

	it('changing any one character of any one entry’s details is detected at that entry', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(inputArbitrary, { minLength: 1, maxLength: 12 }),
				fc.nat(),
				fc.nat(),
				fc.integer({ min: 1, max: 0xffff }),
				async (inputs, entryPick, charPick, delta) => {
					const t = await createTestContext();
					try {
						await writeTransaction(t.ctx.db, async () => await forEachInOrder(inputs, async (input) => await appendAudit(t.ctx, input)));
						const total = inputs.length + 1;
						const seq = (entryPick % total) + 1;
						const details = await detailsOf(t, seq);
						const at = charPick % details.length;
						// A different character at one position (skipping the surrogate range, which is not text).
						let code = (details.charCodeAt(at) + delta) % 0x10000;
						if (code >= 0xd800 && code <= 0xdfff) code = 0x41 + (code % 26);
						if (code === details.charCodeAt(at)) code = code === 0x41 ? 0x42 : 0x41;
						const tampered = details.slice(0, at) + String.fromCharCode(code) + details.slice(at + 1);
						await disableTriggers(t);
						await dbExec(t.ctx.db, sql`update audit_entry set details = ${tampered} where seq = ${seq}`);
						expect(await verifyAuditChain(t.ctx.db, t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: seq });
					} finally {
						t.close();
					}
				}
			),
			{ numRuns: 60 }
		);
	});
});
