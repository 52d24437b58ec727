import { dbGet, dbAll, dbRun } from '$lib/core/database';
import { describe, expect, it } from 'vitest';
import { refusal } from '$lib/core/testing';
import { and, eq } from 'drizzle-orm';
import { ukToday } from '$lib/dates';
import { assessmentFixture } from '$lib/server/assessment/testing';
import { eqaAccess } from '$lib/server/db/eqa';
import { learnerStanding } from '$lib/server/db/quality';
import { notification } from '$lib/server/db/notifications';
import { securityEvent, user } from '$lib/server/db/schema';
import { findResetLink } from '$lib/server/auth/password-reset';
import { rolesOf } from '$lib/server/auth/user';
import type { MailMessage } from '$lib/server/mail';
import { addDays, eqaMayReadLearner, grantState, inviteEqa, learnerInSample, openGrant, recordEqaView, remindEqaAccessEnding, revokeEqaAccess, type InviteInput } from './grants';

const f = assessmentFixture();
const idOf = async (email: string) => (await dbGet(f.db.select({ id: user.id }).from(user).where(eq(user.email, email))))!.id;
const iqa = async () => ({ id: await idOf('iqa@custodian.test'), address: '198.51.100.9', routeId: '/(guarded)/iqa/eqa', requestId: null });
const JANUARY = 'demo-cohort-january';
const now = new Date();
const today = ukToday(now);
const events = async (type: string) => (await dbAll(f.db.select().from(securityEvent))).filter((e) => e.type === type);

function input(change: Partial<InviteInput> = {}): InviteInput {
	return { email: 'rhian.eqa@awarding.example', name: 'Rhian Pugh', cohortId: JANUARY, learnerIds: [f.ids.amira, f.ids.tomas], startsOn: today, endsOn: addDays(today, 13), ...change };
}

async function invited(change: Partial<InviteInput> = {}) {
	const result = await inviteEqa(f.db, 'demo-centre', await iqa(), input(change), { mailer: null, origin: 'https://centre.example' }, now);
	if (!result.ok) throw new Error(result.error.message);
	return result.value;
}

describe('the dates of a grant', () => {
	it('is open from its first day to the end of its last, and not before, after, or once revoked', () => {
		const grant = { startsOn: '2026-03-02', endsOn: '2026-03-15', revokedAt: null };
		expect(grantState(grant, '2026-03-01')).toBe('not-started');
		expect(grantState(grant, '2026-03-02')).toBe('live');
		expect(grantState(grant, '2026-03-15')).toBe('live');
		expect(grantState(grant, '2026-03-16')).toBe('ended');
		expect(grantState({ ...grant, revokedAt: '2026-03-05T10:00:00Z' }, '2026-03-05')).toBe('revoked');
		expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
	});
});

