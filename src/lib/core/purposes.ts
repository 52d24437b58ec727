/**
 * Purposes of processing: the organisation's record of why it holds data (UK GDPR Art 5(1)(b),
 * Art 30). Each has exactly one Art 6 basis and lists the fields it needs, so minimisation
 * (Art 5(1)(c)) can be checked field by field at collection.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbGet, dbRun, preparedStatements, writeTransaction } from './database';
import { appendAudit } from './audit';
import { FIELD_CATALOGUE, isCataloguedField } from './collection';
import { parseInput } from './input';
import { findRetentionRule } from './retention';
import { err, ok, type Result } from './result';
import { DATA_CATEGORIES, LAWFUL_BASES, SPECIAL_CATEGORIES, purpose, workspace } from './schema';
import { tableRows } from './table-rows';

export type Purpose = typeof purpose.$inferSelect;
export type LawfulBasis = (typeof LAWFUL_BASES)[number];

/** Where a field's values live: ordinary fields, special category data (Art 9), criminal-offence data (Art 10). */
export const FIELD_CATEGORIES = [...DATA_CATEGORIES, ...SPECIAL_CATEGORIES, 'criminal-offence'] as const;
export type FieldCategory = (typeof FIELD_CATEGORIES)[number];

const fieldName = z.string().regex(/^[a-z][A-Za-z0-9]{0,63}$/, 'Name a field in camelCase, e.g. "dateOfBirth"');
const text = z.string().trim();

const purposeFields = {
	name: text.min(1, 'Name the purpose'),
	description: text.min(1, 'Describe the purpose'),
	basisDetail: text,
	directMarketing: z.boolean(),
	fields: z.array(fieldName).min(1, 'List the fields the purpose needs'),
	requiredFields: z.array(fieldName),
	fieldCategories: z.record(fieldName, z.enum(FIELD_CATEGORIES)),
	/** Categories beyond those of the fields, e.g. special categories a purpose may touch. */
	categories: z.array(z.enum(FIELD_CATEGORIES)),
	dataSubjectCategories: z.array(text.min(1)).min(1, 'Say whose data this is, e.g. "customers"'),
	recipientCategories: z.array(text.min(1)),
	transfers: text,
	retentionRuleCode: text.min(1, 'Choose the retention rule'),
	automatedDecisionMaking: text,
	minimumAge: z.number().int().min(0).max(120).nullable()
};

const purposeInput = z.object({
	code: z.string().trim().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. "account-servicing"'),
	lawfulBasis: z.enum(LAWFUL_BASES),
	...purposeFields,
	basisDetail: purposeFields.basisDetail.default(''),
	directMarketing: purposeFields.directMarketing.default(false),
	requiredFields: purposeFields.requiredFields.default([]),
	fieldCategories: purposeFields.fieldCategories.default({}),
	categories: purposeFields.categories.default([]),
	dataSubjectCategories: purposeFields.dataSubjectCategories.default(['customers']),
	recipientCategories: purposeFields.recipientCategories.default([]),
	transfers: purposeFields.transfers.default(''),
	automatedDecisionMaking: purposeFields.automatedDecisionMaking.default(''),
	minimumAge: purposeFields.minimumAge.default(null)
});
export type PurposeInput = z.input<typeof purposeInput>;

const purposeChanges = z.object({
	code: z.string().trim().min(1),
	/** Accepted only when it is the current basis: a basis is not swapped after the event (ICO lawful basis guidance). */
	lawfulBasis: z.enum(LAWFUL_BASES).optional(),
	...Object.fromEntries(Object.entries(purposeFields).map(([key, schema]) => [key, schema.optional()]))
} as { code: z.ZodString; lawfulBasis: z.ZodOptional<z.ZodEnum<{ [K in LawfulBasis]: K }>> } & {
	[K in keyof typeof purposeFields]: z.ZodOptional<(typeof purposeFields)[K]>;
});
export type PurposeChanges = z.input<typeof purposeChanges>;

