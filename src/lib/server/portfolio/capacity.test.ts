import { describe, expect, it } from 'vitest';
import { centreWideRenders, renderCapacity, RETRY_AFTER_SECONDS } from './capacity';

describe('render capacity', () => {
	it('gives a user one render at a time and refuses their second with 429', () => {
		const capacity = renderCapacity(2);
		const first = capacity.start('amira');
		expect(first.ok).toBe(true);
		const second = capacity.start('amira');
		expect(second).toEqual({ ok: false, error: expect.objectContaining({ code: 'render.user-busy', status: 429 }) });
		if (first.ok) first.value.release();
		expect(capacity.start('amira').ok).toBe(true);
	});

	it('refuses a render beyond the centre-wide cap with 503 and when to try again', () => {
		const capacity = renderCapacity(2);
		expect(capacity.start('amira').ok).toBe(true);
		const tomas = capacity.start('tomas');
		expect(tomas.ok).toBe(true);
		const ola = capacity.start('ola');
		expect(ola).toEqual({ ok: false, error: expect.objectContaining({ code: 'render.centre-busy', status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS }) });
		if (!ola.ok) expect(ola.error.message).toMatch(/Try again in \d+ seconds/);
		if (tomas.ok) tomas.value.release();
		expect(capacity.active()).toBe(1);
		expect(capacity.start('ola').ok).toBe(true);
	});

	it('frees a slot once however many times it is released', () => {
		const capacity = renderCapacity(1);
		const slot = capacity.start('amira');
		if (!slot.ok) throw new Error('no slot');
		slot.value.release();
		const other = capacity.start('tomas');
		slot.value.release();
		expect(other.ok).toBe(true);
		expect(capacity.active()).toBe(1);
		expect(capacity.start('ola').ok).toBe(false);
	});

	it('reads PORTFOLIO_RENDERS, falling back to 2 for anything but a positive whole number', () => {
		expect(centreWideRenders(undefined)).toBe(2);
		expect(centreWideRenders('4')).toBe(4);
		expect(centreWideRenders('0')).toBe(2);
		expect(centreWideRenders('many')).toBe(2);
		expect(centreWideRenders('1.5')).toBe(2);
	});
});
