/**
 * Seeding an attempt's sandbox: a new workspace with the scenario's organisation, and every seeded
 * record created THROUGH THE CORE'S OWN OPERATIONS, each at the time the file gives it (the core's
 * clock set to that moment), by a system actor. So the history a learner finds is what the real
 * system would hold: validated values with their purposes and retention, consents with evidence,
 * disclosures judged by the disclosure engine (an unauthorised one opens its breach), requests moved
 * to their state through the state machine's own transitions.
 *
 * Where a file says something the core cannot agree with (a value that fails validation, a
 * disclosure the engine would not authorise, a request state its timestamps cannot reach), seeding
 * fails with the path in the file and the core's reason; nothing is half-seeded.
 *
 * Records are created in time order; on a tie, in the order of the kinds below (rules and purposes,
 * customers, their further fields, their authorities, consents and interactions, …).
 */
import { writeTransaction } from '$lib/core/database';
import {
	addOpgRegisterEntry,
	DEFAULT_WORKSPACE_SETTINGS,
	FIELD_CATALOGUE,
	addCustomerFields,
	addDirectoryEntry,
	applyLegalHold,
	auditEntries,
	assembleResponse,
	askForClarification,
	askForId,
	assessBreachRisk,
	authoriseThirdParty,
	beginRequest,
	checkFieldValue,
	collateRequestData,
	contestField,
	createWorkspace,
	defineRetentionRule,
	definePurpose,
	disclose,
	endRelationship,
	extendRequest,
	giveConsent,
	isCataloguedField,
	logInteraction,
	logRequest,
	openDatabase,
	receiveClarification,
	receiveId,
	recordCustomer,
	recordCustomers,
	recordMarketingObjection,
	registerBreach,
	requestFee,
	restrictField,
	revokeThirdPartyAuthority,
	seededIds,
	verifyIdentity,
	withdrawConsent,
	type Actor,
	type CollectionError,
	type RecordCustomerInput,
	type RecordedCustomer,
	type CoreContext,
	type CoreError,
	type Db,
	type DiscloseInput,
	type Result,
	type RightsRequest
} from '../core';
import { cataloguedCategory, type FieldCategory } from './fields';
import type { LoadedScenario, ScenarioError } from './scenario-check';
import type { Scenario } from './scenario-schema';
import { ukNineAm } from '../dates';

/** Who seeds: the organisation's system, never the learner. */
export const SEEDING_ACTOR: Actor = { id: 'system', name: 'Scenario set-up', role: 'system' };

/** The organisation a scenario runs in where its file does not say otherwise. */
const DEFAULT_ORGANISATION = {
	name: 'Northwind Energy Ltd',
	region: 'england-and-wales',
	dpo: { name: 'Helen Marsh', email: 'dpo@northwind-energy.example', phone: '0306 999 0400' }
} as const;

/** A seeding failure: the core's reason, and where in the scenario file the record is. */
export interface SeedError extends CoreError {
	/** e.g. "seed.customers[0].fields.financial.balance" */
	path: string;
}

/**
 * Where the core took a seeded value only in another form or at another time: an amount written for
 * people (normaliseSeedValue), or a required value collected with the customer (collectionOrder).
 */
export interface SeedAdjustment {
	path: string;
	from: string;
	to: string;
}

export interface SeededWorkspace {
	workspaceId: string;
	/** Seed key → id of the record the core created. */
	seedIds: Record<string, string>;
	/** The last audit entry the seeding wrote: the attempt's log starts after it. */
	auditSeq: number;
	adjustments: SeedAdjustment[];
}

export interface SeedOptions {
	workspaceId: string;
	ids: () => string;
	/**
	 * Customers through recordCustomer one by one instead of the core's bulk path (recordCustomers),
	 * which writes the same rows: for the test that compares the two (seeding-bulk.test.ts).
	 */
	customersOneByOne?: boolean;
}

/** A date in a file ("2024-11-02") means 09:00 UK time that day; an instant means itself. */
export function seedInstant(value: string): string {
	return value.length === 10 ? ukNineAm(value) : new Date(Date.parse(value)).toISOString();
}

const later = (a: string, b: string) => (a > b ? a : b);

/**
 * Display text an author wrote for an amount ("£182.40 in credit", "£64.18 owed") as the core's
 * money field takes it: the amount, negative when owed. Only for fields the core checks as money,
 * and only when the text as written is refused.
 */
export function normaliseSeedValue(field: string, value: string): string | undefined {
	if (!isCataloguedField(field) || FIELD_CATALOGUE[field].kind !== 'money') return undefined;
	const amount = /(-)?£?\s*(\d[\d,]*(?:\.\d{1,2})?)/.exec(value);
	if (!amount) return undefined;
	const owed = amount[1] === '-' || /\b(owed|owing|owes|arrears|debt|debit|overdue|overdrawn)\b/i.test(value);
	return `${owed ? '-' : ''}${amount[2]!.replace(/,/g, '')}`;
}

