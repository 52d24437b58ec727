/**
 * The IQA's record of a sample (issue 17, item 3): start sampling (a hashed snapshot of what the
 * assessor saw and decided), judge it in a draft, sign a round. A signed round checks VACS (the
 * assessor confirmed the evidence valid, authentic, current and sufficient) and says per criterion
 * "agree" or "assessor to action" with the action and a target date; each action is set on the
 * assessor (actions.ts). A round that agrees on every criterion, with no action still open, locks the
 * sampled decision (locks.ts). An IQA never samples their own decision, nor one they countersigned.
 */
import { mapInOrder } from '$lib/core/in-order';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { CANONICAL_ENCODING, CanonicalJsonError } from '$lib/core';
import { dbGet, dbRun, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { isCalendarDate } from '$lib/server/cohorts';
import { criterionByCode } from '$lib/criteria';
import { ukToday } from '$lib/dates';
import { user, type Role } from '$lib/server/db/schema';
import { iqaSample, type IqaSample, type SampleDecisionKind } from '$lib/server/db/quality';
import {
	VACS_CHECKS,
	iqaAction,
	iqaSampleDraft,
	iqaSampleRound,
	iqaSampleSnapshot,
	type CriterionReview,
	type IqaAction,
	type IqaActionEvent,
	type IqaSampleRound,
	type IqaSampleSnapshot,
	type VacsCheck,
	type VacsRecord
} from '$lib/server/db/iqa-records';
import { recordActorEvent, type Actor } from '$lib/server/security/events';
import { iqaActionSet } from '$lib/server/notifications/iqa';
import { actionHistories, stateAfter, type ActionState } from './action-state';
import { appendLockEvent, isWorkLocked, lockHistory, type LockHistoryEntry } from './locks';
import { SAMPLE_NOT_FOUND, normaliseName, refused, tidyName, type IqaResult } from './results';
import { countersignerOf, snapshotHashOf, takeSnapshot, type SampleSnapshot } from './snapshots';
import { roundSignatureHashOf, verifyRound } from './signing';

export const ROUND_LIMITS = { note: 2000, action: 2000, feedback: 8000 } as const;

export const VACS_LABELS: Record<VacsCheck, string> = { valid: 'Valid', authentic: 'Authentic', current: 'Current', sufficient: 'Sufficient' };

export const SAMPLE_STATUSES = ['not-started', 'in-progress', 'actions-open', 'agreed-locked'] as const;
export type SampleStatus = (typeof SAMPLE_STATUSES)[number];
export const SAMPLE_STATUS_LABELS: Record<SampleStatus, string> = {
	'not-started': 'Not started',
	'in-progress': 'In progress',
	'actions-open': 'Actions open',
	'agreed-locked': 'Agreed & locked'
};

/** The IQA acting: who, from where, their centre, roles and name as the centre holds it. */
export interface Quality extends Actor {
	displayName: string;
	organisationId: string;
	roles: readonly Role[];
}

/** What the round's form posts, as typed: checked only when signed. */
export interface RoundValues {
	vacs: Record<VacsCheck, { confirmed: string; note: string }>;
	/** Per criterion code of the snapshot. */
	criteria: Record<string, { verdict: string; action: string; targetDate: string }>;
	feedback: string;
	signedName: string;
}

export function emptyRoundValues(criteria: readonly string[]): RoundValues {
	return {
		vacs: Object.fromEntries(VACS_CHECKS.map((c) => [c, { confirmed: '', note: '' }])) as RoundValues['vacs'],
		criteria: Object.fromEntries(criteria.map((code) => [code, { verdict: '', action: '', targetDate: '' }])),
		feedback: '',
		signedName: ''
	};
}

async function sampleOf(db: Db, organisationId: string, sampleId: string): Promise<IqaSample | undefined> {
	if (typeof sampleId !== 'string' || sampleId.length > 100) return undefined;
	return await dbGet(db.select().from(iqaSample).where(and(eq(iqaSample.id, sampleId), eq(iqaSample.organisationId, organisationId))));
}

/** Why this IQA may not sample this decision, or null when they may. */
export async function ownWorkRefusal(db: Db, iqaId: string, sample: Pick<IqaSample, 'assessorId' | 'decisionKind' | 'decisionId'>): Promise<string | null> {
	if (sample.assessorId === iqaId) return 'You signed this decision: an IQA never samples their own decisions. Another IQA must sample it.';
	if (await countersignerOf(db, sample) === iqaId) return 'You countersigned this decision: an IQA never samples a decision they countersigned. Another IQA must sample it.';
	return null;
}

/** The sample, when this user may act on it as its IQA; a typed refusal otherwise. */
async function sampleToJudge(db: Db, by: Quality, sampleId: string): Promise<IqaResult<IqaSample>> {
	const sample = await sampleOf(db, by.organisationId, sampleId);
	if (!sample) return SAMPLE_NOT_FOUND;
	if (!by.roles.includes('iqa')) return refused('sample.not-iqa', 'Only an internal quality assurer may sample decisions.');
	const own = await ownWorkRefusal(db, by.id, sample);
	if (own) return refused('sample.own-work', own);
	return { ok: true, value: sample };
}

/** Starts sampling: takes the snapshot of what the assessor saw and decided, and its hash. */
export async function startSampling(db: Db, by: Quality, sampleId: string, now = new Date()): Promise<IqaResult<IqaSampleSnapshot>> {
	const found = await sampleToJudge(db, by, sampleId);
	if (!found.ok) return found;
	return await writeTransaction(db, async (): Promise<IqaResult<IqaSampleSnapshot>> => {
		if (await dbGet(db.select({ id: iqaSampleSnapshot.sampleId }).from(iqaSampleSnapshot).where(eq(iqaSampleSnapshot.sampleId, sampleId)))) {
			return refused('sample.already-started', 'Sampling has already started: the snapshot taken then is what you judge.');
		}
		const taken = await takeSnapshot(db, found.value);
		if (!taken.ok) return taken;
		let snapshotHash: string;
		try {
			snapshotHash = snapshotHashOf(taken.value);
		} catch (e) {
			if (!(e instanceof CanonicalJsonError)) throw e;
			return refused('sample.snapshot-unavailable', `The decision holds a value that cannot be hashed exactly (${e.message}): nothing was recorded. Tell your administrator.`);
		}
		const row: IqaSampleSnapshot = { sampleId, snapshot: taken.value, snapshotHash, hashEncoding: CANONICAL_ENCODING, takenBy: by.id, takenAt: now.toISOString() };
		await dbRun(db.insert(iqaSampleSnapshot).values(row));
		return { ok: true, value: row };
	});
}

async function snapshotOf(db: Db, sampleId: string): Promise<IqaSampleSnapshot | undefined> {
	return await dbGet(db.select().from(iqaSampleSnapshot).where(eq(iqaSampleSnapshot.sampleId, sampleId)));
}

/** Saves the IQA's unsigned work on the next round, as typed (no checks: a draft may be half done). */
export async function saveRoundDraft(db: Db, by: Quality, sampleId: string, values: RoundValues, now = new Date()): Promise<IqaResult<null>> {
	const found = await sampleToJudge(db, by, sampleId);
	if (!found.ok) return found;
	if (!await snapshotOf(db, sampleId)) return refused('sample.not-started', 'Start sampling first: the snapshot is what you judge.');
	const content = { ...values, signedName: '' };
	await dbRun(db.insert(iqaSampleDraft)
		.values({ sampleId, iqaId: by.id, content, updatedAt: now.toISOString() })
		.onConflictDoUpdate({ target: iqaSampleDraft.sampleId, set: { iqaId: by.id, content, updatedAt: now.toISOString() } }));
	return { ok: true, value: null };
}

function roundErrors(values: RoundValues, codes: readonly string[], today: string, signerName: string): { errors: Record<string, string>; vacs: VacsRecord; criteria: CriterionReview[] } {
	const errors: Record<string, string> = {};
	const vacs = {} as VacsRecord;
	for (const check of VACS_CHECKS) {
		const v = values.vacs[check] ?? { confirmed: '', note: '' };
		const note = v.note.trim();
		if (v.confirmed !== 'yes' && v.confirmed !== 'no') errors[`vacs.${check}`] = `Say whether the assessor confirmed the evidence is ${check}.`;
		else if (v.confirmed === 'no' && note === '') errors[`vacs.${check}.note`] = 'Say what is missing.';
		if (note.length > ROUND_LIMITS.note) errors[`vacs.${check}.note`] = `Keep the note to ${ROUND_LIMITS.note} characters.`;
		vacs[check] = { confirmed: v.confirmed === 'yes', note };
	}
	const criteria: CriterionReview[] = [];
	for (const code of codes) {
		const c = values.criteria[code] ?? { verdict: '', action: '', targetDate: '' };
		if (c.verdict === 'agree') {
			criteria.push({ code, verdict: 'agree', action: '', targetDate: '' });
			continue;
		}
		if (c.verdict !== 'action') {
			errors[`criteria.${code}`] = 'Agree, or set the assessor an action.';
			continue;
		}
		const action = c.action.trim();
		const targetDate = c.targetDate.trim();
		if (action === '') errors[`criteria.${code}.action`] = 'Say what the assessor must do.';
		else if (action.length > ROUND_LIMITS.action) errors[`criteria.${code}.action`] = `Keep the action to ${ROUND_LIMITS.action} characters.`;
		if (!isCalendarDate(targetDate)) errors[`criteria.${code}.targetDate`] = 'Give a target date (day, month, year).';
		else if (targetDate < today) errors[`criteria.${code}.targetDate`] = 'The target date cannot be in the past.';
		criteria.push({ code, verdict: 'action', action, targetDate });
	}
	const feedback = values.feedback.trim();
	if (feedback === '') errors.feedback = 'Write your feedback to the assessor.';
	else if (feedback.length > ROUND_LIMITS.feedback) errors.feedback = `Keep the feedback to ${ROUND_LIMITS.feedback} characters.`;
	if (values.signedName.trim() === '') errors.signedName = 'Type your name to sign.';
	else if (normaliseName(values.signedName) !== normaliseName(signerName)) errors.signedName = `The name you type to sign must be your name as the centre holds it: ${signerName}.`;
	return { errors, vacs, criteria };
}

export interface SignedRound {
	round: IqaSampleRound;
	actions: IqaAction[];
	locked: boolean;
}

/**
 * Signs the next round. Each "assessor to action" verdict becomes an action on the decision's
 * assessor, who is told. A round agreeing on every criterion, with no earlier action still open,
 * locks the sampled decision. Refused (nothing recorded) for the IQA's own or countersigned work,
 * before sampling starts, and for an incomplete form (the errors name its fields).
 */
export async function signRound(db: Db, by: Quality, sampleId: string, values: RoundValues, now = new Date()): Promise<IqaResult<SignedRound>> {
	const found = await sampleToJudge(db, by, sampleId);
	if (!found.ok) return found;
	const sample = found.value;
	const snapshot = await snapshotOf(db, sampleId);
	if (!snapshot) return refused('sample.not-started', 'Start sampling first: the snapshot is what you judge.');
	const codes = (snapshot.snapshot as SampleSnapshot).criteria.map((c) => c.code);
	const { errors, vacs, criteria } = roundErrors(values, codes, ukToday(now), by.displayName);
	if (Object.keys(errors).length > 0) return refused('round.invalid', 'The round was not signed: correct what is marked. Nothing you typed is lost.', errors);
	return await writeTransaction(db, async (): Promise<IqaResult<SignedRound>> => {
		const previous = await dbGet(db.select().from(iqaSampleRound).where(eq(iqaSampleRound.sampleId, sampleId)).orderBy(desc(iqaSampleRound.round)).limit(1));
		const unsigned: Omit<IqaSampleRound, 'signatureHash'> = {
			id: crypto.randomUUID(),
			sampleId,
			round: (previous?.round ?? 0) + 1,
			iqaId: by.id,
			snapshotHash: snapshot.snapshotHash,
			vacs,
			criteria,
			feedback: values.feedback.trim(),
			signedName: tidyName(values.signedName),
			signedAt: now.toISOString(),
			hashEncoding: CANONICAL_ENCODING
		};
		const round: IqaSampleRound = { ...unsigned, signatureHash: roundSignatureHashOf(unsigned) };
		await dbRun(db.insert(iqaSampleRound).values(round));
		const actions: IqaAction[] = criteria
			.filter((c) => c.verdict === 'action')
			.map((c) => ({ id: crypto.randomUUID(), sampleId, roundId: round.id, assessorId: sample.assessorId, criterion: c.code, action: c.action, targetDate: c.targetDate, createdAt: now.toISOString() }));
		for (const action of actions) {
			await dbRun(db.insert(iqaAction).values(action));
			await iqaActionSet(db, action, now);
		}
		await dbRun(db.delete(iqaSampleDraft).where(eq(iqaSampleDraft.sampleId, sampleId)));
		await recordActorEvent(db, by, { type: 'iqa-sample.signed', userId: sample.assessorId, detail: { sampleId, roundId: round.id, round: round.round, actions: actions.length } }, now);
		const earlier = (await dbAll(db.select({ id: iqaAction.id }).from(iqaAction).where(eq(iqaAction.sampleId, sampleId)))).map((a) => a.id);
		const stillOpen = [...(await actionHistories(db, earlier)).values()].some((history) => stateAfter(history) !== 'closed');
		let locked = false;
		if (!stillOpen && criteria.every((c) => c.verdict === 'agree') && !await isWorkLocked(db, sample.decisionKind, sample.decisionId)) {
			await appendLockEvent(db, { organisationId: sample.organisationId, decisionKind: sample.decisionKind, decisionId: sample.decisionId, sampleId, roundId: round.id, kind: 'locked', reason: '', byId: by.id, at: now.toISOString() });
			await recordActorEvent(db, by, { type: 'work.locked', userId: sample.assessorId, detail: { decisionKind: sample.decisionKind, decisionId: sample.decisionId, sampleId, roundId: round.id } }, now);
			locked = true;
		}
		return { ok: true, value: { round, actions, locked } };
	});
}

export interface SampleSummary {
	id: string;
	decisionKind: SampleDecisionKind;
	decisionId: string;
	stage: IqaSample['stage'];
	pick: IqaSample['pick'];
	reason: string;
	pickedAt: string;
	learnerName: string;
	assessorName: string;
	status: SampleStatus;
	/** Why this IQA may not sample it (their own or countersigned decision), or null. */
	refusal: string | null;
}

function statusOf(started: boolean, rounds: readonly Pick<IqaSampleRound, 'criteria'>[], states: readonly ActionState[], locked: boolean): SampleStatus {
	if (!started) return 'not-started';
	if (states.some((s) => s !== 'closed')) return 'actions-open';
	if (locked && rounds.at(-1)?.criteria.every((c) => c.verdict === 'agree')) return 'agreed-locked';
	return 'in-progress';
}

/** The centre's samples as an IQA sees them, newest first, optionally only those of one status. */
export async function samplesForIqa(db: Db, by: Pick<Quality, 'id' | 'organisationId'>, status?: SampleStatus): Promise<SampleSummary[]> {
	const samples = await dbAll(db.select().from(iqaSample).where(eq(iqaSample.organisationId, by.organisationId)).orderBy(desc(iqaSample.pickedAt)));
	if (samples.length === 0) return [];
	const ids = samples.map((s) => s.id);
	const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user))).map((u) => [u.id, u.name]));
	const started = new Set((await dbAll(db.select({ id: iqaSampleSnapshot.sampleId }).from(iqaSampleSnapshot).where(inArray(iqaSampleSnapshot.sampleId, ids)))).map((s) => s.id));
	const rounds = new Map<string, IqaSampleRound[]>();
	for (const r of await dbAll(db.select().from(iqaSampleRound).where(inArray(iqaSampleRound.sampleId, ids)).orderBy(iqaSampleRound.round))) rounds.set(r.sampleId, [...(rounds.get(r.sampleId) ?? []), r]);
	const actions = await dbAll(db.select().from(iqaAction).where(inArray(iqaAction.sampleId, ids)));
	const histories = await actionHistories(db, actions.map((a) => a.id));
	const summaries = await mapInOrder(samples, async (s): Promise<SampleSummary> => {
		const states = actions.filter((a) => a.sampleId === s.id).map((a) => stateAfter(histories.get(a.id) ?? []));
		return {
			id: s.id,
			decisionKind: s.decisionKind,
			decisionId: s.decisionId,
			stage: s.stage,
			pick: s.pick,
			reason: s.reason,
			pickedAt: s.pickedAt,
			learnerName: names.get(s.learnerId) ?? '',
			assessorName: names.get(s.assessorId) ?? '',
			status: statusOf(started.has(s.id), rounds.get(s.id) ?? [], states, await isWorkLocked(db, s.decisionKind, s.decisionId)),
			refusal: await ownWorkRefusal(db, by.id, s)
		};
	});
	return status ? summaries.filter((s) => s.status === status) : summaries;
}

