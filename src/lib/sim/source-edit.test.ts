import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import { appendItem, deleteKey, removeItem, setValue } from './source-edit';

const SOURCE = `# A comment at the top
top: plain value   # why
quoted: "a “quoted” value"
folded: >-
  a long paragraph
  folded over lines

list:
  - key: a
    name: First
    tags: [x, y]

  - key: b
    name: Second   # kept
    nested:
      one: "1"
      two: "2"
end: 1
`;

describe('editing YAML text in place', () => {
	it('changes one value and leaves every other line byte for byte', () => {
		const out = setValue(SOURCE, ['list', 1, 'name'], 'Changed');
		expect(out).toBe(SOURCE.replace('name: Second   # kept', 'name: Changed   # kept'));
		expect(setValue(SOURCE, ['quoted'], 'it\'s "new"')).toBe(SOURCE.replace('"a “quoted” value"', '"it\'s \\"new\\""'));
	});

	it('writes text with line breaks as a block, and a new key at the end of its map', () => {
		const out = setValue(SOURCE, ['top'], 'line one\nline two');
		expect(parse(out).top).toBe('line one\nline two');
		expect(out.split('\n').slice(4)).toEqual(SOURCE.split('\n').slice(2));
		const added = setValue(SOURCE, ['list', 0, 'role'], 'caller');
		expect(parse(added).list[0]).toEqual({ key: 'a', name: 'First', tags: ['x', 'y'], role: 'caller' });
		expect(added).toBe(SOURCE.replace('    tags: [x, y]\n', '    tags: [x, y]\n    role: caller\n'));
		for (const text of ['12', '0.00', 'true', 'null', '2024-01-01', '- x', '# y']) expect(parse(setValue(SOURCE, ['top'], text)).top).toBe(text);
		const folded = setValue(SOURCE, ['folded'], 'new paragraph');
		expect(parse(folded).folded).toBe('new paragraph');
	});

	it('adds and removes items and keys, laid out like their neighbours', () => {
		const appended = appendItem(SOURCE, ['list'], { key: 'c', name: 'Third' });
		expect(appended).toBe(SOURCE.replace('end: 1\n', '\n  - key: c\n    name: Third\nend: 1\n'));
		const removed = removeItem(SOURCE, ['list'], 0);
		expect(parse(removed).list.map((i: { key: string }) => i.key)).toEqual(['b']);
		expect(removed).toContain('    name: Second   # kept');
		expect(removeItem(removed, ['list'], 0)).toContain('list: []');
		const deleted = deleteKey(SOURCE, ['list', 1, 'nested', 'one']);
		expect(parse(deleted).list[1].nested).toEqual({ two: '2' });
		expect(deleted).toBe(SOURCE.replace('      one: "1"\n', ''));
	});

	it('reads back any string value as it was set, and never changes the other values', () => {
		fc.assert(
			fc.property(fc.constantFrom<(string | number)[]>(['top'], ['quoted'], ['folded'], ['list', 0, 'name'], ['list', 1, 'nested', 'two']), fc.string({ unit: 'grapheme', maxLength: 60 }), (path, value) => {
				const before = parse(SOURCE);
				const after = parse(setValue(SOURCE, path, value));
				let at = after;
				for (const k of path) at = at[k];
				expect(at).toBe(value);
				let target = before;
				for (const k of path.slice(0, -1)) target = target[k];
				target[path[path.length - 1]!] = value;
				expect(after).toEqual(before);
			}),
			{ numRuns: 300 }
		);
	});
});
