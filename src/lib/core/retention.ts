import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbAll, dbGet, writeTransaction } from './database';
import { appendAudit } from './audit';
import { heldValues, updateHeldValue } from './held-values';
import { parseInput } from './input';
import { err, ok, type Result } from './result';
import { DISPOSAL_ACTIONS, RETENTION_TRIGGERS, retentionRule } from './schema';

export type RetentionRule = typeof retentionRule.$inferSelect;
export type RetentionTrigger = (typeof RETENTION_TRIGGERS)[number];

const code = z
	.string()
	.trim()
	.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens, e.g. "aml-records"');

const retentionRuleInput = z.object({
	code,
	description: z.string().trim().min(1, 'Describe what the rule keeps and why'),
	// Storage limitation, UK GDPR Art 5(1)(e): a period is required; 100 years is the longest any
	// UK record-keeping duty asks for.
	periodMonths: z.number().int().min(0).max(1200),
	trigger: z.enum(RETENTION_TRIGGERS),
	action: z.enum(DISPOSAL_ACTIONS),
	authority: z.string().trim().default('')
});
export type RetentionRuleInput = z.input<typeof retentionRuleInput>;

const retentionRuleChanges = retentionRuleInput.omit({ code: true }).partial().extend({ code });
export type RetentionRuleChanges = z.input<typeof retentionRuleChanges>;

/** Defines a retention rule: how long a category of data is kept, from what event, and what then. */
export async function defineRetentionRule(ctx: CoreContext, input: RetentionRuleInput): Promise<Result<RetentionRule>> {
	const parsed = parseInput(retentionRuleInput, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		if (await findRetentionRule(ctx, parsed.value.code)) {
			return err('retention-rule.exists', `A retention rule "${parsed.value.code}" already exists`, 'code');
		}
		const row: RetentionRule = { id: ctx.ids(), workspaceId: ctx.workspaceId, ...parsed.value, createdAt: ctx.clock() };
		await dbRun(ctx.db.insert(retentionRule).values(row));
		await appendAudit(ctx, {
			action: 'retention.rule.defined',
			subjectType: 'retention-rule',
			subject: row.id,
			details: { code: row.code, periodMonths: row.periodMonths, trigger: row.trigger, action: row.action }
		});
		return ok(row);
	});
}

/**
 * Changes a rule's period, trigger, action or wording. Values already held keep the retain-until
 * date computed when their trigger happened; the new period applies from the next trigger.
 */
export async function changeRetentionRule(ctx: CoreContext, changes: RetentionRuleChanges): Promise<Result<RetentionRule>> {
	const parsed = parseInput(retentionRuleChanges, changes);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const current = await findRetentionRule(ctx, parsed.value.code);
		if (!current) return err('retention-rule.not-found', `No retention rule "${parsed.value.code}"`, 'code');
		const changed = Object.entries(parsed.value).filter(
			([key, value]) => key !== 'code' && value !== undefined && value !== current[key as keyof RetentionRule]
		);
		const next: RetentionRule = { ...current, ...Object.fromEntries(changed) };
		await dbRun(ctx.db.update(retentionRule).set(next).where(eq(retentionRule.id, current.id)));
		await appendAudit(ctx, {
			action: 'retention.rule.changed',
			subjectType: 'retention-rule',
			subject: current.id,
			details: {
				code: next.code,
				changed: changed.map(([key]) => key),
				periodMonths: next.periodMonths,
				trigger: next.trigger,
				action: next.action
			}
		});
		return ok(next);
	});
}

/** The workspace's retention rules, by code. */
export async function retentionRules(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<RetentionRule[]> {
	return await dbAll(ctx.db.select().from(retentionRule).where(eq(retentionRule.workspaceId, ctx.workspaceId)).orderBy(retentionRule.code));
}

export async function findRetentionRule(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, ruleCode: string): Promise<RetentionRule | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(retentionRule)
		.where(and(eq(retentionRule.workspaceId, ctx.workspaceId), eq(retentionRule.code, ruleCode))));
}

/**
 * The last day a value may be kept: the trigger's date plus the rule's period in calendar months
 * (a month end clamps: 31 Aug + 6 months is 28 or 29 Feb). The value is disposed of on any later day.
 */
export function retainUntilDate(rule: Pick<RetentionRule, 'periodMonths'>, triggeredAt: string): string {
	const [year, month, day] = triggeredAt.slice(0, 10).split('-').map(Number) as [number, number, number];
	const monthIndex = month - 1 + rule.periodMonths;
	const y = year + Math.floor(monthIndex / 12);
	const m = (monthIndex % 12) + 1;
	const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
	return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/**
 * Starts the retention period of a customer's values whose rule runs from `trigger`: their
 * retain-until becomes the trigger's date plus the rule's period. Values already erased, and values
 * whose clock already started, are left alone, except that "last-contact" restarts at every contact.
 * Runs inside the caller's transaction; returns how many values it dated.
 */
export async function startRetentionPeriod(
	ctx: CoreContext,
	customerId: string,
	trigger: RetentionTrigger,
	at: string,
	onlyPurposeCode?: string
): Promise<number> {
	const rules = new Map((await retentionRules(ctx)).map((r) => [r.id, r]));
	let dated = 0;
	for (const held of await heldValues(ctx, customerId)) {
		const rule = rules.get(held.retentionRuleId);
		if (!rule || rule.trigger !== trigger) continue;
		if (held.erasedAt !== null || held.anonymisedAt !== null) continue;
		if (onlyPurposeCode !== undefined && held.purposeCode !== onlyPurposeCode) continue;
		if (held.retainUntil !== null && trigger !== 'last-contact') continue;
		await updateHeldValue(ctx, held, { retainUntil: retainUntilDate(rule, at) });
		dated++;
	}
	return dated;
}
