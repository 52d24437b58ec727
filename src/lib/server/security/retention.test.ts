import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { organisation, securityEvent } from '$lib/server/db/schema';
import { jobLease } from '$lib/server/db/jobs';
import { createServerTestDb } from '$lib/server/testing';
import { recordSecurityEvent } from './events';
import { pruneSecurityEvents, scheduleSecurityLogPruning, securityLogRetentionDays } from './retention';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

function types(db: Db): string[] {
	return db.select({ type: securityEvent.type }).from(securityEvent).orderBy(securityEvent.id).all().map((r) => r.type);
}

describe('security log retention', () => {
	let db: Db;
	beforeEach(() => {
		db = createServerTestDb();
		db.update(organisation).set({ securityLogRetentionDays: 90 }).run();
		recordSecurityEvent(db, { type: 'login.failed', email: 'old@example.org' }, daysAgo(400));
		recordSecurityEvent(db, { type: 'login.failed', email: 'older-than-period@example.org' }, daysAgo(91));
		recordSecurityEvent(db, { type: 'login.failed', email: 'inside-period@example.org' }, daysAgo(89));
		recordSecurityEvent(db, { type: 'logout', userId: 'someone' }, daysAgo(0));
	});

	it('prunes the events older than the centre’s period and keeps the younger ones', () => {
		expect(pruneSecurityEvents(db)).toBe(2);
		expect(types(db)).toEqual(['login.failed', 'logout']);
		expect(pruneSecurityEvents(db)).toBe(0);
	});

	it('keeps events for the longest period any centre chose, as the database’s trigger does', () => {
		db.insert(organisation).values({ id: 'centre-2', name: 'Other', securityLogRetentionDays: 200, updatedAt: new Date().toISOString() }).run();
		expect(pruneSecurityEvents(db)).toBe(1);
		expect(db.select().from(securityEvent).all().map((e) => e.email)).toEqual(['older-than-period@example.org', 'inside-period@example.org', null]);
	});

	it('never asks to delete a young event when given a clock ahead of the database’s', () => {
		expect(pruneSecurityEvents(db, new Date(Date.now() + 30 * DAY))).toBe(2);
		expect(types(db)).toHaveLength(2);
	});

	it('is refused by the database when anything deletes a young event or changes any event', () => {
		const young = db.select().from(securityEvent).where(eq(securityEvent.email, 'inside-period@example.org')).get()!;
		expect(() => db.delete(securityEvent).where(eq(securityEvent.id, young.id)).run()).toThrow(/kept for the retention period/);
		expect(() => db.update(securityEvent).set({ type: 'login.succeeded' }).where(eq(securityEvent.id, young.id)).run()).toThrow(/append-only/);
		const old = db.select().from(securityEvent).where(eq(securityEvent.email, 'old@example.org')).get()!;
		expect(() => db.update(securityEvent).set({ detail: null }).where(eq(securityEvent.id, old.id)).run()).toThrow(/append-only/);
		expect(() => db.delete(securityEvent).run()).toThrow(/kept for the retention period/);
		expect(types(db)).toHaveLength(4);
	});

	it('accepts a period from 30 to 3650 whole days and says what is wrong with any other', () => {
		expect(securityLogRetentionDays.parse('365')).toBe(365);
		expect(securityLogRetentionDays.parse(30)).toBe(30);
		expect(securityLogRetentionDays.parse(' 3650 ')).toBe(3650);
		const message = (value: unknown) => securityLogRetentionDays.safeParse(value).error?.issues[0]?.message;
		expect(message('29')).toMatch(/from 30 to 3650 days/);
		expect(message('3651')).toMatch(/from 30 to 3650 days/);
		expect(message('90.5')).toMatch(/whole number of days/);
		expect(message('-1')).toMatch(/whole number of days/);
		expect(message('')).toMatch(/Enter how many days/);
		expect(message(undefined)).toMatch(/Enter how many days/);
	});
});

describe('scheduled pruning', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('prunes at start and then once a day, checking every hour, until stopped', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		vi.setSystemTime(new Date('2026-06-01T09:00:00.000Z'));
		const db = createServerTestDb();
		db.update(organisation).set({ securityLogRetentionDays: 30 }).run();
		const stop = scheduleSecurityLogPruning(db);
		await vi.advanceTimersByTimeAsync(1);
		recordSecurityEvent(db, { type: 'logout', userId: 'a' }, daysAgo(40));
		// The hourly checks of the day find the job done.
		await vi.advanceTimersByTimeAsync(DAY - 60_000);
		expect(types(db)).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(60_000);
		expect(types(db)).toHaveLength(0);
		expect(db.select().from(jobLease).all()).toEqual([expect.objectContaining({ job: 'security-log-pruning', lastOutcome: 'ok', lastStartedAt: '2026-06-02T09:00:00.000Z' })]);
		stop();
		recordSecurityEvent(db, { type: 'logout', userId: 'a' }, daysAgo(40));
		await vi.advanceTimersByTimeAsync(2 * DAY);
		expect(types(db)).toHaveLength(1);
	});

	it('carries on after a prune that fails, reporting it on one line', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		const db = createServerTestDb();
		const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const stop = scheduleSecurityLogPruning(db);
		await vi.advanceTimersByTimeAsync(1);
		db.$client.close();
		await vi.advanceTimersByTimeAsync(DAY);
		const logged = String(written.mock.calls[0]?.[0]);
		written.mockRestore();
		expect(logged).toMatch(/"task":"security-log-pruning"/);
		stop();
	});
});
