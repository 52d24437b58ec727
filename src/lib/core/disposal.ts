/**
 * The disposal run (UK GDPR Art 5(1)(e) storage limitation; DOMAIN.md §5): everything whose
 * retain-until date has passed is erased or anonymised, as its retention rule says, unless a legal
 * hold applies. The run is logged by category and count, never by value.
 */
import { and, isNotNull, isNull, lt, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { writeTransaction } from './database';
import { appendAudit } from './audit';
import { disposeOfValue } from './erasure';
import { findHeldValue } from './held-values';
import { parseInput } from './input';
import { retentionRules } from './retention';
import { ok, type Result } from './result';
import { criminalOffenceValue, customerField, disposalRun, specialCategoryValue } from './schema';

export type DisposalRun = typeof disposalRun.$inferSelect;
export type DisposalCounts = DisposalRun['counts'];

const runDisposalInput = z.object({
	/** The day the run treats as today (YYYY-MM-DD); values kept until an earlier day are disposed of. */
	asOf: z.iso.date('Give the date as YYYY-MM-DD')
});
export type RunDisposalInput = z.input<typeof runDisposalInput>;

/** Finds what has passed retain-until in the workspace and disposes of it, all in one transaction. */
export function runDisposal(ctx: CoreContext, input: RunDisposalInput): Result<DisposalRun> {
	const parsed = parseInput(runDisposalInput, input);
	if (!parsed.ok) return parsed;
	const { asOf } = parsed.value;
	return writeTransaction(ctx.db, () => {
		const rules = new Map(retentionRules(ctx).map((r) => [r.id, r]));
		const due = [customerField, specialCategoryValue, criminalOffenceValue].flatMap((table) =>
			ctx.db
				.select({ customerId: table.customerId, field: table.field })
				.from(table)
				.where(
					and(
						eq(table.workspaceId, ctx.workspaceId),
						isNotNull(table.retainUntil),
						lt(table.retainUntil, asOf),
						isNull(table.erasedAt),
						isNull(table.anonymisedAt)
					)
				)
				.all()
		);
		const counts: DisposalCounts = {};
		for (const { customerId, field } of due) {
			const held = findHeldValue(ctx, customerId, field);
			if (!held) continue;
			const rule = rules.get(held.retentionRuleId);
			const action = rule?.action ?? 'erase';
			const tally = (counts[held.category] ??= { erased: 0, anonymised: 0, held: 0 });
			if (!disposeOfValue(ctx, held, action, `retention rule ${rule?.code ?? held.retentionRuleId} expired on ${held.retainUntil}`)) tally.held++;
			else if (action === 'erase') tally.erased++;
			else tally.anonymised++;
		}
		const row: DisposalRun = { id: ctx.ids(), workspaceId: ctx.workspaceId, asOf, ranAt: ctx.clock(), ranBy: ctx.actor.id, counts };
		ctx.db.insert(disposalRun).values(row).run();
		appendAudit(ctx, {
			action: 'retention.disposal.run',
			subjectType: 'disposal-run',
			subject: row.id,
			details: { disposalRunId: row.id, asOf, counts }
		});
		return ok(row);
	});
}
