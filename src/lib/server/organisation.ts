import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { dbGet, dbAll, dbRun, writeTransaction, type Db } from '$lib/core/database';
import { DISPOSAL_ACTIONS, RETENTION_TRIGGERS } from '$lib/core/schema/retention';
import { centreRetentionRule, type CentreRetentionRule } from '$lib/server/db/authoring';
import { organisation, type Organisation } from '$lib/server/db/schema';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { securityLogRetentionDays } from '$lib/server/security/retention';

export const REGIONS = [
	{ value: 'england-and-wales', label: 'England and Wales' },
	{ value: 'scotland', label: 'Scotland' },
	{ value: 'northern-ireland', label: 'Northern Ireland' }
] as const;

export const organisationSettings = z.object({
	name: z.string().trim().min(2, 'Enter the centre’s name (at least 2 characters).').max(120, 'Use at most 120 characters.'),
	region: z.enum(['england-and-wales', 'scotland', 'northern-ireland'], {
		error: 'Choose England and Wales, Scotland or Northern Ireland.'
	}),
	dpoName: z.string().trim().min(2, 'Enter the data protection officer’s name.').max(120, 'Use at most 120 characters.'),
	dpoEmail: z.email('Enter an email address like dpo@example.org.').max(254, 'Use at most 254 characters.'),
	dpoPhone: z
		.string()
		.trim()
		.max(30, 'Use at most 30 characters.')
		.regex(/^$|^[0-9 +()-]{7,30}$/, 'Enter a phone number using digits, spaces, + ( ) or -.'),
	securityLogRetentionDays,
	/** Staff always use MFA; this asks it of learners too (mfa.ts). An unticked box is absent: false. */
	requireMfaForLearners: z.boolean().default(false)
});
export type OrganisationSettings = z.infer<typeof organisationSettings>;

export async function getOrganisation(db: Db, id: string): Promise<Organisation | undefined> {
	return await dbGet(db.select().from(organisation).where(eq(organisation.id, id)));
}

export type SettingsResult =
	| { ok: true; organisation: Organisation }
	| { ok: false; errors: Partial<Record<keyof OrganisationSettings, string>> };

/**
 * Saves the centre's settings. The change is a security event naming the settings changed, never
 * their values (the DPO's name and contact are personal data), except the log's own retention
 * period: shortening it lets old events be deleted sooner, so its old and new values are kept.
 */
export async function updateOrganisationSettings(db: Db, id: string, input: unknown, by: Actor, now = new Date()): Promise<SettingsResult> {
	const parsed = organisationSettings.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<keyof OrganisationSettings, string>> = {};
		for (const issue of parsed.error.issues) {
			const key = issue.path[0] as keyof OrganisationSettings | undefined;
			if (key && !errors[key]) errors[key] = issue.message;
		}
		return { ok: false, errors };
	}
	return await writeTransaction(db, async (): Promise<SettingsResult> => {
			const before = await getOrganisation(db, id);
			if (!before) return { ok: false, errors: { name: 'This centre no longer exists.' } };
			const updated = (await dbGet(db
				.update(organisation)
				.set({ ...parsed.data, updatedAt: now.toISOString() })
				.where(eq(organisation.id, id))
				.returning()))!;
			const changed = (Object.keys(parsed.data) as (keyof OrganisationSettings)[]).filter((key) => before[key] !== updated[key]);
			if (changed.length > 0) {
				const detail: Record<string, string[] | number> = { settings: changed };
				if (changed.includes('securityLogRetentionDays')) {
					detail.retentionDaysBefore = before.securityLogRetentionDays;
					detail.retentionDaysAfter = updated.securityLogRetentionDays;
				}
				await recordActorEvent(db, by, { type: 'settings.changed', detail }, now);
			}
			return { ok: true, organisation: updated };
		});
}

// ── Retention rules ─────────────────────────────────────────────────────────────────────────

