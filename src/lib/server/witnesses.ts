/**
 * The witness status list (issue 17 item 5): every witness who gave testimony for a set of learners,
 * so the assessor or the IQA can check who they are — name, job role, relationship to the learner,
 * how to reach them, whether they signed, and what they testified to. One row per witness (the same
 * name and contact details across testimonies), each with their testimonies.
 */
import { dbAll } from '$lib/core/database';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { user, userRole } from '$lib/server/db/schema';
import { witnessTestimony } from '$lib/server/db/assessment';
import { learnersAssessedBy } from '$lib/server/cohort-membership';

export interface WitnessTestimonyEntry {
	id: string;
	learnerId: string;
	learnerName: string;
	witnessedOn: string;
	relationship: string;
	witnessRole: string;
	/** Signed by the witness (typed name and date); null for testimony recorded without a signature. */
	signed: { name: string; on: string } | null;
	notRelative: boolean;
	/** Criteria the assessor accepted it for; null until mapped. */
	criteria: string[] | null;
}

export interface WitnessEntry {
	name: string;
	contact: string;
	/** The job roles and relationships given, each once (usually one of each). */
	roles: string[];
	relationships: string[];
	/** Every testimony is signed by the witness. */
	allSigned: boolean;
	/** Every testimony confirms the witness is not a relative. */
	allConfirmedNotRelative: boolean;
	testimonies: WitnessTestimonyEntry[];
}

const key = (name: string, contact: string) => `${name.normalize('NFC').trim().toLocaleLowerCase('en-GB')}\u0000${contact.trim().toLocaleLowerCase('en-GB')}`;

/** The witnesses of these learners' testimony, by name. */
export async function witnessStatusList(db: Db, learnerIds: readonly string[]): Promise<WitnessEntry[]> {
	if (learnerIds.length === 0) return [];
	const rows = await dbAll(db
		.select({ t: witnessTestimony, learnerName: user.displayName })
		.from(witnessTestimony)
		.innerJoin(user, eq(user.id, witnessTestimony.learnerId))
		.where(inArray(witnessTestimony.learnerId, [...learnerIds]))
		.orderBy(asc(witnessTestimony.witnessName), asc(witnessTestimony.witnessedOn)));
	const witnesses = new Map<string, WitnessEntry>();
	for (const { t, learnerName } of rows) {
		const k = key(t.witnessName, t.witnessContact);
		const entry = witnesses.get(k) ?? { name: t.witnessName, contact: t.witnessContact, roles: [], relationships: [], allSigned: true, allConfirmedNotRelative: true, testimonies: [] };
		if (!entry.roles.includes(t.witnessRole)) entry.roles.push(t.witnessRole);
		if (!entry.relationships.includes(t.relationship)) entry.relationships.push(t.relationship);
		const signed = t.witnessSignedName && t.witnessSignedOn ? { name: t.witnessSignedName, on: t.witnessSignedOn } : null;
		entry.allSigned &&= signed !== null;
		entry.allConfirmedNotRelative &&= t.notRelative;
		entry.testimonies.push({
			id: t.id,
			learnerId: t.learnerId,
			learnerName,
			witnessedOn: t.witnessedOn,
			relationship: t.relationship,
			witnessRole: t.witnessRole,
			signed,
			notRelative: t.notRelative,
			criteria: t.criteria === null ? null : [...t.criteria]
		});
		witnesses.set(k, entry);
	}
	return [...witnesses.values()];
}

/** The witnesses of the learners an assessor assesses (never the assessor's own testimony as a learner). */
export async function witnessesForAssessor(db: Db, assessorId: string): Promise<WitnessEntry[]> {
	return await witnessStatusList(
		db,
		(await learnersAssessedBy(db, assessorId))
			.map((l) => l.id)
			.filter((id) => id !== assessorId)
	);
}

/** The witnesses of every learner of a centre: the IQA's view. */
export async function witnessesForCentre(db: Db, organisationId: string): Promise<WitnessEntry[]> {
	const learners = (await dbAll(db
		.selectDistinct({ id: user.id })
		.from(user)
		.innerJoin(userRole, eq(userRole.userId, user.id))
		.where(and(eq(user.organisationId, organisationId), eq(userRole.role, 'learner')))))
		.map((u) => u.id);
	return await witnessStatusList(db, learners);
}
