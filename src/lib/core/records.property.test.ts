/**
 * Property tests over random customers and random sequences of the record operations:
 * - no value of a customer field ever appears in the audit log (or in a finding);
 * - the audit chain always verifies;
 * - erasure leaves no personal value of the person anywhere in the database outside legal holds;
 * - search finds a customer by each of their identifiers in any accepted format;
 * - no restricted value (Art 18(2)), and no value kept only for a legal hold (MLR 2017 reg 41), is
 *   ever shown, read back or corrected in servicing.
 */
import { mapInOrder } from './in-order';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { verifyAuditChain } from './audit';
import { dbQuery, engineOf } from './database';
import { addCustomerFields, endRelationship, getCustomer, readBack, recordCustomer } from './customers';
import { completeField, confirmAccuracy, contestField, correctField, fieldHistory } from './corrections';
import { giveConsent, recordMarketingObjection, withdrawConsent } from './consent';
import { runDisposal } from './disposal';
import { anonymiseCustomerData, eraseCustomerData } from './erasure';
import { findHeldValue, heldValues } from './held-values';
import { applyLegalHold, releaseLegalHold } from './legal-hold';
import { liftRestriction, notifyRestrictionLift, restrictField } from './restriction';
import { searchCustomers } from './search';
import { foldText } from './collection';
import { closeTestContextsAfterEach, createTestContext, type TestContext } from './testing';
import { defineStandardPurposes } from './testing-records';

closeTestContextsAfterEach();

