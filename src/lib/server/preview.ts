/**
 * A tutor's preview of a draft: the draft played as a learner would play it, in a sandbox.
 *
 * A preview is an attempt like any other (its own seeded workspace, the same runtime), owned by
 * `preview:<tutorId>`, which is no user's id: so it is never in any learner's attempts, portfolio,
 * cohort results or assessor's queue. The draft text it was started on is kept in scenario_preview,
 * so saving the draft again never changes a preview under way. Only the tutor who started a preview
 * can see or play it; anyone else is answered as if it did not exist.
 */
import { mapInOrder } from '$lib/core/in-order';
import { dbRun, dbGet, dbAll } from '$lib/core/database';
import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import type { Result } from '$lib/core/result';
import { markAttempt, verdictOf, type PointResult, type Verdict } from '$lib/sim/marking';
import { applyAction, attemptEvents, endAttempt, getAttempt, startAttempt, type ActionOutcome, type AttemptResult, type AttemptView, type LearnerAction, type LoadedScenario, type TranscriptWindow } from '$lib/sim/runtime';
import { centreDraft, type Author, type AuthoringResult } from '$lib/server/authoring';
import { checkSource, draftFile } from '$lib/sim/scenario-source';
import { scenarioPreview, type ScenarioPreview } from '$lib/server/db/authoring';

export interface PreviewTutor extends Author {
	displayName: string;
}

/** The owner of a tutor's previews: never a user's id. */
export const previewOwner = (tutorId: string) => `preview:${tutorId}`;

const parsed = new Map<string, LoadedScenario>();

async function loadedOf(preview: ScenarioPreview): Promise<LoadedScenario | undefined> {
	const cached = parsed.get(preview.attemptId);
	if (cached) return cached;
	const checked = await checkSource(draftFile(preview.scenarioId), preview.source);
	if (!checked.ok) return undefined;
	parsed.set(preview.attemptId, checked.loaded);
	return checked.loaded;
}

/** Starts a preview of the saved draft; refused with the draft's errors while it has any. */
export async function startPreview(db: Db, tutor: PreviewTutor, scenarioId: string, now = new Date()): Promise<AuthoringResult<AttemptView>> {
	const draft = await centreDraft(db, tutor, scenarioId);
	if (!draft) return { ok: false, error: { code: 'scenario.not-found', message: 'That scenario was not found.' } };
	const checked = await checkSource(draftFile(scenarioId), draft.draftSource);
	if (!checked.ok) {
		const n = checked.errors.length;
		return { ok: false, error: { code: 'scenario.invalid', message: `The draft has ${n} problem${n === 1 ? '' : 's'}: fix ${n === 1 ? 'it' : 'them'} to preview it.`, errors: checked.errors } };
	}
	const owner = previewOwner(tutor.id);
	const started = await startAttempt(db, checked.loaded, { ownerId: owner, actor: { id: owner, name: tutor.displayName, role: 'agent' } });
	if (!started.ok) return { ok: false, error: started.error };
	await dbRun(db.insert(scenarioPreview)
		.values({ attemptId: started.value.id, tutorId: tutor.id, scenarioId, source: draft.draftSource, startedAt: now.toISOString() }));
	parsed.set(started.value.id, checked.loaded);
	return { ok: true, value: started.value };
}

export interface OwnedPreview {
	preview: ScenarioPreview;
	view: AttemptView;
	loaded: LoadedScenario;
}

/** A preview of this scenario started by this tutor, or null (another tutor's is answered the same). */
/** `transcript`: the lines of the conversation to read (the screen's window); the whole by default. */
export async function ownedPreview(db: Db, tutorId: string, scenarioId: string, attemptId: string, options: { transcript?: TranscriptWindow } = {}): Promise<OwnedPreview | null> {
	const preview = await dbGet(db
		.select()
		.from(scenarioPreview)
		.where(and(eq(scenarioPreview.attemptId, attemptId), eq(scenarioPreview.tutorId, tutorId), eq(scenarioPreview.scenarioId, scenarioId))));
	if (!preview) return null;
	const view = await getAttempt(db, attemptId, options);
	const loaded = await loadedOf(preview);
	if (!view || !loaded || view.ownerId !== previewOwner(tutorId)) return null;
	return { preview, view, loaded };
}

/** This tutor's previews of a scenario, newest first. */
export async function previewsOf(db: Db, tutorId: string, scenarioId: string): Promise<{ attemptId: string; startedAt: string; status: 'in-progress' | 'ended' }[]> {
	return await mapInOrder((await dbAll(db
		.select()
		.from(scenarioPreview)
		.where(and(eq(scenarioPreview.tutorId, tutorId), eq(scenarioPreview.scenarioId, scenarioId)))
		.orderBy(desc(scenarioPreview.startedAt)))), async (p) => ({ attemptId: p.attemptId, startedAt: p.startedAt, status: (await getAttempt(db, p.attemptId))?.status ?? 'ended' }));
}

const NOT_FOUND = { ok: false, error: { code: 'attempt.not-found', message: 'That preview was not found.' } } as const;

export async function applyPreviewAction(db: Db, tutorId: string, scenarioId: string, attemptId: string, action: LearnerAction, expectedActionSeq: number): Promise<Result<ActionOutcome>> {
	const owned = await ownedPreview(db, tutorId, scenarioId, attemptId);
	return owned ? await applyAction(db, owned.loaded, attemptId, action, { expectedActionSeq }) : NOT_FOUND;
}

export async function endPreview(db: Db, tutorId: string, scenarioId: string, attemptId: string): Promise<Result<AttemptResult>> {
	const owned = await ownedPreview(db, tutorId, scenarioId, attemptId);
	return owned ? await endAttempt(db, owned.loaded, attemptId) : NOT_FOUND;
}

/** Which marking points the preview's actions meet so far (a mistake not yet made counts as avoided so far). */
export async function pointsSoFar(db: Db, owned: OwnedPreview): Promise<{ points: PointResult[]; score: number; passed: boolean; verdict: Verdict }> {
	const marking = markAttempt(owned.loaded.scenario, await attemptEvents(db, owned.view.id), { seedIds: owned.view.seedIds, inProgress: owned.view.status !== 'ended' });
	return { points: marking.points, score: marking.score, passed: marking.passed, verdict: verdictOf(marking) };
}
