import { describe, expect, it } from 'vitest';
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
const idOf = (email: string) => f.db.select({ id: user.id }).from(user).where(eq(user.email, email)).get()!.id;
const iqa = () => ({ id: idOf('iqa@custodian.test'), address: '198.51.100.9', routeId: '/(guarded)/iqa/eqa', requestId: null });
const JANUARY = 'demo-cohort-january';
const now = new Date();
const today = ukToday(now);
const events = (type: string) => f.db.select().from(securityEvent).all().filter((e) => e.type === type);

function input(change: Partial<InviteInput> = {}): InviteInput {
	return { email: 'rhian.eqa@awarding.example', name: 'Rhian Pugh', cohortId: JANUARY, learnerIds: [f.ids.amira, f.ids.tomas], startsOn: today, endsOn: addDays(today, 13), ...change };
}

async function invited(change: Partial<InviteInput> = {}) {
	const result = await inviteEqa(f.db, 'demo-centre', iqa(), input(change), { mailer: null, origin: 'https://centre.example' }, now);
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
		f.db.insert(learnerStanding).values({ learnerId: f.ids.tomas, organisationId: 'demo-centre', status: 'withdrawn', statusOn: today, updatedBy: iqa().id, updatedAt: now.toISOString() }).run();
		const made = await invited();
		expect(made.eqa.created).toBe(true);
		expect(made.oneTimePassword).toMatch(/^[a-z0-9]{4}-/);
		expect(made.emailed).toBe(false);
		expect(rolesOf(f.db, made.eqa.id)).toEqual(['eqa']);
		expect(made.access).toMatchObject({ cohortId: JANUARY, startsOn: today, endsOn: addDays(today, 13), invitedBy: iqa().id, revokedAt: null });
		const visitor = { id: made.eqa.id };
		expect(learnerInSample(f.db, visitor, made.access, f.ids.tomas)).toBe(true);
		expect(learnerInSample(f.db, visitor, made.access, f.ids.ola)).toBe(false);
		expect(events('eqa.invited')).toHaveLength(1);
		expect(events('eqa.invited')[0]).toMatchObject({ userId: made.eqa.id, actorId: iqa().id, detail: { accessId: made.access.id, learners: 2 } });
		const told = f.db.select().from(notification).where(eq(notification.kind, 'eqa-access-granted')).all();
		expect(told.map((n) => n.userId).sort()).toEqual([made.eqa.id, iqa().id].sort());
	});

	it('e-mails a new EQA a link to choose a password instead of showing one', async () => {
		const sent: MailMessage[] = [];
		const result = await inviteEqa(f.db, 'demo-centre', iqa(), input(), { mailer: { send: async (m) => void sent.push(m) }, origin: 'https://centre.example' }, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		await result.value.delivery;
		expect(result.value.oneTimePassword).toBeNull();
		expect(sent).toHaveLength(1);
		expect(sent[0]!.to).toBe('rhian.eqa@awarding.example');
		const token = /\/login\/reset\/([A-Za-z0-9_-]+)/.exec(sent[0]!.text)![1]!;
		expect(findResetLink(f.db, token, now.getTime())?.user.id).toBe(result.value.eqa.id);
	});

	it('gives the EQA account the centre already has a new grant, and refuses an e-mail of someone who is not an EQA of the centre', async () => {
		const first = await invited();
		const second = await invited({ learnerIds: [f.ids.amira] });
		expect(second.eqa).toMatchObject({ id: first.eqa.id, created: false });
		expect(second.oneTimePassword).toBeNull();
		const learner = await inviteEqa(f.db, 'demo-centre', iqa(), input({ email: 'learner@custodian.test' }), { mailer: null, origin: '' }, now);
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
			const result = await inviteEqa(f.db, 'demo-centre', iqa(), input(change), { mailer: null, origin: '' }, now);
			expect(result.ok, field).toBe(false);
			if (!result.ok) expect(result.errors[field], field).toBeTruthy();
		}
		expect(f.db.select().from(user).where(eq(user.email, 'rhian.eqa@awarding.example')).get()).toBeUndefined();
	});
});

