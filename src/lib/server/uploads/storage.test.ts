import { describe, expect, it } from 'vitest';
import { uploadStorageKind } from './storage';

describe('the upload storage setting', () => {
	it('keeps files in the directory unless UPLOAD_STORAGE says the database, and refuses any other value', () => {
		expect(uploadStorageKind({})).toBe('directory');
		expect(uploadStorageKind({ UPLOAD_STORAGE: ' ' })).toBe('directory');
		expect(uploadStorageKind({ UPLOAD_STORAGE: 'database' })).toBe('database');
		expect(() => uploadStorageKind({ UPLOAD_STORAGE: 'postgres' })).toThrow(/UPLOAD_STORAGE must be one of directory, database/);
	});
});