interface Step {
	at: string;
	/** Order of kinds at the same instant. */
	tier: number;
	path: string;
	run: (ctx: CoreContext) => Promise<Result<unknown>>;
}

class SeedFailure extends Error {
	constructor(readonly error: SeedError) {
		super(error.message);
	}
}

/**
 * Creates the workspace and seeds it. Must run inside the caller's write transaction; on failure it
 * returns the error and the caller rolls the transaction back (throws), so nothing half-seeded stays.
 */
export async function seedWorkspace(db: Db, scenario: Scenario, options: SeedOptions): Promise<Result<SeededWorkspace, SeedError>> {
	const start = seedInstant(scenario.clock.start);
	let now = start;
	const ctx: CoreContext = { db, workspaceId: options.workspaceId, actor: SEEDING_ACTOR, clock: () => now, ids: options.ids };
	const seedIds: Record<string, string> = {};
	const adjustments: SeedAdjustment[] = [];
	const seed = scenario.seed;
	const id = (key: string, path: string): string => {
		const found = seedIds[key];
		if (found === undefined) throw new SeedFailure({ code: 'seed.unknown-key', path, message: `"${key}" was not seeded before it was needed` });
		return found;
	};
	const optionalId = (key: string | undefined, path: string) => (key === undefined ? undefined : id(key, path));

	const steps: Step[] = [];
	const add = (at: string, tier: number, path: string, run: Step['run']) => steps.push({ at, tier, path, run });

	const times = [
		...seed.customers.flatMap((c) => [c.since, c.relationshipEnded, ...Object.values(c.metadata).map((m) => m.collectedAt), ...c.specialCategory.map((v) => v.collectedAt)]),
		...seed.consents.flatMap((c) => [c.givenAt, c.withdrawnAt]),
		...seed.thirdParties.flatMap((t) => [t.validFrom, t.revokedAt]),
		...seed.interactions.map((n) => n.at),
		...seed.disclosures.map((d) => d.at),
		...seed.requests.map((r) => r.receivedAt),
		...seed.breaches.flatMap((b) => [b.awareAt, b.occurredAt])
	]
		.filter((t): t is string => t !== undefined)
		.map(seedInstant);
	const origin = [start, ...times].reduce((a, b) => (b < a ? b : a));

	// ── The OPG register the learner may search (not the organisation's records: nothing is audited) ──
	scenario.opgRegister.forEach((e, i) =>
		add(origin, 0, `opgRegister[${i}]`, async (c) =>
			await addOpgRegisterEntry(c, { reference: e.reference, donorName: e.donor, attorneyNames: e.attorneys, lpaType: e.lpaType, registeredOn: e.registeredOn, status: e.status })
		)
	);

	// ── The record of processing: retention rules and purposes ──
	seed.retentionRules.forEach((r, i) =>
		add(origin, 0, `seed.retentionRules[${i}]`, async (c) =>
			await defineRetentionRule(c, { code: r.code, description: r.description, periodMonths: r.periodMonths, trigger: r.trigger, action: r.action, authority: r.authority })
		)
	);
	seed.purposes.forEach((p, i) =>
		add(origin, 1, `seed.purposes[${i}]`, async (c) =>
			await definePurpose(c, {
				code: p.code,
				name: p.name,
				description: p.description,
				lawfulBasis: p.lawfulBasis,
				basisDetail: p.basisDetail,
				directMarketing: p.directMarketing,
				fields: p.fields,
				requiredFields: p.requiredFields,
				// The core learns a field its catalogue lacks from the purpose (sim/fields.ts knows the rest).
				fieldCategories: { ...categoriesTheCoreLacks(p.fields), ...p.fieldCategories },
				dataSubjectCategories: p.dataSubjectCategories,
				recipientCategories: p.recipientCategories,
				transfers: p.transfers,
				automatedDecisionMaking: p.automatedDecisionMaking,
				minimumAge: p.minimumAge ?? null,
				retentionRuleCode: p.retention
			})
		)
	);

	// ── The directory of recipients: what each team or outside body may receive, per purpose ──
	(scenario.organisation.directory ?? []).forEach((e, i) =>
		add(origin, 1, `organisation.directory[${i}]`, async (c) =>
			await addDirectoryEntry(c, {
				code: e.code,
				name: e.name,
				kind: e.kind,
				description: e.description,
				receives: e.receives.map((r) => ({ purposeCode: r.purpose, fields: r.fields }))
			})
		)
	);

	// ── Customers, collected group by group: one purpose, source and time each ──
	const customerSince = new Map<string, string>();
	seed.customers.forEach((c, i) => {
		const path = `seed.customers[${i}]`;
		const since = seedInstant(c.since);
		customerSince.set(c.key, since);
		const groups = new Map<string, CollectionGroup>();
		const place = (field: string, value: string, valuePath: string, purposeKey: string | undefined, collectedAt: string | undefined, condition?: Condition) => {
			const meta = c.metadata[field];
			const purposeCode = purposeKey ?? meta?.purpose ?? seed.purposes.find((p) => p.fields.includes(field))?.code;
			if (purposeCode === undefined) throw new SeedFailure({ code: 'seed.no-purpose', path: valuePath, message: `no seeded purpose lists field "${field}"` });
			const at = later(since, seedInstant(collectedAt ?? meta?.collectedAt ?? c.since));
			const source = meta?.source ?? c.source;
			const sourceDetail = meta?.sourceDetail ?? '';
			const groupKey = JSON.stringify([at, purposeCode, source, sourceDetail]);
			const group = groups.get(groupKey) ?? { at, purposeCode, source, sourceDetail, fields: {}, paths: {}, conditions: {} };
			group.fields[field] = value;
			group.paths[field] = valuePath;
			if (condition) group.conditions[field] = condition;
			groups.set(groupKey, group);
		};
		for (const [category, values] of Object.entries(c.fields)) {
			for (const [field, value] of Object.entries(values ?? {})) place(field, value, `${path}.fields.${category}.${field}`, undefined, undefined);
		}
		c.specialCategory.forEach((v, j) =>
			place(v.field, v.value, `${path}.specialCategory[${j}].value`, v.purpose, v.collectedAt, { art9Condition: v.art9Condition, schedule1Condition: v.schedule1Condition })
		);
		const ordered = collectionOrder(
			[...groups.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
			seed.purposes,
			(field, from, to) => adjustments.push({ path: `${path}.metadata.${field}.collectedAt`, from, to })
		);
		ordered.forEach((group, g) => {
			const first = g === 0;
			add(first ? later(since, group.at) : group.at, first ? 2 : 3, path, async (ctx) => {
				const fields = collectable(ctx, group, adjustments);
				const input = { purposeCodes: [group.purposeCode], source: group.source, sourceDetail: group.sourceDetail, fields, conditions: group.conditions };
				let done: Result<unknown, CollectionError>;
				if (first) {
					// The core's bulk path, for one: the rows recordCustomer writes, by prepared statements.
					const recorded = options.customersOneByOne
						? await recordCustomer(ctx, { reference: c.reference, ...input })
						: await recordOne(ctx, { reference: c.reference, ...input });
					if (recorded.ok) seedIds[c.key] = recorded.value.id;
					done = recorded;
				} else {
					done = await addCustomerFields(ctx, { customerId: id(c.key, path), ...input });
				}
				if (done.ok) return done;
				// A value the core refused: point at it in the file.
				const at = done.error.field === undefined ? undefined : group.paths[done.error.field];
				return { ok: false, error: { ...done.error, ...(at === undefined ? {} : { field: at }) } };
			});
		});

		// Accuracy, restriction and legal holds, once the value is recorded.
		const at = (field: string) => later(since, seedInstant(c.metadata[field]?.collectedAt ?? c.since));
		for (const [field, meta] of Object.entries(c.metadata)) {
			const metaPath = `${path}.metadata.${field}`;
			if (meta.accuracy === 'contested') {
				add(at(field), 4, metaPath, async (ctx) => await contestField(ctx, { customerId: id(c.key, metaPath), field, reason: 'The customer disputes this value (seeded)' }));
			}
			if (meta.restricted) {
				add(at(field), 4, metaPath, async (ctx) =>
					await restrictField(ctx, {
						customerId: id(c.key, metaPath),
						fields: [field],
						ground: meta.accuracy === 'contested' ? 'accuracy-contested' : 'legal-claims',
						reason: 'Restricted before the scenario starts (seeded)'
					})
				);
			}
			if (meta.legalHold !== undefined) {
				const reason = meta.legalHold;
				add(at(field), 4, metaPath, async (ctx) => await applyLegalHold(ctx, { customerId: id(c.key, metaPath), fields: [field], reason, reasonCode: legalHoldReasonCode(reason) }));
			}
		}
		if (c.relationshipEnded !== undefined) {
			add(later(since, seedInstant(c.relationshipEnded)), 9, `${path}.relationshipEnded`, async (ctx) => await endRelationship(ctx, id(c.key, path)));
		}
		if (c.suppressed) {
			// The core keeps a suppression entry only on erasure; a "do not contact" customer is, in its
			// terms, one who objected to all direct marketing.
			add(later(since, seedInstant(c.relationshipEnded ?? c.since)), 9, `${path}.suppressed`, async (ctx) => await recordMarketingObjection(ctx, { customerId: id(c.key, path), channel: 'all' }));
		}
	});
	const sinceOf = (key: string | undefined) => (key === undefined ? origin : (customerSince.get(key) ?? origin));

	// ── Third parties with authority ──
	const thirdPartyFrom = new Map<string, string>();
	seed.thirdParties.forEach((t, i) => {
		const path = `seed.thirdParties[${i}]`;
		// An authority that starts after the scenario's "now" was recorded in advance, when the customer was.
		const validFrom = seedInstant(t.validFrom);
		const at = validFrom < start ? later(sinceOf(t.customer), validFrom) : sinceOf(t.customer);
		thirdPartyFrom.set(t.key, at);
		add(at, 4, path, async (ctx) => {
			const done = await authoriseThirdParty(ctx, {
				customerId: id(t.customer, `${path}.customer`),
				name: t.name,
				relationship: t.relationship,
				authorityType: t.authorityType,
				lpaType: t.lpaType,
				evidenceRef: t.evidenceRef,
				scopeCategories: t.scope.categories,
				scopeActions: t.scope.actions,
				validFrom: t.validFrom,
				validTo: t.validTo
			});
			if (done.ok) seedIds[t.key] = done.value.id;
			return done;
		});
		if (t.revokedAt !== undefined) {
			add(later(at, seedInstant(t.revokedAt)), 6, `${path}.revokedAt`, async (ctx) =>
				await revokeThirdPartyAuthority(ctx, { thirdPartyId: id(t.key, path), reason: 'withdrawn-by-customer' })
			);
		}
	});
	const dependsOn = (at: string, customer: string | undefined, thirdParty?: string) =>
		later(later(seedInstant(at), sinceOf(customer)), thirdParty === undefined ? origin : (thirdPartyFrom.get(thirdParty) ?? origin));

	// ── Consents ──
	seed.consents.forEach((c, i) => {
		const path = `seed.consents[${i}]`;
		const at = dependsOn(c.givenAt, c.customer, c.thirdParty);
		add(at, 5, path, async (ctx) => {
			const done = await giveConsent(ctx, {
				customerId: id(c.customer, `${path}.customer`),
				purposeCode: c.purpose,
				channel: c.channel,
				method: c.method,
				noticeVersion: c.noticeVersion,
				evidenceRef: c.evidenceRef,
				givenBy: c.givenBy,
				thirdPartyId: optionalId(c.thirdParty, `${path}.thirdParty`)
			});
			if (done.ok) seedIds[c.key] = done.value.id;
			return done;
		});
		if (c.withdrawnAt !== undefined) {
			add(later(at, seedInstant(c.withdrawnAt)), 6, `${path}.withdrawnAt`, async (ctx) =>
				await withdrawConsent(ctx, { customerId: id(c.customer, path), purposeCode: c.purpose, channel: c.channel, method: 'as given' })
			);
		}
	});

	// ── Interactions ──
	seed.interactions.forEach((n, i) => {
		const path = `seed.interactions[${i}]`;
		const at = dependsOn(n.at, n.customer, n.thirdParty);
		add(at, 5, path, async (ctx) => {
			const done = await logInteraction(ctx, {
				customerId: optionalId(n.customer, `${path}.customer`),
				channel: n.channel,
				direction: n.direction,
				partyType: n.partyType,
				thirdPartyId: optionalId(n.thirdParty, `${path}.thirdParty`),
				occurredAt: at,
				nature: n.nature,
				notes: n.notes,
				actionsTaken: n.actionsTaken
			});
			if (done.ok) seedIds[n.key] = done.value.id;
			return done;
		});
	});

	// ── Disclosures, each by the route the file gives ──
	seed.disclosures.forEach((d, i) => {
		const path = `seed.disclosures[${i}]`;
		add(dependsOn(d.at, d.customer, d.thirdParty), 7, path, async (ctx) => {
			const done = await seedDisclosure(ctx, scenario, d, {
				customerId: id(d.customer, `${path}.customer`),
				thirdPartyId: optionalId(d.thirdParty, `${path}.thirdParty`)
			});
			if (done.ok) seedIds[d.key] = done.value;
			return done;
		});
	});

	// ── Rights requests, moved to their state through the transitions ──
	seed.requests.forEach((r, i) => {
		const path = `seed.requests[${i}]`;
		add(dependsOn(r.receivedAt, r.customer, r.thirdParty), 7, path, async (ctx) => {
			const done = await seedRequest(ctx, r, path, {
				customerId: optionalId(r.customer, `${path}.customer`),
				thirdPartyId: optionalId(r.thirdParty, `${path}.thirdParty`),
				setClock: (at) => {
					now = at;
				}
			});
			if (done.ok) seedIds[r.key] = done.value;
			return done;
		});
	});

	// ── Breaches ──
	seed.breaches.forEach((b, i) => {
		const path = `seed.breaches[${i}]`;
		const at = seedInstant(b.awareAt);
		add(at, 7, path, async (ctx) => {
			const done = await registerBreach(ctx, {
				awareAt: at,
				occurredAt: b.occurredAt === undefined ? undefined : seedInstant(b.occurredAt),
				description: b.description,
				dataCategories: b.dataCategories,
				subjectCategories: b.subjectCategories,
				approxSubjects: b.approxSubjects,
				approxRecords: b.approxRecords,
				affectedCustomerIds: b.affectedCustomers.map((k, j) => id(k, `${path}.affectedCustomers[${j}]`)),
				likelyConsequences: b.likelyConsequences,
				measuresTaken: b.measuresTaken
			});
			if (done.ok) seedIds[b.key] = done.value.id;
			return done;
		});
		if (b.risk !== 'unassessed') {
			const risk = b.risk;
			add(at, 8, `${path}.risk`, async (ctx) =>
				await assessBreachRisk(ctx, {
					breachId: id(b.key, path),
					risk,
					reasoning: b.likelyConsequences === '' ? 'Assessed when the breach was registered (seeded)' : b.likelyConsequences
				})
			);
		}
	});

	// ── Run: the workspace first, then every step in time order ──
	try {
		now = origin;
		const created = await createWorkspace(
			{ db, actor: SEEDING_ACTOR, clock: () => now, ids: options.ids },
			{
				id: options.workspaceId,
				organisationName: scenario.organisation.name ?? DEFAULT_ORGANISATION.name,
				region: scenario.organisation.region ?? DEFAULT_ORGANISATION.region,
				policyMode: 'record',
				dpoName: scenario.organisation.dpo?.name ?? DEFAULT_ORGANISATION.dpo.name,
				dpoEmail: scenario.organisation.dpo?.email ?? DEFAULT_ORGANISATION.dpo.email,
				dpoPhone: scenario.organisation.dpo?.phone ?? DEFAULT_ORGANISATION.dpo.phone,
				settings: { ...DEFAULT_WORKSPACE_SETTINGS, ...scenario.organisation.settings }
			}
		);
		if (!created.ok) return { ok: false, error: { ...created.error, path: 'organisation' } };
		const ordered = steps.map((s, index) => ({ ...s, index })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.tier - b.tier || a.index - b.index));
		for (const step of ordered) {
			now = step.at;
			const done = await step.run(ctx);
			if (!done.ok) return { ok: false, error: { ...done.error, path: done.error.field?.startsWith('seed.') ? done.error.field : step.path } };
		}
	} catch (error) {
		if (error instanceof SeedFailure) return { ok: false, error: error.error };
		throw error;
	}
	// Audit seqs run 1..n without gaps: the count is the last seq.
	const auditSeq = (await auditEntries(db, options.workspaceId)).length;
	return { ok: true, value: { workspaceId: options.workspaceId, seedIds, auditSeq, adjustments } };
}

