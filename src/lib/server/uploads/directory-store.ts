/**
 * Uploaded bytes as files under UPLOAD_DIR (UPLOAD_STORAGE=directory, the default): one file per
 * upload named by its random id, 0600 in a 0700 directory. Several instances need one directory
 * they all share. A piece is written at its offset as it arrives; the upload's offset advances
 * only after, so the row never claims bytes the file does not have.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { storedPath, type Appending, type StoredFile, type UploadStorage } from './storage';

/** The file's path, or null when its key is not one of ours (never read outside the directory). */
function pathOf(file: StoredFile): string | null {
	try {
		return storedPath(file.storageKey);
	} catch {
		return null;
	}
}

async function sizeAt(path: string | null): Promise<number | null> {
	if (!path) return null;
	try {
		const found = await stat(path);
		return found.isFile() ? found.size : null;
	} catch {
		return null;
	}
}

export const directoryStore: UploadStorage = {
	async create(_db, file) {
		await writeFile(storedPath(file.storageKey), new Uint8Array(0), { flag: 'wx', mode: 0o600 });
	},

	async append(_db, file, offset): Promise<Appending> {
		const handle = await open(storedPath(file.storageKey), 'r+');
		let position = offset;
		return {
			async write(chunk) {
				let written = 0;
				while (written < chunk.byteLength) written += (await handle.write(chunk, written, chunk.byteLength - written, position + written)).bytesWritten;
				position += chunk.byteLength;
			},
			async keep(advance) {
				return await advance();
			},
			async close() {
				await handle.close();
			}
		};
	},

	async size(_db, file) {
		return sizeAt(pathOf(file));
	},

	async read(_db, file, range) {
		const path = pathOf(file);
		const size = await sizeAt(path);
		if (size === null || !path) return null;
		const start = Math.min(range?.start ?? 0, size);
		const end = Math.min(range?.end ?? size, size);
		const handle = await open(path, 'r');
		try {
			const bytes = new Uint8Array(Math.max(0, end - start));
			let read = 0;
			while (read < bytes.byteLength) {
				const { bytesRead } = await handle.read(bytes, read, bytes.byteLength - read, start + read);
				if (bytesRead === 0) break;
				read += bytesRead;
			}
			return bytes.subarray(0, read);
		} finally {
			await handle.close();
		}
	},

	async open(_db, file) {
		const path = pathOf(file);
		const size = await sizeAt(path);
		if (size === null || !path) return null;
		return { size, stream: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> };
	},

	async replace(_db, file, bytes) {
		const path = storedPath(file.storageKey);
		// Written beside it and renamed over it: a reader sees the old file or the new one, never half.
		const temporary = `${path}.clean`;
		await writeFile(temporary, bytes, { mode: 0o600 });
		await rename(temporary, path);
	},

	async remove(_db, file) {
		const path = pathOf(file);
		if (path) await rm(path, { force: true });
	},

	async hash(_db, file) {
		const path = pathOf(file);
		if ((await sizeAt(path)) === null || !path) return null;
		const hash = createHash('sha256');
		for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
		return hash.digest('hex');
	}
};