/** The category of a field as a purpose sees it: the catalogue's, else the purpose's own. */
export function categoryOfField(p: Pick<Purpose, 'fieldCategories'>, field: string): FieldCategory | undefined {
	if (isCataloguedField(field)) return FIELD_CATALOGUE[field].category;
	const own = p.fieldCategories[field];
	return (FIELD_CATEGORIES as readonly string[]).includes(own ?? '') ? (own as FieldCategory) : undefined;
}

type PurposeShape = Omit<z.output<typeof purposeInput>, 'code' | 'lawfulBasis' | 'retentionRuleCode'>;

/** Checks a purpose's fields hang together, and derives its categories from its fields. */
function coherentPurpose(shape: PurposeShape): Result<string[]> {
	for (const field of shape.requiredFields) {
		if (!shape.fields.includes(field)) {
			return err('invalid', `The required field ${field} is not one of the fields the purpose needs`, 'requiredFields');
		}
	}
	const categories = new Set<string>(shape.categories);
	for (const field of shape.fields) {
		const category = categoryOfField(shape, field);
		if (category === undefined) {
			return err('invalid', `Give the category of the field ${field}: the field catalogue does not know it`, 'fieldCategories');
		}
		categories.add(category);
	}
	return ok(FIELD_CATEGORIES.filter((c) => categories.has(c)));
}

async function basisAllowed(ctx: CoreContext, basis: LawfulBasis): Promise<Result<true>> {
	if (basis !== 'recognised-legitimate-interests') return ok(true);
	const settings = await dbGet(ctx.db.select({ settings: workspace.settings }).from(workspace).where(eq(workspace.id, ctx.workspaceId)));
	// Data (Use and Access) Act 2025: an interpretation kept behind a setting (DOMAIN.md §2).
	return settings?.settings.recognisedLegitimateInterests === true
		? ok(true)
		: err('lawful-basis.not-allowed', 'This organisation does not use "recognised legitimate interests" as a lawful basis', 'lawfulBasis');
}

/** Defines a purpose with exactly one Art 6 basis, the fields it needs and its retention rule. */
export async function definePurpose(ctx: CoreContext, input: PurposeInput): Promise<Result<Purpose>> {
	const parsed = parseInput(purposeInput, input);
	if (!parsed.ok) return parsed;
	const { code, lawfulBasis, retentionRuleCode, ...shape } = parsed.value;
	const categories = coherentPurpose(shape);
	if (!categories.ok) return categories;
	return await writeTransaction(ctx.db, async () => {
		const allowed = await basisAllowed(ctx, lawfulBasis);
		if (!allowed.ok) return allowed;
		if (await findPurpose(ctx, code)) return err('purpose.exists', `A purpose "${code}" already exists`, 'code');
		const rule = await findRetentionRule(ctx, retentionRuleCode);
		if (!rule) return err('retention-rule.not-found', `No retention rule "${retentionRuleCode}"`, 'retentionRuleCode');
		const row: Purpose = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			code,
			lawfulBasis,
			...shape,
			categories: categories.value,
			retentionRuleId: rule.id,
			active: true,
			createdAt: ctx.clock()
		};
		await dbRun(ctx.db.insert(purpose).values(row));
		await appendAudit(ctx, {
			action: 'purpose.defined',
			subjectType: 'purpose',
			subject: row.id,
			fields: row.fields,
			details: { code, lawfulBasis, categories: row.categories, retentionRule: rule.code, directMarketing: row.directMarketing }
		});
		return ok(row);
	});
}

