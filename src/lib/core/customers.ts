/**
 * Collecting and recording a customer, adding fields, ending the relationship, reading details back
 * and opening a record for a stated purpose. Validation happens at the point of collection
 * (collection.ts); minimisation (UK GDPR Art 5(1)(c)) is checked field by field against the purposes
 * stated for the collection.
 *
 * Record mode and minimisation: a field no stated purpose needs is STORED, under the first stated
 * purpose, its basis and its retention rule, and a finding "minimisation.no-purpose" names it. The
 * learner's mistake is then visible in the record itself (and is erased, disposed of and reported
 * like any other value) rather than silently dropped. Enforce mode refuses the whole collection.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, dbGet, dbRun, preparedStatements, writeTransaction } from './database';
import { appendAudit } from './audit';
import { checkFieldValue } from './collection';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { categoryOfField, findPurpose, type FieldCategory, type Purpose } from './purposes';
import { retainUntilDate, startRetentionPeriod, type RetentionRule } from './retention';
import { err, ok, type CoreError, type Result } from './result';
import {
	ART9_CONDITIONS,
	DATA_CATEGORIES,
	DATA_SOURCES,
	SPECIAL_CATEGORIES,
	criminalOffenceValue,
	customer,
	customerField,
	customerFieldHistory,
	purpose,
	retentionRule,
	specialCategoryValue
} from './schema';
import { heldValues, historyRow, insertHistory, type FieldHistoryEntry, type HeldValue } from './held-values';
import { holdUse, servicingRefusal, type ServicingRefusal } from './restriction';
import { rowInserter, tableRows } from './table-rows';
import { indexCustomerNames } from './name-index';
import { NAME_FIELDS } from './search';

export type Customer = typeof customer.$inferSelect;

const customerRows = tableRows(customer);
const fieldRows = tableRows(customerField);
const ruleRows = tableRows(retentionRule);
type Raw = Record<string, unknown>;

/** The fixed-shape queries of recording and finding a customer, prepared once per connection. */
const statements = preparedStatements((client) => ({
	byId: client.prepare<[string, string], Raw>(`select ${customerRows.columns} from customer where workspace_id = ? and id = ?`),
	exists: client.prepare<[string, string], { id: string }>('select id from customer where workspace_id = ? and id = ?'),
	byReference: client.prepare<[string, string], { id: string }>('select id from customer where workspace_id = ? and reference = ?'),
	count: client.prepare<[string], { count: number }>('select count(*) as count from customer where workspace_id = ?'),
	insert: client.prepare<Raw>(customerRows.insert),
	insertFields: rowInserter(client, fieldRows),
	policyMode: client.prepare<[string], { policy_mode: string }>('select policy_mode from workspace where id = ?'),
	rule: client.prepare<[string, string], Raw>(`select ${ruleRows.columns} from retention_rule where workspace_id = ? and id = ?`)
}));

const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'Name a field in camelCase, e.g. "dateOfBirth"');

const conditionInput = z.object({
	/** UK GDPR Art 9(2) condition for special category data. */
	art9Condition: z.enum(ART9_CONDITIONS).optional(),
	/** DPA 2018 Schedule 1 condition, e.g. "Sch 1 para 18 safeguarding of individuals at risk". */
	schedule1Condition: z.string().trim().default('')
});

const collectionFields = {
	/** The purposes the data is collected for, as stated to the person (Art 13(1)(c)). */
	purposeCodes: z.array(z.string().trim().min(1)).min(1, 'State the purpose the data is collected for'),
	source: z.enum(DATA_SOURCES).default('data-subject'),
	sourceDetail: z.string().trim().default(''),
	/** Field name → value as offered, e.g. { givenName: "Zoë", postcode: "sw1a1aa" }. */
	fields: z.record(fieldName, z.string()),
	/** Conditions for special category and criminal-offence fields, by field name. */
	conditions: z.record(fieldName, conditionInput).default({})
};

