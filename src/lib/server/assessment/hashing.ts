/**
 * The hashes a signed decision rests on (issue 6; issue 15 item 3): the evidence an assessor judged,
 * and what they signed. Every new hash is SHA-256 of RFC 8785 canonical JSON (core/canonical-json.ts,
 * CANONICAL_ENCODING); each row names the encoding its hashes were made with, and a verifier
 * recomputes with that one, so decisions signed before RFC 8785 ('legacy-2025') still verify.
 */
import { dbGet } from '$lib/core/database';
import { eq } from 'drizzle-orm';
import { CanonicalJsonError, canonicalHash, sha256Hex } from '$lib/core';
import type { Db } from '$lib/core/database';
import { attempt } from '$lib/sim/schema';
import { attemptActions, type AttemptResult } from '$lib/sim/runtime';
import { reflection } from '$lib/server/db/schema';
import type { AssessmentDecision, HashEncoding } from '$lib/server/db/assessment';

/**
 * The lenient encoder decisions were hashed with before RFC 8785, kept verbatim ONLY to verify the
 * rows that name it ('legacy-2025'); never used to sign. It silently turned what is not JSON into
 * something that is: undefined, NaN, ±Infinity, a function or a symbol into null (or left the
 * member out), a Date or a Map into {}. The canonical encoder (core/canonical-json.ts) refuses them.
 */
export function legacyCanonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') {
		if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
		if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
		return JSON.stringify(value);
	}
	if (Array.isArray(value)) return `[${value.map((v) => legacyCanonicalJson(v)).join(',')}]`;
	const object = value as Record<string, unknown>;
	const keys = Object.keys(object)
		.filter((k) => object[k] !== undefined && typeof object[k] !== 'function' && typeof object[k] !== 'symbol')
		.sort();
	return `{${keys.map((k) => `${JSON.stringify(k)}:${legacyCanonicalJson(object[k])}`).join(',')}}`;
}

/** SHA-256 (hex) of a value's canonical JSON in the encoding named; `root` names the value in a refusal. */
function hashWith(encoding: HashEncoding, value: unknown, root: string): string {
	return encoding === 'legacy-2025' ? sha256Hex(legacyCanonicalJson(value)) : canonicalHash(value, root);
}

/** Exactly the evidence an assessor judges: the attempt, what the learner did, its marking, their reflection. */
export interface JudgedEvidence {
	attemptId: string;
	scenarioId: string;
	scenarioVersion: string;
	scenarioHash: string;
	actions: { seq: number; kind: string; name: string; input: unknown; at: string; outcome: unknown }[];
	result: AttemptResult | null;
	reflection: { situation: string; task: string; action: string; result: string; submittedAt: string | null } | null;
}

export async function judgedEvidence(db: Db, attemptId: string): Promise<JudgedEvidence | undefined> {
	const row = await dbGet(db.select().from(attempt).where(eq(attempt.id, attemptId)));
	if (!row) return undefined;
	const written = await dbGet(db.select().from(reflection).where(eq(reflection.attemptId, attemptId)));
	return {
		attemptId: row.id,
		scenarioId: row.scenarioId,
		scenarioVersion: row.scenarioVersion,
		scenarioHash: row.scenarioHash,
		actions: (await attemptActions(db, attemptId)).map((a) => ({ seq: a.seq, kind: a.kind, name: a.name, input: a.input ?? null, at: a.at, outcome: a.outcome.core ?? null })),
		result: row.result ?? null,
		reflection:
			written && written.status === 'submitted'
				? { situation: written.situation, task: written.task, action: written.action, result: written.result, submittedAt: written.submittedAt }
				: null
	};
}

/** A decision as it is signed; rows from before countersignatures have no `requiresCountersignature`. */
type UnsignedDecision = Omit<AssessmentDecision, 'signatureHash' | 'requiresCountersignature'> & { requiresCountersignature?: boolean };

/**
 * What a signature covers: the decision as stored, the evidence hash, who signed and when, and
 * (since RFC 8785) the encoding, so a row relabelled with the other encoding no longer verifies.
 * A trainee's decision also signs that it needs a countersignature, so the flag cannot be cleared
 * without breaking the signature (issue 17); other decisions hash as they always did.
 */
function signedContent(d: UnsignedDecision) {
	const content = {
		decision: {
			id: d.id,
			attemptId: d.attemptId,
			learnerId: d.learnerId,
			sequence: d.sequence,
			supersedesId: d.supersedesId,
			outcome: d.outcome,
			feedback: d.feedback,
			nextSteps: d.nextSteps,
			points: d.points,
			criteria: d.criteria,
			assessorNote: d.assessorNote
		},
		evidenceHash: d.evidenceHash,
		signer: { id: d.assessorId, name: d.signedName },
		signedAt: d.signedAt
	};
	const encoded = d.hashEncoding === 'legacy-2025' ? content : { ...content, hashEncoding: d.hashEncoding };
	return d.requiresCountersignature ? { ...encoded, requiresCountersignature: true } : encoded;
}

/** The signature hash of a decision, in the encoding it names. Throws a CanonicalJsonError for what the canonical encoder refuses. */
export function signatureHashOf(d: UnsignedDecision): string {
	return hashWith(d.hashEncoding, signedContent(d), 'decision');
}

/** The evidence hash of what was judged, in the encoding named. Throws a CanonicalJsonError for what the canonical encoder refuses. */
export function evidenceHashOf(evidence: unknown, encoding: HashEncoding): string {
	return hashWith(encoding, evidence, 'evidence');
}

export interface DecisionVerification {
	/** The decision, signer and time reproduce the signature hash: the row is as it was signed. */
	signatureMatches: boolean;
	/** The evidence kept with the decision reproduces the evidence hash: what was judged is on record, unchanged. */
	evidenceMatches: boolean;
	/**
	 * The attempt's evidence as it stands now is still what was judged. False after the learner
	 * rewrote their reflection for a resubmission: the rewritten account is the next decision's to
	 * judge, and this one still verifies against the evidence kept with it.
	 */
	evidenceCurrent: boolean;
	matches: boolean;
	/** Why a hash could not even be recomputed: a stored value the row's encoding refuses, with its path. */
	problem?: string;
}

/**
 * Recomputes the signature hash and the evidence hash, with the encoding the row names, from the
 * stored decision alone and against the attempt now. A value the encoding refuses is a mismatch
 * (named in `problem`), never an exception: a tampered row must not take the review page down.
 */
export async function verifyDecision(db: Db, decision: AssessmentDecision): Promise<DecisionVerification> {
	const problems: string[] = [];
	const hashEquals = (hash: () => string, expected: string) => {
		try {
			return hash() === expected;
		} catch (e) {
			if (!(e instanceof CanonicalJsonError)) throw e;
			problems.push(e.message);
			return false;
		}
	};
	const signatureMatches = hashEquals(() => signatureHashOf(decision), decision.signatureHash);
	const now = await judgedEvidence(db, decision.attemptId);
	const evidenceCurrent = now !== undefined && hashEquals(() => evidenceHashOf(now, decision.hashEncoding), decision.evidenceHash);
	// A decision signed before the evidence was kept with it can only be checked against the attempt now.
	const evidenceMatches = decision.evidence == null ? evidenceCurrent : hashEquals(() => evidenceHashOf(decision.evidence, decision.hashEncoding), decision.evidenceHash);
	const verification = { signatureMatches, evidenceMatches, evidenceCurrent, matches: signatureMatches && evidenceMatches };
	return problems.length === 0 ? verification : { ...verification, problem: [...new Set(problems)].join('; ') };
}
