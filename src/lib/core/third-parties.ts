/**
 * Third parties with recorded authority to act for a customer (DOMAIN.md §3). A caller who says
 * they are the spouse has no authority unless a row here says so, for the data asked about, on the
 * day asked, for the act asked.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbGet, dbAll, writeTransaction } from './database';
import { appendAudit } from './audit';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { AUTHORITY_TYPES, DATA_CATEGORIES, LPA_TYPES, SPECIAL_CATEGORIES, THIRD_PARTY_ACTIONS, authorisedThirdParty, type LpaType } from './schema';
import { ukDateOf } from './uk-date';
import { customerExists } from './customers';

export type AuthorisedThirdParty = typeof authorisedThirdParty.$inferSelect;
export type ThirdPartyAction = (typeof THIRD_PARTY_ACTIONS)[number];

/**
 * What an authority can cover: an ordinary data category, a special category, criminal-offence
 * data, or "all". Special category and criminal-offence data are covered only when named or by "all".
 */
export const AUTHORITY_SCOPES = [...DATA_CATEGORIES, ...SPECIAL_CATEGORIES, 'criminal-offence', 'all'] as const;

const authoriseInput = z
	.object({
		customerId: z.string().min(1),
		name: z.string().trim().min(1, 'Enter the third party’s name'),
		relationship: z.string().trim().min(1, 'Enter the relationship to the customer, e.g. “spouse”'),
		authorityType: z.enum(AUTHORITY_TYPES),
		/** Required for a lasting power of attorney: which kind it is. */
		lpaType: z.enum(LPA_TYPES).optional(),
		evidenceRef: z.string().trim().min(1, 'Enter a reference to the evidence of authority seen'),
		scopeCategories: z.array(z.enum(AUTHORITY_SCOPES)).min(1, 'Choose what the authority covers'),
		scopeActions: z.array(z.enum(THIRD_PARTY_ACTIONS)).min(1, 'Choose what the third party may do'),
		validFrom: z.iso.date(),
		validTo: z.iso.date().optional()
	})
	.refine((v) => v.validTo === undefined || v.validTo >= v.validFrom, {
		message: 'The authority cannot end before it starts',
		path: ['validTo']
	})
	.refine((v) => (v.authorityType === 'lasting-power-of-attorney') === (v.lpaType !== undefined), {
		message: 'Say which kind of lasting power of attorney it is (property and financial affairs, or health and welfare); only an LPA has one',
		path: ['lpaType']
	});
export type AuthoriseThirdPartyInput = z.input<typeof authoriseInput>;

/** Records a third party's authority, with the evidence seen and its scope. */
export async function authoriseThirdParty(ctx: CoreContext, input: AuthoriseThirdPartyInput): Promise<Result<AuthorisedThirdParty>> {
	const parsed = parseInput(authoriseInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		if (!await customerExists(ctx, v.customerId)) return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		const row: AuthorisedThirdParty = {
			id: ctx.ids(),
			workspaceId: ctx.workspaceId,
			customerId: v.customerId,
			name: v.name,
			relationship: v.relationship,
			authorityType: v.authorityType,
			lpaType: v.lpaType ?? null,
			evidenceRef: v.evidenceRef,
			scopeCategories: [...new Set(v.scopeCategories)],
			scopeActions: [...new Set(v.scopeActions)],
			validFrom: v.validFrom,
			validTo: v.validTo ?? null,
			recordedBy: ctx.actor.id,
			recordedAt: ctx.clock(),
			revokedAt: null
		};
		await dbRun(ctx.db.insert(authorisedThirdParty).values(row));
		await appendAudit(ctx, {
			action: 'third-party.authorised',
			subjectType: 'customer',
			subject: row.customerId,
			// The relationship is a kind ("spouse"), not a name; the name and evidence stay in the row.
			details: {
				thirdPartyId: row.id,
				authorityType: row.authorityType,
				lpaType: row.lpaType,
				relationship: row.relationship,
				scope: { categories: row.scopeCategories, actions: row.scopeActions },
				validFrom: row.validFrom,
				validTo: row.validTo
			}
		});
		return ok(row);
	});
}

/** Why an authority ends: the person withdrew it, the third party gave it up, a newer one replaced it, it ended in law (death, a court), or it was recorded in error. */
export const REVOCATION_REASONS = ['withdrawn-by-customer', 'withdrawn-by-third-party', 'superseded', 'ended-in-law', 'recorded-in-error'] as const;

const revokeInput = z.object({
	thirdPartyId: z.string().min(1),
	reason: z.enum(REVOCATION_REASONS)
});
export type RevokeThirdPartyInput = z.input<typeof revokeInput>;

/** Ends a third party's authority from now; the row is kept, so past disclosures stay explained. */
export async function revokeThirdPartyAuthority(ctx: CoreContext, input: RevokeThirdPartyInput): Promise<Result<AuthorisedThirdParty>> {
	const parsed = parseInput(revokeInput, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const row = await getThirdParty(ctx, parsed.value.thirdPartyId);
		if (!row) return err('third-party.not-found', `No authorised third party ${parsed.value.thirdPartyId}`, 'thirdPartyId');
		if (row.revokedAt !== null) return err('third-party.already-revoked', 'This authority has already been revoked', 'thirdPartyId');
		const revokedAt = ctx.clock();
		await dbRun(ctx.db
			.update(authorisedThirdParty)
			.set({ revokedAt })
			.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.id, row.id))));
		await appendAudit(ctx, {
			action: 'third-party.authority.revoked',
			subjectType: 'customer',
			subject: row.customerId,
			details: { thirdPartyId: row.id, reason: parsed.value.reason }
		});
		return ok({ ...row, revokedAt });
	});
}

