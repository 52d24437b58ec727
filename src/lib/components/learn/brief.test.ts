import { describe, expect, it } from 'vitest';
import { parseBrief, parseInline } from './brief';

describe('a scenario brief', () => {
	it('reads paragraphs, bulleted and numbered lists, with items that run on over indented lines', () => {
		const blocks = parseBrief(
			['You are an adviser at **Northwind**.', 'A call comes in.', '', 'Policy:', '', '- Discuss an account only with the', '  **account holder**.', '- Log every contact.', '', '3. Correct details.', '4. Read them back.'].join('\n')
		);
		expect(blocks).toEqual([
			{ kind: 'paragraph', content: [{ text: 'You are an adviser at ' }, { text: 'Northwind', strong: true }, { text: '. A call comes in.' }] },
			{ kind: 'paragraph', content: [{ text: 'Policy:' }] },
			{
				kind: 'list',
				ordered: false,
				start: 1,
				items: [[{ text: 'Discuss an account only with the ' }, { text: 'account holder', strong: true }, { text: '.' }], [{ text: 'Log every contact.' }]]
			},
			{ kind: 'list', ordered: true, start: 3, items: [[{ text: 'Correct details.' }], [{ text: 'Read them back.' }]] }
		]);
	});

	it('keeps markup as text: a brief cannot inject HTML', () => {
		expect(parseBrief('<script>alert(1)</script> and <b>bold</b>')).toEqual([{ kind: 'paragraph', content: [{ text: '<script>alert(1)</script> and <b>bold</b>' }] }]);
	});

	it('reads emphasis, and leaves an unmatched marker as written', () => {
		expect(parseInline('the *Energy supply* purpose')).toEqual([{ text: 'the ' }, { text: 'Energy supply', em: true }, { text: ' purpose' }]);
		expect(parseInline('5 * 3 = 15 and **open')).toEqual([{ text: '5 * 3 = 15 and **open' }]);
	});
});