export const TRIGGER_LABELS: Record<(typeof RETENTION_TRIGGERS)[number], string> = {
	collected: 'when the data was collected',
	'relationship-ended': 'when the customer relationship ended',
	'last-contact': 'the last contact with the customer',
	'consent-withdrawn': 'when consent was withdrawn'
};
export const ACTION_LABELS: Record<(typeof DISPOSAL_ACTIONS)[number], string> = {
	erase: 'Erase',
	anonymise: 'Anonymise'
};

const printable = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

export const retentionRuleFields = z.object({
	code: z
		.string()
		.trim()
		.toLowerCase()
		.min(2, 'Enter a code of at least 2 characters, like “complaints-records”.')
		.max(60, 'Use at most 60 characters for the code.')
		.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens, like “complaints-records”.'),
	description: z.string().trim().min(3, 'Describe what the rule covers.').max(300, 'Use at most 300 characters.').refine(printable, 'Use letters, digits, spaces and punctuation only.'),
	periodMonths: z
		.string()
		.trim()
		.regex(/^\d{1,4}$/, 'Enter the period as a whole number of months, like 72.')
		.transform(Number)
		.refine((n) => n >= 1 && n <= 1200, 'Enter a period from 1 to 1200 months (100 years).'),
	trigger: z.enum(RETENTION_TRIGGERS, { error: 'Choose when the period starts.' }),
	action: z.enum(DISPOSAL_ACTIONS, { error: 'Choose erase or anonymise.' }),
	authority: z.string().trim().max(300, 'Use at most 300 characters.').refine(printable, 'Use letters, digits, spaces and punctuation only.')
});
export type RetentionRuleInput = z.input<typeof retentionRuleFields>;
type RuleField = keyof RetentionRuleInput;

export type RetentionRuleResult =
	| { ok: true; rule: CentreRetentionRule }
	| { ok: false; errors: Partial<Record<RuleField | 'form', string>> };

/** The centre's retention rules by code: added to every new attempt workspace whose scenario lacks that code. */
export async function retentionRulesOf(db: Db, organisationId: string): Promise<CentreRetentionRule[]> {
	return await dbAll(db.select().from(centreRetentionRule).where(eq(centreRetentionRule.organisationId, organisationId)).orderBy(asc(centreRetentionRule.code)));
}

/** Adds a rule (no id) or changes one (its id); codes are unique in the centre. */
export async function saveRetentionRule(db: Db, organisationId: string, ruleId: string | null, input: RetentionRuleInput, now = new Date()): Promise<RetentionRuleResult> {
	const parsed = retentionRuleFields.safeParse(input);
	if (!parsed.success) {
		const errors: Partial<Record<RuleField, string>> = {};
		for (const issue of parsed.error.issues) {
			const key = issue.path[0] as RuleField | undefined;
			if (key && !errors[key]) errors[key] = issue.message;
		}
		return { ok: false, errors };
	}
	const rules = await retentionRulesOf(db, organisationId);
	if (ruleId !== null && !rules.some((r) => r.id === ruleId)) return { ok: false, errors: { form: 'That retention rule was not found: it may have been deleted.' } };
	if (rules.some((r) => r.code === parsed.data.code && r.id !== ruleId)) {
		return { ok: false, errors: { code: `There is already a rule with the code “${parsed.data.code}”.` } };
	}
	const values = { ...parsed.data, updatedAt: now.toISOString() };
	const rule =
		ruleId === null
			? await dbGet(db.insert(centreRetentionRule).values({ id: crypto.randomUUID(), organisationId, ...values }).returning())
			: await dbGet(db.update(centreRetentionRule).set(values).where(eq(centreRetentionRule.id, ruleId)).returning());
	return { ok: true, rule: rule! };
}

/** Deletes a rule; workspaces already made keep theirs. */
export async function deleteRetentionRule(db: Db, organisationId: string, ruleId: string): Promise<boolean> {
	const result = await dbRun(db
		.delete(centreRetentionRule)
		.where(and(eq(centreRetentionRule.id, ruleId), eq(centreRetentionRule.organisationId, organisationId))));
	return result.changes > 0;
}
