import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { CANONICAL_ENCODING, canonicalHash, canonicalJson, sha256Hex } from '$lib/core';
import { dbRun, dbGet, dbAll, DEFAULT_MIGRATIONS_FOLDER } from '$lib/core/database';
import { withDatabaseBefore } from '$lib/core/testing';
import { attemptAction } from '$lib/sim/schema';
import { assessmentDecision, type AssessmentDecision } from '$lib/server/db/assessment';
import { evidenceHashOf, judgedEvidence, legacyCanonicalJson, signatureHashOf, verifyDecision } from './hashing';
import { signDecision } from './signing';
import { assessmentFixture } from './testing';

const f = assessmentFixture();

/** What the code before RFC 8785 signed, verbatim: the decision, the evidence hash, the signer and the time. */
function signedBefore2026(d: Omit<AssessmentDecision, 'signatureHash' | 'hashEncoding' | 'requiresCountersignature'>) {
	return {
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
}

/** Puts an action into the attempt's log whose input holds half an emoji: a lone surrogate, which JSON columns keep. */
async function halfAnEmojiInTheLog(attemptId: string) {
	await dbRun(f.db.insert(attemptAction).values({ attemptId, seq: 1000, kind: 'core', name: 'customer.note', input: { note: 'Called back 😀'.slice(0, -1) }, outcome: JSON.parse('{}'), at: '2026-03-01T08:00:00Z' }));
}

/** A decision made and stored exactly as the code before RFC 8785 made it: the lenient encoder, no encoding recorded. */
async function signedTheOldWay(attemptId: string): Promise<Omit<AssessmentDecision, 'hashEncoding' | 'requiresCountersignature'>> {
	const evidence = (await judgedEvidence(f.db, attemptId))!;
	const r = await f.review(attemptId);
	const unsigned = {
		id: crypto.randomUUID(),
		attemptId,
		learnerId: f.ids.amira,
		assessorId: f.ids.gareth,
		sequence: 1,
		supersedesId: null,
		outcome: 'met' as const,
		feedback: 'A careful, lawful call.',
		nextSteps: '',
		points: r.points.map((p) => ({ pointId: p.id, proposed: p.proposed, met: p.proposed, feedback: '' })),
		criteria: r.criteria.map((c) => ({ code: c.code, proposed: c.proposed, met: c.proposed, feedback: '' })),
		assessorNote: '',
		evidenceHash: sha256Hex(legacyCanonicalJson(evidence)),
		evidence,
		signedName: 'Gareth Llewellyn',
		signedAt: '2025-11-03T10:00:00.000Z'
	};
	return { ...unsigned, signatureHash: sha256Hex(legacyCanonicalJson(signedBefore2026(unsigned))) };
}

describe('the encoder kept for decisions signed before RFC 8785', () => {
	it('is the lenient one that made their hashes: a Date became {}, undefined and NaN null, a function left out', () => {
		const value = { at: new Date(0), lines: ['first', undefined, Number.NaN], callback: () => 1, note: undefined };
		expect(legacyCanonicalJson(value)).toBe('{"at":{},"lines":["first",null,null]}');
		// What every new hash uses refuses the same value, naming where it is.
		expect(() => canonicalJson(value, 'evidence')).toThrow('evidence.at: a Date is not JSON');
		expect(() => evidenceHashOf(value, CANONICAL_ENCODING)).toThrow('evidence.at: a Date is not JSON');
		expect(evidenceHashOf(value, 'legacy-2025')).toBe(sha256Hex('{"at":{},"lines":["first",null,null]}'));
	});
});

describe('a new decision', () => {
	it('is signed with RFC 8785 (jcs-2026), records that encoding, and signs the encoding too', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, f.gareth(), id, await f.decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		const stored = (await dbGet(f.db.select().from(assessmentDecision).where(eq(assessmentDecision.id, signed.value.id))))!;
		expect(stored.hashEncoding).toBe(CANONICAL_ENCODING);
		expect(stored.evidenceHash).toBe(canonicalHash(stored.evidence));
		expect(await verifyDecision(f.db, stored)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
		// Relabelled as made the old way, the same row no longer verifies: the label cannot be changed unnoticed.
		expect(await verifyDecision(f.db, { ...stored, hashEncoding: 'legacy-2025' })).toMatchObject({ signatureMatches: false, matches: false });
	});

	it('is not signed when the evidence holds a value that is not JSON: the assessor is told where, and nothing is recorded', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await halfAnEmojiInTheLog(id);
		const refused = await signDecision(f.db, f.gareth(), id, await f.decided(id));
		expect(refused).toMatchObject({
			ok: false,
			error: { code: 'evidence.not-json', message: expect.stringMatching(/^The decision was not signed: .*evidence\.actions\[\d+\]\.input\.note: a string with a lone surrogate is not JSON/) }
		});
		expect(await dbAll(f.db.select().from(assessmentDecision))).toEqual([]);
	});
});

