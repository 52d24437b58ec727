/**
 * Uploaded bytes in the database (UPLOAD_STORAGE=database): `upload_piece` rows of at most 2 MB,
 * in order. A request's bytes (at most one piece's worth: the per-request limit) are held until it
 * ends, then written in the same transaction that advances the upload's offset, so every instance
 * sees the offset and the bytes agree. Read one piece at a time: serving a 512 MB video never holds
 * more than a piece or two in memory. The database's backup carries the files.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import { dbRun, dbGet, dbAll, writeTransaction, type Db } from '$lib/core/database';
import { uploadPiece } from '$lib/server/db/upload-pieces';
import { UPLOAD_CHUNK_BYTES, type Appending, type StoredFile, type UploadStorage } from './storage';

class AdvanceRefused extends Error {}

/**
 * Writes `bytes` as pieces from byte `startByte` on, inside the caller's transaction. Also how the
 * tests put a stored file's bytes in place (workplace/testing.ts).
 */
export async function putPieces(db: Db, uploadId: string, bytes: Uint8Array, startByte = 0): Promise<void> {
	for (let at = 0; at < bytes.byteLength; at += UPLOAD_CHUNK_BYTES) {
		const piece = bytes.subarray(at, at + UPLOAD_CHUNK_BYTES);
		await dbRun(db.insert(uploadPiece)
			.values({ uploadId, startByte: startByte + at, byteLength: piece.byteLength, bytes: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength) }));
	}
}

async function storedSize(db: Db, file: StoredFile): Promise<number | null> {
	const row = await dbGet(db
		.select({ pieces: sql<number>`count(*)`, total: sql<number>`coalesce(sum(${uploadPiece.byteLength}), 0)` })
		.from(uploadPiece)
		.where(eq(uploadPiece.uploadId, file.id)));
	return row && Number(row.pieces) > 0 ? Number(row.total) : null;
}

/** The piece starting at `startByte`; undefined when there is none (the bytes were removed meanwhile). */
async function pieceAt(db: Db, file: StoredFile, startByte: number): Promise<Buffer | undefined> {
	return (await dbGet(db
		.select({ bytes: uploadPiece.bytes })
		.from(uploadPiece)
		.where(and(eq(uploadPiece.uploadId, file.id), eq(uploadPiece.startByte, startByte)))))?.bytes;
}

/** The file's pieces in order, one read at a time. */
async function* piecesOf(db: Db, file: StoredFile, size: number): AsyncGenerator<Buffer> {
	for (let next = 0; next < size; ) {
		const bytes = await pieceAt(db, file, next);
		if (!bytes || bytes.byteLength === 0) throw new Error(`Upload ${file.id}: no stored piece at byte ${next}.`);
		yield bytes;
		next += bytes.byteLength;
	}
}

export const databaseStore: UploadStorage = {
	async create() {
		// Nothing to make: a file is its pieces, and it has none yet.
	},

	async append(db, file, offset): Promise<Appending> {
		let taken: Uint8Array[] = [];
		return {
			async write(chunk) {
				// Copied: the body's buffers are not ours to keep.
				taken.push(chunk.slice());
			},
			async keep(advance) {
				const bytes = Buffer.concat(taken);
				try {
					await writeTransaction(db, async () => {
						if (!(await advance())) throw new AdvanceRefused();
						await putPieces(db, file.id, bytes, offset);
					});
					return true;
				} catch (error) {
					if (error instanceof AdvanceRefused) return false;
					throw error;
				}
			},
			async close() {
				taken = [];
			}
		};
	},

	async size(db, file) {
		return await storedSize(db, file);
	},

	async read(db, file, range) {
		const size = await storedSize(db, file);
		if (size === null) return null;
		const start = Math.min(range?.start ?? 0, size);
		const end = Math.min(range?.end ?? size, size);
		if (end <= start) return new Uint8Array(0);
		const pieces = await dbAll(db
			.select({ startByte: uploadPiece.startByte, bytes: uploadPiece.bytes })
			.from(uploadPiece)
			.where(and(eq(uploadPiece.uploadId, file.id), lt(uploadPiece.startByte, end), gt(sql`${uploadPiece.startByte} + ${uploadPiece.byteLength}`, start)))
			.orderBy(asc(uploadPiece.startByte)));
		const out = new Uint8Array(end - start);
		for (const piece of pieces) {
			const from = Math.max(start, piece.startByte);
			const to = Math.min(end, piece.startByte + piece.bytes.byteLength);
			out.set(piece.bytes.subarray(from - piece.startByte, to - piece.startByte), from - start);
		}
		return out;
	},

	async open(db, file) {
		const size = await storedSize(db, file);
		if (size === null) return null;
		const pieces = piecesOf(db, file, size);
		const stream = new ReadableStream<Uint8Array>(
			{
				async pull(controller) {
					try {
						const { done, value } = await pieces.next();
						if (done) controller.close();
						else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
					} catch (error) {
						controller.error(error);
					}
				},
				async cancel() {
					await pieces.return(undefined);
				}
			},
			{ highWaterMark: 1 }
		);
		return { size, stream };
	},

	async replace(db, file, bytes) {
		await writeTransaction(db, async () => {
			await dbRun(db.delete(uploadPiece).where(eq(uploadPiece.uploadId, file.id)));
			await putPieces(db, file.id, bytes);
		});
	},

	async remove(db, file) {
		await dbRun(db.delete(uploadPiece).where(eq(uploadPiece.uploadId, file.id)));
	},

	async hash(db, file) {
		const size = await storedSize(db, file);
		if (size === null) return null;
		const hash = createHash('sha256');
		for await (const bytes of piecesOf(db, file, size)) hash.update(bytes);
		return hash.digest('hex');
	}
};