/** Changes what a purpose needs or says. Its lawful basis cannot be swapped for another. */
export async function changePurpose(ctx: CoreContext, changes: PurposeChanges): Promise<Result<Purpose>> {
	const parsed = parseInput(purposeChanges, changes);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const current = await findPurpose(ctx, parsed.value.code);
		if (!current) return err('purpose.not-found', `No purpose "${parsed.value.code}"`, 'code');
		const { code, lawfulBasis, retentionRuleCode, ...rest } = parsed.value;
		// ICO guidance on lawful basis: choose it before processing starts; swapping it later is unfair.
		if (lawfulBasis !== undefined && lawfulBasis !== current.lawfulBasis) {
			return err('purpose.basis-swap', `The lawful basis of "${code}" cannot be swapped: retire it and define a new purpose`, 'lawfulBasis');
		}
		let retentionRuleId = current.retentionRuleId;
		if (retentionRuleCode !== undefined) {
			const rule = await findRetentionRule(ctx, retentionRuleCode);
			if (!rule) return err('retention-rule.not-found', `No retention rule "${retentionRuleCode}"`, 'retentionRuleCode');
			retentionRuleId = rule.id;
		}
		const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
		const shape: PurposeShape = {
			name: current.name,
			description: current.description,
			basisDetail: current.basisDetail,
			directMarketing: current.directMarketing,
			fields: current.fields,
			requiredFields: current.requiredFields,
			fieldCategories: current.fieldCategories as PurposeShape['fieldCategories'],
			categories: [],
			dataSubjectCategories: current.dataSubjectCategories,
			recipientCategories: current.recipientCategories,
			transfers: current.transfers,
			automatedDecisionMaking: current.automatedDecisionMaking,
			minimumAge: current.minimumAge,
			...given
		};
		const categories = coherentPurpose(shape);
		if (!categories.ok) return categories;
		const next: Purpose = { ...current, ...shape, categories: categories.value, retentionRuleId };
		await dbRun(ctx.db.update(purpose).set(next).where(eq(purpose.id, current.id)));
		const changed = [...Object.keys(given), ...(retentionRuleId !== current.retentionRuleId ? ['retentionRule'] : [])];
		await appendAudit(ctx, {
			action: 'purpose.changed',
			subjectType: 'purpose',
			subject: current.id,
			fields: next.fields,
			details: { code, changed, lawfulBasis: next.lawfulBasis, categories: next.categories }
		});
		return ok(next);
	});
}

/** Stops a purpose being used for new collection; what was collected under it keeps its record. */
export async function retirePurpose(ctx: CoreContext, input: { code: string; reason: string }): Promise<Result<Purpose>> {
	const parsed = parseInput(z.object({ code: z.string().trim().min(1), reason: text.min(1, 'Give the reason for retiring the purpose') }), input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const current = await findPurpose(ctx, parsed.value.code);
		if (!current) return err('purpose.not-found', `No purpose "${parsed.value.code}"`, 'code');
		if (!current.active) return err('purpose.retired', `The purpose "${current.code}" is already retired`, 'code');
		await dbRun(ctx.db.update(purpose).set({ active: false }).where(eq(purpose.id, current.id)));
		await appendAudit(ctx, { action: 'purpose.retired', subjectType: 'purpose', subject: current.id, details: { code: current.code } });
		return ok({ ...current, active: false });
	});
}

const purposeRows = tableRows(purpose);
const statements = preparedStatements((client) => ({
	byCode: client.prepare<[string, string], Record<string, unknown>>(`select ${purposeRows.columns} from purpose where workspace_id = ? and code = ?`),
	names: client.prepare<[string], { code: string; name: string }>('select code, name from purpose where workspace_id = ?'),
	all: client.prepare<[string], Record<string, unknown>>(`select ${purposeRows.columns} from purpose where workspace_id = ?`)
}));

export async function findPurpose(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, code: string): Promise<Purpose | undefined> {
	const row = await statements(ctx.db).byCode.get(ctx.workspaceId, code);
	return row && purposeRows.read(row);
}

/** What the organisation calls each of its purposes, retired ones too, by code (one prepared read). */
export async function purposeNames(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<Map<string, string>> {
	return new Map((await statements(ctx.db).names.all(ctx.workspaceId)).map((p) => [p.code, p.name]));
}

/** The workspace's purposes, active first, by code. */
export async function purposes(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<Purpose[]> {
	return (await statements(ctx.db).all.all(ctx.workspaceId))
		.map(purposeRows.read)
		.sort((a, b) => Number(b.active) - Number(a.active) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
