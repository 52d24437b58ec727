import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { postedForm } from './posted-form';

describe('postedForm', () => {
	it('reads a posted form', async () => {
		const request = new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Ann' });
		expect((await postedForm(request)).get('name')).toBe('Ann');
	});

	it('ends a malformed multipart body with a 400 that says it could not be read, not a 500', async () => {
		const request = new Request('http://localhost/x', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=----x' }, body: 'no boundary here' });
		const thrown = await postedForm(request).then(
			() => null,
			(e: unknown) => e
		);
		expect(isHttpError(thrown, 400)).toBe(true);
		expect(isHttpError(thrown) && thrown.body.message).toMatch(/could not be read as a form/);
	});
});
