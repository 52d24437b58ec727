/**
 * The store holding an upload's bytes, as its row says (storage.ts describes both and the
 * interface they share). Each row keeps where it went, so a change of UPLOAD_STORAGE strands nothing.
 */
import { databaseStore } from './database-store';
import { directoryStore } from './directory-store';
import type { StoredFile, UploadStorage } from './storage';

export function storageOf(file: Pick<StoredFile, 'storage'>): UploadStorage {
	return file.storage === 'database' ? databaseStore : directoryStore;
}
