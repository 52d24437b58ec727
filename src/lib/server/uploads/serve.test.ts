import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Upload } from '$lib/server/db/evidence';
import { uploadResponse } from './serve';

const dir = mkdtempSync(join(tmpdir(), 'custodian-serve-'));
const previous = process.env.UPLOAD_DIR;
process.env.UPLOAD_DIR = dir;
afterAll(() => {
	if (previous === undefined) delete process.env.UPLOAD_DIR;
	else process.env.UPLOAD_DIR = previous;
	rmSync(dir, { recursive: true, force: true });
});

const row = (storageKey: string): Upload =>
	({ id: 'u1', storageKey, mediaType: 'image/png', fileName: 'form.png', state: 'stored' }) as Upload;

describe('serving a stored upload', () => {
	it('streams the file with its safe headers', async () => {
		writeFileSync(join(dir, 'abc-1.bin'), 'bytes');
		const response = uploadResponse(row('abc-1.bin'))!;
		expect(response.headers.get('content-length')).toBe('5');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-security-policy')).toBe('sandbox');
		expect(await response.text()).toBe('bytes');
	});

	it('answers nothing (the route says 404) when the bytes are gone or the row names no stored file', () => {
		expect(uploadResponse(row('gone-1.bin'))).toBeUndefined();
		expect(uploadResponse(row('../etc/passwd'))).toBeUndefined();
	});
});
