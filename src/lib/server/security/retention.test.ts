import { closeDatabase, dbAll, dbRun, dbGet } from '$lib/core/database';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refusal } from '$lib/core/testing';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/core/database';
import { organisation, securityEvent } from '$lib/server/db/schema';
import { jobLease } from '$lib/server/db/jobs';
import { createServerTestDb } from '$lib/server/testing';
import { recordSecurityEvent } from './events';
import { pruneSecurityEvents, scheduleSecurityLogPruning, securityLogRetentionDays } from './retention';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

async function types(db: Db): Promise<string[]> {
	return (await dbAll(db.select({ type: securityEvent.type }).from(securityEvent).orderBy(securityEvent.id))).map((r) => r.type);
}

describe('security log retention', () => {
	let db: Db;
	beforeEach(async () => {
		db = await createServerTestDb();
		await dbRun(db.update(organisation).set({ securityLogRetentionDays: 90 }));
		await recordSecurityEvent(db, { type: 'login.failed', email: 'old@example.org' }, daysAgo(400));
		await recordSecurityEvent(db, { type: 'login.failed', email: 'older-than-period@example.org' }, daysAgo(91));
		await recordSecurityEvent(db, { type: 'login.failed', email: 'inside-period@example.org' }, daysAgo(89));
		await recordSecurityEvent(db, { type: 'logout', userId: 'someone' }, daysAgo(0));
	});

	it('prunes the events older than the centre’s period and keeps the younger ones', async () => {
		expect(await pruneSecurityEvents(db)).toBe(2);
		expect(await types(db)).toEqual(['login.failed', 'logout']);
		expect(await pruneSecurityEvents(db)).toBe(0);
	});

	it('keeps events for the longest period any centre chose, as the database’s trigger does', async () => {
		await dbRun(db.insert(organisation).values({ id: 'centre-2', name: 'Other', securityLogRetentionDays: 200, updatedAt: new Date().toISOString() }));
		expect(await pruneSecurityEvents(db)).toBe(1);
		expect((await dbAll(db.select().from(securityEvent))).map((e) => e.email)).toEqual(['older-than-period@example.org', 'inside-period@example.org', null]);
	});

	it('never asks to delete a young event when given a clock ahead of the database’s', async () => {
		expect(await pruneSecurityEvents(db, new Date(Date.now() + 30 * DAY))).toBe(2);
		expect(await types(db)).toHaveLength(2);
	});

	it('is refused by the database when anything deletes a young event or changes any event', async () => {
		const young = (await dbGet(db.select().from(securityEvent).where(eq(securityEvent.email, 'inside-period@example.org'))))!;
		expect(await refusal(dbRun(db.delete(securityEvent).where(eq(securityEvent.id, young.id))))).toMatch(/kept for the retention period/);
		expect(await refusal(dbRun(db.update(securityEvent).set({ type: 'login.succeeded' }).where(eq(securityEvent.id, young.id))))).toMatch(/append-only/);
		const old = (await dbGet(db.select().from(securityEvent).where(eq(securityEvent.email, 'old@example.org'))))!;
		expect(await refusal(dbRun(db.update(securityEvent).set({ detail: null }).where(eq(securityEvent.id, old.id))))).toMatch(/append-only/);
		expect(await refusal(dbRun(db.delete(securityEvent)))).toMatch(/kept for the retention period/);
		expect(await types(db)).toHaveLength(4);
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
		const db = await createServerTestDb();
		await dbRun(db.update(organisation).set({ securityLogRetentionDays: 30 }));
		const stop = scheduleSecurityLogPruning(db);
		await vi.advanceTimersByTimeAsync(1);
		await recordSecurityEvent(db, { type: 'logout', userId: 'a' }, daysAgo(40));
		// The hourly checks of the day find the job done.
		await vi.advanceTimersByTimeAsync(DAY - 60_000);
		expect(await types(db)).toHaveLength(1);
		await vi.advanceTimersByTimeAsync(60_000);
		// The run's statements are real I/O on PostgreSQL, not done when the timers are: wait for it.
		await vi.waitFor(async () => expect(await types(db)).toHaveLength(0));
		expect(await dbAll(db.select().from(jobLease))).toEqual([expect.objectContaining({ job: 'security-log-pruning', lastOutcome: 'ok', lastStartedAt: '2026-06-02T09:00:00.000Z' })]);
		stop();
		await recordSecurityEvent(db, { type: 'logout', userId: 'a' }, daysAgo(40));
		await vi.advanceTimersByTimeAsync(2 * DAY);
		expect(await types(db)).toHaveLength(1);
	});

	it('carries on after a prune that fails, reporting it on one line', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
		const db = await createServerTestDb();
		const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const stop = scheduleSecurityLogPruning(db);
		await vi.advanceTimersByTimeAsync(1);
		await closeDatabase(db);
		await vi.advanceTimersByTimeAsync(DAY);
		const logged = String(written.mock.calls[0]?.[0]);
		written.mockRestore();
		expect(logged).toMatch(/"task":"security-log-pruning"/);
		stop();
	});
});
