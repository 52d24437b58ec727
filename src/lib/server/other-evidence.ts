import { dbRun, dbGet, dbAll, writeTransaction } from '$lib/core/database';
import { desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { criterionByCode } from '$lib/criteria';
import { ukToday } from '$lib/dates';
import { all, text } from '$lib/form-data';
import type { Db } from '$lib/core/database';
import { user } from '$lib/server/db/schema';
import { observationRecord, witnessTestimony, type ObservationRecord, type WitnessTestimony } from '$lib/server/db/assessment';
import { assesses } from '$lib/server/cohort-membership';
import { requestBadgeCheck } from '$lib/server/badges/checks';

/**
 * Evidence beyond the simulator (seeds 001: "witness testimony", "observation"): a witness's
 * statement of the learner at work, which the learner or their assessor records and the assessor
 * maps to the criteria it evidences; and the assessor's own observation records, mapped as they are
 * made. Mapped criteria count as signed off on the coverage map.
 */

export type OtherEvidenceErrorCode = 'evidence.invalid' | 'evidence.not-found';
export interface OtherEvidenceError {
	code: OtherEvidenceErrorCode;
	message: string;
	fields?: Record<string, string>;
}
export type OtherEvidenceResult<T> = { ok: true; value: T } | { ok: false; error: OtherEvidenceError };

export const EVIDENCE_LIMITS = { name: 120, role: 120, relationship: 120, contact: 200, statement: 6000, setting: 200, description: 6000 } as const;

/**
 * Words that name a family or personal relationship. A witness must not be a relative of the learner
 * (awarding bodies' witness testimony guidance: the witness is independent, usually a line manager or
 * colleague); a relationship naming one of these is refused, whatever the confirmation says.
 */
const RELATIVE_WORDS = [
	'mother', 'mum', 'mom', 'mam', 'father', 'dad', 'parent', 'son', 'daughter', 'child', 'brother', 'sister', 'sibling', 'twin',
	'wife', 'husband', 'spouse', 'partner', 'fiance', 'fiancee', 'girlfriend', 'boyfriend', 'grandmother', 'grandfather', 'grandparent',
	'grandma', 'grandad', 'granddad', 'grandson', 'granddaughter', 'grandchild', 'aunt', 'auntie', 'uncle', 'niece', 'nephew', 'cousin',
	'relative', 'stepmother', 'stepfather', 'stepson', 'stepdaughter', 'stepbrother', 'stepsister', 'in-law'
];
const RELATIVE = new RegExp(`(^|[^\\p{L}])(step-?)?(${RELATIVE_WORDS.join('|')})s?($|[^\\p{L}])`, 'iu');

/** Whether a relationship, as typed, names a relative ("Mother", "my partner", "brother-in-law"). */
export function namesARelative(relationship: string): boolean {
	return RELATIVE.test(relationship.normalize('NFD').replace(/\p{M}/gu, ''));
}


function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const required = (max: number, what: string) =>
	z
		.string({ error: `Enter ${what}.` })
		.trim()
		.min(1, `Enter ${what}.`)
		.max(max, `Use at most ${max.toLocaleString('en-GB')} characters for ${what}.`);

const pastDate = (now: Date, what: string) =>
	z
		.string({ error: `Enter ${what}.` })
		.trim()
		.min(1, `Enter ${what}.`)
		.refine(isCalendarDate, 'Enter a real date, like 2026-03-31.')
		.refine((d) => !isCalendarDate(d) || d <= ukToday(now), `${what[0]!.toUpperCase()}${what.slice(1)} cannot be in the future.`)
		.refine((d) => !isCalendarDate(d) || d >= '2000-01-01', 'Enter a date from 2000 onwards.');

/** Criterion codes from a form: each must be one of the unit's; duplicates are dropped. */
const criterionCodes = z
	.array(z.string().max(20, 'Choose criteria from the list.'), { error: 'Choose criteria from the list.' })
	.max(200, 'Choose criteria from the list.')
	.refine((codes) => codes.every((c) => criterionByCode(c) !== undefined), 'Choose criteria from the list: one of them is not a criterion of this unit.')
	.transform((codes) => [...new Set(codes)]);

function fieldErrors(error: z.ZodError): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const issue of error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
	return fields;
}

const invalid = (error: z.ZodError, what: string): { ok: false; error: OtherEvidenceError } => ({
	ok: false,
	error: { code: 'evidence.invalid', message: `The ${what} was not saved: correct what is marked below. Nothing you typed is lost.`, fields: fieldErrors(error) }
});

// ── Witness testimony ────────────────────────────────────────────────────────────────────────

