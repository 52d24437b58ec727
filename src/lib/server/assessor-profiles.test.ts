import { dbGet, dbAll, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { refusal } from '$lib/core/testing';
import { eq } from 'drizzle-orm';
import { securityEvent, user } from '$lib/server/db/schema';
import { assessorProfileChange } from '$lib/server/db/assessment';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { assessorProfileView, centreAssessors, changeAssessorProfile, qualificationOf, type ProfileEditor } from './assessor-profiles';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const iqa = async (): Promise<ProfileEditor> => ({ id: await idOf('iqa@custodian.test'), organisationId: 'demo-centre', roles: ['iqa'], address: '198.51.100.7', routeId: '/(guarded)/iqa/assessors/[assessorId]', requestId: null });
const admin = async (): Promise<ProfileEditor> => ({ id: await idOf('admin@custodian.test'), organisationId: 'demo-centre', roles: ['admin'] });

describe('assessor profiles', () => {
	it('counts an assessor with no profile as qualified with risk "new", and the demo trainee as a trainee', async () => {
		expect(await qualificationOf(f.db, f.ids.gareth)).toMatchObject({ status: 'qualified', risk: 'new', statusSince: null });
		expect(await qualificationOf(f.db, await idOf('trainee@custodian.test'))).toMatchObject({ status: 'trainee', risk: 'trainee' });
		const list = await centreAssessors(f.db, 'demo-centre');
		expect(list.map((a) => a.name)).toEqual(expect.arrayContaining(['Gareth Llewellyn', 'Sam Okafor', 'Dafydd Morgan']));
		expect(list.find((a) => a.id === f.ids.gareth)).toMatchObject({ status: 'qualified', risk: 'new', decisionsSigned: 0, awaitingCountersignature: 0 });
	});

	it('keeps every change as history with who, when and why, and writes each to the security log', async () => {
		const at = new Date('2026-04-01T10:00:00Z');
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'status', status: 'trainee', since: '2026-04-01', reason: 'New to this unit.' }, at)).toEqual({ ok: true });
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'risk', risk: 'high', reason: 'Two decisions overturned at sampling.' }, new Date('2026-04-02T10:00:00Z'))).toEqual({ ok: true });
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'cpd', on: '2026-03-20', note: 'Standardisation workshop on GDPR disclosure.' }, new Date('2026-04-03T10:00:00Z'))).toEqual({ ok: true });
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'risk', risk: 'medium', reason: 'Improved after CPD.' }, new Date('2026-04-04T10:00:00Z'))).toEqual({ ok: true });
		const view = (await assessorProfileView(f.db, 'demo-centre', f.ids.gareth))!;
		expect(view).toMatchObject({ status: 'trainee', statusSince: '2026-04-01', risk: 'medium', riskReason: 'Improved after CPD.' });
		expect(view.history.map((h) => [h.kind, h.value, h.text, h.changedByName])).toEqual([
			['risk', 'medium', 'Improved after CPD.', 'Helen Achterberg'],
			['cpd', '', 'Standardisation workshop on GDPR disclosure.', 'Helen Achterberg'],
			['risk', 'high', 'Two decisions overturned at sampling.', 'Helen Achterberg'],
			['status', 'trainee', 'New to this unit.', 'Helen Achterberg']
		]);
		expect(view.cpd).toHaveLength(1);
		expect(view.cpd[0]).toMatchObject({ onDate: '2026-03-20' });
		const events = await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'assessor-profile.changed')));
		expect(events).toHaveLength(4);
		expect(events[0]).toMatchObject({ userId: f.ids.gareth, actorId: (await iqa()).id, address: '198.51.100.7', detail: { change: 'status', statusBefore: 'qualified', statusAfter: 'trainee' } });
		expect(events[1]).toMatchObject({ detail: { change: 'risk', riskBefore: 'new', riskAfter: 'high' } });
	});

	it('lets only an IQA set the risk, and an administrator only the status', async () => {
		expect(await changeAssessorProfile(f.db, await admin(), f.ids.gareth, { kind: 'risk', risk: 'low', reason: 'Fine.' })).toMatchObject({ ok: false, error: { code: 'profile.forbidden' } });
		const assessor: ProfileEditor = { id: f.ids.sam, organisationId: 'demo-centre', roles: ['assessor', 'tutor'] };
		expect(await changeAssessorProfile(f.db, assessor, f.ids.gareth, { kind: 'risk', risk: 'low', reason: 'Fine.' })).toMatchObject({ ok: false, error: { code: 'profile.forbidden' } });
		expect(await changeAssessorProfile(f.db, assessor, f.ids.gareth, { kind: 'status', status: 'trainee', since: '2026-04-01', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'profile.forbidden' } });
		expect(await changeAssessorProfile(f.db, await admin(), f.ids.gareth, { kind: 'status', status: 'trainee', since: '2026-04-01', reason: 'Starting the assessor award.' })).toEqual({ ok: true });
		expect(await qualificationOf(f.db, f.ids.gareth)).toMatchObject({ status: 'trainee', risk: 'new' });
		expect(await dbAll(f.db.select().from(securityEvent).where(eq(securityEvent.type, 'assessor-profile.changed')))).toHaveLength(1);
	});

	it('refuses a missing reason, an unknown rating or a bad date next to the field, and changes nothing', async () => {
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'risk', risk: 'extreme', reason: ' ' })).toMatchObject({ ok: false, error: { code: 'profile.invalid', fields: { risk: expect.any(String), reason: expect.any(String) } } });
		expect(await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'status', status: 'trainee', since: '2026-02-30', reason: 'x' })).toMatchObject({ ok: false, error: { fields: { since: expect.any(String) } } });
		expect(await dbAll(f.db.select().from(assessorProfileChange).where(eq(assessorProfileChange.assessorId, f.ids.gareth)))).toHaveLength(0);
	});

	it('does not know a learner, or an assessor of another centre', async () => {
		expect(await assessorProfileView(f.db, 'demo-centre', f.ids.amira)).toBeUndefined();
		expect(await assessorProfileView(f.db, 'elsewhere', f.ids.gareth)).toBeUndefined();
		expect(await changeAssessorProfile(f.db, { ...await iqa(), organisationId: 'elsewhere' }, f.ids.gareth, { kind: 'risk', risk: 'low', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'assessor.not-found' } });
	});

	it('keeps the history append-only: the database refuses to change or delete it', async () => {
		await changeAssessorProfile(f.db, await iqa(), f.ids.gareth, { kind: 'risk', risk: 'low', reason: 'Consistent decisions.' });
		expect(await refusal(dbRun(f.db.update(assessorProfileChange).set({ text: 'rewritten' })))).toMatch(/cannot be changed/);
		expect(await refusal(dbRun(f.db.delete(assessorProfileChange)))).toMatch(/cannot be deleted/);
	});
});