export const recordCustomerInput = z.object({
	/** The organisation's account reference; one is assigned ("ACC-100001", ...) when absent. */
	reference: z
		.string()
		.trim()
		.toUpperCase()
		.regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'An account reference is 3 to 32 letters, digits and hyphens')
		.optional(),
	...collectionFields
});
export type RecordCustomerInput = z.input<typeof recordCustomerInput>;

const addFieldsInput = z.object({ customerId: z.string().min(1), ...collectionFields });
export type AddFieldsInput = z.input<typeof addFieldsInput>;

/** A value offered at collection that failed its check. */
export interface FieldIssue {
	code: string;
	field: string;
	message: string;
}

/** A refused collection: the first issue as code/field/message, and every issue found. */
export interface CollectionError extends CoreError {
	issues?: FieldIssue[];
}

export type RecordedCustomer = Customer & {
	/** Names of the fields recorded. */
	recordedFields: string[];
	/** Findings recorded in record mode (minimisation, missing conditions). */
	findingIds: string[];
};

// DPA 2018 s10(2)-(3): these Art 9(2) conditions need a basis in UK law, found in Schedule 1.
export const NEEDS_SCHEDULE_1: ReadonlySet<string> = new Set([
	'employment-social-security',
	'substantial-public-interest',
	'health-social-care',
	'public-health',
	'archiving-research-statistics'
]);

const isSpecial = (category: string) => (SPECIAL_CATEGORIES as readonly string[]).includes(category);
const isOrdinary = (category: string): category is (typeof DATA_CATEGORIES)[number] =>
	(DATA_CATEGORIES as readonly string[]).includes(category);

type CollectionInput = z.output<z.ZodObject<typeof collectionFields>>;

interface PlannedValue {
	field: string;
	category: FieldCategory;
	value: string;
	normalised: string;
	purpose: Purpose;
	rule: RetentionRule;
	condition: z.output<typeof conditionInput>;
}

async function stated(ctx: CoreContext, codes: string[]): Promise<Result<Purpose[]>> {
	const found: Purpose[] = [];
	for (const [index, code] of codes.entries()) {
		const p = await findPurpose(ctx, code);
		if (!p) return err('purpose.not-found', `No purpose "${code}"`, `purposeCodes.${index}`);
		// A retired purpose is no longer a purpose the organisation collects for (Art 5(1)(b)).
		if (!p.active) return err('purpose.retired', `The purpose “${p.name}” is retired`, `purposeCodes.${index}`);
		if (!found.some((f) => f.id === p.id)) found.push(p);
	}
	return ok(found);
}

/** The category of a field no stated purpose needs: the catalogue's or any purpose's, else identity. */
async function fallbackCategory(ctx: CoreContext, field: string): Promise<FieldCategory> {
	for (const p of await dbAll(ctx.db.select({ fieldCategories: purpose.fieldCategories }).from(purpose).where(eq(purpose.workspaceId, ctx.workspaceId)))) {
		const category = categoryOfField(p, field);
		if (category !== undefined) return category;
	}
	return categoryOfField({ fieldCategories: {} }, field) ?? 'identity';
}

/**
 * Validates every offered value, then checks minimisation and the conditions for special category
 * and criminal-offence data through the policy. Must run inside the operation's transaction.
 */
