import { mapInOrder } from '$lib/core/in-order';
import { dbQuery, writeTransaction } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { closeTestDatabase, openTestDatabase } from '../core/testing-database';
import { stringify } from 'yaml';
import {
	auditEntries,
	breachRegister,
	disclosuresOf,
	getRequest,
	getWorkspace,
	heldValues,
	interactionsOf,
	mayMarket,
	searchOpgRegister,
	seededIds,
	thirdPartiesOf,
	verifyAuditChain,
	type Db
} from '../core';
import { parseScenario, type LoadedScenario } from './scenario-check';
import { checkSeed, normaliseSeedValue, seedInstant, seedWorkspace, SEEDING_ACTOR } from './seeding';
import { attemptEvents, startAttempt } from './runtime';
import { sampleScenarioInput } from './testing';

/** The sample scenario with a seed that uses every kind of record the file format has. */
function richInput() {
	const input = sampleScenarioInput();
	Object.assign(input, { organisation: { name: 'Fenland Water plc', region: 'scotland' } });
	input.seed = {
		retentionRules: [
			{ code: 'billing-records', description: 'Six years after closure.', periodMonths: 72, trigger: 'relationship-ended' },
			{ code: 'aml-records', description: 'Customer due diligence.', periodMonths: 60, trigger: 'relationship-ended', authority: 'MLR 2017 reg 40' },
			{ code: 'marketing-preferences', description: 'Two years after withdrawal.', periodMonths: 24, trigger: 'consent-withdrawn' }
		],
		purposes: [
			{
				code: 'supply-and-billing',
				name: 'Supply and billing',
				description: 'Supplying water and billing for it.',
				lawfulBasis: 'contract',
				fields: ['givenName', 'familyName', 'dateOfBirth', 'addressLine1', 'town', 'postcode', 'email', 'mobilePhone', 'balance', 'loyaltyTier', 'supplyStartDate'],
				requiredFields: ['givenName', 'familyName', 'postcode'],
				fieldCategories: { loyaltyTier: 'account' },
				recipientCategories: ['collections team'],
				retention: 'billing-records'
			},
			{
				code: 'marketing',
				name: 'Offers',
				description: 'Offers by the channels agreed.',
				lawfulBasis: 'consent',
				directMarketing: true,
				fields: ['email', 'mobilePhone', 'marketingPreference'],
				retention: 'marketing-preferences'
			},
			{
				code: 'priority-services',
				name: 'Priority services',
				description: 'Extra help for customers who need it.',
				lawfulBasis: 'legal-obligation',
				fields: ['vulnerabilityNote'],
				retention: 'billing-records'
			}
		],
		customers: [
			{
				key: 'daniel',
				reference: 'FW-2048817',
				since: '2019-06-14',
				fields: {
					identity: { givenName: 'Daniel', familyName: 'Hughes', dateOfBirth: '1979-04-18' },
					contact: { addressLine1: '14 Larch Close', town: 'Kettering', postcode: 'NN15 7QA', email: 'dan.hughes@example.com', mobilePhone: '07700 900318' },
					account: { loyaltyTier: 'Gold', supplyStartDate: '2019-06-14' },
					financial: { balance: '£182.40 in credit' },
					preferences: { marketingPreference: 'Email only' }
				},
				metadata: {
					marketingPreference: { purpose: 'marketing', collectedAt: '2023-05-02' },
					balance: { accuracy: 'contested', restricted: true },
					dateOfBirth: { legalHold: 'MLR 2017 reg 40: five years after the relationship ends' }
				},
				specialCategory: [
					{
						field: 'vulnerabilityNote',
						category: 'vulnerability',
						value: 'Prefers calls after 2pm; recently bereaved.',
						art9Condition: 'substantial-public-interest',
						schedule1Condition: 'Sch 1 para 18 safeguarding of individuals at risk',
						collectedAt: '2024-01-10'
					}
				]
			},
			{
				key: 'olive',
				reference: 'FW-1000001',
				since: '2015-02-01',
				relationshipEnded: '2024-12-31',
				suppressed: true,
				fields: { identity: { givenName: 'Olive', familyName: 'Grant' }, contact: { postcode: 'NN14 6BE' }, financial: { balance: '£64.18 owed (final bill)' } }
			}
		],
		consents: [
			{
				key: 'daniel-email',
				customer: 'daniel',
				purpose: 'marketing',
				channel: 'email',
				method: 'online',
				noticeVersion: 'PN-2023.2',
				evidenceRef: 'WEB-1',
				givenAt: '2023-05-02T19:12:00+01:00'
			},
			{
				key: 'daniel-sms',
				customer: 'daniel',
				purpose: 'marketing',
				channel: 'sms',
				method: 'online',
				noticeVersion: 'PN-2023.2',
				evidenceRef: 'WEB-2',
				givenAt: '2023-05-02T19:13:00+01:00',
				withdrawnAt: '2024-02-01'
			}
		],
		thirdParties: [
			{
				key: 'sarah-authority',
				customer: 'daniel',
				name: 'Sarah Hughes',
				relationship: 'spouse',
				authorityType: 'written-authority',
				evidenceRef: 'TPA-FORM-77',
				scope: { categories: ['contact', 'account'], actions: ['receive-information', 'make-changes'] },
				validFrom: '2024-06-01'
			},
			{
				key: 'old-authority',
				customer: 'daniel',
				name: 'Mark Hughes',
				relationship: 'brother',
				authorityType: 'written-authority',
				evidenceRef: 'TPA-FORM-12',
				scope: { categories: ['all'], actions: ['receive-information'] },
				validFrom: '2020-01-01',
				revokedAt: '2022-01-01'
			}
		],
		interactions: [
			{
				key: 'sarah-called',
				customer: 'daniel',
				thirdParty: 'sarah-authority',
				channel: 'phone',
				direction: 'inbound',
				partyType: 'authorised-third-party',
				at: '2024-11-02T10:05:00+00:00',
				nature: 'Meter readings',
				notes: 'Gave readings.'
			}
		],
		disclosures: [
			{
				key: 'told-neighbour',
				customer: 'daniel',
				recipientType: 'unauthorised-third-party',
				recipientName: 'a neighbour',
				route: 'none',
				fields: ['town'],
				basisOrExemption: 'none',
				channel: 'phone',
				at: '2024-03-01T12:00:00+00:00'
			},
			{
				key: 'told-daniel',
				customer: 'daniel',
				recipientType: 'data-subject',
				recipientName: 'Daniel Hughes',
				route: 'verified-data-subject',
				fields: ['balance'],
				basisOrExemption: 'own data',
				channel: 'phone',
				at: '2024-03-02T12:00:00+00:00'
			},
			{
				key: 'told-sarah',
				customer: 'daniel',
				recipientType: 'authorised-third-party',
				recipientName: 'Sarah Hughes',
				thirdParty: 'sarah-authority',
				route: 'authorised-third-party',
				fields: ['loyaltyTier'],
				basisOrExemption: 'written authority',
				channel: 'phone',
				at: '2024-11-02T10:10:00+00:00'
			},
			{
				key: 'told-collections',
				customer: 'daniel',
				recipientType: 'colleague',
				recipientName: 'J. Patel',
				recipientRole: 'collections team',
				route: 'colleague-need-to-know',
				purpose: 'supply-and-billing',
				fields: ['mobilePhone'],
				basisOrExemption: 'contract',
				channel: 'internal',
				at: '2024-12-01T09:30:00+00:00'
			},
			{
				key: 'told-police',
				customer: 'daniel',
				recipientType: 'police',
				recipientName: 'PC 1234 Smith',
				recipientOrganisation: 'Northamptonshire Police',
				route: 'exemption',
				fields: ['addressLine1', 'postcode'],
				basisOrExemption: 'DPA 2018 Sch 2 Pt 1 para 2',
				channel: 'email',
				at: '2025-01-15T11:00:00+00:00'
			},
			{
				key: 'told-court',
				customer: 'daniel',
				recipientType: 'regulator',
				recipientName: 'County Court',
				route: 'legal-obligation',
				fields: ['addressLine1'],
				basisOrExemption: 'Court order K00NN123',
				channel: 'letter',
				at: '2025-02-01T11:00:00+00:00'
			}
		],
		requests: [
			{ key: 'r-received', customer: 'daniel', kind: 'access', state: 'received', channel: 'phone', verbal: true, description: 'Everything you hold', requesterType: 'data-subject', receivedAt: '2025-03-03T10:00:00+00:00' },
			{ key: 'r-id', customer: 'daniel', kind: 'access', state: 'awaiting-id', channel: 'email', verbal: false, description: 'My data', requesterType: 'data-subject', receivedAt: '2025-03-03T11:00:00+00:00' },
			{
				key: 'r-clarify',
				customer: 'daniel',
				kind: 'access',
				state: 'awaiting-clarification',
				channel: 'letter',
				verbal: false,
				description: 'All records',
				requesterType: 'data-subject',
				receivedAt: '2025-03-03T12:00:00+00:00',
				clarificationRequestedAt: '2025-03-04T09:00:00+00:00'
			},
			{ key: 'r-fee', customer: 'daniel', kind: 'access', state: 'awaiting-fee', channel: 'letter', verbal: false, description: 'Tenth copy this year', requesterType: 'data-subject', receivedAt: '2025-03-03T13:00:00+00:00' },
			{
				key: 'r-working',
				customer: 'daniel',
				kind: 'rectification',
				state: 'in-progress',
				channel: 'phone',
				verbal: true,
				description: 'Wrong town',
				requesterType: 'data-subject',
				receivedAt: '2025-02-20T10:00:00+00:00',
				idRequestedAt: '2025-02-20T10:05:00+00:00',
				idReceivedAt: '2025-02-22T09:00:00+00:00'
			},
			{ key: 'r-extended', customer: 'daniel', kind: 'access', state: 'extended', channel: 'email', verbal: false, description: 'Complex request', requesterType: 'data-subject', receivedAt: '2025-02-10T10:00:00+00:00' },
			{ key: 'r-ready', customer: 'daniel', kind: 'access', state: 'response-ready', channel: 'email', verbal: false, description: 'Copy of my data', requesterType: 'data-subject', receivedAt: '2025-02-12T10:00:00+00:00' }
		],
		breaches: [
			{
				key: 'lost-laptop',
				awareAt: '2025-03-05T16:00:00+00:00',
				occurredAt: '2025-03-05',
				description: 'A laptop left on a train.',
				dataCategories: ['contact'],
				subjectCategories: ['customers'],
				approxSubjects: 1,
				approxRecords: 1,
				affectedCustomers: ['daniel'],
				likelyConsequences: 'Unwanted contact.',
				risk: 'risk'
			}
		]
	} as never;
	return input;
}