describe('access that ends by itself', () => {
	it('opens the EQA’s own live grant, and refuses another’s as not found and an ended or revoked one with the day it ended, logging each refusal', async () => {
		const made = await invited();
		const visitor = { id: made.eqa.id, address: '203.0.113.4', routeId: '/(guarded)/eqa/[accessId]', requestId: null };
		expect(openGrant(f.db, visitor, made.access.id, now)).toMatchObject({ ok: true, cohortName: expect.stringContaining('January') });
		const demoEqa = { id: idOf('eqa@custodian.test') };
		expect(openGrant(f.db, demoEqa, made.access.id, now)).toMatchObject({ ok: false, status: 404 });
		const after = new Date(Date.parse(`${addDays(today, 14)}T12:00:00Z`));
		const ended = openGrant(f.db, visitor, made.access.id, after);
		expect(ended).toMatchObject({ ok: false, status: 403, state: 'ended' });
		if (!ended.ok) expect(ended.message).toMatch(/^Your access to the sample of .* ended on /);
		expect(eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, now)).toBe(true);
		expect(eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, after)).toBe(false);
		expect(eqaMayReadLearner(f.db, made.eqa.id, f.ids.ola, now)).toBe(false);

		expect(revokeEqaAccess(f.db, 'demo-centre', iqa(), made.access.id, '   ', now)).toMatchObject({ ok: false, errors: { reason: expect.any(String) } });
		expect(revokeEqaAccess(f.db, 'other-centre', iqa(), made.access.id, 'Visit over.', now)).toMatchObject({ ok: false, error: { code: 'eqa.not-found' } });
		expect(revokeEqaAccess(f.db, 'demo-centre', iqa(), made.access.id, 'Visit over.', now)).toMatchObject({ ok: true });
		expect(openGrant(f.db, visitor, made.access.id, now)).toMatchObject({ ok: false, status: 403, state: 'revoked' });
		expect(eqaMayReadLearner(f.db, made.eqa.id, f.ids.amira, now)).toBe(false);
		// A revoked grant is final: the database refuses reopening it.
		expect(() => f.db.update(eqaAccess).set({ revokedAt: null }).where(eq(eqaAccess.id, made.access.id)).run()).toThrow(/revoked EQA access/);

		const refusals = events('eqa.refused').map((e) => e.detail);
		expect(refusals).toEqual([
			{ reason: 'not-found', accessId: made.access.id },
			{ reason: 'ended', accessId: made.access.id },
			{ reason: 'revoked', accessId: made.access.id }
		]);
		expect(events('eqa.revoked')[0]).toMatchObject({ userId: made.eqa.id, actorId: iqa().id, detail: { accessId: made.access.id } });
	});

	it('logs a learner outside the sample as a refusal and every view with the grant, the learner and what was seen', async () => {
		const made = await invited();
		const visitor = { id: made.eqa.id };
		expect(learnerInSample(f.db, visitor, made.access, f.ids.ola)).toBe(false);
		recordEqaView(f.db, visitor, made.access, 'learner', f.ids.amira);
		expect(events('eqa.refused')[0]!.detail).toEqual({ reason: 'outside-sample', accessId: made.access.id, learnerId: f.ids.ola });
		expect(events('eqa.viewed')[0]).toMatchObject({ userId: made.eqa.id, detail: { accessId: made.access.id, learnerId: f.ids.amira, what: 'learner' } });
	});

	it('tells the EQA and the inviter two days before the last day, once however often the job runs', async () => {
		const made = await invited({ endsOn: addDays(today, 5) });
		const kind = and(eq(notification.kind, 'eqa-access-ending'), eq(notification.subject, `${made.access.id}@${made.access.endsOn}`));
		remindEqaAccessEnding(f.db, now);
		expect(f.db.select().from(notification).where(kind).all()).toHaveLength(0);
		const twoDaysBefore = new Date(Date.parse(`${addDays(today, 3)}T09:00:00Z`));
		remindEqaAccessEnding(f.db, twoDaysBefore);
		remindEqaAccessEnding(f.db, twoDaysBefore);
		expect(f.db.select().from(notification).where(kind).all().map((n) => n.userId).sort()).toEqual([made.eqa.id, iqa().id].sort());
	});
});
