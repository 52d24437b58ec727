/**
 * Properties that hold whatever a user does: random sequences of operations from every part of the
 * core (record, correct, contest, restrict, search, verify, read out, disclose, consent, interactions,
 * rights requests, erasure, breaches), then the invariants of DOMAIN.md §3 and §7 are checked:
 * - the audit chain always verifies;
 * - every disclosure row has its "disclosure.made" audit entry, and every unauthorised one a breach
 *   that points back to it;
 * - no value of any customer field (as given or as normalised) ever appears in the audit log;
 * - after an erasure, no personal value of that person is in any table, outside legal holds;
 * - changing or deleting any audit row, behind the triggers, makes verification name that row.
 *
 * Values are generated unique per run and drawn from letters outside hexadecimal, so a value found
 * in a row can only have been copied there.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auditEntries, verifyAuditChain } from './audit';
import { dbExec, dbQuery, engineOf } from './database';
import { assessBreachRisk, registerBreach } from './breaches';
import { checkFieldValue } from './collection';
import { giveConsent, withdrawConsent } from './consent';
import { contestField, correctField } from './corrections';
import { endRelationship, recordCustomer } from './customers';
import { disclose, disclosureLog } from './disclosure';
import { logInteraction } from './interactions';
import { completeRequest, assembleResponse } from './request-response';
import { fulfilErasure } from './request-fulfilment';
import { askForId, beginRequest, extendRequest, logRequest, receiveId, withdrawRequest } from './requests';
import { restrictField } from './restriction';
import { PARTY_TYPES } from './schema';
import { searchCustomers } from './search';
import { createOrganisation } from './testing-people';
import type { TestContext } from './testing';
import { verifyIdentity } from './verification';
import { closeTestContextsAfterEach, disableTrigger } from './testing';

closeTestContextsAfterEach();

// ── Unique, recognisable values ──

const LETTERS = 'ghijklmnopqrstuvwxyz';
function word(seed: string): string {
	const digest = createHash('sha256').update(seed).digest();
	let out = 'Q';
	for (let i = 0; i < 8; i++) out += LETTERS[digest[i]! % LETTERS.length];
	return out;
}
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

const FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'postcode', 'email', 'phone', 'balance', 'arrears'] as const;
type Field = (typeof FIELDS)[number];

/** A customer's values, unique within the run by the counter n. */
function personValues(run: number, n: number): Record<Field, string> {
	const day = new Date(Date.UTC(1950, 0, 1) + n * 37 * 86_400_000).toISOString().slice(0, 10);
	return {
		givenName: word(`${run}-given-${n}`),
		familyName: word(`${run}-family-${n}`),
		dateOfBirth: day,
		addressLine1: `${word(`${run}-street-${n}`)} House`,
		postcode: `RG${10 + (n % 90)} ${n % 10}${POSTCODE_LETTERS[n % 20]}${POSTCODE_LETTERS[Math.floor(n / 20) % 20]}`,
		email: `${word(`${run}-mail-${n}`).toLowerCase()}@example.com`,
		phone: `07700 9${String(10000 + n).slice(-5)}`,
		balance: `${1000 + n}.37`,
		arrears: `${500 + n}.83`
	};
}

// ── Operations ──