/**
 * Whether the core accepts a scenario's seed, found by seeding a scratch database: the problem, if
 * any, as the scenario checker reports problems (file, path, message), and the values the core took
 * only in an adjusted form. The schema checks what a file says; this checks the core agrees.
 */
export async function checkSeed(loaded: LoadedScenario, migrationsFolder?: string): Promise<{ errors: ScenarioError[]; adjustments: SeedAdjustment[] }> {
	const db = openDatabase(':memory:', migrationsFolder === undefined ? {} : { migrationsFolder });
	try {
		const seeded = await writeTransaction(db, async () => await seedWorkspace(db, loaded.scenario, { workspaceId: 'seed-check', ids: seededIds('seed-check') }));
		return seeded.ok
			? { errors: [], adjustments: seeded.value.adjustments }
			: { errors: [{ file: loaded.file, path: seeded.error.path, message: seeded.error.message }], adjustments: [] };
	} finally {
		db.$client.close();
	}
}

/** recordCustomers for one customer, its result as recordCustomer gives it. */
async function recordOne(ctx: CoreContext, input: RecordCustomerInput): Promise<Result<RecordedCustomer, CollectionError>> {
	const recorded = await recordCustomers(ctx, [input]);
	if (recorded.ok) return { ok: true, value: recorded.value[0]! };
	const { index, ...error } = recorded.error;
	void index;
	return { ok: false, error };
}

