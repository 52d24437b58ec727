/**
 * The set-up the IQA tests share: the assessment fixture's demo centre, a decision Gareth signed,
 * and a sample row for it written directly (the sampling plan that picks samples is another module's).
 */
import { dbGet, dbQuery, dbRun } from '$lib/core/database';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { user } from '$lib/server/db/schema';
import { iqaSample, type IqaSample, type SampleStage } from '$lib/server/db/quality';
import type { AssessmentDecision } from '$lib/server/db/assessment';
import type { Quality } from './samples';

/** Writes a manual sample of a signed simulation decision. */
export async function insertSample(db: Db, decision: Pick<AssessmentDecision, 'id' | 'learnerId' | 'assessorId'>, stage: SampleStage = 'interim', pickedBy: string | null = null): Promise<IqaSample> {
	const organisationId = (await dbGet(db.select({ organisationId: user.organisationId }).from(user).where(eq(user.id, decision.learnerId))))!.organisationId;
	const row: IqaSample = {
		id: crypto.randomUUID(),
		organisationId,
		planId: null,
		decisionKind: 'simulation',
		decisionId: decision.id,
		learnerId: decision.learnerId,
		assessorId: decision.assessorId,
		stage,
		pick: 'manual',
		reason: 'Picked by hand for a test',
		pickedBy,
		pickedAt: new Date().toISOString()
	};
	await dbRun(db.insert(iqaSample).values(row));
	return row;
}

/** A demo account as the actor of the IQA's or admin's functions. */
export async function actorFor(db: Db, email: string): Promise<Quality> {
	const u = await dbGet(db.select().from(user).where(eq(user.email, email)));
	if (!u) throw new Error(`no demo account ${email}`);
	const roles = await dbQuery<{ role: Quality['roles'][number] }>(db, sql`SELECT role FROM user_role WHERE user_id = ${u.id}`);
	return { id: u.id, displayName: u.displayName, organisationId: u.organisationId, roles: roles.map((r) => r.role) };
}