export interface ActionView extends IqaAction {
	criterionTitle: string;
	state: ActionState;
	history: (IqaActionEvent & { byName: string })[];
}

export interface RoundView extends IqaSampleRound {
	verified: boolean;
}

export interface SampleView {
	sample: IqaSample & { learnerName: string; assessorName: string };
	status: SampleStatus;
	refusal: string | null;
	snapshot: (Omit<IqaSampleSnapshot, 'snapshot'> & { snapshot: SampleSnapshot }) | null;
	criteria: { code: string; title: string }[];
	rounds: RoundView[];
	draft: RoundValues | null;
	actions: ActionView[];
	locked: boolean;
	lockHistory: LockHistoryEntry[];
}

/** Actions of some samples, with their criterion's title, where they stand and their history. */
export async function actionViews(db: Db, actions: readonly IqaAction[]): Promise<ActionView[]> {
	const histories = await actionHistories(db, actions.map((a) => a.id));
	const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user))).map((u) => [u.id, u.name]));
	return actions.map((a) => {
		const history = histories.get(a.id) ?? [];
		return { ...a, criterionTitle: criterionByCode(a.criterion)?.title ?? a.criterion, state: stateAfter(history), history: history.map((e) => ({ ...e, byName: names.get(e.byId) ?? '' })) };
	});
}

