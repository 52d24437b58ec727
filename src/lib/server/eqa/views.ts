/**
 * What an external quality assurer sees of an open grant (issue 17 item 4): the sample's learners
 * with where each stands, the assessors who judged them with their profiles, and for one learner the
 * evidence, the decisions with their signatures and countersignatures, witness testimony and
 * observations. Read-only; the caller has checked the grant (grants.ts, openGrant) and logs the view.
 */
import { mapInOrder } from '$lib/core/in-order';
import { dbAll, dbGet } from '$lib/core/database';
import { workplaceEvidenceList } from '$lib/server/workplace/learner-evidence';
import { workplaceDecisionsForLearner } from '$lib/server/workplace/decisions';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { getAttempt } from '$lib/sim/runtime';
import type { EqaAccess } from '$lib/server/db/eqa';
import { assessmentDecision, decisionCountersignature } from '$lib/server/db/assessment';
import { learnerStanding, type LearnerStatus } from '$lib/server/db/quality';
import { user } from '$lib/server/db/schema';
import { assessorProfileView, type AssessorProfileView } from '$lib/server/assessor-profiles';
import { countersignaturesOf, decisionsOf, historyEntry, type DecisionHistoryEntry } from '$lib/server/assessment/decisions';
import { learnerAttemptsForAssessor } from '$lib/server/assessment/learners';
import { observationsOf, testimoniesOf, type ObservationView, type TestimonyView } from '$lib/server/other-evidence';
import { documentsOf } from '$lib/server/portfolio/documents';
import { ukToday } from '$lib/dates';
import { cohort } from '$lib/server/db/cohorts';
import { centreGrant, grantState, sampleOf } from './grants';
import { answersOf, reportOf } from './reports';

export interface SampledLearner {
	id: string;
	name: string;
	status: LearnerStatus;
	statusOn: string | null;
	certifiedOn: string | null;
}

/** The learners of the sample, by name, each with their standing (no row: in training). */
export async function sampledLearners(db: Db, grant: EqaAccess): Promise<SampledLearner[]> {
	const ids = await sampleOf(db, grant.id);
	if (ids.length === 0) return [];
	return (await dbAll(db
		.select({ id: user.id, name: user.displayName, status: learnerStanding.status, statusOn: learnerStanding.statusOn, certifiedOn: learnerStanding.certifiedOn })
		.from(user)
		.leftJoin(learnerStanding, eq(learnerStanding.learnerId, user.id))
		.where(inArray(user.id, ids))
		.orderBy(user.displayName)))
		.map((r) => ({ id: r.id, name: r.name, status: r.status ?? 'in-training', statusOn: r.statusOn ?? null, certifiedOn: r.certifiedOn ?? null }));
}

/**
 * The assessors who judged the sample's learners — those who signed a decision on one of them and
 * those who countersigned one — with their status, risk, competence and CPD.
 */
export async function sampleAssessors(db: Db, grant: EqaAccess): Promise<AssessorProfileView[]> {
	const learners = await sampleOf(db, grant.id);
	if (learners.length === 0) return [];
	const decisions = await dbAll(db
		.select({ id: assessmentDecision.id, assessorId: assessmentDecision.assessorId })
		.from(assessmentDecision)
		.where(inArray(assessmentDecision.learnerId, learners)));
	const ids = new Set(decisions.map((d) => d.assessorId));
	if (decisions.length > 0) {
		for (const c of await dbAll(db
			.select({ id: decisionCountersignature.countersignerId })
			.from(decisionCountersignature)
			.where(
				inArray(
					decisionCountersignature.decisionId,
					decisions.map((d) => d.id)
				)
			)))
			ids.add(c.id);
	}
	return (await mapInOrder([...ids], async (id) => await assessorProfileView(db, grant.organisationId, id)))
		.filter((p): p is AssessorProfileView => p !== undefined)
		.sort((a, b) => a.name.localeCompare(b.name));
}

export interface SampledAttempt {
	id: string;
	title: string;
	startedAt: string;
	passed: boolean | null;
	score: number | null;
	/** Every signed decision, newest first, with its countersignature when a trainee signed it. */
	decisions: DecisionHistoryEntry[];
}

