/**
 * Submitted workplace evidence written straight into the database (and its files into an upload
 * directory), for the tests of judging it: the uploads helper's pages are how a learner makes it
 * in the app; the vitest and Playwright tests of judging need it without them.
 */
import { dbRun } from '$lib/core/database';
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from '$lib/core/database';
import { upload, workplaceEvidence, workplaceEvidenceFile, type UploadStorageKind } from '$lib/server/db/evidence';
import { putPieces } from '$lib/server/uploads/database-store';

export interface TestFile {
	name: string;
	mediaType: string;
	bytes: Uint8Array;
}

/** The declaration's words as a learner confirms them (the uploads helper's form holds the real text). */
export const TEST_DECLARATION = 'This is my own work: the account and the files are from my own job.';

/**
 * A learner's submitted workplace evidence with its files; each file's bytes are written to
 * join(uploadDir, storageKey) when an upload directory is given, or into the database when `storage`
 * is 'database' (uploads/storage.ts). Returns the evidence id and the upload ids.
 */
export async function submittedWorkplaceEvidence(
	db: Db,
	input: { organisationId: string; learnerId: string; title?: string; criteria: string[]; files?: TestFile[]; uploadDir?: string; storage?: UploadStorageKind; submittedAt?: string }
): Promise<{ evidenceId: string; uploadIds: string[] }> {
	const at = input.submittedAt ?? new Date().toISOString();
	const evidenceId = crypto.randomUUID();
	await dbRun(db.insert(workplaceEvidence)
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
		}));
	const uploadIds: string[] = [];
	for (const file of input.files ?? []) {
		const id = crypto.randomUUID();
		// The uploads' own naming (uploads/storage.ts storedPath): serving refuses any other key.
		const storageKey = `${id}.bin`;
		const storage = input.storage ?? 'directory';
		if (storage === 'directory' && input.uploadDir) {
			const path = join(input.uploadDir, storageKey);
			mkdirSync(dirname(path), { recursive: true });
			writeFileSync(path, file.bytes);
		}
		await dbRun(db.insert(upload)
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
				storage,
				state: 'stored',
				createdAt: at,
				completedAt: at
			}));
		if (storage === 'database') await putPieces(db, id, file.bytes);
		// Each file added a moment after the last, as a learner adds them one by one.
		await dbRun(db.insert(workplaceEvidenceFile).values({ evidenceId, uploadId: id, addedAt: new Date(Date.parse(at) + uploadIds.length).toISOString() }));
		uploadIds.push(id);
	}
	return { evidenceId, uploadIds };
}

/**
 * A real PNG of the size given: a red left half and a blue right half inside a black border, the way
 * a photo of a form would be stored, so a page drawn from it can be checked by its colours.
 */
export function testPng(width = 240, height = 160): Uint8Array {
	const row = 1 + width * 3;
	const raw = Buffer.alloc(row * height);
	for (let y = 0; y < height; y++) {
		raw[y * row] = 0; // filter: none
		for (let x = 0; x < width; x++) {
			const border = x < 6 || y < 6 || x >= width - 6 || y >= height - 6;
			const [r, g, b] = border ? [0, 0, 0] : x < width / 2 ? [220, 30, 30] : [30, 60, 220];
			raw.set([r, g, b], y * row + 1 + x * 3);
		}
	}
	const chunk = (type: string, data: Buffer) => {
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
	return new Uint8Array(Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
}
