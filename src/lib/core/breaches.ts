/**
 * The breach register (UK GDPR Arts 33 and 34, DOMAIN.md §6). Every breach goes in, reported or
 * not. Each entry holds when the organisation became aware, what happened, the categories and
 * approximate numbers of people and records, likely consequences, measures taken, the risk
 * assessment, the ICO notification (or the reason for not notifying) and when people were told.
 */
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { CoreContext } from './context';
import { dbRun, dbGet, writeTransaction, preparedStatements } from './database';
import { tableRows } from './table-rows';
import { appendAudit, type AuditDetails } from './audit';
import { breachReportDueAt } from './deadlines';
import { parseInput } from './input';
import { applyPolicy } from './policy';
import { err, ok, type Result } from './result';
import { BREACH_RISKS, breach } from './schema';
import { toUtcInstant } from './uk-date';

export type Breach = typeof breach.$inferSelect;
export type BreachRisk = Exclude<(typeof BREACH_RISKS)[number], 'unassessed'>;

/**
 * Art 34(3): when people need not be told of a high-risk breach, plus "not-high-risk" for a breach
 * assessed below high risk (Art 34(1) applies only to high risk).
 */
export const SUBJECTS_NOT_TOLD_REASONS = {
	'not-high-risk': 'The breach is not likely to result in a high risk to people (Art 34(1))',
	'data-unintelligible': 'Measures such as encryption made the data unintelligible to anyone not authorised (Art 34(3)(a))',
	'risk-no-longer-likely': 'Measures taken since ensure the high risk is no longer likely to materialise (Art 34(3)(b))',
	'disproportionate-effort': 'Telling each person would involve disproportionate effort; a public communication was made instead (Art 34(3)(c))'
} as const;
export type SubjectsNotToldReason = keyof typeof SUBJECTS_NOT_TOLD_REASONS;

const instant = z.iso.datetime({ offset: true });
const breachId = z.string().min(1);

const registerInput = z.object({
	/** When the organisation became aware: the 72 hours run from here (Art 33(1)). */
	awareAt: instant,
	occurredAt: instant.optional(),
	description: z.string().trim().min(1, 'Say what happened, without copying the personal data involved'),
	dataCategories: z.array(z.string().trim().min(1)).min(1, 'Name the categories of data concerned'),
	subjectCategories: z.array(z.string().trim().min(1)).min(1, 'Name the categories of people concerned, e.g. “customers”'),
	approxSubjects: z.number().int().min(0),
	approxRecords: z.number().int().min(0),
	affectedCustomerIds: z.array(z.string().min(1)).default([]),
	likelyConsequences: z.string().trim().default(''),
	measuresTaken: z.string().trim().default('')
});
export type RegisterBreachInput = z.input<typeof registerInput>;

/** Enters a breach in the register; its report-by time is 72 calendar hours after awareness. */
export async function registerBreach(ctx: CoreContext, input: RegisterBreachInput): Promise<Result<Breach>> {
	const parsed = parseInput(registerInput, input);
	if (!parsed.ok) return parsed;
	const v = parsed.value;
	const awareAt = toUtcInstant(v.awareAt);
	if (awareAt > ctx.clock()) return err('breach.aware-in-future', 'The organisation cannot have become aware in the future', 'awareAt');
	if (v.occurredAt !== undefined && toUtcInstant(v.occurredAt) > awareAt) {
		return err('breach.occurred-after-awareness', 'A breach cannot happen after the organisation became aware of it', 'occurredAt');
	}
	return await writeTransaction(ctx.db, async () => ok(await insertBreach(ctx, { ...v, awareAt, occurredAt: v.occurredAt === undefined ? null : toUtcInstant(v.occurredAt) })));
}

/**
 * Inserts a register entry and audits "breach.registered". For operations already inside their
 * write transaction (a disclosure found unauthorised opens one); input already validated.
 */