describe('a decision signed before RFC 8785 (legacy-2025)', () => {
	it('still verifies, recomputed with the encoder that made it, even with a value the canonical encoder refuses', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await halfAnEmojiInTheLog(id);
		const old = await signedTheOldWay(id);
		await dbRun(f.db.insert(assessmentDecision).values({ ...old, hashEncoding: 'legacy-2025' }));
		const stored = (await dbGet(f.db.select().from(assessmentDecision).where(eq(assessmentDecision.id, old.id))))!;
		expect(stored.hashEncoding).toBe('legacy-2025');
		expect(await verifyDecision(f.db, stored)).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
		expect((await f.review(id)).decisions[0]?.verified).toMatchObject({ matches: true });
		expect(signatureHashOf(stored)).toBe(old.signatureHash);
		// Recomputed with the canonical encoder instead, it does not match, and says why (never an exception).
		expect(await verifyDecision(f.db, { ...stored, hashEncoding: CANONICAL_ENCODING })).toMatchObject({
			signatureMatches: false,
			evidenceMatches: false,
			matches: false,
			problem: expect.stringMatching(/evidence\.actions\[\d+\]\.input\.note: a string with a lone surrogate is not JSON/)
		});
	});

	it('no longer verifies once the stored decision or the evidence kept with it differs from what was signed, and says which', async () => {
		// The table refuses an UPDATE: a tampered row is one written as signed but with something changed.
		const changedDecision = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const old = await signedTheOldWay(changedDecision);
		await dbRun(f.db.insert(assessmentDecision).values({ ...old, outcome: 'not-yet-met', hashEncoding: 'legacy-2025' }));
		expect((await f.review(changedDecision)).decisions[0]?.verified).toEqual({ signatureMatches: false, evidenceMatches: true, evidenceCurrent: true, matches: false });

		const changedEvidence = await f.submittedAttempt(f.ids.amira, '2026-03-02T09:00:00Z');
		const signed = await signedTheOldWay(changedEvidence);
		const kept = signed.evidence as { reflection: { action: string } };
		await dbRun(f.db.insert(assessmentDecision).values({ ...signed, evidence: { ...kept, reflection: { ...kept.reflection, action: 'I disclosed the balance.' } }, hashEncoding: 'legacy-2025' }));
		expect((await f.review(changedEvidence)).decisions[0]?.verified).toEqual({ signatureMatches: true, evidenceMatches: false, evidenceCurrent: true, matches: false });
	});

	it('is labelled legacy-2025 by the migration that adds the column, without an UPDATE (the table refuses one)', async () => {
		await withDatabaseBefore('_hash_encoding', async (db) => {
			const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
			const old = await signedTheOldWay(id);
			// The table as it was, with foreign keys off: only the decision row is needed here.
			db.$client.pragma('foreign_keys = OFF');
			db.$client
				.prepare(
					`INSERT INTO assessment_decision (id, attempt_id, learner_id, assessor_id, sequence, supersedes_id, outcome, feedback, next_steps, points, criteria, assessor_note, evidence_hash, evidence, signed_name, signed_at, signature_hash)
					 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
				)
				.run(old.id, old.attemptId, old.learnerId, old.assessorId, old.sequence, null, old.outcome, old.feedback, old.nextSteps, JSON.stringify(old.points), JSON.stringify(old.criteria), '', old.evidenceHash, JSON.stringify(old.evidence), old.signedName, old.signedAt, old.signatureHash);
			migrate(db, { migrationsFolder: DEFAULT_MIGRATIONS_FOLDER });
			const stored = (await dbGet(db.select().from(assessmentDecision).where(eq(assessmentDecision.id, old.id))))!;
			expect(stored).toEqual({ ...old, hashEncoding: 'legacy-2025', requiresCountersignature: false });
			expect(await verifyDecision(db, stored)).toMatchObject({ signatureMatches: true, evidenceMatches: true, matches: true });
		});
	});
});


describe('the check the review page shows for each decision', () => {
	it('names what could not be encoded when a stored row labelled RFC 8785 holds what that encoding refuses', async () => {
		// Only a row written around the signing code can hold this: signing refuses such evidence.
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		await halfAnEmojiInTheLog(id);
		const old = await signedTheOldWay(id);
		await dbRun(f.db.insert(assessmentDecision).values({ ...old, hashEncoding: CANONICAL_ENCODING }));
		expect((await f.review(id)).decisions[0]?.verified).toEqual({
			signatureMatches: false,
			evidenceMatches: false,
			evidenceCurrent: false,
			matches: false,
			problem: expect.stringMatching(/^evidence\.actions\[\d+\]\.input\.note: a string with a lone surrogate is not JSON/)
		});
	});

	it('is a plain match for a decision signed now', async () => {
		const id = await f.submittedAttempt(f.ids.amira, '2026-03-01T09:00:00Z');
		const signed = await signDecision(f.db, f.gareth(), id, await f.decided(id));
		if (!signed.ok) throw new Error(signed.error.message);
		expect((await f.review(id)).decisions[0]?.verified).toEqual({ signatureMatches: true, evidenceMatches: true, evidenceCurrent: true, matches: true });
	});
});