export interface SampledLearnerView {
	learner: SampledLearner;
	attempts: SampledAttempt[];
	testimonies: TestimonyView[];
	observations: ObservationView[];
	documents: Awaited<ReturnType<typeof documentsOf>>;
	/** Workplace evidence the learner submitted (or that was judged), with its files and decisions. */
	workplace: Awaited<ReturnType<typeof workplaceForEqa>>;
}

/** The learner's submitted workplace evidence as the EQA reads it: STAR, declaration, files with hashes, decisions. */
async function workplaceForEqa(db: Db, learnerId: string) {
	return (await mapInOrder((await workplaceEvidenceList(db, learnerId)), async (item) => ({ item, decisions: await workplaceDecisionsForLearner(db, learnerId, item.id) })))
		.filter(({ item, decisions }) => item.state === 'submitted' || decisions.length > 0)
		.map(({ item, decisions }) => ({
			id: item.id,
			title: item.title,
			star: { situation: item.situation, task: item.task, action: item.action, result: item.result },
			criteria: item.criteria,
			declaration: item.declaration,
			declaredAt: item.declaredAt,
			submittedAt: item.submittedAt,
			files: item.files.filter((f) => f.state === 'stored').map((f) => ({ id: f.id, fileName: f.fileName, mediaType: f.mediaType, byteLength: f.byteLength, sha256: f.sha256 })),
			decisions
		}));
}

/** One learner of the sample as the EQA sees them; undefined when the learner is not in it. */
export async function sampledLearnerView(db: Db, grant: EqaAccess, learnerId: string): Promise<SampledLearnerView | undefined> {
	const learner = (await sampledLearners(db, grant)).find((l) => l.id === learnerId);
	if (!learner) return undefined;
	const attempts = await mapInOrder((await learnerAttemptsForAssessor(db, learnerId))
		.filter((a) => a.status === 'ended'), async (a) => {
			const decisions = (await decisionsOf(db, a.id)).filter((d) => d.learnerId === learnerId);
			const countersignatures = await countersignaturesOf(db, decisions.map((d) => d.id));
			const descriptions = decisions.length > 0 ? new Map(((await getAttempt(db, a.id))?.result?.points ?? []).map((p) => [p.id, p.description])) : new Map<string, string>();
			return {
				id: a.id,
				title: a.title,
				startedAt: a.startedAt,
				passed: a.passed,
				score: a.score,
				decisions: decisions.map((d) => historyEntry(d, descriptions, false, countersignatures.get(d.id)))
			};
		});
	return { learner, attempts, testimonies: await testimoniesOf(db, learnerId), observations: await observationsOf(db, learnerId), documents: await documentsOf(db, learnerId), workplace: await workplaceForEqa(db, learnerId) };
}

/** A grant as the centre sees it: who, what, when, the sample, the report and the centre's answers. */
export async function centreGrantView(db: Db, organisationId: string, accessId: string, now = new Date()) {
	const grant = await centreGrant(db, organisationId, accessId);
	if (!grant) return undefined;
	const people = new Map(
		(await dbAll(db
			.select({ id: user.id, name: user.displayName, email: user.email })
			.from(user)
			.where(inArray(user.id, [grant.eqaUserId, grant.invitedBy, ...(grant.revokedBy ? [grant.revokedBy] : [])]))))
			.map((p) => [p.id, p])
	);
	const report = await reportOf(db, grant.id);
	return {
		grant: {
			id: grant.id,
			startsOn: grant.startsOn,
			endsOn: grant.endsOn,
			invitedAt: grant.invitedAt,
			revokedAt: grant.revokedAt,
			revokedReason: grant.revokedReason,
			state: grantState(grant, ukToday(now)),
			cohortName: (await dbGet(db.select({ name: cohort.name }).from(cohort).where(eq(cohort.id, grant.cohortId))))?.name ?? '',
			eqa: people.get(grant.eqaUserId)!,
			invitedByName: people.get(grant.invitedBy)?.name ?? '',
			revokedByName: grant.revokedBy ? (people.get(grant.revokedBy)?.name ?? '') : null
		},
		learners: await sampledLearners(db, grant),
		// Only a submitted report is the centre's to read: a draft is the EQA's until they send it.
		report: report?.submittedAt ? report : null,
		answers: report?.submittedAt ? await answersOf(db, report.id) : []
	};
}