export async function insertBreach(
	ctx: CoreContext,
	v: {
		awareAt: string;
		occurredAt: string | null;
		description: string;
		dataCategories: string[];
		subjectCategories: string[];
		approxSubjects: number;
		approxRecords: number;
		affectedCustomerIds: string[];
		likelyConsequences: string;
		measuresTaken: string;
		sourceDisclosureId?: string;
	}
): Promise<Breach> {
	const row: Breach = {
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		awareAt: v.awareAt,
		occurredAt: v.occurredAt,
		reportDueAt: breachReportDueAt(v.awareAt),
		description: v.description,
		dataCategories: v.dataCategories,
		subjectCategories: v.subjectCategories,
		approxSubjects: v.approxSubjects,
		approxRecords: v.approxRecords,
		affectedCustomerIds: v.affectedCustomerIds,
		likelyConsequences: v.likelyConsequences,
		measuresTaken: v.measuresTaken,
		risk: 'unassessed',
		riskAssessment: '',
		assessedAt: null,
		assessedBy: null,
		icoNotifiedAt: null,
		icoReference: null,
		lateReasons: null,
		notNotifiedReason: null,
		subjectsToldAt: null,
		subjectsNotToldReason: null,
		sourceDisclosureId: v.sourceDisclosureId ?? null,
		recordedBy: ctx.actor.id,
		recordedAt: ctx.clock(),
		closedAt: null
	};
	await dbRun(ctx.db.insert(breach).values(row));
	await appendAudit(ctx, {
		action: 'breach.registered',
		subjectType: 'breach',
		subject: row.id,
		details: {
			breachId: row.id,
			awareAt: row.awareAt,
			reportDueAt: row.reportDueAt,
			sourceDisclosureId: row.sourceDisclosureId,
			dataCategories: row.dataCategories,
			approxSubjects: row.approxSubjects,
			approxRecords: row.approxRecords,
			affectedCustomerIds: row.affectedCustomerIds
		}
	});
	return row;
}

const containInput = z.object({ breachId, measures: z.string().trim().min(1, 'Say what was done to contain the breach') });
export type ContainBreachInput = z.input<typeof containInput>;

/** Records measures taken to contain the breach or limit its effects (added to those already recorded). */
export async function containBreach(ctx: CoreContext, input: ContainBreachInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, containInput, input, (row, v) => {
		const measuresTaken = row.measuresTaken === '' ? v.measures : `${row.measuresTaken}\n${v.measures}`;
		return { changes: { measuresTaken }, action: 'breach.contained', details: {} };
	});
}

const assessInput = z.object({
	breachId,
	risk: z.enum(['unlikely', 'risk', 'high-risk']),
	reasoning: z.string().trim().min(1, 'Give the reasoning for the risk assessment'),
	likelyConsequences: z.string().trim().optional()
});
export type AssessBreachInput = z.input<typeof assessInput>;

/**
 * Assesses the risk to people's rights and freedoms (ICO: consider likelihood and severity):
 * "unlikely" need not be reported, "risk" must be reported to the ICO, "high-risk" must also be
 * told to the people affected. A reassessment replaces the earlier one; the audit log keeps both.
 */
export async function assessBreachRisk(ctx: CoreContext, input: AssessBreachInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, assessInput, input, (row, v) => ({
		changes: {
			risk: v.risk,
			riskAssessment: v.reasoning,
			assessedAt: ctx.clock(),
			assessedBy: ctx.actor.id,
			likelyConsequences: v.likelyConsequences ?? row.likelyConsequences
		},
		action: 'breach.assessed',
		details: { risk: v.risk, previousRisk: row.risk }
	}));
}

const notifyIcoInput = z.object({
	breachId,
	notifiedAt: instant.optional(),
	reference: z.string().trim().min(1, 'Enter the ICO’s reference for the report'),
	lateReasons: z.string().trim().min(1).optional()
});
export type NotifyIcoInput = z.input<typeof notifyIcoInput>;

/** Records the report to the ICO. A report after the 72 hours must give reasons for the delay (Art 33(1)). */
export async function recordIcoNotification(ctx: CoreContext, input: NotifyIcoInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, notifyIcoInput, input, (row, v) => {
		if (row.icoNotifiedAt !== null) return err('breach.ico.already-notified', 'The ICO has already been notified of this breach');
		const notifiedAt = v.notifiedAt === undefined ? ctx.clock() : toUtcInstant(v.notifiedAt);
		if (notifiedAt > ctx.clock()) return err('breach.notified-in-future', 'The report cannot be recorded before it is made', 'notifiedAt');
		if (notifiedAt < row.awareAt) return err('breach.notified-before-aware', 'The report cannot precede awareness of the breach', 'notifiedAt');
		const late = notifiedAt > row.reportDueAt;
		// UK GDPR Art 33(1): "where the notification ... is not made within 72 hours, it shall be accompanied by reasons for the delay"
		if (late && v.lateReasons === undefined) {
			return err('breach.late-reasons-required', `The report is after ${row.reportDueAt}: give the reasons for the delay`, 'lateReasons');
		}
		return {
			changes: { icoNotifiedAt: notifiedAt, icoReference: v.reference, lateReasons: late ? (v.lateReasons ?? null) : null, notNotifiedReason: null },
			action: 'breach.ico.notified',
			details: { at: notifiedAt, late, reportDueAt: row.reportDueAt, risk: row.risk }
		};
	});
}

