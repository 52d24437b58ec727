/**
 * What db:import checks after inserting and before committing: every audit chain and every
 * signature among the rows the archive carried, recomputed from the database as it now stands.
 * The register of issued documents (portfolio_document) keeps hashes of files and content the
 * database does not hold, so there is nothing of it to recompute here; /verify checks a file
 * against it as before.
 */
import { dbGet } from '$lib/core/database';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { verifyAuditChain } from '$lib/core/audit';
import { assessmentDecision, decisionCountersignature } from '$lib/server/db/assessment';
import { workplaceDecision, workplaceDecisionCountersignature } from '$lib/server/db/workplace-decisions';
import { iqaSampleRound, iqaSampleSnapshot } from '$lib/server/db/iqa-records';
import { verifyDecision } from '$lib/server/assessment/hashing';
import { verifyCountersignature } from '$lib/server/assessment/countersigning';
import { verifyWorkplaceDecision } from '$lib/server/workplace/decisions';
import { verifyRound } from '$lib/server/iqa/signing';
import { snapshotHashOf, type SampleSnapshot } from '$lib/server/iqa/snapshots';

/** The tables whose rows verify() needs the ids of. */
export const VERIFIED_TABLES = ['workspace', 'assessment_decision', 'decision_countersignature', 'workplace_decision', 'workplace_decision_countersignature', 'iqa_sample_round'] as const;
export type VerifiedTable = (typeof VERIFIED_TABLES)[number];

export interface Verification {
	chains: number;
	signatures: number;
	/** Each failure as `table id: why`; empty when everything verified. */
	failures: string[];
}

/** Verifies the rows with these ids (per table) as the database now holds them. */
export async function verifyImported(db: Db, ids: Record<VerifiedTable, string[]>): Promise<Verification> {
	const failures: string[] = [];
	let chains = 0;
	let signatures = 0;
	for (const id of ids.workspace) {
		const chain = await verifyAuditChain(db, id);
		if (chain.ok) chains++;
		else failures.push(`workspace ${id}: audit chain broken at entry ${chain.firstBadSeq}: ${chain.reason}`);
	}
	for (const id of ids.assessment_decision) {
		const d = (await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, id))))!;
		const v = await verifyDecision(db, d);
		if (v.matches) signatures++;
		else failures.push(`assessment_decision ${id}: ${!v.signatureMatches ? 'the decision does not match its signature' : 'the evidence kept with it does not match its evidence hash'}${v.problem ? ` (${v.problem})` : ''}`);
	}
	for (const id of ids.decision_countersignature) {
		const c = (await dbGet(db.select().from(decisionCountersignature).where(eq(decisionCountersignature.id, id))))!;
		const d = await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, c.decisionId)));
		if (d && verifyCountersignature(c, d)) signatures++;
		else failures.push(`decision_countersignature ${id}: does not match its signature or the decision it countersigns`);
	}
	for (const id of ids.workplace_decision) {
		const d = (await dbGet(db.select().from(workplaceDecision).where(eq(workplaceDecision.id, id))))!;
		const v = await verifyWorkplaceDecision(db, d);
		if (v.matches) signatures++;
		else failures.push(`workplace_decision ${id}: ${!v.signatureMatches ? 'the decision does not match its signature' : 'the evidence kept with it does not match its evidence hash'}`);
	}
	for (const id of ids.workplace_decision_countersignature) {
		const c = (await dbGet(db.select().from(workplaceDecisionCountersignature).where(eq(workplaceDecisionCountersignature.id, id))))!;
		const d = await dbGet(db.select().from(workplaceDecision).where(eq(workplaceDecision.id, c.decisionId)));
		if (d && verifyCountersignature(c, d)) signatures++;
		else failures.push(`workplace_decision_countersignature ${id}: does not match its signature or the decision it countersigns`);
	}
	for (const id of ids.iqa_sample_round) {
		const r = (await dbGet(db.select().from(iqaSampleRound).where(eq(iqaSampleRound.id, id))))!;
		const snapshot = await dbGet(db.select().from(iqaSampleSnapshot).where(eq(iqaSampleSnapshot.sampleId, r.sampleId)));
		const snapshotIntact = snapshot !== undefined && snapshotHashIntact(snapshot.snapshot, snapshot.snapshotHash);
		if (snapshotIntact && verifyRound(r, snapshot.snapshotHash)) signatures++;
		else failures.push(`iqa_sample_round ${id}: ${snapshotIntact ? 'does not match its signature or the snapshot it judged' : 'the snapshot it judged does not match its hash'}`);
	}
	return { chains, signatures, failures };
}

function snapshotHashIntact(snapshot: unknown, hash: string): boolean {
	try {
		return snapshotHashOf(snapshot as SampleSnapshot) === hash;
	} catch {
		return false;
	}
}
