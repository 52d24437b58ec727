import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbAll, type Db } from '$lib/core/database';
import { closeTestDatabase, openSharedTestDatabase } from '$lib/core/testing-database';
import { renderSlot } from '$lib/server/db/jobs';
import { centreWideRenders, renderCapacity, RENDER_SLOT_MS, RETRY_AFTER_SECONDS } from './capacity';

/** Two connections on one database (a file, or a PostgreSQL database) stand for two app instances behind a load balancer. */
let one: Db;
let two: Db;

beforeEach(async () => {
	[one, two] = (await openSharedTestDatabase(2)) as [Db, Db];
});

afterEach(() => {
	closeTestDatabase(one);
	closeTestDatabase(two);
});

describe('render capacity', () => {
	it('gives a user one render at a time and refuses their second with 429', async () => {
		const capacity = renderCapacity(2, one);
		const first = await capacity.start('amira');
		expect(first.ok).toBe(true);
		const second = await capacity.start('amira');
		expect(second).toEqual({ ok: false, error: expect.objectContaining({ code: 'render.user-busy', status: 429 }) });
		if (first.ok) await first.value.release();
		expect((await capacity.start('amira')).ok).toBe(true);
	});

	it('refuses a user’s second render on another instance while the first is under way', async () => {
		const first = await renderCapacity(2, one, { holder: 'web-1' }).start('amira');
		expect(first.ok).toBe(true);
		const elsewhere = renderCapacity(2, two, { holder: 'web-2' });
		expect(await elsewhere.start('amira')).toEqual({ ok: false, error: expect.objectContaining({ code: 'render.user-busy', status: 429 }) });
		expect((await elsewhere.start('tomas')).ok).toBe(true);
		if (first.ok) await first.value.release();
		expect((await elsewhere.start('amira')).ok).toBe(true);
	});

	it('frees the slot of an instance that died mid-render once it expires, and a late release frees nothing of the next', async () => {
		const start = Date.parse('2026-06-01T09:00:00.000Z');
		const dead = await renderCapacity(2, one, { holder: 'web-1', clock: () => new Date(start) }).start('amira');
		expect(dead.ok).toBe(true);
		let now = start + RENDER_SLOT_MS - 1;
		const survivor = renderCapacity(2, two, { holder: 'web-2', clock: () => new Date(now) });
		expect((await survivor.start('amira')).ok).toBe(false);
		now = start + RENDER_SLOT_MS;
		const taken = await survivor.start('amira');
		expect(taken.ok).toBe(true);
		if (dead.ok) await dead.value.release();
		expect(await dbAll(two.select().from(renderSlot))).toEqual([expect.objectContaining({ userId: 'amira', holder: 'web-2' })]);
		if (taken.ok) await taken.value.release();
		expect(await dbAll(two.select().from(renderSlot))).toEqual([]);
	});

	it('refuses a render beyond the cap with 503 and when to try again, and keeps no slot for it', async () => {
		const capacity = renderCapacity(2, one);
		expect((await capacity.start('amira')).ok).toBe(true);
		const tomas = await capacity.start('tomas');
		expect(tomas.ok).toBe(true);
		const ola = await capacity.start('ola');
		expect(ola).toEqual({ ok: false, error: expect.objectContaining({ code: 'render.centre-busy', status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS }) });
		if (!ola.ok) expect(ola.error.message).toMatch(/Try again in \d+ seconds/);
		expect((await dbAll(one.select({ userId: renderSlot.userId }).from(renderSlot))).map((r) => r.userId).sort()).toEqual(['amira', 'tomas']);
		if (tomas.ok) await tomas.value.release();
		expect(capacity.active()).toBe(1);
		expect((await capacity.start('ola')).ok).toBe(true);
	});

	it('caps renders per instance: a full instance does not refuse renders on another, whose cores are free', async () => {
		const busy = renderCapacity(1, one, { holder: 'web-1' });
		expect((await busy.start('amira')).ok).toBe(true);
		expect((await busy.start('tomas')).ok).toBe(false);
		expect((await renderCapacity(1, two, { holder: 'web-2' }).start('tomas')).ok).toBe(true);
	});

	it('frees a slot once however many times it is released', async () => {
		const capacity = renderCapacity(1, one);
		const slot = await capacity.start('amira');
		if (!slot.ok) throw new Error('no slot');
		await slot.value.release();
		const other = await capacity.start('tomas');
		await slot.value.release();
		expect(other.ok).toBe(true);
		expect(capacity.active()).toBe(1);
		expect((await capacity.start('ola')).ok).toBe(false);
	});

	it('reads PORTFOLIO_RENDERS, falling back to 2 for anything but a positive whole number', () => {
		expect(centreWideRenders(undefined)).toBe(2);
		expect(centreWideRenders('4')).toBe(4);
		expect(centreWideRenders('0')).toBe(2);
		expect(centreWideRenders('many')).toBe(2);
		expect(centreWideRenders('1.5')).toBe(2);
	});
});