async function planCollection(
	ctx: CoreContext,
	customerId: string,
	input: CollectionInput,
	/** Fields the customer already has; undefined for a new customer. */
	existing: ReadonlySet<string> | undefined
): Promise<Result<{ planned: PlannedValue[]; findingIds: string[] }, CollectionError>> {
	const existingFields = existing ?? new Set<string>();
	// A new customer refused in enforce mode never exists, so its refusals name no subject.
	const mode = (await statements(ctx.db).policyMode.get(ctx.workspaceId))?.policy_mode;
	const about = existing !== undefined || mode === 'record' ? { subjectType: 'customer' as const, subject: customerId } : {};
	const purposesStated = await stated(ctx, input.purposeCodes);
	if (!purposesStated.ok) return purposesStated;
	const statedPurposes = purposesStated.value;
	const today = ctx.clock().slice(0, 10);
	const ages = statedPurposes.map((p) => p.minimumAge).filter((age): age is number => age !== null);
	const minimumAge = ages.length > 0 ? Math.max(...ages) : undefined;

	const issues: FieldIssue[] = [];
	const checked = new Map<string, { value: string; normalised: string }>();
	for (const [field, raw] of Object.entries(input.fields)) {
		if (existingFields.has(field)) {
			issues.push({ code: 'field.exists', field, message: `${field} is already recorded: correct it instead` });
			continue;
		}
		const result = checkFieldValue(field, raw, { today, minimumAge });
		if (result.ok) checked.set(field, result.value);
		else issues.push(result.error);
	}
	for (const p of statedPurposes) {
		for (const field of p.requiredFields) {
			if (!(field in input.fields) && !existingFields.has(field) && !issues.some((i) => i.field === field)) {
				issues.push({ code: 'required', field, message: `Enter ${field}: the purpose “${p.name}” needs it` });
			}
		}
	}
	if (issues.length > 0) {
		await appendAudit(ctx, {
			action: 'customer.collection.rejected',
			subjectType: existing !== undefined ? 'customer' : undefined,
			subject: existing !== undefined ? customerId : undefined,
			fields: issues.map((i) => i.field),
			details: { codes: issues.map((i) => i.code), purposeCodes: statedPurposes.map((p) => p.code) }
		});
		const first = issues[0]!;
		return { ok: false, error: { ...first, issues } };
	}

	const rules = new Map<string, RetentionRule>();
	for (const id of new Set(statedPurposes.map((p) => p.retentionRuleId))) {
		const rule = await statements(ctx.db).rule.get(ctx.workspaceId, id);
		if (rule) rules.set(id, ruleRows.read(rule));
	}
	const planned: PlannedValue[] = [];
	const findingIds: string[] = [];
	for (const [field, checkedValue] of checked) {
		const needing = statedPurposes.find((p) => p.fields.includes(field));
		const condition = input.conditions[field] ?? { schedule1Condition: '' };
		if (!needing) {
			// UK GDPR Art 5(1)(c): adequate, relevant and limited to what is necessary for the purposes.
			const decision = await applyPolicy(ctx, {
				code: 'minimisation.no-purpose',
				rule: 'UK GDPR Art 5(1)(c)',
				message: `No stated purpose needs ${field}`,
				field,
				...about,
				fields: [field],
				details: { purposeCodes: statedPurposes.map((p) => p.code) }
			});
			if (!decision.ok) return decision;
			findingIds.push(decision.value.id);
		}
		const owner = needing ?? statedPurposes[0]!;
		const category = needing ? categoryOfField(needing, field)! : await fallbackCategory(ctx, field);
		if (isSpecial(category)) {
			if (condition.art9Condition === undefined) {
				// UK GDPR Art 9(1): special category data is prohibited unless an Art 9(2) condition applies.
				const decision = await applyPolicy(ctx, {
					code: 'special-category.no-condition',
					rule: 'UK GDPR Art 9(1)',
					message: `${field} is special category data (${category}) and no Art 9(2) condition was recorded`,
					field,
					...about,
					fields: [field],
					details: { specialCategory: category }
				});
				if (!decision.ok) return decision;
				findingIds.push(decision.value.id);
			} else if (NEEDS_SCHEDULE_1.has(condition.art9Condition) && condition.schedule1Condition === '') {
				// DPA 2018 s10(2)-(3): this Art 9(2) condition needs a Schedule 1 condition as well.
				const decision = await applyPolicy(ctx, {
					code: 'special-category.no-schedule1-condition',
					rule: 'DPA 2018 s10, Sch 1',
					message: `${field}: the condition ${condition.art9Condition} needs a DPA 2018 Schedule 1 condition`,
					field,
					...about,
					fields: [field],
					details: { specialCategory: category, art9Condition: condition.art9Condition }
				});
				if (!decision.ok) return decision;
				findingIds.push(decision.value.id);
			}
		} else if (category === 'criminal-offence' && condition.schedule1Condition === '') {
			// UK GDPR Art 10, DPA 2018 s10(5): criminal-offence data only under a Schedule 1 condition.
			const decision = await applyPolicy(ctx, {
				code: 'criminal-offence.no-condition',
				rule: 'UK GDPR Art 10; DPA 2018 s10(5)',
				message: `${field} is criminal-offence data and no Schedule 1 condition was recorded`,
				field,
				...about,
				fields: [field]
			});
			if (!decision.ok) return decision;
			findingIds.push(decision.value.id);
		}
		const rule = rules.get(owner.retentionRuleId);
		if (!rule) throw new Error(`purpose ${owner.code} has no retention rule ${owner.retentionRuleId}`);
		planned.push({ field, category, ...checkedValue, purpose: owner, rule, condition });
	}
	return ok({ planned, findingIds });
}