interface Condition {
	art9Condition: Scenario['seed']['customers'][number]['specialCategory'][number]['art9Condition'];
	schedule1Condition: string;
}

interface CollectionGroup {
	at: string;
	purposeCode: string;
	source: Scenario['seed']['customers'][number]['source'];
	sourceDetail: string;
	fields: Record<string, string>;
	/** Field → where its value is in the file. */
	paths: Record<string, string>;
	conditions: Record<string, Condition>;
}

/**
 * The order to collect a customer's groups of values in. A purpose's required fields must be on
 * record when data is first collected for it (the core checks at collection), so at one instant the
 * groups go in an order that satisfies that (an identity group under a due-diligence purpose before
 * the account group that needs the same names). A file may date a required value after the customer
 * (an address collected when they moved): such a value is collected with the first collection for
 * its purpose instead, and reported as an adjustment. A value is never moved to another purpose.
 */
function collectionOrder(
	groups: CollectionGroup[],
	purposes: Scenario['seed']['purposes'],
	moved: (field: string, from: string, to: string) => void
): CollectionGroup[] {
	const requiredOf = (group: CollectionGroup) => purposes.find((p) => p.code === group.purposeCode)?.requiredFields ?? [];
	const held = new Set<string>();
	const missing = (group: CollectionGroup) => requiredOf(group).filter((field) => !held.has(field) && !(field in group.fields));
	const ordered: CollectionGroup[] = [];
	let pending = [...groups];
	while (pending.length > 0) {
		const at = pending[0]!.at;
		const now = pending.filter((g) => g.at === at);
		const next = now.find((g) => missing(g).length === 0) ?? now[0]!;
		for (const field of missing(next)) {
			const later = pending.find(
				(g) => g.at > next.at && field in g.fields && g.purposeCode === next.purposeCode && g.source === next.source && g.sourceDetail === next.sourceDetail
			);
			if (!later) continue;
			next.fields[field] = later.fields[field]!;
			next.paths[field] = later.paths[field]!;
			if (later.conditions[field]) next.conditions[field] = later.conditions[field]!;
			delete later.fields[field];
			moved(field, later.at, next.at);
		}
		for (const field of Object.keys(next.fields)) held.add(field);
		ordered.push(next);
		pending = pending.filter((g) => g !== next);
	}
	return ordered.filter((group) => Object.keys(group.fields).length > 0);
}

