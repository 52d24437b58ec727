import { describe, expect, it } from 'vitest';
import { all, checkbox, DEFAULT_MAX, file, int, number, optional, readForm, text } from './form-data';

function form(entries: [string, string | File][]): FormData {
	const data = new FormData();
	for (const [name, value] of entries) data.append(name, value);
	return data;
}

const pdf = () => new File(['%PDF-1.7'], 'letter.pdf', { type: 'application/pdf' });

describe('readForm', () => {
	it('reads a posted url-encoded form', async () => {
		const request = new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Ann&roles=a&roles=b' });
		const read = await readForm(request);
		expect(read?.get('name')).toBe('Ann');
		expect(read?.getAll('roles')).toEqual(['a', 'b']);
	});

	it('answers null, not an exception, when the body is not a form', async () => {
		const request = new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Ann"}' });
		expect(await readForm(request)).toBeNull();
	});

	it('answers null when the body breaks off mid-read (the size limit cutting it)', async () => {
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new TextEncoder().encode('name=Ann'));
				controller.error(new Error('body too large'));
			}
		});
		const request = new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, duplex: 'half' } as RequestInit);
		expect(await readForm(request)).toBeNull();
	});
});

describe('text', () => {
	it('reads a field as posted', () => {
		expect(text(form([['name', '  Ann  ']]), 'name')).toBe('  Ann  ');
		expect(text(form([['name', '  Ann  ']]), 'name', { trim: true })).toBe('Ann');
	});

	it("reads a missing field as '' (never the text 'null')", () => {
		expect(text(form([]), 'name')).toBe('');
	});

	it("reads a file posted where text was expected as ''", () => {
		expect(text(form([['name', pdf()]]), 'name')).toBe('');
	});

	it('cuts over-long text at the default or the given maximum', () => {
		const long = 'x'.repeat(DEFAULT_MAX + 500);
		expect(text(form([['note', long]]), 'note')).toHaveLength(DEFAULT_MAX);
		expect(text(form([['code', '123456789']]), 'code', { max: 6 })).toBe('123456');
	});

	it('trims before cutting, so leading spaces do not eat the allowance', () => {
		expect(text(form([['code', '      123456']]), 'code', { max: 6, trim: true })).toBe('123456');
	});
});

describe('optional', () => {
	it('is null when the field is missing, blank or a file', () => {
		expect(optional(form([]), 'phone')).toBeNull();
		expect(optional(form([['phone', '   ']]), 'phone')).toBeNull();
		expect(optional(form([['phone', pdf()]]), 'phone')).toBeNull();
	});

	it('is the text when there is some', () => {
		expect(optional(form([['phone', '01632 960001']]), 'phone')).toBe('01632 960001');
	});
});

describe('all', () => {
	it('reads every value of a multi-value field in order, leaving files out', () => {
		expect(all(form([['roles', 'learner'], ['roles', pdf()], ['roles', 'assessor']]), 'roles')).toEqual(['learner', 'assessor']);
	});

	it('is empty when nothing was posted under the name', () => {
		expect(all(form([['other', 'x']]), 'roles')).toEqual([]);
	});

	it('keeps at most `count` values, each cut at `max`', () => {
		const many = Array.from({ length: 20 }, (_, i): [string, string] => ['c', `criterion-${i}`]);
		const read = all(form(many), 'c', { count: 3, max: 5 });
		expect(read).toEqual(['crite', 'crite', 'crite']);
	});
});

describe('int', () => {
	it('reads a whole number within bounds', () => {
		expect(int(form([['days', ' 30 ']]), 'days', { min: 1, max: 365 })).toBe(30);
		expect(int(form([['n', '-4']]), 'n')).toBe(-4);
	});

	it('is null when missing, not a whole number or out of bounds', () => {
		expect(int(form([]), 'days')).toBeNull();
		expect(int(form([['days', '']]), 'days')).toBeNull();
		expect(int(form([['days', '3.5']]), 'days')).toBeNull();
		expect(int(form([['days', '1e3']]), 'days')).toBeNull();
		expect(int(form([['days', 'thirty']]), 'days')).toBeNull();
		expect(int(form([['days', '0']]), 'days', { min: 1 })).toBeNull();
		expect(int(form([['days', '366']]), 'days', { max: 365 })).toBeNull();
		expect(int(form([['days', '99999999999999999999']]), 'days')).toBeNull();
		expect(int(form([['days', pdf()]]), 'days')).toBeNull();
	});
});

describe('number', () => {
	it('reads a decimal within bounds', () => {
		expect(number(form([['mark', '2.5']]), 'mark', { min: 0, max: 5 })).toBe(2.5);
		expect(number(form([['mark', '.5']]), 'mark')).toBe(0.5);
	});

	it('is null when missing, not a finite number or out of bounds', () => {
		expect(number(form([]), 'mark')).toBeNull();
		expect(number(form([['mark', 'Infinity']]), 'mark')).toBeNull();
		expect(number(form([['mark', '0x10']]), 'mark')).toBeNull();
		expect(number(form([['mark', '5.1']]), 'mark', { max: 5 })).toBeNull();
	});
});

describe('checkbox', () => {
	it("is ticked when the box's value was posted", () => {
		expect(checkbox(form([['agree', 'on']]), 'agree')).toBe(true);
		expect(checkbox(form([['mfa', 'yes']]), 'mfa', 'yes')).toBe(true);
	});

	it('is not ticked when missing or posting another value', () => {
		expect(checkbox(form([]), 'agree')).toBe(false);
		expect(checkbox(form([['mfa', 'no']]), 'mfa', 'yes')).toBe(false);
	});
});

describe('file', () => {
	it('returns the uploaded file', () => {
		expect(file(form([['file', pdf()]]), 'file')?.name).toBe('letter.pdf');
	});

	it('is null when no file was chosen or text was posted instead', () => {
		expect(file(form([['file', new File([], '')]]), 'file')).toBeNull();
		expect(file(form([['file', 'letter.pdf']]), 'file')).toBeNull();
		expect(file(form([]), 'file')).toBeNull();
	});
});