/**
 * Writes planned values, their "recorded" history rows and the special-category audit entries. The
 * ordinary values go in one statement and the history rows in another, each in the order planned;
 * ids are taken in the order writing them one by one would take them.
 */
async function storeValues(ctx: CoreContext, customerId: string, input: CollectionInput, planned: PlannedValue[]): Promise<void> {
	const now = ctx.clock();
	const ordinary: (typeof customerField.$inferInsert)[] = [];
	const history: FieldHistoryEntry[] = [];
	for (const p of planned) {
		const common = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId,
			field: p.field,
			value: p.value,
			purposeCode: p.purpose.code,
			lawfulBasis: p.purpose.lawfulBasis,
			source: input.source,
			sourceDetail: input.sourceDetail,
			collectedAt: now,
			retentionRuleId: p.rule.id,
			// Storage limitation (Art 5(1)(e)): the clock starts now for rules that run from collection
			// or last contact; for the others it starts when their trigger happens.
			retainUntil: p.rule.trigger === 'collected' || p.rule.trigger === 'last-contact' ? retainUntilDate(p.rule, now) : null,
			updatedAt: now
		};
		let kind: HeldValue['kind'];
		if (isOrdinary(p.category)) {
			kind = 'ordinary';
			ordinary.push({ ...common, category: p.category, normalised: p.normalised });
		} else if (p.category === 'criminal-offence') {
			kind = 'criminal-offence';
			await dbRun(ctx.db.insert(criminalOffenceValue).values({ ...common, schedule1Condition: p.condition.schedule1Condition }));
			await appendAudit(ctx, {
				action: 'criminal-offence.recorded',
				subjectType: 'customer',
				subject: customerId,
				fields: [p.field],
				details: { purposeCode: p.purpose.code, schedule1Condition: p.condition.schedule1Condition }
			});
		} else {
			kind = 'special-category';
			await dbRun(ctx.db
				.insert(specialCategoryValue)
				.values({
					...common,
					specialCategory: p.category as (typeof SPECIAL_CATEGORIES)[number],
					// Record mode only: no condition was given, and the finding says so.
					art9Condition: p.condition.art9Condition ?? ('' as (typeof ART9_CONDITIONS)[number]),
					schedule1Condition: p.condition.schedule1Condition
				}));
			await appendAudit(ctx, {
				action: 'special-category.recorded',
				subjectType: 'customer',
				subject: customerId,
				fields: [p.field],
				details: {
					purposeCode: p.purpose.code,
					specialCategory: p.category,
					art9Condition: p.condition.art9Condition ?? null,
					schedule1Condition: p.condition.schedule1Condition
				}
			});
		}
		history.push(historyRow(ctx, {
			held: { kind, id: common.id, customerId, field: p.field },
			change: 'recorded',
			newValue: p.value,
			version: 1,
			reason: `collected for ${p.purpose.code}`
		}));
	}
	await statements(ctx.db).insertFields(ordinary);
	await insertHistory(ctx, history);
}