/** The categories, from the simulator's catalogue, of fields the core's catalogue does not know. */
function categoriesTheCoreLacks(fields: readonly string[]): Record<string, FieldCategory> {
	const categories: Record<string, FieldCategory> = {};
	for (const field of fields) {
		const category = isCataloguedField(field) ? undefined : cataloguedCategory(field);
		if (category !== undefined) categories[field] = category;
	}
	return categories;
}

/** The group's values as the core will accept them: money written as display text becomes an amount. */
function collectable(ctx: CoreContext, group: CollectionGroup, adjustments: SeedAdjustment[]): Record<string, string> {
	const today = ctx.clock().slice(0, 10);
	const fields: Record<string, string> = {};
	for (const [field, value] of Object.entries(group.fields)) {
		const normalised = checkFieldValue(field, value, { today }).ok ? undefined : normaliseSeedValue(field, value);
		if (normalised !== undefined && checkFieldValue(field, normalised, { today }).ok) {
			adjustments.push({ path: group.paths[field]!, from: value, to: normalised });
			fields[field] = normalised;
		} else {
			fields[field] = value;
		}
	}
	return fields;
}

/** A legal hold's reason as written ("MLR 2017 reg 40") → the core's reason code. */
function legalHoldReasonCode(reason: string) {
	if (/\bMLR\b|money laundering/i.test(reason)) return 'money-laundering-records' as const;
	if (/\btax\b|VAT|HMRC/i.test(reason)) return 'tax-records' as const;
	if (/claim|litigation|proceedings/i.test(reason)) return 'legal-claims' as const;
	if (/investigation|regulator|ICO|Ofgem/i.test(reason)) return 'regulatory-investigation' as const;
	return 'legal-obligation' as const;
}