const notNotifyInput = z.object({ breachId, reason: z.string().trim().min(1, 'Record why the breach is not being reported') });
export type RecordIcoNotNotifiedInput = z.input<typeof notNotifyInput>;

/**
 * Records a decision not to report, with reasons (Art 33(5)). Only a breach assessed as unlikely
 * to result in a risk may go unreported: otherwise it is a policy violation (refused in enforce
 * mode, a finding in record mode).
 */
export async function recordIcoNotNotified(ctx: CoreContext, input: RecordIcoNotNotifiedInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, notNotifyInput, input, async (row, v) => {
		if (row.icoNotifiedAt !== null) return err('breach.ico.already-notified', 'The ICO has already been notified of this breach');
		if (row.risk !== 'unlikely') {
			const d = await applyPolicy(ctx, {
				code: 'breach.report.required',
				rule: 'UK GDPR Art 33(1)',
				message:
					row.risk === 'unassessed'
						? 'Assess the risk before deciding not to report: only a breach unlikely to result in a risk may go unreported'
						: `A breach assessed as “${row.risk}” must be reported to the ICO within 72 hours`,
				subjectType: 'breach',
				subject: row.id,
				details: { breachId: row.id, risk: row.risk }
			});
			if (!d.ok) return d;
		}
		return { changes: { notNotifiedReason: v.reason }, action: 'breach.ico.not.notified', details: { risk: row.risk } };
	});
}

const toldInput = z.object({
	breachId,
	toldAt: instant.optional(),
	/** How many people were told. */
	count: z.number().int().min(1)
});
export type RecordSubjectsToldInput = z.input<typeof toldInput>;

/** Records that the people affected were told (Art 34(1): without undue delay when the risk is high). */
export async function recordSubjectsTold(ctx: CoreContext, input: RecordSubjectsToldInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, toldInput, input, (row, v) => {
		const toldAt = v.toldAt === undefined ? ctx.clock() : toUtcInstant(v.toldAt);
		if (toldAt > ctx.clock()) return err('breach.told-in-future', 'People cannot be recorded as told before they are', 'toldAt');
		if (toldAt < row.awareAt) return err('breach.told-before-aware', 'People cannot be told before the organisation was aware', 'toldAt');
		return {
			changes: { subjectsToldAt: toldAt, subjectsNotToldReason: null },
			action: 'breach.subjects.told',
			details: { at: toldAt, count: v.count, hoursAfterAwareness: Math.round((Date.parse(toldAt) - Date.parse(row.awareAt)) / 3_600_000) }
		};
	});
}

const notToldInput = z.object({
	breachId,
	reason: z.enum(Object.keys(SUBJECTS_NOT_TOLD_REASONS) as [SubjectsNotToldReason, ...SubjectsNotToldReason[]]),
	explanation: z.string().trim().min(1, 'Explain the decision')
});
export type RecordSubjectsNotToldInput = z.input<typeof notToldInput>;

/**
 * Records a decision not to tell the people affected. "not-high-risk" is only open to a breach
 * assessed below high risk; a high-risk breach needs an Art 34(3) exception.
 */
export async function recordSubjectsNotTold(ctx: CoreContext, input: RecordSubjectsNotToldInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, notToldInput, input, async (row, v) => {
		if (row.subjectsToldAt !== null) return err('breach.subjects.already-told', 'The people affected have already been told');
		if (row.risk === 'unassessed') return err('breach.unassessed', 'Assess the risk before deciding not to tell people', 'breachId');
		if (row.risk === 'high-risk' && v.reason === 'not-high-risk') {
			const d = await applyPolicy(ctx, {
				code: 'breach.subjects.must-be-told',
				rule: 'UK GDPR Art 34(1)',
				message: 'A breach likely to result in a high risk must be told to the people affected without undue delay',
				subjectType: 'breach',
				subject: row.id,
				details: { breachId: row.id, risk: row.risk }
			});
			if (!d.ok) return d;
		}
		return {
			changes: { subjectsNotToldReason: `${SUBJECTS_NOT_TOLD_REASONS[v.reason]}: ${v.explanation}` },
			action: 'breach.subjects.not.told',
			details: { reason: v.reason, risk: row.risk }
		};
	});
}

