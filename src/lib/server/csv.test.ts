import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formulaSafe, parseCsv, toCsv } from './csv';

describe('CSV', () => {
	it('quotes cells with commas, quotes and line breaks, and doubles quotes', () => {
		expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain', 3, null, true]])).toBe('"a,b","say ""hi""","two\nlines",plain,3,,true\r\n');
	});

	it('prefixes cells a spreadsheet would run as a formula with an apostrophe', () => {
		for (const cell of ['=SUM(A1)', '+44 113', '-1', '@cmd', '\t=x', '\r=x']) expect(formulaSafe(cell)).toBe(`'${cell}`);
		expect(formulaSafe('Amira = learner')).toBe('Amira = learner');
		expect(toCsv([['=HYPERLINK("http://evil")']])).toBe(`"'=HYPERLINK(""http://evil"")"\r\n`);
	});

	it('reads back what it writes (apart from the formula guard)', () => {
		const cell = fc.string({ unit: 'grapheme' }).filter((s) => !/^[=+\-@\t\r]/.test(s));
		fc.assert(
			fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (rows) => {
				const parsed = parseCsv(toCsv(rows));
				expect(parsed.ok).toBe(true);
				// A row of one empty cell and an all-blank line cannot be told apart: both are skipped.
				if (parsed.ok) expect(parsed.rows.map((r) => r.cells)).toEqual(rows);
			})
		);
	});

	it('numbers rows by the line they start on, skipping blank lines, with a BOM ignored', () => {
		const parsed = parseCsv('\uFEFFemail,name\r\n\r\na@x.org,"Ann\nB"\nb@x.org,Bob');
		expect(parsed).toEqual({
			ok: true,
			rows: [
				{ line: 1, cells: ['email', 'name'] },
				{ line: 3, cells: ['a@x.org', 'Ann\nB'] },
				{ line: 5, cells: ['b@x.org', 'Bob'] }
			]
		});
	});

	it('names the line of a quote never closed', () => {
		expect(parseCsv('email,name\na@x.org,"Ann')).toMatchObject({ ok: false, line: 2 });
	});

	it('never throws on any text', () => {
		fc.assert(fc.property(fc.string(), (text) => void parseCsv(text)));
	});
});