/**
 * Collects and records a new customer: every value checked at the point of collection, required
 * fields per stated purpose, minimisation, and conditions for special category and criminal-offence
 * data. Each value gets its purpose, basis, source, collection time and retention.
 */
export async function recordCustomer(ctx: CoreContext, input: RecordCustomerInput): Promise<Result<RecordedCustomer, CollectionError>> {
	const parsed = parseInput(recordCustomerInput, input);
	if (!parsed.ok) return parsed;
	const { reference, ...collection } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const customerId = ctx.ids();
		// nextReference gives a reference no customer has; one given is checked here.
		const assigned = reference ?? await nextReference(ctx);
		if (reference !== undefined && await statements(ctx.db).byReference.get(ctx.workspaceId, reference)) {
			return err('customer.reference-exists', `A customer with reference ${assigned} already exists`, 'reference');
		}
		const plan = await planCollection(ctx, customerId, collection, undefined);
		if (!plan.ok) return plan;
		const row: Customer = {
			id: customerId,
			workspaceId: ctx.workspaceId,
			reference: assigned,
			createdAt: ctx.clock(),
			relationshipEndedAt: null,
			erasedAt: null,
			suppressed: false,
			suppressedAt: null
		};
		await statements(ctx.db).insert.run(customerRows.insertParams(row));
		await storeValues(ctx, customerId, collection, plan.value.planned);
		// The name index's document, written once with all the names (name-index.ts).
		await indexCustomerNames(ctx.db, [customerId], { isNew: true });
		await appendAudit(ctx, {
			action: 'customer.recorded',
			subjectType: 'customer',
			subject: customerId,
			fields: plan.value.planned.map((p) => p.field),
			details: {
				purposeCodes: collection.purposeCodes,
				categories: [...new Set(plan.value.planned.map((p) => p.category))],
				source: collection.source,
				findingIds: plan.value.findingIds
			}
		});
		return ok({ ...row, recordedFields: plan.value.planned.map((p) => p.field), findingIds: plan.value.findingIds });
	});
}

/** Adds fields to an existing customer, with the same checks as at collection. */
export async function addCustomerFields(
	ctx: CoreContext,
	input: AddFieldsInput
): Promise<Result<{ recordedFields: string[]; findingIds: string[] }, CollectionError>> {
	const parsed = parseInput(addFieldsInput, input);
	if (!parsed.ok) return parsed;
	const { customerId, ...collection } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const current = await findCustomer(ctx, customerId);
		if (!current) return err('customer.not-found', `No customer ${customerId}`, 'customerId');
		if (current.erasedAt !== null) return err('customer.erased', 'This person’s data was erased: they are on the suppression list', 'customerId');
		const existing = new Set((await heldValues(ctx, customerId)).map((h) => h.field));
		const plan = await planCollection(ctx, customerId, collection, existing);
		if (!plan.ok) return plan;
		await storeValues(ctx, customerId, collection, plan.value.planned);
		if (plan.value.planned.some((p) => (NAME_FIELDS as readonly string[]).includes(p.field))) await indexCustomerNames(ctx.db, [customerId]);
		for (const p of plan.value.planned) {
			await appendAudit(ctx, {
				action: 'customer.field.recorded',
				subjectType: 'customer',
				subject: customerId,
				fields: [p.field],
				details: { purposeCode: p.purpose.code, category: p.category, lawfulBasis: p.purpose.lawfulBasis }
			});
		}
		return ok({ recordedFields: plan.value.planned.map((p) => p.field), findingIds: plan.value.findingIds });
	});
}

async function nextReference(ctx: CoreContext): Promise<string> {
	const row = await statements(ctx.db).count.get(ctx.workspaceId);
	let n = 100_001 + (row?.count ?? 0);
	while (await statements(ctx.db).byReference.get(ctx.workspaceId, `ACC-${n}`)) n++;
	return `ACC-${n}`;
}

export async function findCustomer(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<Customer | undefined> {
	const row = await statements(ctx.db).byId.get(ctx.workspaceId, customerId);
	return row && customerRows.read(row);
}

export async function findCustomerByReference(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, reference: string): Promise<Customer | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(customer)
		.where(and(eq(customer.workspaceId, ctx.workspaceId), eq(customer.reference, reference.trim().toUpperCase()))));
}