/** What the register still lacks before a breach can be closed. */
export function breachOutstanding(row: Breach): string[] {
	const missing: string[] = [];
	if (row.risk === 'unassessed') missing.push('risk assessment');
	if (row.measuresTaken === '') missing.push('measures taken');
	if (row.icoNotifiedAt === null && row.notNotifiedReason === null) missing.push('ICO notification or the reason for not notifying');
	if (row.risk === 'high-risk' && row.subjectsToldAt === null && row.subjectsNotToldReason === null) {
		missing.push('telling the people affected, or the reason for not telling them');
	}
	return missing;
}

const closeInput = z.object({ breachId });
export type CloseBreachInput = z.input<typeof closeInput>;

/** Closes a breach once its register entry is complete (both modes: an incomplete entry is not a record). */
export async function closeBreach(ctx: CoreContext, input: CloseBreachInput): Promise<Result<Breach>> {
	return await openBreachUpdate(ctx, closeInput, input, (row) => {
		const missing = breachOutstanding(row);
		if (missing.length > 0) return err('breach.incomplete', `The register entry still needs: ${missing.join('; ')}`, 'breachId');
		return { changes: { closedAt: ctx.clock() }, action: 'breach.closed', details: { risk: row.risk, reported: row.icoNotifiedAt !== null } };
	});
}

/** A breach in the register, with whether its report is overdue at the context's clock. */
export interface BreachEntry extends Breach {
	/** Not yet reported or decided on, and past its report-by time. */
	reportOverdue: boolean;
}

/** The whole register, reported or not, by awareness time. */
const breachRows = tableRows(breach);
/** The register the desk shows on every page, prepared once per connection. */
const statements = preparedStatements((client) => ({
	register: client.prepare<[string], Record<string, unknown>>(
		`select ${breachRows.columns} from ${breachRows.table} where workspace_id = ? order by aware_at, ${client.engine === 'postgres' ? 'insertion_order' : 'rowid'}`
	)
}));

export async function breachRegister(ctx: Pick<CoreContext, 'db' | 'workspaceId' | 'clock'>): Promise<BreachEntry[]> {
	const now = ctx.clock();
	return (await statements(ctx.db).register.all(ctx.workspaceId))
		.map(breachRows.read)
		.map((row) => ({ ...row, reportOverdue: row.icoNotifiedAt === null && row.notNotifiedReason === null && now > row.reportDueAt }));
}

/** One breach in the context's workspace. */
export async function getBreach(ctx: Pick<CoreContext, 'db' | 'workspaceId'>, id: string): Promise<Breach | undefined> {
	return await dbGet(ctx.db
		.select()
		.from(breach)
		.where(and(eq(breach.workspaceId, ctx.workspaceId), eq(breach.id, id))));
}

type BreachAction =
	| 'breach.contained'
	| 'breach.assessed'
	| 'breach.ico.notified'
	| 'breach.ico.not.notified'
	| 'breach.subjects.told'
	| 'breach.subjects.not.told'
	| 'breach.closed';

/** Validates, loads an open breach, applies the step's changes and audits them, in one transaction. */
type BreachStep = { changes: Partial<Breach>; action: BreachAction; details: AuditDetails } | { ok: false; error: { code: string; field?: string; message: string } };

async function openBreachUpdate<S extends z.ZodType<{ breachId: string }>>(
	ctx: CoreContext,
	schema: S,
	input: unknown,
	step: (
		row: Breach,
		v: z.output<S>
	) => BreachStep | Promise<BreachStep>
): Promise<Result<Breach>> {
	const parsed = parseInput(schema, input);
	if (!parsed.ok) return parsed;
	return await writeTransaction(ctx.db, async () => {
		const row = await getBreach(ctx, parsed.value.breachId);
		if (!row) return err('breach.not-found', `No breach ${parsed.value.breachId}`, 'breachId');
		if (row.closedAt !== null) return err('breach.closed', 'This breach is closed', 'breachId');
		const outcome = await step(row, parsed.value);
		if ('ok' in outcome) return outcome;
		await dbRun(ctx.db
			.update(breach)
			.set(outcome.changes)
			.where(and(eq(breach.workspaceId, ctx.workspaceId), eq(breach.id, row.id))));
		await appendAudit(ctx, { action: outcome.action, subjectType: 'breach', subject: row.id, details: { breachId: row.id, ...outcome.details } });
		return ok({ ...row, ...outcome.changes });
	});
}
