import { dbRun, openDatabase, type Db } from '../../../src/lib/core/database';
import { assessorProfile } from '../../../src/lib/server/db/assessment';
import { submittedWorkplaceEvidence, type TestFile } from '../../../src/lib/server/workplace/testing';
import { e2eDatabasePath } from './fingerprint';
import type { OwnUser } from './fixtures';

/**
 * Workplace evidence for the judging tests, written as the uploads pages would store it: rows in the
 * e2e server's database and the files under its upload directory (scripts/e2e-server.js UPLOAD_DIR),
 * at join(uploadDir, storageKey).
 */

let connection: Db | undefined;
function db(): Db {
	connection ??= openDatabase(e2eDatabasePath(), { migrate: false });
	return connection;
}

export function e2eUploadDir(): string {
	return `tests/.artifacts/uploads-${process.env.E2E_PORT}`;
}

/** A learner's submitted workplace evidence with these files; returns its id and its uploads' ids. */
export async function submittedEvidence(learner: OwnUser, input: { title: string; criteria: string[]; files: TestFile[] }): Promise<{ evidenceId: string; uploadIds: string[] }> {
	return await submittedWorkplaceEvidence(db(), { organisationId: learner.organisationId, learnerId: learner.id, uploadDir: e2eUploadDir(), ...input });
}

/** Marks an assessor as a trainee, as an IQA's profile change leaves it (the IQA's page is tested in countersignature.spec.ts). */
export async function makeTrainee(assessor: OwnUser, by: OwnUser): Promise<void> {
	const at = new Date().toISOString();
	await dbRun(db()
		.insert(assessorProfile)
		.values({ assessorId: assessor.id, status: 'trainee', statusSince: at.slice(0, 10), risk: 'trainee', riskReason: 'Working towards the assessor award.', updatedAt: at, updatedBy: by.id }));
}
