/**
 * Submitted workplace evidence written straight into the database (and its files into an upload
 * directory), for the tests of judging it: the uploads helper's pages are how a learner makes it
 * in the app; the vitest and Playwright tests of judging need it without them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence, workplaceEvidenceFile } from '$lib/server/db/evidence';

export interface TestFile {
	name: string;
	mediaType: string;
	bytes: Uint8Array;
}

/** The declaration's words as a learner confirms them (the uploads helper's form holds the real text). */
export const TEST_DECLARATION = 'This is my own work: the account and the files are from my own job.';

/**
 * A learner's submitted workplace evidence with its files; each file's bytes are written to
 * join(uploadDir, storageKey) when an upload directory is given. Returns the evidence id and the upload ids.
 */
export function submittedWorkplaceEvidence(
	db: Db,
	input: { organisationId: string; learnerId: string; title?: string; criteria: string[]; files?: TestFile[]; uploadDir?: string; submittedAt?: string }
): { evidenceId: string; uploadIds: string[] } {
	const at = input.submittedAt ?? new Date().toISOString();
	const evidenceId = crypto.randomUUID();
	db.insert(workplaceEvidence)
		.values({
			id: evidenceId,
			organisationId: input.organisationId,
			learnerId: input.learnerId,
			title: input.title ?? 'Checking a caller’s identity at the front desk',
			situation: 'A customer rang asking for their account balance.',
			task: 'Confirm who they were before telling them anything.',
			action: 'I asked the security questions from the form and recorded the answers.',
			result: 'The caller passed the checks; I logged the call on the completed form.',
			criteria: input.criteria,
			declaration: TEST_DECLARATION,
			declaredAt: at,
			state: 'submitted',
			createdAt: at,
			updatedAt: at,
			submittedAt: at
		})
		.run();
	const uploadIds: string[] = [];
	for (const file of input.files ?? []) {
		const id = crypto.randomUUID();
		const storageKey = `${input.learnerId}/${id}`;
		if (input.uploadDir) {
			const path = join(input.uploadDir, storageKey);
			mkdirSync(dirname(path), { recursive: true });
			writeFileSync(path, file.bytes);
		}
		db.insert(upload)
			.values({
				id,
				organisationId: input.organisationId,
				ownerId: input.learnerId,
				originalName: file.name,
				fileName: file.name,
				mediaType: file.mediaType,
				byteLength: file.bytes.byteLength,
				receivedBytes: file.bytes.byteLength,
				sha256: createHash('sha256').update(file.bytes).digest('hex'),
				storageKey,
				state: 'stored',
				createdAt: at,
				completedAt: at
			})
			.run();
		db.insert(workplaceEvidenceFile).values({ evidenceId, uploadId: id, addedAt: at }).run();
		uploadIds.push(id);
	}
	return { evidenceId, uploadIds };
}