// Names chosen to include accents, apostrophes and hyphens; random ones start with Q, which no
// camelCase word of the audit vocabulary does, so a match in the log can only be a leaked value.
const NAMES = ['Zoë', 'Siân', 'Nguyễn', "O'Brien", 'Okafor', 'Kowalski', 'MacDonald', 'Smith-Jones', 'Patel', 'Ferreira', 'Ada', 'Lovelace', 'Hywel', 'Aoife', 'Bartholomew', 'Yusuf', 'Małgorzata', 'Søren'];
const name = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^Q[a-z]{3,8}$/));
const postcode = fc
	.tuple(
		fc.constantFrom('SW', 'M', 'B', 'CR', 'DN', 'EC', 'BT', 'EH', 'CF', 'LS', 'G', 'NW', 'SE', 'OX'),
		fc.integer({ min: 1, max: 20 }),
		fc.integer({ min: 0, max: 9 }),
		fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ'),
		fc.constantFrom(...'ABDEFGHJLNPQRSTUWXYZ')
	)
	.map(([area, district, sector, a, b]) => `${area}${district} ${sector}${a}${b}`);
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const phone = fc.oneof(
	fc.tuple(fc.constantFrom('1', '2', '3', '4', '5', '7', '8', '9'), digits(8)).map(([d, rest]) => `07${d}${rest.slice(0, 2)} ${rest.slice(2)}`),
	digits(4).map((d) => `020 7946 ${d}`),
	digits(4).map((d) => `0113 496 ${d}`)
);
const email = fc.tuple(fc.stringMatching(/^[a-z]{3,8}[0-9]{0,3}$/), fc.constantFrom('example.com', 'example.org', 'mail.example')).map(([l, d]) => `${l}@${d}`);
const dateOfBirth = fc.date({ min: new Date('1930-01-01T00:00:00Z'), max: new Date('2005-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const street = fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('High Street', 'Mill Lane', 'Station Road', 'Church Walk')).map(([n, s]) => `${n} ${s}`);

const customerArb = fc.record({
	givenName: name,
	familyName: name,
	dateOfBirth,
	addressLine1: street,
	postcode,
	email,
	mobilePhone: phone,
	nationalInsuranceNumber: fc.tuple(fc.constantFrom('AB', 'CE', 'JG', 'SK', 'WP'), digits(6), fc.constantFrom('A', 'B', 'C', 'D')).map((p) => p.join('')),
	vulnerabilityNote: fc.constantFrom('Uses a wheelchair', 'Hearing impaired since 2019', 'Recently bereaved', 'Needs large print letters')
});
type CustomerValues = typeof customerArb extends fc.Arbitrary<infer T> ? T : never;

const FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'postcode', 'email', 'mobilePhone', 'nationalInsuranceNumber', 'vulnerabilityNote'] as const;
const field = fc.constantFrom(...FIELDS);
const who = fc.nat();

const operation = fc.oneof(
	fc.record({ kind: fc.constant('record' as const), values: customerArb }),
	fc.record({ kind: fc.constant('correct' as const), who, values: customerArb, field: fc.constantFrom('givenName', 'familyName', 'dateOfBirth', 'postcode', 'email', 'mobilePhone') }),
	fc.record({ kind: fc.constant('complete' as const), who, field, statement: fc.constantFrom('Moved in with Qarlotte', 'Flat at rear of Qorbin House') }),
	fc.record({ kind: fc.constant('contest' as const), who, field, confirm: fc.boolean() }),
	fc.record({ kind: fc.constant('restrict' as const), who, field, lift: fc.boolean() }),
	fc.record({ kind: fc.constant('hold' as const), who, release: fc.boolean() }),
	fc.record({ kind: fc.constant('consent' as const), who, channel: fc.constantFrom('email' as const, 'sms' as const), withdraw: fc.boolean(), object: fc.boolean() }),
	fc.record({ kind: fc.constant('search' as const), who, field: fc.constantFrom('givenName', 'familyName', 'postcode', 'email', 'mobilePhone', 'dateOfBirth') }),
	fc.record({ kind: fc.constant('view' as const), who }),
	fc.record({ kind: fc.constant('add' as const), who, tariff: fc.constantFrom('Fixed 24', 'Standard variable', 'Qreen Saver') }),
	fc.record({ kind: fc.constant('end' as const), who, years: fc.integer({ min: 0, max: 8 }) }),
	fc.record({ kind: fc.constant('erase' as const), who, all: fc.boolean() }),
	fc.record({ kind: fc.constant('anonymise' as const), who })
);
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

const PURPOSES = ['account-servicing', 'identity-checks', 'marketing', 'vulnerability-support'];

/** Runs operations, tracking every personal value offered, stored or searched for, by customer. */
class Simulation {
	readonly t: TestContext;
	readonly customers: string[] = [];
	/** customer id → every value (as offered and as stored, and its search form) it ever held. */
	readonly values = new Map<string, Set<string>>();

	private constructor(t: TestContext) {
		this.t = t;
	}

	static async start(policyMode: 'record' | 'enforce'): Promise<Simulation> {
		const t = await createTestContext({ workspace: { policyMode } });
		await defineStandardPurposes(t.ctx);
		return new Simulation(t);
	}

	private note(customerId: string, ...texts: (string | null | undefined)[]) {
		const set = this.values.get(customerId) ?? new Set<string>();
		for (const text of texts) if (text) set.add(text);
		this.values.set(customerId, set);
	}

	private async noteStored(customerId: string) {
		for (const h of await heldValues(this.t.ctx, customerId)) this.note(customerId, h.value, h.normalised);
	}

	async record(values: CustomerValues): Promise<string | undefined> {
		const result = await recordCustomer(this.t.ctx, {
			purposeCodes: PURPOSES,
			fields: { ...values },
			conditions: { vulnerabilityNote: { art9Condition: 'substantial-public-interest', schedule1Condition: 'Sch 1 para 18' } }
		});
		if (!result.ok) return undefined;
		this.customers.push(result.value.id);
		this.note(result.value.id, ...Object.values(values));
		await this.noteStored(result.value.id);
		return result.value.id;
	}

	async run(op: Operation): Promise<void> {
		const ctx = this.t.ctx;
		if (op.kind === 'record') {
			await this.record(op.values);
			return;
		}
		const id = this.customers[op.who % Math.max(1, this.customers.length)];
		if (id === undefined) return;
		switch (op.kind) {
			case 'correct': {
				const newValue = op.values[op.field];
				this.note(id, newValue);
				await correctField(ctx, { customerId: id, field: op.field, newValue, reason: 'customer asked' });
				break;
			}
			case 'complete':
				this.note(id, op.statement);
				await completeField(ctx, { customerId: id, field: op.field, statement: op.statement });
				break;
			case 'contest':
				await contestField(ctx, { customerId: id, field: op.field, reason: 'disputed' });
				if (op.confirm) await confirmAccuracy(ctx, { customerId: id, field: op.field, reason: 'checked' });
				break;
			case 'restrict':
				await restrictField(ctx, { customerId: id, fields: [op.field], ground: 'accuracy-contested', reason: 'while checked' });
				if (op.lift) {
					await notifyRestrictionLift(ctx, { customerId: id, fields: [op.field], channel: 'letter' });
					await liftRestriction(ctx, { customerId: id, fields: [op.field], reason: 'checked' });
				}
				break;
			case 'hold':
				if (op.release) await releaseLegalHold(ctx, { customerId: id, reason: 'claim settled' });
				else await applyLegalHold(ctx, { customerId: id, fields: ['nationalInsuranceNumber', 'dateOfBirth'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
				break;
			case 'consent':
				await giveConsent(ctx, { customerId: id, purposeCode: 'marketing', channel: op.channel, method: 'online', noticeVersion: 'v2', evidenceRef: 'web-form' });
				if (op.withdraw) await withdrawConsent(ctx, { customerId: id, purposeCode: 'marketing', channel: op.channel });
				if (op.object) await recordMarketingObjection(ctx, { customerId: id, channel: op.channel });
				break;
			case 'search': {
				const held = await findHeldValue(ctx, id, op.field);
				if (held?.value) {
					const key = op.field === 'givenName' || op.field === 'familyName' ? 'name' : op.field === 'mobilePhone' ? 'phone' : op.field;
					await searchCustomers(ctx, { [key]: held.value });
				}
				break;
			}
			case 'view':
				await getCustomer(ctx, id, { purposeCode: 'account-servicing' });
				await readBack(ctx, id, ['postcode']);
				await fieldHistory(ctx, id);
				break;
			case 'add':
				this.note(id, op.tariff);
				await addCustomerFields(ctx, { customerId: id, purposeCodes: ['account-servicing'], fields: { tariff: op.tariff } });
				break;
			case 'end':
				await endRelationship(ctx, id);
				this.t.clock.advance(op.years * 365 * 86_400_000);
				await runDisposal(ctx, { asOf: this.t.clock.now().slice(0, 10) });
				break;
			case 'erase':
				await eraseCustomerData(ctx, { customerId: id, categories: op.all ? 'all' : ['contact', 'vulnerability'], reason: 'erasure request' });
				break;
			case 'anonymise':
				await anonymiseCustomerData(ctx, { customerId: id, reason: 'retention over' });
				break;
		}
		await this.noteStored(id);
	}

	/**
	 * Every value worth looking for: three characters or more, and not bare lower-case hex (a folded
	 * "ada" or "bea" can be part of any id or hash, so finding it proves nothing).
	 */
	allValues(customerId?: string): string[] {
		const sets = customerId === undefined ? [...this.values.values()] : [this.values.get(customerId) ?? new Set<string>()];
		return [...new Set(sets.flatMap((s) => [...s]))].filter((v) => v.length >= 3 && !/^[0-9a-f]+$/.test(v));
	}

	/**
	 * Every text in every column of every table (SQLite: with the FTS5 shadow tables; PostgreSQL: with
	 * the name search's table and its tsvector), blobs read as UTF-8.
	 */
	async databaseTexts(): Promise<{ table: string; text: string }[]> {
		const db = this.t.ctx.db;
		const tables = await dbQuery<{ name: string }>(
			db,
			engineOf(db) === 'postgres'
				? sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`
				: // a virtual table is read through its shadow tables, which hold what the index stores
					sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL%'`
		);
		const texts: { table: string; text: string }[] = [];
		for (const { name: table } of tables) {
			for (const row of await dbQuery<Record<string, unknown>>(db, sql.raw(`select * from "${table}"`))) {
				for (const cell of Object.values(row)) {
					if (typeof cell === 'string') texts.push({ table, text: cell });
					else if (Buffer.isBuffer(cell)) texts.push({ table, text: cell.toString('utf8') }, { table, text: cell.toString('latin1') });
				}
			}
		}
		return texts;
	}
}

const rowsText = async (t: TestContext, table: string) =>
	(await dbQuery<Record<string, unknown>>(t.ctx.db, sql.raw(`select * from ${table}`))).map((row) => Object.values(row).join('\u0000')).join('\n');
const auditText = async (t: TestContext) => (await rowsText(t, 'audit_entry')) + (await rowsText(t, 'finding'));

describe('properties of the record operations', () => {
	it('never writes a value of a customer field to the audit log or a finding, in either mode', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom('record' as const, 'enforce' as const), customerArb, fc.array(operation, { maxLength: 25 }), async (mode, first, ops) => {
				const sim = await Simulation.start(mode);
				await sim.record(first);
				for (const op of ops) await sim.run(op);
				const text = await auditText(sim.t);
				for (const value of sim.allValues()) {
					expect(text.includes(value), `audit log contains "${value}"`).toBe(false);
				}
				sim.t.close();
			}),
			{ numRuns: 40 }
		);
	});

	it('keeps the audit chain verifiable after any sequence of operations', async () => {
		await fc.assert(
			fc.asyncProperty(customerArb, fc.array(operation, { maxLength: 30 }), async (first, ops) => {
				const sim = await Simulation.start('record');
				await sim.record(first);
				for (const op of ops) await sim.run(op);
				expect(await verifyAuditChain(sim.t.ctx.db, sim.t.ctx.workspaceId)).toMatchObject({ ok: true });
				sim.t.close();
			}),
			{ numRuns: 40 }
		);
	});

	it('leaves no personal value of an erased person anywhere in the database outside legal holds', async () => {
		await fc.assert(
			fc.asyncProperty(customerArb, fc.array(operation, { maxLength: 25 }), fc.boolean(), async (target, ops, holdFirst) => {
				const sim = await Simulation.start('record');
				const id = await sim.record(target);
				if (id === undefined) return;
				for (const op of ops) await sim.run(op);
				if (holdFirst && (await findHeldValue(sim.t.ctx, id, 'nationalInsuranceNumber'))?.erasedAt === null) {
					await applyLegalHold(sim.t.ctx, { customerId: id, fields: ['nationalInsuranceNumber'], reasonCode: 'money-laundering-records', reason: 'MLR 2017 reg 40' });
				}
				const erased = await eraseCustomerData(sim.t.ctx, { customerId: id, reason: 'erasure request' });
				expect(erased.ok).toBe(true);
				// Values still held lawfully: the person's own under legal hold (with their history), and
				// anyone else's that happen to be equal.
				const kept = new Set<string>();
				for (const h of (await heldValues(sim.t.ctx, id)).filter((v) => v.legalHold)) {
					for (const row of await dbQuery<{ old_value: string | null; new_value: string | null }>(sim.t.ctx.db, sql`select old_value, new_value from customer_field_history where value_id = ${h.id}`)) {
						for (const v of [row.old_value, row.new_value]) if (v) kept.add(v);
					}
					for (const v of [h.value, h.normalised]) if (v) kept.add(v);
				}
				for (const other of sim.customers.filter((c) => c !== id)) for (const v of sim.allValues(other)) kept.add(v);
				const texts = await sim.databaseTexts();
				for (const value of sim.allValues(id)) {
					if ([...kept].some((k) => k.includes(value) || foldText(k).includes(foldText(value)))) continue;
					const found = texts.find((t) => t.text.includes(value));
					expect(found, `"${value}" is still in ${found?.table}`).toBeUndefined();
				}
				sim.t.close();
			}),
			{ numRuns: 40 }
		);
	});

	it('Art 18(2), MLR 2017 reg 41: after any sequence of operations, no restricted value or value kept only for a hold is shown, read back or corrected in servicing', async () => {
		await fc.assert(
			fc.asyncProperty(customerArb, fc.array(operation, { maxLength: 20 }), async (first, ops) => {
				const sim = await Simulation.start('record');
				await sim.record(first);
				for (const op of ops) await sim.run(op);
				for (const id of sim.customers) {
					const barred = (await heldValues(sim.t.ctx, id)).filter((h) => h.value !== null && (h.restricted || h.keptForHoldOnly));
					const view = await getCustomer(sim.t.ctx, id, { purposeCode: 'account-servicing' });
					if (!view.ok) throw new Error(view.error.message);
					for (const h of barred) {
						const code = h.restricted ? 'field.restricted' : 'field.kept-for-hold-only';
						// What an anonymisation left of a restricted value (a postcode's district) is refused
						// as anonymised by the operations that name the field; still never shown or changed.
						const refusedAs = h.anonymisedAt !== null ? expect.stringMatching(`^(${code}|field.erased)$`) : code;
						const shown = view.value.fields.find((f) => f.field === h.field);
						if (shown) expect(shown, h.field).toMatchObject({ value: null, withheld: { code } });
						expect(await readBack(sim.t.ctx, id, [h.field]), h.field).toMatchObject({ ok: false, error: { code: refusedAs } });
						expect(await correctField(sim.t.ctx, { customerId: id, field: h.field, newValue: 'Qzz', reason: 'servicing' }), h.field).toMatchObject({ ok: false, error: { code: refusedAs } });
						expect((await findHeldValue(sim.t.ctx, id, h.field))?.value, h.field).toBe(h.value);
					}
				}
				sim.t.close();
			}),
			{ numRuns: 12 }
		);
	});

	it('finds a customer by each of their identifiers in any accepted format', async () => {
		const formats = fc.record({
			spacedPostcode: fc.boolean(),
			lowerPostcode: fc.boolean(),
			phoneStyle: fc.constantFrom('national', 'international', '0044', 'brackets', 'hyphens'),
			ukDate: fc.boolean(),
			shoutEmail: fc.boolean(),
			foldName: fc.boolean(),
			lowerReference: fc.boolean()
		});
		await fc.assert(
			fc.asyncProperty(fc.array(customerArb, { minLength: 1, maxLength: 6 }), fc.nat(), formats, async (people, pick, f) => {
				const sim = await Simulation.start('record');
				const ids = await mapInOrder(people, async (p) => await sim.record(p));
				const index = pick % people.length;
				const id = ids[index];
				const person = people[index]!;
				if (id === undefined) return;
				const reference = (await heldValues(sim.t.ctx, id)).length > 0 ? (await dbQuery<{ reference: string }>(sim.t.ctx.db, sql`select reference from customer where id = ${id}`))[0]!.reference : '';
				const compact = person.postcode.replace(' ', '');
				const digitsOnly = person.mobilePhone.replace(/\s/g, '').slice(1);
				const phoneText = {
					national: person.mobilePhone,
					international: `+44 ${digitsOnly}`,
					'0044': `0044${digitsOnly}`,
					brackets: `+44 (0)${digitsOnly}`,
					hyphens: `0${digitsOnly.slice(0, 4)}-${digitsOnly.slice(4)}`
				}[f.phoneStyle];
				const [y, m, d] = person.dateOfBirth.split('-');
				const queries = [
					{ postcode: f.lowerPostcode ? (f.spacedPostcode ? person.postcode : compact).toLowerCase() : f.spacedPostcode ? person.postcode : compact },
					{ phone: phoneText },
					{ dateOfBirth: f.ukDate ? `${d}/${m}/${y}` : person.dateOfBirth },
					{ email: f.shoutEmail ? person.email.toUpperCase() : person.email },
					{ name: f.foldName ? foldText(person.familyName) : person.familyName },
					{ name: `${person.givenName} ${person.familyName}` },
					{ reference: f.lowerReference ? reference.toLowerCase() : reference }
				];
				for (const query of queries) {
					const result = await searchCustomers(sim.t.ctx, { ...query, pageSize: 100 });
					expect(result.ok, JSON.stringify(query)).toBe(true);
					if (result.ok) expect(result.value.hits.map((h) => h.customerId), JSON.stringify(query)).toContain(id);
				}
				sim.t.close();
			}),
			{ numRuns: 50 }
		);
	});
});
