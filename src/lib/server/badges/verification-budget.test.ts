import { describe, expect, it } from 'vitest';
import { checkBudget } from './verification';

describe('the public badge checks’ budget', () => {
	it('allows a burst, then only as many a second as the rate, and never stores more than the burst', () => {
		let now = 1_000_000;
		const budget = checkBudget(4, 5, () => now);
		const taken = (n: number) => Array.from({ length: n }, () => budget.take()).filter(Boolean).length;
		expect(taken(8)).toBe(5);
		now += 1_000;
		expect(taken(8)).toBe(4);
		now += 250;
		expect(taken(3)).toBe(1);
		// A long quiet spell refills only up to the burst.
		now += 60_000;
		expect(taken(10)).toBe(5);
	});
});