/** An exemption as an author names it ("DPA 2018 Sch 2 Pt 1 para 2", "crime") → the core's code. */
function exemptionOf(text: string): 'crime-and-taxation' | 'legal-proceedings' | undefined {
	if (/crime|para(graph)?\s*2\b|taxation|offender/i.test(text)) return 'crime-and-taxation';
	if (/legal proceedings|legal rights|para(graph)?\s*5\(2\)/i.test(text)) return 'legal-proceedings';
	return undefined;
}

/** What the customer would say to pass security: the seeded values that identify them. */
function identifyingValues(scenario: Scenario, customerKey: string): Record<string, string> {
	const c = scenario.seed.customers.find((x) => x.key === customerKey);
	const all: Record<string, string> = Object.assign({}, ...Object.values(c?.fields ?? {}));
	const supplied: Record<string, string> = {};
	for (const field of ['givenName', 'familyName', 'dateOfBirth', 'postcode', 'addressLine1', 'email', 'mobilePhone', 'phone']) {
		if (all[field] !== undefined) supplied[field] = all[field];
	}
	return supplied;
}

type SeedDisclosure = Scenario['seed']['disclosures'][number];

/**
 * A disclosure made before the attempt, by the route the file gives. The route's conditions are
 * met the way an agent would have met them (the person passed security, the officer's credentials
 * were confirmed independently…), then the disclosure engine judges it; "none" must come out
 * unauthorised, every other route authorised, or the file and the core disagree.
 */