function load(input: unknown): LoadedScenario {
	const parsed = parseScenario('scenarios/test-scenario.yaml', stringify(input));
	if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
	return { file: 'scenarios/test-scenario.yaml', scenario: parsed.scenario, version: parsed.version, hash: parsed.hash };
}

/** Seeds in a transaction of its own, rolled back when the seeding fails, as startAttempt does. */
async function seedInto(db: Db, loaded: LoadedScenario, seed = 's'): Promise<Awaited<ReturnType<typeof seedWorkspace>>> {
	let failed: Awaited<ReturnType<typeof seedWorkspace>> | undefined;
	try {
		return await writeTransaction(db, async () => {
				const seeded = await seedWorkspace(db, loaded.scenario, { workspaceId: `ws-${seed}`, ids: seededIds(seed) });
				if (seeded.ok) return seeded;
				failed = seeded;
				throw new Error('roll back');
			});
	} catch (error) {
		if (failed) return failed;
		throw error;
	}
}

const ctxOf = (db: Db, workspaceId: string) => ({ db, workspaceId, actor: SEEDING_ACTOR, clock: () => '2025-03-07T15:40:00.000Z', ids: seededIds('read') });

describe('seeding an attempt’s workspace through the core', () => {
	const loaded = load(richInput());

	it('creates every kind of seeded record through the core, each key mapped to the id the core gave', async () => {
		const db = await openTestDatabase();
		const seeded = await seedInto(db, loaded);
		if (!seeded.ok) throw new Error(`${seeded.error.path}: ${seeded.error.message}`);
		const { seedIds, workspaceId } = seeded.value;
		expect(Object.keys(seedIds).sort()).toEqual(
			[
				'daniel',
				'olive',
				'daniel-email',
				'daniel-sms',
				'sarah-authority',
				'old-authority',
				'sarah-called',
				'told-neighbour',
				'told-daniel',
				'told-sarah',
				'told-collections',
				'told-police',
				'told-court',
				'r-received',
				'r-id',
				'r-clarify',
				'r-fee',
				'r-working',
				'r-extended',
				'r-ready',
				'lost-laptop'
			].sort()
		);
		expect(await getWorkspace(db, workspaceId)).toMatchObject({ ok: true, value: { organisationName: 'Fenland Water plc', region: 'scotland', policyMode: 'record' } });
		const ctx = ctxOf(db, workspaceId);

		// Values with their purposes, times, accuracy, restriction, holds and special category conditions.
		const held = new Map((await heldValues(ctx, seedIds.daniel!)).map((h) => [h.field, h]));
		expect(held.get('givenName')).toMatchObject({ purposeCode: 'supply-and-billing', collectedAt: '2019-06-14T08:00:00.000Z' });
		expect(held.get('marketingPreference')).toMatchObject({ purposeCode: 'marketing', collectedAt: '2023-05-02T08:00:00.000Z' });
		expect(held.get('balance')).toMatchObject({ value: '182.40', accuracy: 'contested', restricted: true });
		expect(held.get('dateOfBirth')).toMatchObject({ legalHold: true });
		expect(held.get('vulnerabilityNote')).toMatchObject({ kind: 'special-category', collectedAt: '2024-01-10T09:00:00.000Z' });
		expect(held.get('loyaltyTier')?.category).toBe('account');
		const olive = await heldValues(ctx, seedIds.olive!);
		expect(olive.find((h) => h.field === 'balance')?.value).toBe('-64.18');
		expect(olive.every((h) => h.retainUntil === '2030-12-31')).toBe(true);
		expect(await mayMarket(ctx, seedIds.daniel!, 'email')).toBe(true);
		expect(await mayMarket(ctx, seedIds.daniel!, 'sms')).toBe(false);

		expect((await thirdPartiesOf(ctx, seedIds.daniel!)).map((t) => [t.name, t.revokedAt !== null])).toEqual([
			['Mark Hughes', true],
			['Sarah Hughes', false]
		]);
		expect(await interactionsOf(ctx, seedIds.daniel!)).toMatchObject([{ occurredAt: '2024-11-02T10:05:00.000Z', thirdPartyId: seedIds['sarah-authority'] }]);

		// Each disclosure judged by the engine as its route says; the unauthorised one opened a breach.
		const disclosures = new Map((await disclosuresOf(ctx, seedIds.daniel!)).map((d) => [d.id, d]));
		expect(disclosures.get(seedIds['told-neighbour']!)).toMatchObject({ authorised: false, route: 'none' });
		for (const [key, route] of [
			['told-daniel', 'verified-data-subject'],
			['told-sarah', 'authorised-third-party'],
			['told-collections', 'colleague-need-to-know'],
			['told-police', 'exemption'],
			['told-court', 'legal-obligation']
		] as const) {
			expect(disclosures.get(seedIds[key]!)).toMatchObject({ authorised: true, route });
		}
		expect((await breachRegister(ctx)).map((b) => [b.sourceDisclosureId, b.risk])).toEqual(
			expect.arrayContaining([
				[seedIds['told-neighbour'], 'unassessed'],
				[null, 'risk']
			])
		);

		// Requests moved to their states through the transitions.
		const states = Object.fromEntries(await mapInOrder(['r-received', 'r-id', 'r-clarify', 'r-fee', 'r-working', 'r-extended', 'r-ready'], async (k) => [k, (await getRequest(ctx, seedIds[k]!))?.state]));
		expect(states).toEqual({
			'r-received': 'received',
			'r-id': 'awaiting-id',
			'r-clarify': 'awaiting-clarification',
			'r-fee': 'awaiting-fee',
			'r-working': 'in-progress',
			'r-extended': 'extended',
			'r-ready': 'response-ready'
		});
		// ID received on 22 Feb: the clock starts then (ICO: the relevant time is the receipt of ID).
		expect(await getRequest(ctx, seedIds['r-working']!)).toMatchObject({ relevantTime: '2025-02-22T09:00:00.000Z', dueDate: '2025-03-24' });

		// All by the system, at the times the file gives, on one valid chain.
		const entries = await auditEntries(db, workspaceId);
		expect(new Set(entries.map((e) => e.actorRole))).toEqual(new Set(['system']));
		expect(entries.every((e) => e.at <= '2025-03-07T15:40:00.000Z')).toBe(true);
		expect(seeded.value.auditSeq).toBe(entries.length);
		expect((await verifyAuditChain(db, workspaceId)).ok).toBe(true);
		expect(seeded.value.adjustments).toEqual([
			// Olive's record is the older: records are seeded in time order.
			{ path: 'seed.customers[1].fields.financial.balance', from: '£64.18 owed (final bill)', to: '-64.18' },
			{ path: 'seed.customers[0].fields.financial.balance', from: '£182.40 in credit', to: '182.40' }
		]);
	});

	it('leaves nothing of the seeding in the attempt’s event log', async () => {
		const db = await openTestDatabase();
		const started = await startAttempt(db, loaded, { ownerId: 'learner-1', seed: 'quiet' });
		if (!started.ok) throw new Error(started.error.message);
		expect((await auditEntries(db, started.value.workspaceId)).length).toBeGreaterThan(40);
		expect(await attemptEvents(db, started.value.id)).toEqual([]);
	});

	it('gives the same ids and audit hashes for the same seed, in another database', async () => {
		const heads = await mapInOrder([await openTestDatabase(), await openTestDatabase()], async (db) => {
			const seeded = await seedInto(db, loaded, 'same');
			if (!seeded.ok) throw new Error(seeded.error.message);
			return [seeded.value.seedIds, await verifyAuditChain(db, seeded.value.workspaceId)];
		});
		expect(heads[0]).toEqual(heads[1]);
	});

	describe('refuses a seed the core cannot agree with, naming the place in the file', () => {
		const failing = async (change: (input: ReturnType<typeof richInput>) => void) => {
			const input = richInput();
			change(input);
			const db = await openTestDatabase();
			const seeded = await seedInto(db, load(input));
			// Nothing half-seeded: the caller's transaction rolled back.
			expect(await dbQuery(db, sql`select count(*) as n from workspace`)).toEqual([{ n: 0 }]);
			if (seeded.ok) throw new Error('expected the seeding to fail');
			return seeded.error;
		};
		const seedOf = (input: ReturnType<typeof richInput>) => input.seed as unknown as { customers: { fields: Record<string, Record<string, string>> }[]; disclosures: { route: string }[]; requests: Record<string, unknown>[] };

		it('a value that fails the core’s validation', async () => {
			expect(
				await failing((input) => {
					seedOf(input).customers[0]!.fields.contact!.postcode = 'NOT A POSTCODE';
				})
			).toMatchObject({ code: 'invalid', path: 'seed.customers[0].fields.contact.postcode', message: expect.stringContaining('postcode') });
		});

		it('a disclosure the engine would not authorise by the route given', async () => {
			expect(
				await failing((input) => {
					seedOf(input).disclosures[0]!.route = 'verified-data-subject';
				})
			).toMatchObject({ code: 'seed.disclosure-route', path: 'seed.disclosures[0].route', message: expect.stringContaining('No authority is on file') });
			expect(
				await failing((input) => {
					seedOf(input).disclosures[3]!.route = 'none';
				})
			).toMatchObject({ code: 'seed.disclosure-route', path: 'seed.disclosures[3].route' });
		});

		it('a request state its timestamps cannot reach', async () => {
			expect(
				await failing((input) => {
					Object.assign(seedOf(input).requests[4]!, { idReceivedAt: undefined });
				})
			).toMatchObject({ code: 'seed.request-state', path: 'seed.requests[4].state', message: expect.stringContaining('awaiting-id') });
		});
	});
});