export interface TestimonyInput {
	witnessName: unknown;
	witnessRole: unknown;
	relationship: unknown;
	/** How to reach the witness: a telephone number or e-mail address. */
	witnessContact: unknown;
	statement: unknown;
	witnessedOn: unknown;
	/** The witness's signature: the name they typed to sign, and the date they signed. */
	witnessSignedName: unknown;
	witnessSignedOn: unknown;
	/** 'yes' when whoever records it confirms the witness is not a relative of the learner. */
	notRelative: unknown;
	declaredCriteria: unknown;
}

/** Room for over-long text to reach validation, which names the limit, instead of being cut silently. */
const POSTED_MAX = 20_000;

/** Criterion codes posted as repeated fields (checkboxes). */
export const criteriaFromForm = (form: FormData, name: string): string[] => all(form, name, { count: 201, max: 100 });

/** A testimony as the learner's and the assessor's forms post it. */
export function testimonyFromForm(form: FormData): {
	witnessName: string;
	witnessRole: string;
	relationship: string;
	witnessContact: string;
	statement: string;
	witnessedOn: string;
	witnessSignedName: string;
	witnessSignedOn: string;
	notRelative: string;
	declaredCriteria: string[];
} {
	return {
		witnessName: text(form, 'witnessName', { max: POSTED_MAX }),
		witnessRole: text(form, 'witnessRole', { max: POSTED_MAX }),
		relationship: text(form, 'relationship', { max: POSTED_MAX }),
		witnessContact: text(form, 'witnessContact', { max: POSTED_MAX }),
		statement: text(form, 'statement', { max: POSTED_MAX }),
		witnessedOn: text(form, 'witnessedOn', { max: 40 }),
		witnessSignedName: text(form, 'witnessSignedName', { max: POSTED_MAX }),
		witnessSignedOn: text(form, 'witnessSignedOn', { max: 40 }),
		notRelative: text(form, 'notRelative', { max: 10 }),
		declaredCriteria: criteriaFromForm(form, 'declaredCriteria')
	};
}

/** An observation as the assessor's form posts it. */
export function observationFromForm(form: FormData): { observedOn: string; setting: string; description: string; criteria: string[] } {
	return {
		observedOn: text(form, 'observedOn', { max: 40 }),
		setting: text(form, 'setting', { max: POSTED_MAX }),
		description: text(form, 'description', { max: POSTED_MAX }),
		criteria: criteriaFromForm(form, 'criteria')
	};
}

const testimonyFields = (now: Date) =>
	z
		.object({
			witnessName: required(EVIDENCE_LIMITS.name, 'the witness’s name'),
			witnessRole: required(EVIDENCE_LIMITS.role, 'the witness’s job title or role'),
			relationship: required(EVIDENCE_LIMITS.relationship, 'how the witness knows the learner').refine(
				(r) => !namesARelative(r),
				'A witness must not be a relative or partner of the learner: ask a line manager, supervisor or colleague who saw the work.'
			),
			witnessContact: required(EVIDENCE_LIMITS.contact, 'a telephone number or e-mail address for the witness'),
			statement: required(EVIDENCE_LIMITS.statement, 'the witness’s statement'),
			witnessedOn: pastDate(now, 'the date of the work witnessed'),
			witnessSignedName: required(EVIDENCE_LIMITS.name, 'the name the witness signed with'),
			witnessSignedOn: pastDate(now, 'the date the witness signed'),
			notRelative: z.literal('yes', { error: 'Confirm that the witness is not a relative of the learner.' }),
			declaredCriteria: criterionCodes
		})
		.superRefine((v, ctx) => {
			if (v.witnessSignedOn < v.witnessedOn) ctx.addIssue({ code: 'custom', path: ['witnessSignedOn'], message: 'The witness signs after the work they saw: check the dates.' });
		});

/**
 * Records a witness's testimony for a learner. `recordedBy` is the learner themselves or an assessor
 * who assesses them (the route checks which); the assessor maps it to criteria afterwards.
 */
export async function recordTestimony(db: Db, recordedBy: string, learnerId: string, input: TestimonyInput, now = new Date()): Promise<OtherEvidenceResult<WitnessTestimony>> {
	const parsed = testimonyFields(now).safeParse({ ...input, statement: typeof input.statement === 'string' ? input.statement.replace(/\r\n?/g, '\n') : input.statement });
	if (!parsed.success) return invalid(parsed.error, 'testimony');
	const { notRelative: _confirmed, ...fields } = parsed.data;
	const row: WitnessTestimony = {
		id: crypto.randomUUID(),
		learnerId,
		...fields,
		notRelative: true,
		criteria: null,
		mappedBy: null,
		mappedAt: null,
		recordedBy,
		recordedAt: now.toISOString()
	};
	await dbRun(db.insert(witnessTestimony).values(row));
	return { ok: true, value: row };
}