/** Why an authority does not cover an act: each a stable code. */
export type AuthorityGap =
	| 'not-on-file'
	| 'other-customer'
	| 'revoked'
	| 'not-yet-valid'
	| 'expired'
	| 'action-not-in-scope'
	| 'category-not-in-scope'
	| 'lpa-type-not-in-scope';

/**
 * What each kind of LPA cannot reach, whatever scope was recorded with it. A health-and-welfare
 * attorney decides about the donor's care, not their property and affairs (MCA 2005 s9(1)(a), s11(7)):
 * an account, the money on it and any change to it are property and affairs. A property-and-
 * financial-affairs attorney has no say over health and care (s9(1)(b)), so not over health data.
 */
const OUTSIDE_LPA: Readonly<Record<LpaType, { categories: readonly string[]; actions: readonly ThirdPartyAction[] }>> = {
	'health-and-welfare': { categories: ['account', 'financial'], actions: ['make-changes'] },
	'property-and-financial-affairs': { categories: ['health'], actions: [] }
};

export interface AuthorityCheck {
	authorised: boolean;
	thirdPartyId: string;
	/** Empty when authorised. */
	gaps: AuthorityGap[];
	/** Categories asked about that the authority does not cover. */
	uncoveredCategories: string[];
	thirdParty: AuthorisedThirdParty | null;
}

/**
 * Whether a recorded authority covers an act: same customer, not revoked, valid on the date
 * (inclusive), the action and every category in scope. Pure: the caller audits.
 */
export function authorityCovers(
	row: AuthorisedThirdParty | null | undefined,
	ask: { customerId: string; thirdPartyId: string; categories: readonly string[]; action: ThirdPartyAction; on: string }
): AuthorityCheck {
	if (!row) return { authorised: false, thirdPartyId: ask.thirdPartyId, gaps: ['not-on-file'], uncoveredCategories: [...ask.categories], thirdParty: null };
	const gaps: AuthorityGap[] = [];
	if (row.customerId !== ask.customerId) gaps.push('other-customer');
	if (row.revokedAt !== null && ukDateOf(row.revokedAt) <= ask.on) gaps.push('revoked');
	if (ask.on < row.validFrom) gaps.push('not-yet-valid');
	if (row.validTo !== null && ask.on > row.validTo) gaps.push('expired');
	if (!row.scopeActions.includes(ask.action)) gaps.push('action-not-in-scope');
	const uncoveredCategories = row.scopeCategories.includes('all') ? [] : ask.categories.filter((c) => !row.scopeCategories.includes(c));
	if (uncoveredCategories.length > 0) gaps.push('category-not-in-scope');
	if (row.authorityType === 'lasting-power-of-attorney' && row.lpaType !== null) {
		const outside = OUTSIDE_LPA[row.lpaType];
		const beyondType = ask.categories.filter((c) => outside.categories.includes(c) && !uncoveredCategories.includes(c));
		if (beyondType.length > 0 || outside.actions.includes(ask.action)) gaps.push('lpa-type-not-in-scope');
		uncoveredCategories.push(...beyondType);
	}
	return { authorised: gaps.length === 0, thirdPartyId: row.id, gaps, uncoveredCategories, thirdParty: row };
}

const checkInput = z.object({
	customerId: z.string().min(1),
	thirdPartyId: z.string().min(1),
	categories: z.array(z.string().min(1)).min(1, 'Say which categories of data are asked about'),
	action: z.enum(THIRD_PARTY_ACTIONS),
	/** The day the authority is relied on (YYYY-MM-DD); today by the context's clock by default. */
	on: z.iso.date().optional()
});
export type CheckAuthorityInput = z.input<typeof checkInput>;

/** Checks a caller's claimed authority against the file, and audits the check. */
export async function checkAuthority(ctx: CoreContext, input: CheckAuthorityInput): Promise<Result<AuthorityCheck>> {
	const parsed = parseInput(checkInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		if (!await customerExists(ctx, v.customerId)) return err('customer.not-found', `No customer ${v.customerId}`, 'customerId');
		const check = authorityCovers(await getThirdParty(ctx, v.thirdPartyId), { ...v, on: v.on ?? ukDateOf(ctx.clock()) });
		await appendAudit(ctx, {
			action: 'third-party.authority.checked',
			subjectType: 'customer',
			subject: v.customerId,
			details: {
				thirdPartyId: v.thirdPartyId,
				found: check.thirdParty !== null,
				inScope: check.authorised,
				action: v.action,
				categories: v.categories,
				gaps: check.gaps,
				lpaType: check.thirdParty?.lpaType ?? null
			}
		});
		return ok(check);
	});
}

/** A third party in the context's workspace, or undefined. */
export async function getThirdParty(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, thirdPartyId: string): Promise<AuthorisedThirdParty | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(authorisedThirdParty)
		.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.id, thirdPartyId))));
}

/** Every authority recorded for a customer, current or not, oldest first. */
export async function thirdPartiesOf(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, customerId: string): Promise<AuthorisedThirdParty[]> {
	return await dbAll(ctx.db
		.select()
		.from(authorisedThirdParty)
		.where(and(eq(authorisedThirdParty.workspaceId, ctx.workspaceId), eq(authorisedThirdParty.customerId, customerId)))
		.orderBy(authorisedThirdParty.recordedAt));
}
