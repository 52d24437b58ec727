import { describe, expect, it } from 'vitest';
import { reachability } from './reachability';

/** A chain n-0 → n-1 → … → n-(size-1) → end, with the work done counted in successor look-ups. */
function chain(size: number) {
	const ids = [...Array.from({ length: size }, (_, i) => `n-${i}`), 'end'];
	const next = (i: number) => (i + 1 < size ? `n-${i + 1}` : 'end');
	let lookups = 0;
	const result = reachability(
		'n-0',
		ids,
		(id) => {
			lookups++;
			return id === 'end' ? [] : [next(Number(id.slice(2)))];
		},
		(id) => id === 'end'
	);
	return { result, lookups };
}

describe('reachability', () => {
	it('finds what the start reaches and what can finish, on cycles and with missing targets', () => {
		const edges: Record<string, string[]> = { a: ['b', 'missing'], b: ['a', 'c'], c: [], d: ['c'], loop: ['loop'] };
		const { reached, finishing } = reachability('a', Object.keys(edges), (id) => edges[id]!, (id) => id === 'c');
		expect([...reached].sort()).toEqual(['a', 'b', 'c']);
		expect([...finishing].sort()).toEqual(['a', 'b', 'c', 'd']);
	});

	it('reaches nothing from a start that is not a node', () => {
		expect(reachability('nowhere', ['a'], () => [], () => true).reached.size).toBe(0);
	});

	it('does work in proportion to the dialogue: doubling a chain doubles the look-ups', () => {
		const small = chain(2_000);
		const large = chain(4_000);
		expect(small.result.reached.size).toBe(2_001);
		expect(large.result.finishing.size).toBe(4_001);
		// One look-up per node for the reverse edges and one per node reached: 2n, not n².
		expect(small.lookups).toBe(2 * 2_001);
		expect(large.lookups).toBe(2 * 4_001);
	});
});