/** Whether the workspace holds this customer (a check that reads no personal data). */
export async function customerExists(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<boolean> {
	return await statements(ctx.db).exists.get(ctx.workspaceId, customerId) !== undefined;
}

/** Loads a customer inside an operation, as a typed error when there is none. */
export async function requireCustomer(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<Result<Customer>> {
	const found = await findCustomer(ctx, customerId);
	return found ? ok(found) : err('customer.not-found', `No customer ${customerId}`, 'customerId');
}

/**
 * Records that the customer relationship ended (the account closed): retention periods that run
 * from the end of the relationship start now (e.g. MLR 2017 reg 40: five years from the end).
 */
export async function endRelationship(ctx: CoreContext, customerId: string): Promise<Result<Customer & { datedValues: number }>> {
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, customerId);
		if (!person.ok) return person;
		if (person.value.relationshipEndedAt !== null) return err('customer.relationship-ended', 'The relationship has already ended', 'customerId');
		const now = ctx.clock();
		await dbRun(ctx.db.update(customer).set({ relationshipEndedAt: now }).where(and(eq(customer.workspaceId, ctx.workspaceId), eq(customer.id, customerId))));
		const datedValues = await startRetentionPeriod(ctx, customerId, 'relationship-ended', now);
		await appendAudit(ctx, { action: 'customer.relationship.ended', subjectType: 'customer', subject: customerId, details: { datedValues } });
		return ok({ ...person.value, relationshipEndedAt: now, datedValues });
	});
}

const readBackInput = z.object({
	customerId: z.string().min(1),
	fields: z.array(z.string().min(1)).min(1, 'Name the fields read back'),
	/** The verification of the person the details were read back to, when there was one. */
	verificationId: z.string().min(1).optional(),
	interactionId: z.string().min(1).optional()
});

/**
 * Records that recorded details were read back to the person who supplied them, for accuracy
 * (UK GDPR Art 5(1)(d)): a confirmation with the data subject, not a disclosure.
 */
export async function readBack(ctx: CoreContext, customerId: string, fields: string[], context: { verificationId?: string; interactionId?: string } = {}): Promise<Result<{ fields: string[] }>> {
	const parsed = parseInput(readBackInput, { customerId, fields, ...context });
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, customerId);
		if (!person.ok) return person;
		const held = new Map((await heldValues(ctx, customerId)).map((h) => [h.field, h]));
		for (const field of parsed.value.fields) {
			const value = held.get(field);
			if (!value || value.value === null) return err('field.not-found', `Customer ${customerId} has no ${field} on record`, 'fields');
			const refusal = servicingRefusal(value, 'read-back');
			if (refusal) return err(refusal.code, refusal.message, 'fields');
		}
		await appendAudit(ctx, {
			action: 'customer.details.read.back',
			subjectType: 'customer',
			subject: customerId,
			fields: parsed.value.fields,
			details: { verificationId: parsed.value.verificationId ?? null, interactionId: parsed.value.interactionId ?? null }
		});
		return ok({ fields: parsed.value.fields });
	});
}

/** A field as shown for a stated purpose. */
export interface ShownField {
	field: string;
	category: string;
	/**
	 * Null when erased, or when withheld: restricted (Art 18: only stored, not shown), or kept under a
	 * legal hold only for a purpose other than the one the record was opened for (MLR 2017 reg 41).
	 */
	value: string | null;
	restricted: boolean;
	/** Why the value is withheld for this purpose, naming the rule; null when shown (or erased). */
	withheld: ServicingRefusal | null;
	accuracy: HeldValue['accuracy'];
	legalHold: boolean;
	/** The hold's reason, e.g. "MLR 2017 reg 40 (Money Laundering Regulations 2017)"; "" when not held. */
	legalHoldReason: string;
	/** Until when the hold keeps it: the hold's own date, else the value's retain-until; null when open-ended. */
	legalHoldUntil: string | null;
	/** Erasure or disposal was decided: the hold keeps it for one use only, named in holdUse. */
	keptForHoldOnly: boolean;
	/** The one use a value kept only for its hold may have, in words, e.g. "to prevent money laundering and terrorist financing". */
	holdUse: string | null;
	erased: boolean;
	purposeCode: string;
	lawfulBasis: HeldValue['lawfulBasis'];
	retainUntil: string | null;
	/** Supplementary statements completing the value (Art 16). */
	supplementaryStatements: string[];
}

