/**
 * The IQA's signature on a round: SHA-256 of the RFC 8785 canonical JSON of the round, the snapshot's
 * hash it judged, who signed and when — made and checked like the assessor's (assessment/hashing.ts).
 */
import { canonicalHash } from '$lib/core';
import type { IqaSampleRound } from '$lib/server/db/iqa-records';

function signedContent(r: Omit<IqaSampleRound, 'signatureHash'>) {
	return {
		round: { id: r.id, sampleId: r.sampleId, round: r.round, vacs: r.vacs, criteria: r.criteria, feedback: r.feedback },
		snapshotHash: r.snapshotHash,
		signer: { id: r.iqaId, name: r.signedName },
		signedAt: r.signedAt,
		hashEncoding: r.hashEncoding
	};
}

export function roundSignatureHashOf(r: Omit<IqaSampleRound, 'signatureHash'>): string {
	return canonicalHash(signedContent(r), 'round');
}

/** The round reproduces its signature hash and binds to the snapshot given. A value that cannot be hashed is a mismatch. */
export function verifyRound(r: IqaSampleRound, snapshotHash: string | null): boolean {
	try {
		return r.snapshotHash === snapshotHash && roundSignatureHashOf(r) === r.signatureHash;
	} catch {
		return false;
	}
}