/** Maps a testimony to the criteria it evidences (none: not accepted as evidence). Only its learner's assessor may. */
export async function mapTestimony(db: Db, assessorId: string, testimonyId: string, criteria: unknown, now = new Date()): Promise<OtherEvidenceResult<WitnessTestimony>> {
	const existing = typeof testimonyId === 'string' && testimonyId.length <= 100 ? await dbGet(db.select().from(witnessTestimony).where(eq(witnessTestimony.id, testimonyId))) : undefined;
	if (!existing || existing.learnerId === assessorId || !await assesses(db, assessorId, existing.learnerId)) {
		return { ok: false, error: { code: 'evidence.not-found', message: 'That testimony was not found.' } };
	}
	const parsed = z.object({ criteria: criterionCodes }).safeParse({ criteria });
	if (!parsed.success) return invalid(parsed.error, 'mapping');
	const at = now.toISOString();
	await writeTransaction(db, async () => {
		await dbRun(db.update(witnessTestimony).set({ criteria: parsed.data.criteria, mappedBy: assessorId, mappedAt: at }).where(eq(witnessTestimony.id, testimonyId)));
		// Mapped criteria may complete the learner's unit: ask for their badge (server/badges).
		if (parsed.data.criteria.length > 0) await requestBadgeCheck(db, existing.learnerId, now);
	});
	return { ok: true, value: { ...existing, criteria: parsed.data.criteria, mappedBy: assessorId, mappedAt: at } };
}

// ── Observation records ──────────────────────────────────────────────────────────────────────

export interface ObservationInput {
	observedOn: unknown;
	setting: unknown;
	description: unknown;
	criteria: unknown;
}

const observationFields = (now: Date) =>
	z.object({
		observedOn: pastDate(now, 'the date of the observation'),
		setting: required(EVIDENCE_LIMITS.setting, 'where and when you observed the learner'),
		description: required(EVIDENCE_LIMITS.description, 'what you observed'),
		criteria: criterionCodes.refine((codes) => codes.length > 0, 'Choose at least one criterion the observation evidences.')
	});

/** An assessor's record of observing a learner they assess at work. The route checks `assesses`. */
export async function recordObservation(db: Db, assessorId: string, learnerId: string, input: ObservationInput, now = new Date()): Promise<OtherEvidenceResult<ObservationRecord>> {
	if (learnerId === assessorId || !await assesses(db, assessorId, learnerId)) {
		return { ok: false, error: { code: 'evidence.not-found', message: 'That learner was not found.' } };
	}
	const parsed = observationFields(now).safeParse({ ...input, description: typeof input.description === 'string' ? input.description.replace(/\r\n?/g, '\n') : input.description });
	if (!parsed.success) return invalid(parsed.error, 'observation');
	const row: ObservationRecord = { id: crypto.randomUUID(), learnerId, assessorId, ...parsed.data, recordedAt: now.toISOString() };
	await writeTransaction(db, async () => {
		await dbRun(db.insert(observationRecord).values(row));
		await requestBadgeCheck(db, learnerId, now);
	});
	return { ok: true, value: row };
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────

export interface TestimonyView extends WitnessTestimony {
	recordedByName: string;
	mappedByName: string | null;
}
export interface ObservationView extends ObservationRecord {
	assessorName: string;
}

/** A learner's witness testimony, newest first, with who recorded and who mapped each. */
export async function testimoniesOf(db: Db, learnerId: string): Promise<TestimonyView[]> {
	// Names by subquery, not by joining the user table twice under aliases: drizzle's PostgreSQL
	// dialect renders only its own tables' aliases, and this query runs on either engine.
	const nameOf = (id: typeof witnessTestimony.recordedBy | typeof witnessTestimony.mappedBy) =>
		sql<string | null>`(select ${user.displayName} from ${user} where ${user.id} = ${id})`;
	return (await dbAll(db
		.select({ t: witnessTestimony, recordedByName: nameOf(witnessTestimony.recordedBy), mappedByName: nameOf(witnessTestimony.mappedBy) })
		.from(witnessTestimony)
		.where(eq(witnessTestimony.learnerId, learnerId))
		.orderBy(desc(witnessTestimony.witnessedOn), desc(witnessTestimony.recordedAt))))
		.map((r) => ({ ...r.t, recordedByName: r.recordedByName ?? '', mappedByName: r.mappedByName ?? null }));
}

/** A learner's observation records, newest first. */
export async function observationsOf(db: Db, learnerId: string): Promise<ObservationView[]> {
	return (await dbAll(db
		.select({ o: observationRecord, assessorName: user.displayName })
		.from(observationRecord)
		.innerJoin(user, eq(user.id, observationRecord.assessorId))
		.where(eq(observationRecord.learnerId, learnerId))
		.orderBy(desc(observationRecord.observedOn), desc(observationRecord.recordedAt))))
		.map((r) => ({ ...r.o, assessorName: r.assessorName }));
}

