import { dbRun } from '$lib/core/database';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '$lib/core/database';
import { organisation, user } from '$lib/server/db/schema';
import { createServerTestDb } from '$lib/server/testing';
import { recordSecurityEvent } from './events';
import { parseSecurityLogFilters, searchSecurityLog, type SecurityLogQuery } from './search';

const ORG = 'centre-1';

async function addUser(db: Db, id: string, email: string, displayName: string, organisationId = ORG): Promise<void> {
	await dbRun(db.insert(user).values({ id, organisationId, email, displayName, passwordHash: 'x', createdAt: '2026-01-01T00:00:00.000Z' }));
}

function query(params: Record<string, string> = {}): SecurityLogQuery {
	const parsed = parseSecurityLogFilters(new URLSearchParams(params));
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
	return parsed.query;
}

describe('security log search', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createServerTestDb();
		await dbRun(db.insert(organisation).values({ id: 'centre-2', name: 'Elsewhere', updatedAt: '2026-01-01T00:00:00.000Z' }));
		await addUser(db, 'admin', 'morag@example.org', 'Morag Campbell');
		await addUser(db, 'nia', 'nia@example.org', 'Nia Evans');
		await addUser(db, 'other', 'someone@elsewhere.org', 'Someone Elsewhere', 'centre-2');
		const at = (iso: string) => new Date(iso);
		await recordSecurityEvent(db, { type: 'login.succeeded', userId: 'admin', address: '192.168.1.20' }, at('2026-03-01T09:00:00.000Z'));
		await recordSecurityEvent(db, { type: 'account.created', userId: 'nia', actorId: 'admin', address: '192.168.1.20', detail: { roles: ['learner'] } }, at('2026-03-01T09:05:00.000Z'));
		await recordSecurityEvent(db, { type: 'roles.changed', userId: 'nia', actorId: 'admin', address: '192.168.1.20', detail: { before: ['learner'], after: ['learner', 'tutor'] } }, at('2026-03-02T10:00:00.000Z'));
		await recordSecurityEvent(db, { type: 'login.failed', email: 'Intruder@Example.net', address: '203.0.113.5', detail: { reason: 'unknown-email' } }, at('2026-06-30T23:30:00.000Z'));
		await recordSecurityEvent(db, { type: 'login.succeeded', userId: 'other', address: '10.0.0.1' }, at('2026-03-03T08:00:00.000Z'));
	});

	it('lists the centre’s events newest first, in words, with who did what to whom', async () => {
		const page = await searchSecurityLog(db, ORG, query());
		expect(page.entries.map((e) => e.type)).toEqual(['login.failed', 'roles.changed', 'account.created', 'login.succeeded']);
		const roles = page.entries[1]!;
		expect(roles).toMatchObject({
			label: 'Roles changed',
			subject: { id: 'nia', name: 'Nia Evans', email: 'nia@example.org' },
			actor: { id: 'admin', name: 'Morag Campbell' },
			summary: 'Roles learner → learner, tutor'
		});
		expect(page.entries[0]).toMatchObject({ subject: { id: null, email: 'intruder@example.net' }, actor: null, summary: 'Reason: unknown-email' });
		expect(page).toMatchObject({ older: null, newer: null });
	});

	it('never shows another centre’s users’ events', async () => {
		expect((await searchSecurityLog(db, ORG, query())).entries.some((e) => e.subject?.id === 'other')).toBe(false);
		expect((await searchSecurityLog(db, 'centre-2', query())).entries.map((e) => e.subject?.id ?? e.subject?.email)).toEqual(['intruder@example.net', 'other']);
	});

	it('filters by one kind of event or by a group of kinds', async () => {
		expect((await searchSecurityLog(db, ORG, query({ event: 'roles.changed' }))).entries.map((e) => e.type)).toEqual(['roles.changed']);
		expect((await searchSecurityLog(db, ORG, query({ event: 'accounts' }))).entries.map((e) => e.type)).toEqual(['roles.changed', 'account.created']);
		expect((await searchSecurityLog(db, ORG, query({ event: 'sign-in' }))).entries.map((e) => e.type)).toEqual(['login.failed', 'login.succeeded']);
	});

	it('finds a person by part of their email or name, as subject or as actor, and an email typed at log-in', async () => {
		expect((await searchSecurityLog(db, ORG, query({ person: 'NIA@' }))).entries.map((e) => e.type)).toEqual(['roles.changed', 'account.created']);
		expect((await searchSecurityLog(db, ORG, query({ person: 'campbell' }))).entries).toHaveLength(3);
		expect((await searchSecurityLog(db, ORG, query({ person: 'intruder' }))).entries.map((e) => e.type)).toEqual(['login.failed']);
	});

	it('treats % and _ in the person filter as themselves, not as wildcards', async () => {
		expect((await searchSecurityLog(db, ORG, query({ person: '%' }))).entries).toEqual([]);
		expect((await searchSecurityLog(db, ORG, query({ person: 'nia_' }))).entries).toEqual([]);
	});

	it('filters by the beginning of an address', async () => {
		expect((await searchSecurityLog(db, ORG, query({ address: '192.168.1' }))).entries).toHaveLength(3);
		expect((await searchSecurityLog(db, ORG, query({ address: '203.0.113.5' }))).entries.map((e) => e.type)).toEqual(['login.failed']);
	});

	it('filters by UK dates, both ends included, counting summer-time events on their UK day', async () => {
		expect((await searchSecurityLog(db, ORG, query({ from: '2026-03-01', to: '2026-03-01' }))).entries).toHaveLength(2);
		expect((await searchSecurityLog(db, ORG, query({ from: '2026-03-02' }))).entries.map((e) => e.type)).toEqual(['login.failed', 'roles.changed']);
		// 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
		expect((await searchSecurityLog(db, ORG, query({ from: '2026-07-01', to: '2026-07-01' }))).entries.map((e) => e.type)).toEqual(['login.failed']);
		expect((await searchSecurityLog(db, ORG, query({ to: '2026-06-30' }))).entries.map((e) => e.type)).not.toContain('login.failed');
	});

	it('pages by keyset, newest first, through events that share a timestamp, with no gaps or repeats', async () => {
		const same = new Date('2026-04-01T12:00:00.000Z');
		for (let i = 0; i < 23; i++) await recordSecurityEvent(db, { type: 'logout', userId: 'nia' }, i % 2 === 0 ? same : new Date(same.getTime() + i * 1000));
		const seen: number[] = [];
		let page = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10' }));
		expect(page.newer).toBeNull();
		seen.push(...page.entries.map((e) => e.id));
		while (page.older) {
			page = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10', before: page.older }));
			expect(page.newer).not.toBeNull();
			seen.push(...page.entries.map((e) => e.id));
		}
		expect(seen).toHaveLength(23);
		expect(new Set(seen).size).toBe(23);
		const all = (await searchSecurityLog(db, ORG, query({ event: 'logout', size: '50' }))).entries.map((e) => e.id);
		expect(seen).toEqual(all);

		// Back from the last page: the page of newer events is the one before it.
		const second = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10', before: `${(await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10' }))).older}` }));
		const back = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10', after: second.newer! }));
		expect(back.entries.map((e) => e.id)).toEqual(all.slice(0, 10));
		expect(back.newer).toBeNull();
	});

	it('shows a full newest page when going back from the second page finds fewer newer events than a page', async () => {
		for (let i = 0; i < 15; i++) await recordSecurityEvent(db, { type: 'logout', userId: 'nia' }, new Date(Date.UTC(2026, 4, 1, 0, i)));
		const all = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10' }));
		const afterThird = await searchSecurityLog(db, ORG, query({ event: 'logout', size: '10', after: `${all.entries[2]!.at}_${all.entries[2]!.id}` }));
		expect(afterThird.entries.map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
	});

	it('refuses filters that are not what the form offers, field by field, with the typed values kept', () => {
		const parsed = parseSecurityLogFilters(
			new URLSearchParams({ event: 'drop.tables', address: "1.2.3.4' OR 1=1", from: '2026-02-30', to: '2026-01-01', size: '5000', before: 'yesterday' })
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors).toMatchObject({
			event: 'Choose a kind of event from the list.',
			address: expect.stringMatching(/IP address/),
			from: expect.stringMatching(/real date/),
			size: expect.stringMatching(/up to 200/),
			before: expect.stringMatching(/page link/)
		});
		expect(parsed.values.address).toBe("1.2.3.4' OR 1=1");
		const backwards = parseSecurityLogFilters(new URLSearchParams({ from: '2026-03-02', to: '2026-03-01' }));
		expect(!backwards.ok && backwards.errors.to).toBe('The last date must be on or after the first date.');
		const tooSmall = parseSecurityLogFilters(new URLSearchParams({ size: '3' }));
		expect(!tooSmall.ok && tooSmall.errors.size).toMatch(/from 10 to 200/);
	});

	it('shows a page of 50 unless asked otherwise', () => {
		expect(query().size).toBe(50);
		expect(query({ size: '100' }).size).toBe(100);
	});
});