const op = fc.oneof(
	fc.record({ kind: fc.constant('record' as const) }),
	fc.record({ kind: fc.constant('correct' as const), who: fc.nat(), field: fc.constantFrom(...FIELDS) }),
	fc.record({ kind: fc.constant('contest' as const), who: fc.nat(), field: fc.constantFrom(...FIELDS) }),
	fc.record({ kind: fc.constant('restrict' as const), who: fc.nat(), field: fc.constantFrom(...FIELDS) }),
	fc.record({ kind: fc.constant('search' as const), who: fc.nat(), by: fc.constantFrom('postcode', 'name', 'email', 'phone') }),
	fc.record({
		kind: fc.constant('verify' as const),
		who: fc.nat(),
		fields: fc.subarray([...FIELDS]),
		wrong: fc.subarray([...FIELDS], { maxLength: 2 }),
		readOut: fc.subarray([...FIELDS], { maxLength: 2 })
	}),
	fc.record({
		kind: fc.constant('disclose' as const),
		who: fc.nat(),
		recipient: fc.constantFrom(...PARTY_TYPES),
		fields: fc.subarray([...FIELDS], { minLength: 1 }),
		useLatestVerification: fc.boolean(),
		basis: fc.constantFrom(undefined, 'crime-and-taxation', 'legal-obligation')
	}),
	fc.record({ kind: fc.constant('consent' as const), who: fc.nat(), withdraw: fc.boolean() }),
	fc.record({ kind: fc.constant('interaction' as const), who: fc.nat(), field: fc.constantFrom(...FIELDS) }),
	fc.record({ kind: fc.constant('sar' as const), who: fc.nat(), verify: fc.boolean(), steps: fc.nat({ max: 4 }) }),
	fc.record({ kind: fc.constant('erase' as const), who: fc.nat() }),
	fc.record({ kind: fc.constant('breach' as const), who: fc.nat(), risk: fc.constantFrom('unlikely', 'risk', 'high-risk') })
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

interface Model {
	t: TestContext;
	run: number;
	counter: number;
	customers: { id: string; current: Record<string, string> }[];
	/** Every value ever given to the core for a customer field, by customer id. */
	everything: Map<string, Set<string>>;
	erased: Set<string>;
	latestVerification: Map<string, string>;
}

function remember(m: Model, customerId: string, value: string): void {
	const set = m.everything.get(customerId) ?? new Set<string>();
	set.add(value);
	m.everything.set(customerId, set);
}

async function recordOne(m: Model): Promise<void> {
	const values = personValues(m.run, m.counter++);
	const r = await recordCustomer(m.t.ctx, { purposeCodes: ['identity-checks', 'account-servicing'], fields: values });
	if (!r.ok) throw new Error(`fixture: ${r.error.message}`);
	m.customers.push({ id: r.value.id, current: { ...values } });
	for (const v of Object.values(values)) remember(m, r.value.id, v);
}

async function apply(m: Model, o: Op): Promise<void> {
	const ctx = m.t.ctx;
	m.t.clock.advance(60_000);
	if (o.kind === 'record') {
		if (m.customers.length < 5) await recordOne(m);
		return;
	}
	if (o.kind === 'breach') {
		const target = m.customers[o.who % m.customers.length]!;
		const b = await registerBreach(ctx, {
			awareAt: ctx.clock(),
			description: 'Letter sent to an old address',
			dataCategories: ['contact'],
			subjectCategories: ['customers'],
			approxSubjects: 1,
			approxRecords: 1,
			affectedCustomerIds: [target.id]
		});
		if (b.ok) await assessBreachRisk(ctx, { breachId: b.value.id, risk: o.risk, reasoning: 'Assessed by the DPO' });
		return;
	}
	const c = m.customers[o.who % m.customers.length]!;
	// What happens after an erasure is new processing (a suppressed person may call again): the
	// property is about what erasure leaves, so an erased person is left alone from then on.
	if (m.erased.has(c.id)) return;
	switch (o.kind) {
		case 'correct': {
			const fresh = personValues(m.run, m.counter++)[o.field];
			remember(m, c.id, fresh);
			const r = await correctField(ctx, { customerId: c.id, field: o.field, newValue: fresh, reason: 'Customer gave the new value' });
			if (r.ok) c.current[o.field] = fresh;
			return;
		}
		case 'contest':
			await contestField(ctx, { customerId: c.id, field: o.field, reason: 'Customer disputes it' });
			return;
		case 'restrict':
			await restrictField(ctx, { customerId: c.id, fields: [o.field], ground: 'accuracy-contested', reason: 'Disputed' });
			return;
		case 'search': {
			const by = o.by;
			const value = by === 'name' ? c.current.familyName : c.current[by as Field];
			if (value !== undefined) await searchCustomers(ctx, { [by]: value, purposeCode: 'account-servicing' });
			return;
		}
		case 'verify': {
			const supplied: Record<string, string> = {};
			for (const f of o.fields) supplied[f] = o.wrong.includes(f) ? personValues(m.run, m.counter++)[f] : (c.current[f] ?? '');
			const r = await verifyIdentity(ctx, { customerId: c.id, requesterType: 'data-subject', method: 'knowledge-based', supplied, readOut: o.readOut });
			if (r.ok && r.value.attempt.outcome === 'verified') m.latestVerification.set(c.id, r.value.attempt.id);
			return;
		}
		case 'disclose':
			await disclose(ctx, {
				customerId: c.id,
				recipient: { type: o.recipient, name: o.recipient === 'data-subject' ? undefined : 'Caller on the line', organisation: o.recipient === 'police' ? 'Thames Valley Police' : '' },
				fields: [...o.fields],
				basisOrExemption: o.basis,
				authorityEvidence: o.basis === 'legal-obligation' ? 'Order 1' : '',
				channel: 'phone',
				verificationId: o.useLatestVerification ? m.latestVerification.get(c.id) : undefined
			});
			return;
		case 'consent':
			if (o.withdraw) await withdrawConsent(ctx, { customerId: c.id, purposeCode: 'marketing', channel: 'email' });
			else await giveConsent(ctx, { customerId: c.id, purposeCode: 'marketing', channel: 'email', method: 'online', noticeVersion: 'PN-3', evidenceRef: 'form-1' });
			return;
		case 'interaction': {
			// Agents write what they are told into notes: the notes are the person's data too.
			const value = c.current[o.field as Field] ?? '';
			await logInteraction(ctx, { customerId: c.id, channel: 'phone', direction: 'inbound', partyType: 'data-subject', nature: 'update', notes: `Customer mentioned ${value}` });
			return;
		}
		case 'sar': {
			const r = await logRequest(ctx, { kind: 'access', channel: 'email', verbal: false, description: `SAR; says her postcode is ${c.current.postcode}`, customerId: c.id });
			if (!r.ok) return;
			if (o.verify) {
				await verifyIdentity(ctx, {
					customerId: c.id,
					requesterType: 'data-subject',
					method: 'knowledge-based',
					supplied: { givenName: c.current.givenName ?? '', postcode: c.current.postcode ?? '', dateOfBirth: c.current.dateOfBirth ?? '' },
					requestId: r.value.id
				});
			}
			const steps = [
				async () => await askForId(ctx, { requestId: r.value.id, reason: 'Doubt' }),
				async () => await receiveId(ctx, { requestId: r.value.id }),
				async () => await extendRequest(ctx, { requestId: r.value.id, reason: 'complex', explanation: 'Many systems' }),
				async () => await beginRequest(ctx, { requestId: r.value.id }),
				async () => await assembleResponse(ctx, { requestId: r.value.id }),
				async () => await completeRequest(ctx, { requestId: r.value.id }),
				async () => await withdrawRequest(ctx, { requestId: r.value.id })
			];
			for (const step of steps.slice(o.steps % 3, o.steps % 3 + 2 + o.steps)) await step();
			return;
		}
		case 'erase': {
			if (m.erased.has(c.id)) return;
			await endRelationship(ctx, c.id);
			const r = await logRequest(ctx, { kind: 'erasure', channel: 'letter', verbal: false, description: `Erase me; I live at ${c.current.addressLine1}`, customerId: c.id });
			if (!r.ok) return;
			await verifyIdentity(ctx, {
				customerId: c.id,
				requesterType: 'data-subject',
				method: 'knowledge-based',
				supplied: { givenName: c.current.givenName ?? '', postcode: c.current.postcode ?? '', dateOfBirth: c.current.dateOfBirth ?? '', email: c.current.email ?? '' },
				requestId: r.value.id
			});
			await beginRequest(ctx, { requestId: r.value.id });
			const done = await fulfilErasure(ctx, { requestId: r.value.id, ground: 'no-longer-necessary' });
			if (done.ok) m.erased.add(c.id);
			return;
		}
	}
}

async function runSequence(ops: Op[], run: number): Promise<Model> {
	const t = await createOrganisation({ seed: `invariants-${run}` });
	const m: Model = { t, run, counter: 0, customers: [], everything: new Map(), erased: new Set(), latestVerification: new Map() };
	await recordOne(m);
	await recordOne(m);
	for (const o of ops) await apply(m, o);
	return m;
}

/** A value and the forms the core stores it in (normalised), lower-cased for a case-blind search. */
function forms(field: string | undefined, value: string): string[] {
	const out = new Set([value.toLowerCase()]);
	if (field !== undefined) {
		const checked = checkFieldValue(field, value, { today: '2025-03-03' });
		if (checked.ok) {
			out.add(checked.value.value.toLowerCase());
			out.add(checked.value.normalised.toLowerCase());
		}
	}
	return [...out].filter((f) => f.length >= 5);
}
function fieldOf(value: string): string | undefined {
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'dateOfBirth';
	if (/^RG\d/.test(value)) return 'postcode';
	if (/^07700/.test(value)) return 'phone';
	if (value.includes('@')) return 'email';
	return undefined;
}

/** Every row of every table, as lower-case text, by table. */
async function allRows(t: TestContext): Promise<{ table: string; text: string }[]> {
	const db = t.ctx.db;
	const tables = (
		await dbQuery<{ name: string }>(
			db,
			engineOf(db) === 'postgres'
				? sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`
				: sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
		)
	).map((r) => r.name);
	const rows: { table: string; text: string }[] = [];
	for (const table of tables) {
		for (const row of await dbQuery<unknown>(db, sql.raw(`select * from "${table}"`))) rows.push({ table, text: JSON.stringify(row).toLowerCase() });
	}
	return rows;
}

const randomHash = () => randomBytes(32).toString('hex');

let runCounter = 0;
const sequences = fc.array(op, { minLength: 1, maxLength: 30 });
const property = { numRuns: 40 };

describe('invariants over random sequences of operations', () => {
	it('keeps the audit chain verifiable', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, async (ops) => {
				const m = await runSequence(ops, runCounter++);
				expect(await verifyAuditChain(m.t.ctx.db, m.t.ctx.workspaceId)).toMatchObject({ ok: true });
				m.t.close();
			}),
			property
		);
	});

	it('gives every disclosure its audit entry, and every unauthorised one a breach that points back to it', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, async (ops) => {
				const m = await runSequence(ops, runCounter++);
				const made = new Map((await auditEntries(m.t.ctx.db, m.t.ctx.workspaceId)).filter((e) => e.action === 'disclosure.made').map((e) => [e.details.disclosureId, e]));
				const breaches = new Map(
					(await dbQuery<{ id: string; source_disclosure_id: string | null }>(m.t.ctx.db, sql`select id, source_disclosure_id from breach`)).map((b) => [b.id, b])
				);
				const log = await disclosureLog(m.t.ctx);
				expect(made.size).toBe(log.length);
				for (const d of log) {
					expect(made.get(d.id)).toMatchObject({ subject: d.customerId, fields: d.fields, details: { authorised: d.authorised, recipientType: d.recipientType } });
					if (!d.authorised) {
						expect(d.breachId).not.toBeNull();
						expect(breaches.get(d.breachId!)?.source_disclosure_id).toBe(d.id);
					} else {
						expect(d.breachId).toBeNull();
					}
				}
				m.t.close();
			}),
			property
		);
	});

	it('never writes a value of a customer field to the audit log', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, async (ops) => {
				const m = await runSequence(ops, runCounter++);
				const audit = (await dbQuery<unknown>(m.t.ctx.db, sql`select * from audit_entry`)).map((r) => JSON.stringify(r).toLowerCase()).join('\n');
				for (const values of m.everything.values()) {
					for (const value of values) for (const form of forms(fieldOf(value), value)) expect(audit.includes(form), `audit log holds "${form}"`).toBe(false);
				}
				m.t.close();
			}),
			property
		);
	});

	it('leaves no personal value of an erased person in any table, outside legal holds', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, fc.nat(), async (ops, who) => {
				const m = await runSequence([...ops, { kind: 'erase', who }], runCounter++);
				expect(m.erased.size).toBeGreaterThan(0);
				const db = m.t.ctx.db;
				for (const customerId of m.erased) {
					// What a legal hold keeps (the value and its history) may stay; nothing else may.
					const kept = new Set<string>();
					for (const table of ['customer_field', 'special_category_value', 'criminal_offence_value']) {
						for (const row of await dbQuery<{ id: string; value: string | null }>(db, sql`select id, value from ${sql.identifier(table)} where customer_id = ${customerId} and legal_hold = true`)) {
							if (row.value !== null) kept.add(row.value);
							for (const h of await dbQuery<{ old_value: string | null; new_value: string | null }>(db, sql`select old_value, new_value from customer_field_history where value_id = ${row.id}`)) {
								if (h.old_value !== null) kept.add(h.old_value);
								if (h.new_value !== null) kept.add(h.new_value);
							}
						}
					}
					const rows = await allRows(m.t);
					for (const value of m.everything.get(customerId) ?? []) {
						if (kept.has(value)) continue;
						for (const form of forms(fieldOf(value), value)) {
							const found = rows.find((r) => r.text.includes(form));
							expect(found, `"${form}" of an erased person is still in ${found?.table}`).toBeUndefined();
						}
					}
				}
				m.t.close();
			}),
			{ numRuns: 25 }
		);
	});
});

describe('tampering with audit rows written by real operations', () => {
	async function disableTriggers(t: TestContext): Promise<void> {
		await disableTrigger(t.ctx.db, 'audit_entry', 'audit_entry_no_update');
		await disableTrigger(t.ctx.db, 'audit_entry', 'audit_entry_no_delete');
	}
	const auditCount = async (t: TestContext) => (await dbQuery<{ n: number }>(t.ctx.db, sql`select count(*) as n from audit_entry`))[0]!.n;
	const COLUMNS = ['at', 'actor_id', 'actor_role', 'action', 'subject', 'subject_type', 'fields', 'details', 'prev_hash', 'hash'] as const;

	it('names any audit row that is changed', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, fc.nat(), fc.constantFrom(...COLUMNS), async (ops, pick, column) => {
				const m = await runSequence(ops, runCounter++);
				const count = await auditCount(m.t);
				const seq = 1 + (pick % count);
				await disableTriggers(m.t);
				const tamper: Record<(typeof COLUMNS)[number], string> = {
					at: "at = '2020-01-01T00:00:00.000Z'",
					actor_id: "actor_id = actor_id || 'x'",
					actor_role: "actor_role = 'dpo'",
					action: "action = case when action = 'customer.viewed' then 'customer.searched' else 'customer.viewed' end",
					subject: "subject = coalesce(subject, '') || 'x'",
					subject_type: "subject_type = case when subject_type = 'breach' then 'customer' else 'breach' end",
					fields: `fields = case when fields = '[]' then '["balance"]' else '[]' end`,
					details: `details = case when details = '{}' then '{"x":1}' else '{}' end`,
					prev_hash: `prev_hash = '${randomHash()}'`,
					hash: `hash = '${randomHash()}'`
				};
				await dbExec(m.t.ctx.db, sql`update audit_entry set ${sql.raw(tamper[column])} where seq = ${seq}`);
				expect(await verifyAuditChain(m.t.ctx.db, m.t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: seq });
				m.t.close();
			}),
			{ numRuns: 60 }
		);
	});

	it('names any audit row that is deleted, short of the last', async () => {
		await fc.assert(
			fc.asyncProperty(sequences, fc.nat(), async (ops, pick) => {
				const m = await runSequence(ops, runCounter++);
				const count = await auditCount(m.t);
				const seq = 1 + (pick % (count - 1));
				await disableTriggers(m.t);
				await dbExec(m.t.ctx.db, sql`delete from audit_entry where seq = ${seq}`);
				expect(await verifyAuditChain(m.t.ctx.db, m.t.ctx.workspaceId)).toMatchObject({ ok: false, firstBadSeq: seq });
				m.t.close();
			}),
			{ numRuns: 30 }
		);
	});
});