async function seedDisclosure(ctx: CoreContext, scenario: Scenario, d: SeedDisclosure, refs: { customerId: string; thirdPartyId?: string }): Promise<Result<string>> {
	const input: DiscloseInput = {
		customerId: refs.customerId,
		recipient: { type: d.recipientType, name: d.recipientName, organisation: d.recipientOrganisation, role: d.recipientRole, thirdPartyId: refs.thirdPartyId },
		fields: d.fields,
		purposeCode: d.purpose,
		channel: d.channel
	};
	const verify = async (extra: Record<string, string> = {}, official = false): Promise<Result<string>> => {
		const verified = await verifyIdentity(ctx, {
			customerId: refs.customerId,
			requesterType: d.recipientType,
			thirdPartyId: refs.thirdPartyId,
			method: official ? 'official-credentials' : 'knowledge-based',
			supplied: { ...extra, ...(official ? {} : identifyingValues(scenario, d.customer)) },
			credentialsConfirmedVia: official ? 'a call back through the published switchboard (seeded)' : undefined,
			channel: d.channel
		});
		if (!verified.ok) return verified;
		if (verified.value.attempt.outcome !== 'verified') {
			return { ok: false, error: { code: 'seed.unverified', message: `the recipient could not be verified as the route "${d.route}" needs (${verified.value.attempt.outcome})` } };
		}
		return { ok: true, value: verified.value.attempt.id };
	};
	switch (d.route) {
		case 'verified-data-subject': {
			const v = await verify();
			if (!v.ok) return v;
			input.verificationId = v.value;
			break;
		}
		case 'authorised-third-party': {
			const name = scenario.seed.thirdParties.find((t) => t.key === d.thirdParty)?.name ?? d.recipientName;
			const v = await verify({ thirdPartyName: name });
			if (!v.ok) return v;
			input.verificationId = v.value;
			break;
		}
		case 'exemption': {
			const exemption = exemptionOf(d.basisOrExemption);
			if (exemption === undefined) {
				return { ok: false, error: { code: 'seed.unknown-exemption', message: `"${d.basisOrExemption}" names no exemption the core knows (crime and taxation, legal proceedings)` } };
			}
			const v = await verify({}, true);
			if (!v.ok) return v;
			Object.assign(input, {
				verificationId: v.value,
				basisOrExemption: exemption,
				prejudiceTest: `Recorded at the time: not disclosing would be likely to prejudice the purpose (${d.basisOrExemption}).`,
				authorityEvidence: `Written request from ${d.recipientOrganisation || d.recipientName} (seeded)`,
				fieldsRequested: d.fields
			});
			break;
		}
		case 'legal-obligation':
			Object.assign(input, { basisOrExemption: 'legal-obligation', authorityEvidence: d.basisOrExemption });
			break;
		default:
			break;
	}
	const done = await disclose(ctx, input);
	if (!done.ok) return done;
	const authorised = done.value.disclosure.authorised;
	if (authorised !== (d.route !== 'none')) {
		const why = done.value.problems.map((p) => p.message).join('; ');
		return {
			ok: false,
			error: {
				code: 'seed.disclosure-route',
				field: `${pathOfDisclosure(scenario, d)}.route`,
				message: authorised
					? `the file says route "none" (unauthorised), but the core found the disclosure authorised by "${done.value.disclosure.route}"`
					: `the core would not authorise this disclosure by route "${d.route}": ${why}`
			}
		};
	}
	return { ok: true, value: done.value.disclosure.id };
}

function pathOfDisclosure(scenario: Scenario, d: SeedDisclosure): string {
	return `seed.disclosures[${scenario.seed.disclosures.indexOf(d)}]`;
}

type SeedRequest = Scenario['seed']['requests'][number];

const text = (value: unknown, fallback: string) => (typeof value === 'string' && value.trim() !== '' ? value : fallback);