/** Everything the IQA's sample page shows; undefined when the sample is not this centre's. */
export async function sampleView(db: Db, by: Pick<Quality, 'id' | 'organisationId'>, sampleId: string): Promise<SampleView | undefined> {
	const sample = await sampleOf(db, by.organisationId, sampleId);
	if (!sample) return undefined;
	const names = new Map((await dbAll(db.select({ id: user.id, name: user.displayName }).from(user).where(inArray(user.id, [sample.learnerId, sample.assessorId])))).map((u) => [u.id, u.name]));
	const snapshot = await snapshotOf(db, sampleId);
	const rounds = await dbAll(db.select().from(iqaSampleRound).where(eq(iqaSampleRound.sampleId, sampleId)).orderBy(iqaSampleRound.round));
	const actions = await actionViews(db, await dbAll(db.select().from(iqaAction).where(eq(iqaAction.sampleId, sampleId)).orderBy(iqaAction.createdAt)));
	const draftRow = await dbGet(db.select().from(iqaSampleDraft).where(eq(iqaSampleDraft.sampleId, sampleId)));
	const locked = await isWorkLocked(db, sample.decisionKind, sample.decisionId);
	const snap = snapshot ? (snapshot.snapshot as SampleSnapshot) : null;
	return {
		sample: { ...sample, learnerName: names.get(sample.learnerId) ?? '', assessorName: names.get(sample.assessorId) ?? '' },
		status: statusOf(snapshot !== undefined, rounds, actions.map((a) => a.state), locked),
		refusal: await ownWorkRefusal(db, by.id, sample),
		snapshot: snapshot && snap ? { ...snapshot, snapshot: snap } : null,
		criteria: (snap?.criteria ?? []).map((c) => ({ code: c.code, title: criterionByCode(c.code)?.title ?? c.code })),
		rounds: rounds.map((r) => ({ ...r, verified: verifyRound(r, snapshot?.snapshotHash ?? null) })),
		draft: (draftRow?.content as RoundValues | undefined) ?? null,
		actions,
		locked,
		lockHistory: await lockHistory(db, sample.decisionKind, sample.decisionId)
	};
}
