import { dbRun } from '$lib/core/database';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import { appendChunk, type Uploader } from '$lib/server/uploads/receive';
import { jpegWithGps } from '$lib/server/uploads/testing';
import {
	AUTHENTICITY_DECLARATION,
	removeEvidenceFile,
	saveWorkplaceEvidence,
	startEvidenceUpload,
	startWorkplaceEvidence,
	submitWorkplaceEvidence,
	workplaceEvidenceList,
	workplaceEvidenceOf
} from './learner-evidence';

let dir: string;
const previousDir = process.env.UPLOAD_DIR;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'custodian-workplace-'));
	process.env.UPLOAD_DIR = dir;
});
afterAll(() => {
	process.env.UPLOAD_DIR = previousDir;
	rmSync(dir, { recursive: true, force: true });
});

const account: { title: string; situation: string; task: string; action: string; result: string; criteria: string[] } = {
	title: 'Updating a customer’s address',
	situation: 'A customer rang the office to say she had moved house.',
	task: 'I had to update her record without letting anyone else change it.',
	action: 'I checked her identity with two security questions, then changed the address and noted the call.',
	result: 'Her letters went to the new address; the record shows who changed it and when.',
	criteria: ['PC01']
};

async function setUp(): Promise<{ db: Db; amira: Uploader; tomas: Uploader }> {
	const db = await createServerTestDb();
	for (const id of ['amira', 'tomas']) {
		await dbRun(db.insert(user).values({ id, organisationId: 'centre-1', email: `${id}@custodian.test`, displayName: id, passwordHash: 'x', createdAt: new Date(0).toISOString() }));
	}
	return { db, amira: { id: 'amira', organisationId: 'centre-1' }, tomas: { id: 'tomas', organisationId: 'centre-1' } };
}

async function* once(bytes: Uint8Array) {
	yield bytes;
}

describe('a learner’s workplace evidence', () => {
	it('is started with a title, saved as a draft, and refused on submission until complete, with each reason by its field', async () => {
		const { db, amira } = await setUp();
		expect(await startWorkplaceEvidence(db, amira, { title: '  ' })).toMatchObject({ ok: false, error: { fields: { title: expect.stringMatching(/title/) } } });
		const started = await startWorkplaceEvidence(db, amira, { title: account.title });
		if (!started.ok) throw new Error(started.error.message);
		const id = started.value.id;
		expect(await saveWorkplaceEvidence(db, amira, id, { ...account, result: '', criteria: ['NOT-A-CODE'] })).toMatchObject({ ok: false, error: { fields: { criteria: expect.any(String) } } });
		expect(await saveWorkplaceEvidence(db, amira, id, { ...account, result: '' })).toMatchObject({ ok: true });
		const refused = await submitWorkplaceEvidence(db, amira, id, { ...account, result: '', criteria: [], declared: false });
		expect(refused).toMatchObject({ ok: false, error: { code: 'workplace.invalid' } });
		const fields = !refused.ok ? refused.error.fields : {};
		expect(Object.keys(fields ?? {}).sort()).toEqual(['criteria', 'declared', 'files', 'result']);
	});

	it('submits with a stored file and the declaration, then is read-only and its files stay', async () => {
		const { db, amira } = await setUp();
		const started = await startWorkplaceEvidence(db, amira, { title: account.title });
		if (!started.ok) throw new Error(started.error.message);
		const id = started.value.id;
		const photo = jpegWithGps();
		const upload = await startEvidenceUpload(db, amira, id, { name: 'form.jpg', length: photo.byteLength });
		if (!upload.ok) throw new Error(upload.error.message);
		expect(await appendChunk(db, amira, upload.value.id, 0, once(photo))).toMatchObject({ ok: true, value: { state: 'stored' } });
		const done = await submitWorkplaceEvidence(db, amira, id, { ...account, declared: true });
		expect(done).toMatchObject({ ok: true, value: { state: 'submitted', declaration: AUTHENTICITY_DECLARATION } });
		expect(await saveWorkplaceEvidence(db, amira, id, account)).toMatchObject({ ok: false, error: { code: 'workplace.submitted' } });
		expect(await removeEvidenceFile(db, amira, upload.value.id)).toMatchObject({ ok: false, error: { code: 'workplace.submitted' } });
		expect(await startEvidenceUpload(db, amira, id, { name: 'more.jpg', length: 10 })).toMatchObject({ ok: false });
		expect((await workplaceEvidenceList(db, 'amira'))[0]).toMatchObject({ state: 'submitted', files: [{ state: 'stored', metadataRemoved: expect.stringContaining('GPS location') }] });
	});

	it('is invisible to another learner, who can neither add files to it nor remove them', async () => {
		const { db, amira, tomas } = await setUp();
		const started = await startWorkplaceEvidence(db, amira, { title: account.title });
		if (!started.ok) throw new Error(started.error.message);
		expect(await workplaceEvidenceOf(db, tomas, started.value.id)).toBeUndefined();
		expect(await startEvidenceUpload(db, tomas, started.value.id, { name: 'x.pdf', length: 10 })).toMatchObject({ ok: false, error: { code: 'upload.not-found' } });
		const own = await startEvidenceUpload(db, amira, started.value.id, { name: 'x.pdf', length: 10 });
		if (!own.ok) throw new Error(own.error.message);
		expect(await removeEvidenceFile(db, tomas, own.value.id)).toMatchObject({ ok: false, error: { code: 'workplace.not-found' } });
		expect(await removeEvidenceFile(db, amira, own.value.id)).toMatchObject({ ok: true });
		expect((await workplaceEvidenceOf(db, amira, started.value.id))?.files).toEqual([]);
	});
});