/**
 * Logs a request as received, then applies the transitions its timestamps and state call for, each
 * at its own time: ID asked for and received, clarification asked for and received, work begun, the
 * deadline extended, a fee asked for, a response assembled. The state reached must be the file's.
 */
async function seedRequest(
	ctx: CoreContext,
	r: SeedRequest,
	path: string,
	refs: { customerId?: string; thirdPartyId?: string; setClock: (at: string) => void }
): Promise<Result<string>> {
	const receivedAt = seedInstant(r.receivedAt);
	const logged = await logRequest(ctx, {
		kind: r.kind,
		channel: r.channel,
		verbal: r.verbal,
		description: r.description,
		receivedAt,
		customerId: refs.customerId,
		requesterType: r.requesterType,
		thirdPartyId: refs.thirdPartyId,
		electronic: r.electronic,
		particulars: r.particulars
	});
	if (!logged.ok) return logged;
	let req: RightsRequest = logged.value;
	const requestId = req.id;
	const p = r.particulars;

	const transitions: { at: string; run: () => Promise<Result<RightsRequest>> }[] = [];
	const idAskedAt = r.idRequestedAt ?? (r.state === 'awaiting-id' ? r.receivedAt : undefined);
	if (idAskedAt !== undefined) {
		transitions.push({ at: seedInstant(idAskedAt), run: async () => await askForId(ctx, { requestId, reason: text(p.idRequestReason, 'The requester could not be verified when the request was made: proportionate ID asked for') }) });
		if (r.idReceivedAt !== undefined) {
			const at = seedInstant(r.idReceivedAt);
			transitions.push({ at, run: async () => await receiveId(ctx, { requestId, receivedAt: at }) });
		}
	}
	const clarificationAskedAt = r.clarificationRequestedAt ?? (r.state === 'awaiting-clarification' ? r.receivedAt : undefined);
	if (clarificationAskedAt !== undefined) {
		transitions.push({
			at: seedInstant(clarificationAskedAt),
			run: async () => await askForClarification(ctx, { requestId, question: text(p.clarificationQuestion, 'Which accounts and which dates the request covers') })
		});
		if (r.clarificationReceivedAt !== undefined) {
			const at = seedInstant(r.clarificationReceivedAt);
			transitions.push({ at, run: async () => await receiveClarification(ctx, { requestId, receivedAt: at }) });
		}
	}
	transitions.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
	let last = receivedAt;
	const step = async (at: string, run: () => Promise<Result<RightsRequest>>): Promise<Result<RightsRequest>> => {
		last = later(last, at);
		refs.setClock(last);
		const done = await run();
		if (done.ok) req = done.value;
		return done;
	};
	for (const t of transitions) {
		const done = await step(t.at, t.run);
		if (!done.ok) return done;
	}
	const working = ['in-progress', 'extended', 'response-ready'];
	if (working.includes(r.state) && req.state === 'received') {
		const done = await step(last, async () => await beginRequest(ctx, { requestId }));
		if (!done.ok) return done;
	}
	if (r.state === 'extended') {
		const reason = p.extensionReason === 'several-requests' ? 'several-requests' : 'complex';
		const done = await step(last, async () =>
			await extendRequest(ctx, { requestId, reason, explanation: text(p.extensionExplanation, 'The request is complex: the records span several systems') })
		);
		if (!done.ok) return done;
	}
	if (r.state === 'awaiting-fee') {
		const done = await step(last, async () =>
			await requestFee(ctx, {
				requestId,
				feePence: typeof p.feePence === 'number' ? p.feePence : 2500,
				grounds: p.feeGrounds === 'further-copies' ? 'further-copies' : 'manifestly-unfounded-or-excessive',
				justification: text(p.feeJustification, 'A reasonable fee for the administrative cost of a manifestly excessive request')
			})
		);
		if (!done.ok) return done;
	}
	if (r.state === 'response-ready') {
		if (r.kind !== 'access') {
			return {
				ok: false,
				error: { code: 'seed.unsupported', field: `${path}.state`, message: `a ${r.kind} request cannot be seeded as response-ready: seed it in-progress and let the learner fulfil it` }
			};
		}
		const collated = await step(last, async () => {
			const c = await collateRequestData(ctx, { requestId });
			return c.ok ? { ok: true, value: req } : c;
		});
		if (!collated.ok) return collated;
		const done = await step(last, async () => await assembleResponse(ctx, { requestId }));
		if (!done.ok) return done;
	}
	if (req.state !== r.state) {
		return {
			ok: false,
			error: { code: 'seed.request-state', field: `${path}.state`, message: `its timestamps take the request to "${req.state}", not "${r.state}"` }
		};
	}
	return { ok: true, value: requestId };
}
