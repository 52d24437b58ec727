import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quoted } from './quoted';

describe('a title in quotation marks', () => {
	it('wraps a plain title', () => {
		expect(quoted('Two colleagues ask for the same number')).toBe('“Two colleagues ask for the same number”');
	});

	it('shows a title that is one whole quotation as it is', () => {
		expect(quoted('“Delete everything you hold about me”')).toBe('“Delete everything you hold about me”');
	});

	it('nests a quotation inside a title in single marks rather than doubling them', () => {
		expect(quoted('“I\'m his wife”: a caller asks about her husband\'s account (copy)')).toBe('“‘I\'m his wife’: a caller asks about her husband\'s account (copy)”');
	});

	it('never opens or closes with two quotation marks, and quoting twice changes nothing', () => {
		fc.assert(
			fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '“', '”', '‘', '’', "'", ':') }), (title) => {
				const once = quoted(title);
				expect(once.startsWith('““')).toBe(false);
				expect(once.endsWith('””')).toBe(false);
				expect(once.startsWith('“') && once.endsWith('”')).toBe(true);
				expect(quoted(once)).toBe(once);
			})
		);
	});
});