describe('checking a scenario’s seed against the core', () => {
	it('collects a required value dated after the customer with the customer, and says so', async () => {
		const input = richInput();
		const seed = input.seed as unknown as { customers: { metadata: Record<string, unknown> }[] };
		seed.customers[0]!.metadata.postcode = { collectedAt: '2025-02-24' };
		expect(await checkSeed(load(input))).toEqual({
			errors: [],
			adjustments: expect.arrayContaining([{ path: 'seed.customers[0].metadata.postcode.collectedAt', from: '2025-02-24T09:00:00.000Z', to: '2019-06-14T08:00:00.000Z' }])
		});
	});

	it('collects values under the purpose the file gives, in an order the purposes’ required fields allow', async () => {
		const input = richInput();
		const seed = input.seed as unknown as { purposes: Record<string, unknown>[]; customers: { metadata: Record<string, unknown> }[] };
		seed.purposes.push({
			code: 'due-diligence',
			name: 'Due diligence',
			description: 'Identity checks the law requires.',
			lawfulBasis: 'legal-obligation',
			fields: ['givenName', 'familyName'],
			retention: 'aml-records'
		});
		Object.assign(seed.customers[0]!.metadata, { givenName: { purpose: 'due-diligence' }, familyName: { purpose: 'due-diligence' } });
		const db = await openTestDatabase();
		const seeded = await seedInto(db, load(input));
		if (!seeded.ok) throw new Error(seeded.error.message);
		const held = await heldValues(ctxOf(db, seeded.value.workspaceId), seeded.value.seedIds.daniel!);
		expect(held.filter((h) => h.purposeCode === 'due-diligence').map((h) => h.field)).toEqual(['givenName', 'familyName']);
		expect(seeded.value.adjustments.filter((a) => a.path.includes('metadata'))).toEqual([]);
	});

	it('reports what the core refuses as the scenario checker reports a problem', async () => {
		const input = richInput();
		(input.seed as unknown as { customers: { fields: Record<string, Record<string, string>> }[] }).customers[1]!.fields.contact!.postcode = 'ZZ';
		expect((await checkSeed(load(input))).errors).toEqual([{ file: 'scenarios/test-scenario.yaml', path: 'seed.customers[1].fields.contact.postcode', message: 'Enter a real UK postcode, like SW1A 1AA' }]);
	});
});