export interface CustomerView {
	customer: Customer;
	purposeCode: string;
	fields: ShownField[];
}

/**
 * Opens a customer record for a stated purpose, showing only the fields that purpose needs
 * (UK GDPR Art 5(1)(b)-(c)). Restricted values are marked and withheld. Audited as
 * "customer.viewed" with the field names shown (and "special-category.viewed" where any are).
 */
export async function getCustomer(ctx: CoreContext, customerId: string, options: { purposeCode: string }): Promise<Result<CustomerView>> {
	return await writeTransaction(ctx.db, async () => {
		const person = await requireCustomer(ctx, customerId);
		if (!person.ok) return person;
		const p = await findPurpose(ctx, options.purposeCode);
		if (!p || !p.active) return err('purpose.not-found', `No active purpose "${options.purposeCode}"`, 'purposeCode');
		const needed = new Set(p.fields);
		const values = (await heldValues(ctx, customerId)).filter((h) => needed.has(h.field));
		const statements = new Map<string, string[]>();
		for (const row of await dbAll(ctx.db
			.select({ valueId: customerFieldHistory.valueId, newValue: customerFieldHistory.newValue })
			.from(customerFieldHistory)
			.where(
				and(
					eq(customerFieldHistory.workspaceId, ctx.workspaceId),
					eq(customerFieldHistory.customerId, customerId),
					eq(customerFieldHistory.change, 'completed')
				)
			)
			.orderBy(customerFieldHistory.at))) {
			if (row.newValue !== null) statements.set(row.valueId, [...(statements.get(row.valueId) ?? []), row.newValue]);
		}
		const fields: ShownField[] = values.map((h) => {
			const withheld = h.value === null ? null : servicingRefusal(h, 'view', { purposeCode: p.code });
			return {
				field: h.field,
				category: h.category,
				value: withheld ? null : h.value,
				restricted: h.restricted,
				withheld,
				accuracy: h.accuracy,
				legalHold: h.legalHold,
				legalHoldReason: h.legalHoldReason,
				legalHoldUntil: h.legalHold ? (h.legalHoldUntil ?? h.retainUntil) : null,
				keptForHoldOnly: h.keptForHoldOnly,
				holdUse: h.keptForHoldOnly ? holdUse(h).use : null,
				erased: h.erasedAt !== null,
				purposeCode: h.purposeCode,
				lawfulBasis: h.lawfulBasis,
				retainUntil: h.retainUntil,
				supplementaryStatements: withheld ? [] : (statements.get(h.id) ?? [])
			};
		});
		const shown = fields.filter((f) => f.value !== null).map((f) => f.field);
		await appendAudit(ctx, {
			action: 'customer.viewed',
			subjectType: 'customer',
			subject: customerId,
			fields: shown,
			details: {
				purposeCode: p.code,
				restricted: fields.filter((f) => f.restricted).map((f) => f.field),
				keptForHoldOnly: fields.filter((f) => f.withheld?.code === 'field.kept-for-hold-only').map((f) => f.field)
			}
		});
		const special = values.filter((h) => h.kind !== 'ordinary' && shown.includes(h.field)).map((h) => h.field);
		if (special.length > 0) {
			await appendAudit(ctx, { action: 'special-category.viewed', subjectType: 'customer', subject: customerId, fields: special, details: { purposeCode: p.code } });
		}
		return ok({ customer: person.value, purposeCode: p.code, fields });
	});
}
