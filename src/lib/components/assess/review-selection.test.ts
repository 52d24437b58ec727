import { describe, expect, it } from 'vitest';
import { reviewItems, selectionFromUrl, selectionHref } from './review-selection';

const points = [
	{ id: 'verify', description: 'Verified the caller', criteria: [{ code: 'PC01' }], evidence: [{ seq: 4 }, { seq: 2 }] },
	{ id: 'log', description: 'Logged the call', criteria: [{ code: 'PC01' }, { code: 'PC03' }], evidence: [{ seq: 9 }] }
];
const criteria = [
	{ code: 'PC01', title: 'Checks identity' },
	{ code: 'PC03', title: 'Keeps records' },
	{ code: 'K02', title: 'The law' }
];

describe('the review’s selection', () => {
	const items = reviewItems(points, criteria);

	it('lists points then criteria, with the form’s indexes and the lines each cites', () => {
		expect(items.map((i) => [i.key, i.index, i.cited])).toEqual([
			['point:verify', 0, [4, 2]],
			['point:log', 1, [9]],
			['criterion:PC01', 0, [2, 4, 9]],
			['criterion:PC03', 1, [9]],
			['criterion:K02', 2, []]
		]);
		expect(items[2]!.title).toBe('PC01 Checks identity');
	});

	it('reads the query, ignoring what is not on this attempt', () => {
		expect(selectionFromUrl(new URLSearchParams('point=log'), items)).toEqual({ key: 'point:log', whole: false });
		expect(selectionFromUrl(new URLSearchParams('criterion=PC03&transcript=whole'), items)).toEqual({ key: 'criterion:PC03', whole: true });
		expect(selectionFromUrl(new URLSearchParams('point=nope'), items)).toEqual({ key: undefined, whole: false });
		expect(selectionFromUrl(new URLSearchParams(''), items)).toEqual({ key: undefined, whole: false });
	});

	it('links keep ?supersede, drop ?signed and the other kind', () => {
		expect(selectionHref(new URLSearchParams('supersede&signed=1&point=verify'), items[3]!)).toBe('?supersede=&criterion=PC03');
		expect(selectionHref(new URLSearchParams(''), items[0]!, true)).toBe('?point=verify&transcript=whole');
	});
});
