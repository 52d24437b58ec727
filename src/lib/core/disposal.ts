/**
 * The disposal run (UK GDPR Art 5(1)(e) storage limitation): everything whose retain-until date has
 * passed is erased or anonymised, as its retention rule says, unless a legal hold applies (kept from
 * then on for the hold's purpose only) or processing is restricted (Art 18: restricted data is only
 * stored; Art 18(1)(c): the person may need it kept for their legal claims). The run is logged by
 * category and count, never by value: what it disposed of, and what it kept and why.
 */
import { mapInOrder } from './in-order';
import { and, isNotNull, isNull, lt, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbAll, dbRun, insertionOrder, writeTransaction } from './database';
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
export async function runDisposal(ctx: CoreContext, input: RunDisposalInput): Promise<Result<DisposalRun>> {
	const parsed = parseInput(runDisposalInput, input);
	if (!parsed.ok) return parsed;
	const { asOf } = parsed.value;
	return await writeTransaction(ctx.db, async () => {
		const rules = new Map((await retentionRules(ctx)).map((r) => [r.id, r]));
		// In the order SQLite's plans give (customer_field by its retention index, then rowid; the
		// others as stored), on either engine: each disposal appends audit entries, so the order is the chain's.
		const orders = new Map<object, SQL[]>([
			[customerField, [sql`${customerField.retainUntil}`, insertionOrder(ctx.db, customerField)]],
			[specialCategoryValue, [insertionOrder(ctx.db, specialCategoryValue)]],
			[criminalOffenceValue, [insertionOrder(ctx.db, criminalOffenceValue)]]
		]);
		const due = (await mapInOrder([customerField, specialCategoryValue, criminalOffenceValue], async (table) =>
			await dbAll(ctx.db
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
				.orderBy(...orders.get(table)!))
		)).flat();
		const counts: DisposalCounts = {};
		for (const { customerId, field } of due) {
			const held = await findHeldValue(ctx, customerId, field);
			if (!held) continue;
			const rule = rules.get(held.retentionRuleId);
			const action = rule?.action ?? 'erase';
			const tally = (counts[held.category] ??= { erased: 0, anonymised: 0, held: 0, restricted: 0 });
			// UK GDPR Art 18(1)(c), 18(2): a restricted value is only stored, never erased or anonymised by a run.
			// A legal hold comes first: a held value is counted under its hold even if also restricted.
			if (held.restricted && !held.legalHold) tally.restricted = (tally.restricted ?? 0) + 1;
			else if (!await disposeOfValue(ctx, held, action, `retention rule ${rule?.code ?? held.retentionRuleId} expired on ${held.retainUntil}`)) tally.held++;
			else if (action === 'erase') tally.erased++;
			else tally.anonymised++;
		}
		const row: DisposalRun = { id: ctx.ids(), workspaceId: ctx.workspaceId, asOf, ranAt: ctx.clock(), ranBy: ctx.actor.id, counts };
		await dbRun(ctx.db.insert(disposalRun).values(row));
		await appendAudit(ctx, {
			action: 'retention.disposal.run',
			subjectType: 'disposal-run',
			subject: row.id,
			details: {
				disposalRunId: row.id,
				asOf,
				counts,
				kept: keptWithReasons(counts),
				keptHeld: Object.values(counts).reduce((n, c) => n + c.held, 0),
				keptRestricted: Object.values(counts).reduce((n, c) => n + (c.restricted ?? 0), 0)
			}
		});
		return ok(row);
	});
}

/** Why a disposal run kept a value it found past its retain-until date. */
const DISPOSAL_KEPT_REASONS = {
	held: 'under a legal hold (UK GDPR Art 17(3)(b),(e)): kept for the hold’s purpose only',
	restricted: 'processing restricted (UK GDPR Art 18(1)(c), 18(2)): only stored while restricted'
} as const;

/** What a run kept, by category, reason and count: never values. */
function keptWithReasons(counts: DisposalCounts): { category: string; reason: string; count: number }[] {
	return Object.entries(counts).flatMap(([category, tally]) =>
		(['held', 'restricted'] as const)
			.map((kind) => ({ category, reason: DISPOSAL_KEPT_REASONS[kind], count: tally[kind] ?? 0 }))
			.filter((k) => k.count > 0)
	);
}
