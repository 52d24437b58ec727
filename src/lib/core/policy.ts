import { dbGet, dbRun, dbAll, insertionOrder } from './database';
import { eq, sql } from 'drizzle-orm';
import type { CoreContext } from './context';
import { appendAudit, type AuditDetails, type AuditSubjectType } from './audit';
import { err, ok, type Result } from './result';
import { finding, workspace } from './schema';

export type Finding = typeof finding.$inferSelect;

/** An act the law forbids, described for both modes: the refusal and the finding say the same thing. */
export interface PolicyViolation {
	/** Stable code, also the error code in enforce mode, e.g. "minimisation.no-purpose". */
	code: string;
	/** The law or principle, e.g. "UK GDPR Art 5(1)(c)". */
	rule: string;
	message: string;
	field?: string;
	subjectType?: AuditSubjectType;
	subject?: string;
	/** Field names concerned (never values). */
	fields?: readonly string[];
	/** Non-personal facts for the audit entry and the finding. */
	details?: AuditDetails;
}

/**
 * The policy decision every operation makes when it meets a forbidden act. Call it inside the
 * operation's transaction:
 * - enforce mode: audits "policy.refused" and returns the violation as an error; the operation
 *   must stop and return it;
 * - record mode: stores a finding, audits "finding.recorded", and returns it; the operation goes
 *   on and does the act (so the learner's mistake is real and shows in the record).
 */
export async function applyPolicy(ctx: CoreContext, violation: PolicyViolation): Promise<Result<Finding>> {
	const mode = await dbGet(ctx.db.select({ policyMode: workspace.policyMode }).from(workspace).where(eq(workspace.id, ctx.workspaceId)));
	if (!mode) throw new Error(`applyPolicy: no workspace ${ctx.workspaceId}`);
	const details: AuditDetails = { ...violation.details, code: violation.code, rule: violation.rule };
	if (mode.policyMode === 'enforce') {
		await appendAudit(ctx, {
			action: 'policy.refused',
			subjectType: violation.subjectType,
			subject: violation.subject,
			fields: violation.fields,
			details
		});
		return err(violation.code, violation.message, violation.field);
	}
	const row: Finding = {
		id: ctx.ids(),
		workspaceId: ctx.workspaceId,
		code: violation.code,
		rule: violation.rule,
		message: violation.message,
		field: violation.field ?? null,
		subjectType: violation.subjectType ?? null,
		subjectId: violation.subject ?? null,
		details: { ...violation.details, fields: [...(violation.fields ?? [])] },
		actorId: ctx.actor.id,
		actorRole: ctx.actor.role,
		at: ctx.clock()
	};
	await dbRun(ctx.db.insert(finding).values(row));
	await appendAudit(ctx, {
		action: 'finding.recorded',
		subjectType: violation.subjectType,
		subject: violation.subject,
		fields: violation.fields,
		details: { ...details, findingId: row.id }
	});
	return ok(row);
}

/** The findings recorded in a workspace, oldest first. */
export async function findings(ctx: Pick<CoreContext, 'db' | 'workspaceId'>): Promise<Finding[]> {
	return await dbAll(ctx.db.select().from(finding).where(eq(finding.workspaceId, ctx.workspaceId)).orderBy(finding.at, insertionOrder(ctx.db, finding)));
}