describe('inviting an external quality assurer', () => {
	it('makes an account with the eqa role only, a one-time password when there is no mail, and a grant to the sample, withdrawn learners included', async () => {
		await dbRun(f.db.insert(learnerStanding).values({ learnerId: f.ids.tomas, organisationId: 'demo-centre', status: 'withdrawn', statusOn: today, updatedBy: (await iqa()).id, updatedAt: now.toISOString() }));
		const made = await invited();
		expect(made.eqa.created).toBe(true);
		expect(made.oneTimePassword).toMatch(/^[a-z0-9]{4}-/);
		expect(made.emailed).toBe(false);
		expect(await rolesOf(f.db, made.eqa.id)).toEqual(['eqa']);
		expect(made.access).toMatchObject({ cohortId: JANUARY, startsOn: today, endsOn: addDays(today, 13), invitedBy: (await iqa()).id, revokedAt: null });
		const visitor = { id: made.eqa.id };
		expect(await learnerInSample(f.db, visitor, made.access, f.ids.tomas)).toBe(true);
		expect(await learnerInSample(f.db, visitor, made.access, f.ids.ola)).toBe(false);
		expect(await events('eqa.invited')).toHaveLength(1);
		expect((await events('eqa.invited'))[0]).toMatchObject({ userId: made.eqa.id, actorId: (await iqa()).id, detail: { accessId: made.access.id, learners: 2 } });
		const told = await dbAll(f.db.select().from(notification).where(eq(notification.kind, 'eqa-access-granted')));
		expect(told.map((n) => n.userId).sort()).toEqual([made.eqa.id, (await iqa()).id].sort());
	});

	it('e-mails a new EQA a link to choose a password instead of showing one', async () => {
		const sent: MailMessage[] = [];
		const result = await inviteEqa(f.db, 'demo-centre', await iqa(), input(), { mailer: { send: async (m) => void sent.push(m) }, origin: 'https://centre.example' }, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		await result.value.delivery;
		expect(result.value.oneTimePassword).toBeNull();
		expect(sent).toHaveLength(1);
		expect(sent[0]!.to).toBe('rhian.eqa@awarding.example');
		const token = /\/login\/reset\/([A-Za-z0-9_-]+)/.exec(sent[0]!.text)![1]!;
		expect((await findResetLink(f.db, token, now.getTime()))?.user.id).toBe(result.value.eqa.id);
	});

	it('gives the EQA account the centre already has a new grant, and refuses an e-mail of someone who is not an EQA of the centre', async () => {
		const first = await invited();
		const second = await invited({ learnerIds: [f.ids.amira] });
		expect(second.eqa).toMatchObject({ id: first.eqa.id, created: false });
		expect(second.oneTimePassword).toBeNull();
		const learner = await inviteEqa(f.db, 'demo-centre', await iqa(), input({ email: 'learner@custodian.test' }), { mailer: null, origin: '' }, now);
		expect(learner.ok).toBe(false);
		if (!learner.ok) expect(Object.keys(learner.errors)).toEqual(['email']);
	});

	it('refuses dates in the past or out of order, learners outside the cohort and an empty sample, each next to its field', async () => {
		const cases: [Partial<InviteInput>, string][] = [
			[{ startsOn: addDays(today, -1) }, 'startsOn'],
			[{ endsOn: addDays(today, -1) }, 'endsOn'],
			[{ endsOn: 'soon' }, 'endsOn'],
			[{ learnerIds: [f.ids.ola] }, 'learnerIds'],
			[{ learnerIds: [] }, 'learnerIds'],
			[{ cohortId: 'another-centre-cohort' }, 'cohortId']
		];
		for (const [change, field] of cases) {
			const result = await inviteEqa(f.db, 'demo-centre', await iqa(), input(change), { mailer: null, origin: '' }, now);
			expect(result.ok, field).toBe(false);
			if (!result.ok) expect(result.errors[field], field).toBeTruthy();
		}
		expect(await dbGet(f.db.select().from(user).where(eq(user.email, 'rhian.eqa@awarding.example')))).toBeUndefined();
	});
});

describe('access that ends by itself', () => {
	it('opens the EQA’s own live grant, and refuses another’s as not found and an ended or revoked one with the day it ended, logging each refusal', async () => {
		const made = await invited();
		const visitor = { id: made.eqa.id, address: '203.0.113.4', routeId: '/(guarded)/eqa/[accessId]', requestId: null };
		expect(await openGrant(f.db, visitor, made.access.id, now)).toMatchObject({ ok: true, cohortName: expect.stringContaining('January') });
		const demoEqa = { id: await idOf('eqa@custodian.test') };
		expect(await openGrant(f.db, demoEqa, made.access.id, now)).toMatchObject({ ok: false, status: 404 });
		const after = new Date(Date.parse(`${addDays(today, 14)}T12:00:00Z`));
		const ended = await openGrant(f.db, visitor, made.access.id, after);
		expect(ended).toMatchObject({ ok: false, status: 403, state: 'ended' });
		if (!ended.ok) expect(ended.message).toMatch(/^Your access to the sample of .* ended on /);
		expect(await eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, now)).toBe(true);
		expect(await eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, after)).toBe(false);
		expect(await eqaMayReadLearner(f.db, made.eqa.id, f.ids.ola, now)).toBe(false);

		expect(await revokeEqaAccess(f.db, 'demo-centre', await iqa(), made.access.id, '   ', now)).toMatchObject({ ok: false, errors: { reason: expect.any(String) } });
		expect(await revokeEqaAccess(f.db, 'other-centre', await iqa(), made.access.id, 'Visit over.', now)).toMatchObject({ ok: false, error: { code: 'eqa.not-found' } });
		expect(await revokeEqaAccess(f.db, 'demo-centre', await iqa(), made.access.id, 'Visit over.', now)).toMatchObject({ ok: true });
		expect(await openGrant(f.db, visitor, made.access.id, now)).toMatchObject({ ok: false, status: 403, state: 'revoked' });
		expect(await eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, now)).toBe(false);
		// A revoked grant is final: the database refuses reopening it.
		expect(await refusal(dbRun(f.db.update(eqaAccess).set({ revokedAt: null }).where(eq(eqaAccess.id, made.access.id))))).toMatch(/revoked EQA access/);

		const refusals = (await events('eqa.refused')).map((e) => e.detail);
		expect(refusals).toEqual([
			{ reason: 'not-found', accessId: made.access.id },
			{ reason: 'ended', accessId: made.access.id },
			{ reason: 'revoked', accessId: made.access.id }
		]);
		expect((await events('eqa.revoked'))[0]).toMatchObject({ userId: made.eqa.id, actorId: (await iqa()).id, detail: { accessId: made.access.id } });
	});

	it('logs a learner outside the sample as a refusal and every view with the grant, the learner and what was seen', async () => {
		const made = await invited();
		const visitor = { id: made.eqa.id };
		expect(await learnerInSample(f.db, visitor, made.access, f.ids.ola)).toBe(false);
		await recordEqaView(f.db, visitor, made.access, 'learner', f.ids.amira);
		expect((await events('eqa.refused'))[0]!.detail).toEqual({ reason: 'outside-sample', accessId: made.access.id, learnerId: f.ids.ola });
		expect((await events('eqa.viewed'))[0]).toMatchObject({ userId: made.eqa.id, detail: { accessId: made.access.id, learnerId: f.ids.amira, what: 'learner' } });
	});

	it('tells the EQA and the inviter two days before the last day, once however often the job runs', async () => {
		const made = await invited({ endsOn: addDays(today, 5) });
		const kind = and(eq(notification.kind, 'eqa-access-ending'), eq(notification.subject, `${made.access.id}@${made.access.endsOn}`));
		await remindEqaAccessEnding(f.db, now);
		expect(await dbAll(f.db.select().from(notification).where(kind))).toHaveLength(0);
		const twoDaysBefore = new Date(Date.parse(`${addDays(today, 3)}T09:00:00Z`));
		await remindEqaAccessEnding(f.db, twoDaysBefore);
		await remindEqaAccessEnding(f.db, twoDaysBefore);
		expect((await dbAll(f.db.select().from(notification).where(kind))).map((n) => n.userId).sort()).toEqual([made.eqa.id, (await iqa()).id].sort());
	});
});