describe('seed values', () => {
	it('takes a date as 09:00 UK time, in winter and in summer', () => {
		expect(seedInstant('2025-01-15')).toBe('2025-01-15T09:00:00.000Z');
		expect(seedInstant('2025-07-15')).toBe('2025-07-15T08:00:00.000Z');
		expect(seedInstant('2025-03-07T15:40:00+00:00')).toBe('2025-03-07T15:40:00.000Z');
	});

	it('reads an amount written for people as the core’s money value, negative when owed', () => {
		expect(normaliseSeedValue('balance', '£182.40 in credit')).toBe('182.40');
		expect(normaliseSeedValue('arrears', '£1,250 owed')).toBe('-1250');
		expect(normaliseSeedValue('recentPayments', '£96.00 on 1 Mar')).toBeUndefined();
		expect(normaliseSeedValue('balance', 'nothing')).toBeUndefined();
	});
});

describe('seeding an LPA and the OPG register', () => {
	function lpaInput() {
		const input = sampleScenarioInput() as ReturnType<typeof sampleScenarioInput> & Record<string, unknown>;
		input.seed = {
			...input.seed,
			thirdParties: [
				{
					key: 'sarah-lpa',
					customer: 'daniel',
					name: 'Sarah Hughes',
					relationship: 'spouse',
					authorityType: 'lasting-power-of-attorney',
					lpaType: 'health-and-welfare',
					evidenceRef: 'OPG 7000-1190-2044',
					scope: { categories: ['all'], actions: ['receive-information'] },
					validFrom: '2024-06-01'
				}
			]
		} as typeof input.seed;
		input.opgRegister = [
			{ reference: '7000-1190-2044', donor: 'Daniel Hughes', attorneys: ['Sarah Hughes'], lpaType: 'health-and-welfare', registeredOn: '2024-05-01', status: 'registered' },
			{ reference: '7000-0000-0001', donor: 'Daniel Hughes', attorneys: ['Sarah Hughes'], lpaType: 'property-and-financial-affairs', status: 'pending' }
		];
		return input;
	}

	it('records the LPA with its type, and puts the register in the workspace without writing to its audit log', async () => {
		const db = await openTestDatabase();
		const seeded = await seedInto(db, load(lpaInput()));
		if (!seeded.ok) throw new Error(seeded.error.message);
		const { workspaceId, seedIds } = seeded.value;
		const ctx = ctxOf(db, workspaceId);
		expect(await thirdPartiesOf(ctx, seedIds.daniel!)).toMatchObject([{ authorityType: 'lasting-power-of-attorney', lpaType: 'health-and-welfare' }]);
		const audited = (await auditEntries(db, workspaceId)).length;
		const found = await writeTransaction(db, async () => await searchOpgRegister(ctx, { donorName: 'daniel hughes' }));
		expect(found).toMatchObject({ ok: true, value: { entries: [{ reference: '7000-0000-0001', status: 'pending', registeredOn: null }, { reference: '7000-1190-2044', status: 'registered' }] } });
		// Seeding the register wrote nothing to the log; the learner's search is the first entry about it.
		expect((await auditEntries(db, workspaceId)).slice(audited).map((e) => e.action)).toEqual(['authority.register.checked']);
		expect((await auditEntries(db, workspaceId)).filter((e) => e.action === 'authority.register.checked')).toHaveLength(1);
		closeTestDatabase(db);
	});

	it('keeps each attempt’s register to its own workspace', async () => {
		const db = await openTestDatabase();
		const loaded = load(lpaInput());
		const a = await seedInto(db, loaded, 'a');
		const b = await seedInto(db, loaded, 'b');
		if (!a.ok || !b.ok) throw new Error('seeding failed');
		const search = async (workspaceId: string) => await writeTransaction(db, async () => await searchOpgRegister({ ...ctxOf(db, workspaceId), ids: seededIds(`read:${workspaceId}`) }, { reference: '7000 1190 2044' }));
		expect(await search(a.value.workspaceId)).toMatchObject({ value: { entries: [{ workspaceId: a.value.workspaceId }] } });
		expect(await search(b.value.workspaceId)).toMatchObject({ value: { entries: [{ workspaceId: b.value.workspaceId }] } });
		closeTestDatabase(db);
	});
});
